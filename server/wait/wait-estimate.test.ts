// The wait estimate: median of a histogram of claim waits, none below three samples; over the API,
// each claim counts once into today's counters.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/support/harness.js';
import { createStatsCounter } from '../stats/counter.js';
import { bucketOf, createWaitEstimator, medianOf, WAIT_BUCKETS_MS } from './wait-estimate.js';

describe('wait estimate', () => {
  it('takes the median bucket and refuses to guess from fewer than three claims', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(61_000)).toBe(2);
    expect(medianOf([1, 1, 0])).toEqual({ medianMs: null, samples: 2 });
    expect(medianOf([1, 0, 2, 0])).toEqual({ medianMs: WAIT_BUCKETS_MS[2], samples: 3 });
    const open = WAIT_BUCKETS_MS.map((_, i) => (i === WAIT_BUCKETS_MS.length - 1 ? 5 : 0));
    expect(medianOf(open).medianMs).toBeNull();
  });

  it('counts claims per team and day and answers over the API', async () => {
    const t = await createTestApp({ manualClock: true });
    const estimator = createWaitEstimator({ stats: t.store.stats, now: () => t.clock.now() });
    const counter = createStatsCounter({ stats: t.store.stats, now: () => t.clock.now() });
    for (const wait of [10_000, 50_000, 100_000]) await counter.claimed({ team: 'unga', category: 'chat', source: 'direct' }, wait, true);
    const res = await t.fetch('http://localhost/api/v1/wait?team=unga');
    expect(await res.json()).toEqual({ team: 'unga', medianMs: 60_000, samples: 3 });
    expect(await (await t.fetch('http://localhost/api/v1/wait?team=foraldrar')).json()).toEqual({ team: 'foraldrar', medianMs: null, samples: 0 });
    expect((await t.fetch('http://localhost/api/v1/wait?team=BAD')).status).toBe(400);
    t.clock.advance?.(3 * 86_400_000);
    expect((await estimator.estimate('unga')).samples).toBe(0);
  });
});
