// The counters seen across the organisations of a region, pure: which organisation a counter belongs
// to by its source (the QR code or web page the young person came through) and by its team (who
// answered). A regional body reads its own teams' flows summed by source organisation; a
// municipality also reads the flows of its own sources that another organisation's team answered —
// never a counter of another municipality's sources, and never finer than the stored cells.
import { UNKNOWN, type Field } from './fields.js';
import type { DayCounters, Flow } from './report.js';

/** The organisation of a source tag (registered tags: theirs; "direct", "other" and unknown tags: the first one's) and of a team. */
export interface OrgResolver {
  source(source: string): string;
  team(team: string): string | undefined;
}

/** A flow summed for one organisation. */
export type OrgFlow = { org: string } & Flow;

const FLOW_METRICS = new Set(['opened', 'claimed', 'abandoned']);

/**
 * Counters of `own`'s sources under teams of other organisations. A counter of an expired
 * conversation (source "unknown") could be anyone's and is never included.
 */
export const answeredElsewhere =
  (own: string, orgs: OrgResolver) =>
  (f: Field): boolean =>
    f.source !== UNKNOWN && orgs.source(f.source) === own && orgs.team(f.team) !== undefined && orgs.team(f.team) !== own;

/** Flows (opened, first claims, abandoned) of the counters `include` selects, summed by `keyOf`, sorted by organisation id. */
export function flowsBy(days: readonly DayCounters[], include: (f: Field) => boolean, keyOf: (f: Field) => string): OrgFlow[] {
  const sums = new Map<string, Flow>();
  for (const { counts } of days) {
    for (const { field: f, count } of counts) {
      if (!FLOW_METRICS.has(f.metric) || (f.metric === 'claimed' && f.extra === 'again') || !include(f)) continue;
      const key = keyOf(f);
      const flow = sums.get(key) ?? { opened: 0, claimed: 0, abandoned: 0 };
      flow[f.metric as keyof Flow] += count;
      sums.set(key, flow);
    }
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([org, flow]) => ({ org, ...flow }));
}
