// Counting events into the day's counters. Callers hand over a conversation record; only its team,
// category and source are kept, with the event's bucket or tag, under today's Europe/Stockholm day.
import { stockholmDay } from './stockholm-day.js';
import type { Category, StatsStore } from '../store/ports.js';
import { MESSAGE_BUCKETS, MINUTE_BUCKETS, UNKNOWN, WAIT_BUCKETS, encodeField, type Metric } from './fields.js';

/** The dimensions of a conversation that statistics may see. */
export interface Dimensions {
  readonly team: string;
  readonly category: Category | typeof UNKNOWN;
  readonly source: string;
}

export type AbandonedHow = 'left' | 'deleted' | 'expired';

export type StatsCounter = ReturnType<typeof createStatsCounter>;

export function createStatsCounter(deps: { stats: StatsStore; now: () => number }) {
  const add = (metric: Metric, d: Dimensions, extra = '') =>
    deps.stats.increment(stockholmDay(deps.now()), encodeField({ metric, team: d.team, category: d.category, source: d.source, extra }), 1);

  return {
    opened: (d: Dimensions) => add('opened', d),
    /** A claim out of a queue after `waitMs` in it; `first` unless it had been claimed before. */
    async claimed(d: Dimensions, waitMs: number, first: boolean): Promise<void> {
      await add('claimed', d, first ? '' : 'again');
      await add('wait', d, WAIT_BUCKETS.label(WAIT_BUCKETS.indexOf(Math.max(0, waitMs) / 1000)));
    },
    abandoned: (d: Dimensions, how: AbandonedHow) => add('abandoned', d, how),
    /** Closed with `outcome`; `length` only for a conversation someone had claimed. */
    async closed(d: Dimensions, outcome: string, length: { messages: number; durationMs: number } | null): Promise<void> {
      await add('closed', d, outcome);
      if (length === null) return;
      await add('length-messages', d, MESSAGE_BUCKETS.label(MESSAGE_BUCKETS.indexOf(length.messages)));
      await add('length-minutes', d, MINUTE_BUCKETS.label(MINUTE_BUCKETS.indexOf(Math.max(0, length.durationMs) / 60_000)));
    },
    /** Handed on: to a colleague, a team of its own organisation, or (accepted by the young person) another organisation's team. */
    transferred: (d: Dimensions, to: 'team' | 'responder' | 'organisation') => add('transferred', d, to),
    callbackDone: (d: Dimensions) => add('callback-done', d),
    callbackNotReached: (d: Dimensions) => add('callback-not-reached', d),
    consent: (d: Dimensions, retentionDays: number) => add('consent', d, String(retentionDays)),
  };
}
