// The token bucket and a socket's frame budget over a hand-moved clock.
import { describe, expect, it } from 'vitest';
import { SocketFrameBudget, TokenBucket } from './budgets.js';

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
