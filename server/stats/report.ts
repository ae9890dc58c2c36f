// Reading the counters back for a period: the days in between, one team or a set of teams, summed
// into what the dashboard and the council's report show. Pure over the day hashes.
import { MESSAGE_BUCKETS, MINUTE_BUCKETS, WAIT_BUCKETS, bucketCount, bucketIndexOf, parseField, quantileOf, type Buckets, type Field } from './fields.js';

const DAY_MS = 86_400_000;
/** Longest period one request may read. */
export const MAX_PERIOD_DAYS = 366;

/** "YYYY-MM-DD" that is a real calendar date. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** Calendar days from `from` to `to`, both included (empty when to < from). */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
}

/** A day's counters, parsed; fields of other layouts are left out. */
export interface DayCounters {
  readonly day: string;
  readonly counts: ReadonlyArray<{ readonly field: Field; readonly count: number }>;
}

export function parseDay(day: string, hash: Record<string, number>): DayCounters {
  const counts: Array<{ field: Field; count: number }> = [];
  for (const [text, count] of Object.entries(hash)) {
    const field = parseField(text);
    if (field !== null && Number.isFinite(count)) counts.push({ field, count });
  }
  return { day, counts };
}

export interface Flow {
  opened: number;
  claimed: number;
  abandoned: number;
}

export interface Histogram {
  /** Upper bound of each bucket; null for the open last one. */
  readonly buckets: Array<{ le: number | null; count: number }>;
  readonly samples: number;
}

export interface StatsReport {
  readonly from: string;
  readonly to: string;
  readonly team: string | null;
  readonly totals: {
    opened: number;
    claimed: number;
    claimedAgain: number;
    abandoned: number;
    abandonedLeft: number;
    abandonedDeleted: number;
    abandonedExpired: number;
    transferred: number;
    closed: number;
    consents: number;
    callbacksRequested: number;
    callbacksDone: number;
    callbacksNotReached: number;
  };
  readonly days: Array<{ day: string } & Flow>;
  readonly bySource: Array<{ source: string } & Flow>;
  readonly byCategory: Array<{ category: string } & Flow>;
  readonly byTeam: Array<{ team: string } & Flow>;
  readonly outcomes: Array<{ outcome: string; count: number }>;
  readonly transfers: Array<{ to: string; count: number }>;
  readonly consents: Array<{ retentionDays: number; count: number }>;
  readonly wait: Histogram & { p50: number | null; p90: number | null; p50Open: boolean; p90Open: boolean };
  readonly lengthMessages: Histogram;
  readonly lengthMinutes: Histogram;
}

const emptyFlow = (): Flow => ({ opened: 0, claimed: 0, abandoned: 0 });
const flowKey = { opened: 'opened', claimed: 'claimed', abandoned: 'abandoned' } as const;

function histogram(b: Buckets, counts: readonly number[]): Histogram {
  return {
    buckets: counts.map((count, i) => ({ le: i < b.bounds.length ? (b.bounds[i] ?? null) : null, count })),
    samples: counts.reduce((a, c) => a + c, 0),
  };
}

