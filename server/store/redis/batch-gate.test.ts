// The append batch gate: an idle call goes out at once; calls that arrive while a batch waits for
// its replies go out together, in arrival order, once it returned; a failing command opens the gate too.
import { describe, expect, it } from 'vitest';
import { createBatchGate } from './batch-gate.js';

describe('batch gate', () => {
  it('sends at once when idle, holds what arrives during a flight and sends it together, in order', async () => {
    const gate = createBatchGate();
    const started: string[] = [];
    const replies = new Map<string, () => void>();
    const command = (name: string) => () => {
      started.push(name);
      return new Promise<string>((resolve) => replies.set(name, () => resolve(name)));
    };
    const first = gate.run(command('a'));
    await Promise.resolve();
    expect(started).toEqual(['a']);
    const later = [gate.run(command('b')), gate.run(command('c')), gate.run(command('d'))];
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['a']);
    replies.get('a')?.();
    expect(await first).toBe('a');
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    for (const name of ['b', 'c', 'd']) replies.get(name)?.();
    expect(await Promise.all(later)).toEqual(['b', 'c', 'd']);
  });

  it('opens for the next batch when a command fails', async () => {
    const gate = createBatchGate();
    const failing = gate.run(() => Promise.reject(new Error('gone')));
    const next = gate.run(async () => 'ok');
    await expect(failing).rejects.toThrow('gone');
    expect(await next).toBe('ok');
  });

  it('opens for the next batch when a command throws instead of rejecting, and passes each held call its argument', async () => {
    const gate = createBatchGate();
    const slow = gate.run(() => new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 5)));
    const thrown = gate.run((): Promise<string> => {
      throw new Error('bad arguments');
    });
    const echoed = gate.run(async (x: number) => x * 2, 21);
    expect(await slow).toBe('slow');
    await expect(thrown).rejects.toThrow('bad arguments');
    expect(await echoed).toBe(42);
    expect(await gate.run(async () => 'after')).toBe('after');
  });
});
