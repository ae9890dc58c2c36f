// Checks of a team configuration as a whole: every visitor category goes to exactly one team, and
// overflow links never form a loop. Pure: the caller passes the teams.
import { CATEGORIES, type Category } from '../../contract/categories.js';
import type { TeamId, TeamRecord } from '../store/ports.js';

/** Which team takes each visitor category. */
export type CategoryMapping = Readonly<Record<Category, TeamId>>;

/** Problems of `mapping` against the existing teams (empty when it is complete and names only known teams). */
export function categoryMappingProblems(mapping: Partial<Record<Category, string>>, teams: readonly Pick<TeamRecord, 'id'>[]): string[] {
  const known = new Set<string>(teams.map((t) => t.id));
  const problems: string[] = [];
  for (const category of CATEGORIES) {
    const team = mapping[category];
    if (team === undefined) problems.push(`${category}: no team`);
    else if (!known.has(team)) problems.push(`${category}: unknown team ${team}`);
  }
  return problems;
}

/** The teams with their categories set from `mapping` (each category on exactly one team), in the given order. */
export function applyCategoryMapping(teams: readonly TeamRecord[], mapping: CategoryMapping): TeamRecord[] {
  return teams.map((t) => ({ ...t, categories: CATEGORIES.filter((c) => mapping[c] === t.id) }));
}

/** The mapping the stored teams describe; a category on no team or on several is missing from it. */
export function currentCategoryMapping(teams: readonly TeamRecord[]): Partial<Record<Category, TeamId>> {
  const mapping: Partial<Record<Category, TeamId>> = {};
  for (const category of CATEGORIES) {
    const holders = teams.filter((t) => t.categories.includes(category));
    if (holders.length === 1) mapping[category] = holders[0]!.id;
  }
  return mapping;
}

/**
 * The loop the overflow links would form if `team` overflowed to `overflow` (the path from `team`
 * back to itself), or null when there is none. A team overflowing to itself is a loop of one.
 */
export function overflowLoop(teams: readonly Pick<TeamRecord, 'id' | 'overflow'>[], team: TeamId, overflow: TeamId | null): TeamId[] | null {
  const next = new Map<TeamId, TeamId | null>(teams.map((t) => [t.id, t.overflow]));
  next.set(team, overflow);
  const path: TeamId[] = [team];
  for (let at = overflow; at !== null && at !== undefined; at = next.get(at) ?? null) {
    path.push(at);
    if (at === team) return path;
    if (path.length > teams.length + 1) return null; // a loop elsewhere, not through `team` (refused when it was made)
  }
  return null;
}