/** Sums the counters of `days` for `teams` (null: every team). */
export function buildReport(input: { from: string; to: string; team: string | null; teams: ReadonlySet<string> | null; days: readonly DayCounters[] }): StatsReport {
  const totals = {
    opened: 0,
    claimed: 0,
    claimedAgain: 0,
    abandoned: 0,
    abandonedLeft: 0,
    abandonedDeleted: 0,
    abandonedExpired: 0,
    transferred: 0,
    closed: 0,
    consents: 0,
    callbacksRequested: 0,
    callbacksDone: 0,
    callbacksNotReached: 0,
  };
  const bySource = new Map<string, Flow>();
  const byCategory = new Map<string, Flow>();
  const byTeam = new Map<string, Flow>();
  const outcomes = new Map<string, number>();
  const transfers = new Map<string, number>();
  const consents = new Map<number, number>();
  const wait = new Array<number>(bucketCount(WAIT_BUCKETS)).fill(0);
  const messages = new Array<number>(bucketCount(MESSAGE_BUCKETS)).fill(0);
  const minutes = new Array<number>(bucketCount(MINUTE_BUCKETS)).fill(0);
  const bump = (map: Map<string, Flow>, key: string, which: keyof Flow, n: number) => {
    const flow = map.get(key) ?? emptyFlow();
    flow[which] += n;
    map.set(key, flow);
  };
  const addTo = (counts: number[], b: Buckets, label: string, n: number) => {
    const i = bucketIndexOf(b, label);
    if (i >= 0) counts[i] = (counts[i] ?? 0) + n;
  };

  const days = input.days.map(({ day, counts }) => {
    const flow = emptyFlow();
    for (const { field: f, count: n } of counts) {
      if (input.teams !== null && !input.teams.has(f.team)) continue;
      switch (f.metric) {
        case 'opened':
        case 'abandoned':
        case 'claimed': {
          if (f.metric === 'claimed' && f.extra === 'again') {
            totals.claimedAgain += n;
            break;
          }
          const which = flowKey[f.metric];
          flow[which] += n;
          totals[which] += n;
          bump(bySource, f.source, which, n);
          bump(byCategory, f.category, which, n);
          bump(byTeam, f.team, which, n);
          if (f.metric === 'opened' && f.category === 'callback') totals.callbacksRequested += n;
          if (f.metric === 'abandoned') {
            if (f.extra === 'left') totals.abandonedLeft += n;
            else if (f.extra === 'deleted') totals.abandonedDeleted += n;
            else if (f.extra === 'expired') totals.abandonedExpired += n;
          }
          break;
        }
        case 'wait':
          addTo(wait, WAIT_BUCKETS, f.extra, n);
          break;
        case 'closed':
          totals.closed += n;
          outcomes.set(f.extra, (outcomes.get(f.extra) ?? 0) + n);
          break;
        case 'length-messages':
          addTo(messages, MESSAGE_BUCKETS, f.extra, n);
          break;
        case 'length-minutes':
          addTo(minutes, MINUTE_BUCKETS, f.extra, n);
          break;
        case 'transferred':
          totals.transferred += n;
          transfers.set(f.extra, (transfers.get(f.extra) ?? 0) + n);
          break;
        case 'callback-done':
          totals.callbacksDone += n;
          break;
        case 'callback-not-reached':
          totals.callbacksNotReached += n;
          break;
        case 'consent':
          totals.consents += n;
          consents.set(Number(f.extra), (consents.get(Number(f.extra)) ?? 0) + n);
          break;
      }
    }
    return { day, ...flow };
  });

  const sorted = <K extends string>(map: Map<string, Flow>, key: K) =>
    [...map.entries()].sort(([a, x], [b, y]) => y.opened - x.opened || (a < b ? -1 : 1)).map(([k, flow]) => ({ [key]: k, ...flow }) as { [P in K]: string } & Flow);
  const p50 = quantileOf(WAIT_BUCKETS, wait, 0.5);
  const p90 = quantileOf(WAIT_BUCKETS, wait, 0.9);
  return {
    from: input.from,
    to: input.to,
    team: input.team,
    totals,
    days,
    bySource: sorted(bySource, 'source'),
    byCategory: sorted(byCategory, 'category'),
    byTeam: sorted(byTeam, 'team'),
    outcomes: [...outcomes.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([outcome, count]) => ({ outcome, count })),
    transfers: [...transfers.entries()].sort().map(([to, count]) => ({ to, count })),
    consents: [...consents.entries()].sort(([a], [b]) => a - b).map(([retentionDays, count]) => ({ retentionDays, count })),
    wait: {
      ...histogram(WAIT_BUCKETS, wait),
      p50: p50 ?? null,
      p90: p90 ?? null,
      p50Open: p50 === null,
      p90Open: p90 === null,
    },
    lengthMessages: histogram(MESSAGE_BUCKETS, messages),
    lengthMinutes: histogram(MINUTE_BUCKETS, minutes),
  };
}
