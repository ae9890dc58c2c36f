// The token bucket and a socket's frame budget over a hand-moved clock.
import { describe, expect, it } from 'vitest';
import { ConversationFrameBudgets, SocketFrameBudget, TokenBucket } from './budgets.js';

describe('token bucket', () => {
  it('allows the burst at once, then the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    expect(Array.from({ length: 6 }, () => bucket.take())).toEqual([true, true, true, true, true, false]);
    now += 100; // one token
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000; // never more than the burst
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });

  it('takes nothing when a larger amount does not fit', () => {
    let now = 0;
    const bucket = new TokenBucket(1, 10, () => now);
    expect(bucket.take(11)).toBe(false);
    expect(bucket.take(10)).toBe(true);
    now += 500;
    expect(bucket.take(1)).toBe(false);
  });
});

describe('socket frame budget', () => {
  it('answers the first refused frame, drops the next, and closes past twice the burst', () => {
    const budget = new SocketFrameBudget({ framesPerSecond: 1, frameBurst: 2, helloTimeoutMs: 1 }, () => 0);
    const verdicts = Array.from({ length: 8 }, () => budget.onFrame());
    expect(verdicts).toEqual(['ok', 'ok', 'refuse', 'drop', 'drop', 'drop', 'close', 'close']);
  });
});

describe('conversation frame budgets', () => {
  it('one bucket for every socket of a conversation, another for another conversation', () => {
    let now = 0;
    const budgets = new ConversationFrameBudgets({ framesPerSecond: 10, frameBurst: 4 }, () => now);
    const a1 = budgets.join('a');
    const a2 = budgets.join('a');
    const b = budgets.join('b');
    expect([a1.take(), a2.take(), a1.take(), a2.take(), a1.take(), a2.take()]).toEqual([true, true, true, true, false, false]);
    expect(b.take()).toBe(true);
    now += 100;
    expect([a2.take(), a1.take()]).toEqual([true, false]);
  });

  it('keeps a spent bucket after its sockets leave (no fresh burst on reconnect), drops it once full again', () => {
    let now = 0;
    const budgets = new ConversationFrameBudgets({ framesPerSecond: 10, frameBurst: 4 }, () => now);
    const first = budgets.join('a');
    for (let i = 0; i < 4; i += 1) first.take();
    budgets.leave('a');
    expect(budgets.size).toBe(1);
    expect(budgets.join('a').take()).toBe(false); // the same, spent bucket
    budgets.leave('a');
    now += 1_000;
    budgets.join('b');
    budgets.leave('b'); // full: dropped at once
    expect(budgets.size).toBe(1);
    // Past 1,024 entries a sweep drops every full bucket without sockets.
    for (let i = 0; i < 1_100; i += 1) budgets.join(`c${i}`);
    expect(budgets.size).toBeLessThanOrEqual(1_100);
    expect(budgets.size).toBeGreaterThan(1_000);
  });
});
