// Picks the team for a new conversation: the team mapped to its category (in the organisation the
// visitor came through), or the first team on its overflow path that has someone on duty. An overflow
// link into another organisation counts only where that organisation agreed to take this one's
// overflow; across such an agreement a full team overflows too (within one organisation only an empty
// one does, as before regions). A young person in danger whose organisation has no specialist team
// goes to the first team of another organisation on the path, when someone there is on duty. Pure:
// the caller passes teams, who is on duty and the agreements.
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
  /**
   * The young person said "I am in danger" and `org` has no specialist team: the path's first team
   * of another organisation answers when someone there is on duty (else the path as usual).
   */
  readonly dangerElsewhere?: boolean;
}

/** The "from>to" key of an overflow agreement in RouteScope.agreements. */
export const agreementKey = (from: OrgId, to: OrgId) => `${from}>${to}`;

/** The overflow path from `primary`: each link followed once, one into another organisation only under an agreement. */
function overflowPath(primary: TeamRecord, teams: readonly TeamRecord[], scope: RouteScope | undefined): TeamRecord[] {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const path: TeamRecord[] = [];
  for (let team: TeamRecord | undefined = primary; team !== undefined && !path.includes(team); ) {
    path.push(team);
    const next: TeamRecord | undefined = team.overflow === null ? undefined : byId.get(team.overflow);
    const agreed: boolean = next === undefined || orgOf(next) === orgOf(team) || (scope?.agreements.has(agreementKey(orgOf(team), orgOf(next))) ?? false);
    team = agreed ? next : undefined;
  }
  return path;
}

/** The first team of `path` with someone on duty, passing a full one whose next team is in another organisation. */
function firstStaffed(path: readonly TeamRecord[], onDutyCount: ReadonlyMap<TeamId, number>, scope: RouteScope | undefined): TeamChoice {
  let busy: TeamRecord | null = null;
  for (const [i, team] of path.entries()) {
    if ((onDutyCount.get(team.id) ?? 0) === 0) continue;
    const next = path[i + 1];
    const crosses = next !== undefined && orgOf(next) !== orgOf(team);
    if (!(crosses && scope?.full.has(team.id) === true)) return { team, staffed: true };
    busy ??= team;
  }
  return busy === null ? { team: path[0]!, staffed: false } : { team: busy, staffed: true };
}

/** Null when no team handles the category. Follows overflow links, never in a loop. */
export function chooseTeam(
  category: Category,
  teams: readonly TeamRecord[],
  onDutyCount: ReadonlyMap<TeamId, number>,
  scope?: RouteScope,
): TeamChoice | null {
  const primary = teams.find((t) => t.categories.includes(category) && (scope === undefined || orgOf(t) === scope.org));
  if (primary === undefined) return null;
  const path = overflowPath(primary, teams, scope);
  if (scope?.dangerElsewhere === true) {
    const outside = path.findIndex((t) => orgOf(t) !== orgOf(primary));
    if (outside > 0) {
      const elsewhere = firstStaffed(path.slice(outside), onDutyCount, scope);
      if (elsewhere.staffed) return elsewhere;
    }
  }
  return firstStaffed(path, onDutyCount, scope);
}
