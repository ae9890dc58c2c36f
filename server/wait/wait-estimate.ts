// An honest wait estimate from aggregated counters only (invariant 5): each claim adds one to a
// per-day histogram bucket of how long the conversation waited (the statistics' `wait` counters,
// server/stats); the estimate is the median bucket of a team's claims today and yesterday. No
// per-visitor row is kept.
import { stockholmDay } from '../stats/stockholm-day.js';
import { WAIT_BUCKETS, bucketIndexOf, parseField } from '../stats/fields.js';
import type { StatsStore } from '../store/ports.js';

/** Upper bounds of the histogram buckets, in ms (the last one is open). */
export const WAIT_BUCKETS_MS = [30_000, 60_000, 120_000, 180_000, 300_000, 480_000, 720_000, 1_200_000, 1_800_000, 2_700_000, 3_600_000, Infinity] as const;
/** Fewer claims than this: no estimate (saying "about 2 minutes" from one sample would not be honest). */
export const MIN_SAMPLES = 3;

/** Claims per wait bucket of `team` in one day's counters. */
function teamWaits(day: Record<string, number>, team: string): number[] {
  const counts = WAIT_BUCKETS_MS.map(() => 0);
  for (const [text, n] of Object.entries(day)) {
    const f = parseField(text);
    if (f === null || f.metric !== 'wait' || f.team !== team) continue;
    const i = bucketIndexOf(WAIT_BUCKETS, f.extra);
    if (i >= 0 && i < counts.length) counts[i] = (counts[i] ?? 0) + n;
  }
  return counts;
}

/** Index of the bucket a wait falls in. */
export function bucketOf(waitMs: number): number {
  return WAIT_BUCKETS_MS.findIndex((limit) => waitMs <= limit);
}

/** Median bucket bound of a histogram (counts per bucket), or null with fewer than MIN_SAMPLES. Pure. */
export function medianOf(counts: readonly number[]): { medianMs: number | null; samples: number } {
  const samples = counts.reduce((a, b) => a + b, 0);
  if (samples < MIN_SAMPLES) return { medianMs: null, samples };
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (seen * 2 >= samples) {
      const bound = WAIT_BUCKETS_MS[i] ?? Infinity;
      return { medianMs: Number.isFinite(bound) ? bound : null, samples };
    }
  }
  return { medianMs: null, samples };
}

export type WaitEstimator = ReturnType<typeof createWaitEstimator>;

export function createWaitEstimator(deps: { stats: StatsStore; now: () => number }) {
  return {
    /** Median wait of claims in `team` today and yesterday (Europe/Stockholm), as a bucket bound. */
    async estimate(team: string): Promise<{ medianMs: number | null; samples: number }> {
      const now = deps.now();
      const days = await Promise.all([deps.stats.day(stockholmDay(now)), deps.stats.day(stockholmDay(now - 86_400_000))]);
      const perDay = days.map((d) => teamWaits(d, team));
      return medianOf(WAIT_BUCKETS_MS.map((_, i) => perDay.reduce((sum, c) => sum + (c[i] ?? 0), 0)));
    },
  };
}
