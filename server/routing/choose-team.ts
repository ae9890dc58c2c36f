// Picks the team for a new conversation: the team mapped to its category (in the organisation the
// visitor came through), or the first team on its overflow path that has someone on duty. An overflow
// link into another organisation counts only where that organisation agreed to take this one's
// overflow; across such an agreement a full team overflows too (within one organisation only an empty
// one does, as before regions). Pure: the caller passes teams, who is on duty and the agreements.
import { orgOf } from '../directory/organisations.js';
import type { Category, OrgId, TeamId, TeamRecord } from '../store/ports.js';

export interface TeamChoice {
  readonly team: TeamRecord;
  /** True when someone on duty in `team` can take it now. */
  readonly staffed: boolean;
}

/** Where a conversation enters a region and which overflow agreements exist. */
export interface RouteScope {
  /** The organisation of the visitor's source: its teams are the entry; others are reached by overflow only. */
  readonly org: OrgId;
  /** "from>to" organisation pairs whose overflow agreement `to` accepted. */
  readonly agreements: ReadonlySet<string>;
  /** Teams whose on-duty staff have no room left (asked only of teams with an agreed overflow). */
  readonly full: ReadonlySet<TeamId>;
}

/** The "from>to" key of an overflow agreement in RouteScope.agreements. */
export const agreementKey = (from: OrgId, to: OrgId) => `${from}>${to}`;

/** Null when no team handles the category. Follows overflow links, never in a loop. */
export function chooseTeam(
  category: Category,
  teams: readonly TeamRecord[],
  onDutyCount: ReadonlyMap<TeamId, number>,
  scope?: RouteScope,
): TeamChoice | null {
  const primary = teams.find((t) => t.categories.includes(category) && (scope === undefined || orgOf(t) === scope.org));
  if (primary === undefined) return null;
  const byId = new Map(teams.map((t) => [t.id, t]));
  const seen = new Set<TeamId>();
  let busy: TeamRecord | null = null;
  for (let team: TeamRecord | undefined = primary; team !== undefined && !seen.has(team.id); ) {
    seen.add(team.id);
    let next: TeamRecord | undefined = team.overflow === null ? undefined : byId.get(team.overflow);
    const crosses = next !== undefined && orgOf(next) !== orgOf(team);
    if (crosses && !(scope?.agreements.has(agreementKey(orgOf(team), orgOf(next!))) ?? false)) next = undefined;
    if ((onDutyCount.get(team.id) ?? 0) > 0) {
      if (!(crosses && next !== undefined && scope?.full.has(team.id) === true)) return { team, staffed: true };
      busy ??= team;
    }
    team = next;
  }
  return busy === null ? { team: primary, staffed: false } : { team: busy, staffed: true };
}
