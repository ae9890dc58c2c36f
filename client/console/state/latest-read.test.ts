// latestRead: overlapping reads answered out of order; only the newest-started answer that arrives
// stays, whether applying it is immediate or takes its own time (the callbacks open their numbers).
import { describe, expect, it } from 'vitest';
import { latestRead } from './latest-read.js';

/** A read whose answers the test hands out by hand, in any order. */
function controlledReads() {
  const pending: Array<(value: string) => void> = [];
  return { read: () => new Promise<string>((resolve) => pending.push(resolve)), answer: (i: number, value: string) => pending[i]?.(value) };
}

describe('latestRead', () => {
  it('keeps the answer of the read that started last, when an older one arrives after it', async () => {
    const { read, answer } = controlledReads();
    const shown: string[] = [];
    const refresh = latestRead(read, (v) => void shown.push(v));
    const older = refresh();
    const newer = refresh();
    answer(1, 'new');
    await newer;
    answer(0, 'old');
    await older;
    expect(shown).toEqual(['new']);
  });

  it('applies every answer that arrives in order, and waits for an apply that takes time', async () => {
    const { read, answer } = controlledReads();
    const shown: string[] = [];
    const refresh = latestRead(read, async (v) => {
      await Promise.resolve();
      shown.push(v);
    });
    const first = refresh();
    const second = refresh();
    answer(0, 'one');
    await first;
    expect(shown).toEqual(['one']);
    answer(1, 'two');
    await second;
    expect(shown).toEqual(['one', 'two']);
  });
});
