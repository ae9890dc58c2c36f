// Picks the team for a new conversation: the team mapped to its category, or the first team on its
// overflow path that has someone on duty. Pure: the caller passes teams and who is on duty.
import type { Category, TeamId, TeamRecord } from '../store/ports.js';

export interface TeamChoice {
  readonly team: TeamRecord;
  /** True when someone on duty in `team` can take it now. */
  readonly staffed: boolean;
}

/** Null when no team handles the category. Follows overflow links, never in a loop. */
export function chooseTeam(
  category: Category,
  teams: readonly TeamRecord[],
  onDutyCount: ReadonlyMap<TeamId, number>,
): TeamChoice | null {
  const primary = teams.find((t) => t.categories.includes(category));
  if (primary === undefined) return null;
  const byId = new Map(teams.map((t) => [t.id, t]));
  const seen = new Set<TeamId>();
  for (let team: TeamRecord | undefined = primary; team !== undefined && !seen.has(team.id); ) {
    seen.add(team.id);
    if ((onDutyCount.get(team.id) ?? 0) > 0) return { team, staffed: true };
    team = team.overflow === null ? undefined : byId.get(team.overflow);
  }
  return { team: primary, staffed: false };
}
