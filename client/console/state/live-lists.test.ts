// The console's lists follow the socket: pushes read the list they name, nothing is read on a timer
// while the socket is up, the fallback reads every interval while it is down, a comeback reads all
// once, and reads of one list never overlap.
import { describe, expect, it } from 'vitest';
import { fakeTimers } from './fakes.case.js';
import { createLiveLists } from './live-lists.js';

function setup() {
  const timers = fakeTimers();
  const reads: string[] = [];
  const gates: Array<() => void> = [];
  let hold = false;
  const reader = (name: string) => async () => {
    reads.push(name);
    if (hold) await new Promise<void>((resolve) => gates.push(resolve));
  };
  const lists = createLiveLists({ timers, pollMs: 2000, all: reader('all'), read: { queue: reader('queue'), callbacks: reader('callbacks'), duty: reader('duty') } });
  return {
    timers,
    reads,
    lists,
    hold: (on: boolean) => void (hold = on),
    release: () => gates.splice(0).forEach((open) => open()),
  };
}

const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('live lists', () => {
  it('reads all at start, then nothing on a timer while the socket is up; pushes read what they name', async () => {
    const t = setup();
    t.lists.start();
    await settle();
    t.lists.status(true);
    await settle();
    expect(t.reads).toEqual(['all', 'all']);
    t.reads.length = 0;
    t.timers.advance(60_000);
    await settle();
    expect(t.reads).toEqual([]);
    await t.lists.pushed('queue');
    await t.lists.pushed('callbacks');
    await t.lists.pushed('duty');
    await t.lists.pushed('resync');
    expect(t.reads).toEqual(['queue', 'callbacks', 'duty', 'all']);
    expect(t.lists.live).toBe(true);
  });

  it('falls back to reading every interval while the socket is down, and reads all once when it is back', async () => {
    const t = setup();
    t.lists.start();
    t.lists.status(true);
    await settle();
    t.reads.length = 0;
    t.lists.status(false);
    expect(t.lists.live).toBe(false);
    t.timers.advance(2000);
    await settle();
    t.timers.advance(2000);
    await settle();
    expect(t.reads).toEqual(['all', 'all']);
    t.lists.status(true);
    await settle();
    t.timers.advance(10_000);
    await settle();
    expect(t.reads).toEqual(['all', 'all', 'all']);
  });

  it('never overlaps reads of one list: pushes during a read make one more read after it', async () => {
    const t = setup();
    t.lists.start();
    t.lists.status(true);
    await settle();
    t.reads.length = 0;
    t.hold(true);
    const first = t.lists.pushed('queue');
    void t.lists.pushed('queue');
    void t.lists.pushed('queue');
    await settle();
    expect(t.reads).toEqual(['queue']);
    t.hold(false);
    t.release();
    await first;
    expect(t.reads).toEqual(['queue', 'queue']);
  });

  it('reads nothing more once stopped', async () => {
    const t = setup();
    t.lists.start();
    await settle();
    t.lists.stop();
    t.reads.length = 0;
    t.timers.advance(10_000);
    t.lists.status(true);
    await settle();
    expect(t.reads).toEqual([]);
    expect(t.timers.pending()).toBe(0);
  });
});
