// The one schema of the statistics counters (invariant 5): every counter is a field
// `<metric>:<team>:<category>:<source>:<extra>` of the day's hash (Europe/Stockholm day). Nothing in
// a field or a value can point at a conversation, a token, a time finer than the day or an address:
// dimensions are checked against a small alphabet, and extras are bucket labels or short tags.

/** What is counted. `extra` says what the last part of the field holds. */
export const METRICS = {
  /** A conversation entered a queue for the first time (in the receiving organisation too, after a handover). extra: "" */
  opened: 'none',
  /** A responder took it from the queue. extra: "" first claim, "again" after a transfer back to a queue. */
  claimed: 'claim',
  /** It left the queue without being claimed. extra: left | deleted | expired. */
  abandoned: 'abandon',
  /** How long it waited before a claim. extra: wait bucket label (seconds, "inf"). */
  wait: 'bucket',
  /** Closed. extra: the outcome tag the responder chose, "visitor", or "none". */
  closed: 'outcome',
  /** Messages (intake included) in a claimed conversation at close. extra: messages bucket label. */
  'length-messages': 'bucket',
  /** Minutes from opening to close of a claimed conversation. extra: minutes bucket label. */
  'length-minutes': 'bucket',
  /** Handed on. extra: team | responder | organisation (a handover the young person accepted). */
  transferred: 'transfer',
  /** A callback was made and the request erased. extra: "" */
  'callback-done': 'none',
  /** A callback attempt did not reach the person; the request went back to the queue. extra: "" */
  'callback-not-reached': 'none',
  /** A visitor shared a sealed identity. extra: the retention in days they chose. */
  consent: 'days',
} as const;
export type Metric = keyof typeof METRICS;

/** Placeholder for a dimension that is not known (e.g. category and source of an expired conversation). */
export const UNKNOWN = 'unknown';

/** A dimension value: a team id, category, source tag, outcome or bucket label. */
const DIMENSION = /^[a-z0-9-]{1,40}$/;
const EXTRA = /^[a-z0-9-]{0,32}$/;

/** A value safe to count under; anything else becomes "other" (free text never reaches the counters). */
export const dimension = (value: string): string => (DIMENSION.test(value) ? value : 'other');
const extraOf = (value: string): string => (EXTRA.test(value) ? value : 'other');

export interface Field {
  readonly metric: Metric;
  readonly team: string;
  readonly category: string;
  readonly source: string;
  readonly extra: string;
}

export function encodeField(f: Field): string {
  return [f.metric, dimension(f.team), dimension(f.category), dimension(f.source), extraOf(f.extra)].join(':');
}

/** The parsed field, or null for anything not in this schema (e.g. counters of an older layout). */
export function parseField(text: string): Field | null {
  const parts = text.split(':');
  if (parts.length !== 5) return null;
  const [metric, team, category, source, extra] = parts as [string, string, string, string, string];
  if (!(metric in METRICS) || !DIMENSION.test(team) || !DIMENSION.test(category) || !DIMENSION.test(source) || !EXTRA.test(extra)) return null;
  return { metric: metric as Metric, team, category, source, extra };
}

/** Histogram buckets: upper bounds (inclusive), the last one open; labels are what the field stores. */
export interface Buckets {
  readonly bounds: readonly number[];
  /** Label of bucket i: its bound ("30"), or "inf" for the open one. */
  label(i: number): string;
  /** Index of the bucket `value` falls in. */
  indexOf(value: number): number;
}

function buckets(bounds: readonly number[]): Buckets {
  return {
    bounds,
    label: (i) => (i >= bounds.length ? 'inf' : String(bounds[i])),
    indexOf(value) {
      const i = bounds.findIndex((b) => value <= b);
      return i === -1 ? bounds.length : i;
    },
  };
}

/** Wait before a claim, in seconds (the last bucket: more than an hour). */
export const WAIT_BUCKETS = buckets([30, 60, 120, 180, 300, 480, 720, 1200, 1800, 2700, 3600]);
/** Messages in a conversation (intake and messages of both sides). */
export const MESSAGE_BUCKETS = buckets([5, 10, 20, 50, 100, 200]);
/** Minutes from opening to close. */
export const MINUTE_BUCKETS = buckets([5, 15, 30, 60, 120, 240]);

/** Number of buckets including the open one. */
export const bucketCount = (b: Buckets) => b.bounds.length + 1;
/** Bucket index of a stored label, or -1. */
export const bucketIndexOf = (b: Buckets, label: string) => (label === 'inf' ? b.bounds.length : b.bounds.indexOf(Number(label)));

/**
 * The bucket bound under which at least `q` of the samples fall (p50: q = 0.5): a number, null when
 * it falls in the open bucket, undefined when there are no samples. Pure.
 */
export function quantileOf(b: Buckets, counts: readonly number[], q: number): number | null | undefined {
  const samples = counts.reduce((a, c) => a + c, 0);
  if (samples === 0) return undefined;
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (seen >= q * samples) return i < b.bounds.length ? (b.bounds[i] ?? null) : null;
  }
  return null;
}
