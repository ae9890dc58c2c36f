// What a staff member of one organisation may see of a region: its own organisation's teams, staff,
// sources, audit entries and statistics, nothing of another's (issue 17, isolation).
import type { OrgId, ResponderRecord, StaffStore, TeamRecord } from '../store/ports.js';
import { DEFAULT_ORG, orgOf } from './organisations.js';

export interface OrgScope {
  readonly org: OrgId;
  /** The teams of the caller's organisation. */
  readonly teams: readonly TeamRecord[];
  /** Whether `team` is one of them. */
  has(team: string): boolean;
  /** Whether `x` (a responder, a team) belongs to the caller's organisation. */
  owns(x: { readonly org?: OrgId | undefined }): boolean;
  /** Whether the caller belongs to the deployment's first organisation (deployment-wide settings, the org key CLI's state). */
  readonly first: boolean;
}

/** The scope of `me`: its organisation and that organisation's teams. */
export async function orgScope(staff: StaffStore, me: ResponderRecord): Promise<OrgScope> {
  const org = orgOf(me);
  const teams = (await staff.listTeams()).filter((t) => orgOf(t) === org);
  const ids = new Set<string>(teams.map((t) => t.id));
  return { org, teams, has: (team) => ids.has(team), owns: (x) => orgOf(x) === org, first: org === DEFAULT_ORG };
}
