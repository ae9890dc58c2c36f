// Quick exit keys: Shift three times leaves from anywhere; Escape only before a conversation starts.
import { describe, expect, it } from 'vitest';
import { SHIFT_WINDOW_MS, createExitKeys } from './exit-keys.js';

function setup(escapeAllowed: boolean) {
  let t = 0;
  let exits = 0;
  const onKey = createExitKeys({ exit: () => exits++, escapeAllowed: () => escapeAllowed, now: () => t });
  const press = (key: string, after = 200, repeat = false) => {
    t += after;
    onKey({ key, repeat, preventDefault: () => undefined });
  };
  return { press, exits: () => exits };
}

describe('quick exit keys', () => {
  it('Shift three times leaves, also in a live chat; a held Shift or another key between does not', () => {
    const k = setup(false);
    k.press('Shift');
    k.press('Shift', 200, true);
    k.press('Shift');
    expect(k.exits()).toBe(0);
    k.press('a');
    k.press('Shift');
    k.press('Shift');
    expect(k.exits()).toBe(0);
    k.press('Shift');
    expect(k.exits()).toBe(1);
  });

  it('Shift presses too far apart do not add up', () => {
    const k = setup(false);
    k.press('Shift');
    k.press('Shift', SHIFT_WINDOW_MS);
    k.press('Shift', SHIFT_WINDOW_MS);
    expect(k.exits()).toBe(0);
  });

  it('Escape leaves only while no conversation has started', () => {
    const before = setup(true);
    before.press('Escape');
    expect(before.exits()).toBe(1);
    const during = setup(false);
    during.press('Escape');
    expect(during.exits()).toBe(0);
  });
});
