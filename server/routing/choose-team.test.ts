// chooseTeam's danger case, pure: a young person in danger whose organisation has no specialist team
// goes to the path's first team of another organisation (by agreement) when someone there is on duty.
import { describe, expect, it } from 'vitest';
import type { OrgId, TeamId, TeamRecord } from '../store/ports.js';
import { agreementKey, chooseTeam, type RouteScope } from './choose-team.js';

const team = (id: string, org: string, overflow: string | null): TeamRecord => ({ id: id as TeamId, name: id, categories: ['chat'], overflow: overflow as TeamId | null, org: org as OrgId });
const TEAMS = [team('town', 'town', 'town-night'), team('town-night', 'town', 'region'), team('region', 'region', null), team('elsewhere', 'other', null)];
const onDuty = (...ids: string[]) => new Map(ids.map((id) => [id as TeamId, 1]));
const scope = (over: Partial<RouteScope> = {}): RouteScope => ({ org: 'town' as OrgId, agreements: new Set([agreementKey('town' as OrgId, 'region' as OrgId)]), full: new Set(), ...over });
const chosen = (counts: Map<TeamId, number>, s: RouteScope) => {
  const c = chooseTeam('chat', TEAMS, counts, s);
  return c === null ? null : `${c.team.id}${c.staffed ? '' : ' (nobody)'}`;
};

describe('chooseTeam in danger', () => {
  it('skips the own organisation’s teams for the first agreed team of another one with someone on duty', () => {
    expect(chosen(onDuty('town', 'town-night', 'region'), scope())).toBe('town');
    expect(chosen(onDuty('town', 'town-night', 'region'), scope({ dangerElsewhere: true }))).toBe('region');
  });

  it('stays on the usual path when nobody is on duty in the other organisation', () => {
    expect(chosen(onDuty('town-night'), scope({ dangerElsewhere: true }))).toBe('town-night');
    expect(chosen(onDuty(), scope({ dangerElsewhere: true }))).toBe('town (nobody)');
  });

  it('never crosses without the agreement', () => {
    expect(chosen(onDuty('town', 'region'), scope({ dangerElsewhere: true, agreements: new Set() }))).toBe('town');
  });
});
