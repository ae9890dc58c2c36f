// The region's views of the counters: a municipality's flows answered by another organisation's team
// come from its own sources only — never another municipality's, never an expired conversation's
// unknown source — and the regional body's flows sum by source organisation.
import { describe, expect, it } from 'vitest';
import { answeredElsewhere, flowsBy, type OrgResolver } from './by-organisation.js';
import { parseDay } from './report.js';

const orgs: OrgResolver = {
  source: (tag) => ({ huddinge: 'huddinge', botkyrka: 'botkyrka' })[tag] ?? 'main',
  team: (team) => ({ 'huddinge-unga': 'huddinge', 'botkyrka-unga': 'botkyrka', regionjouren: 'regionen' })[team],
};
const day = parseDay('2026-12-03', {
  'opened:regionjouren:chat:huddinge:': 3,
  'claimed:regionjouren:chat:huddinge:': 2,
  'claimed:regionjouren:chat:huddinge:again': 5,
  'abandoned:regionjouren:chat:huddinge:left': 1,
  'opened:regionjouren:chat:botkyrka:': 7,
  'abandoned:regionjouren:unknown:unknown:expired': 4,
  'opened:huddinge-unga:chat:huddinge:': 11,
  'wait:regionjouren:chat:huddinge:30': 2,
});

describe('counters across a region', () => {
  it('gives a municipality the flows of its own sources that another organisation’s team answered, and nothing else', () => {
    expect(flowsBy([day], answeredElsewhere('huddinge', orgs), (f) => orgs.team(f.team)!)).toEqual([{ org: 'regionen', opened: 3, claimed: 2, abandoned: 1 }]);
    expect(flowsBy([day], answeredElsewhere('botkyrka', orgs), (f) => orgs.team(f.team)!)).toEqual([{ org: 'regionen', opened: 7, claimed: 0, abandoned: 0 }]);
    // The regional body's own teams are its own: nothing "elsewhere"; the first organisation has no such counters.
    expect(flowsBy([day], answeredElsewhere('regionen', orgs), (f) => orgs.team(f.team)!)).toEqual([]);
    expect(flowsBy([day], answeredElsewhere('main', orgs), (f) => orgs.team(f.team)!)).toEqual([]);
  });

  it('sums the regional team’s flows by the organisation of their source', () => {
    expect(flowsBy([day], (f) => f.team === 'regionjouren', (f) => orgs.source(f.source))).toEqual([
      { org: 'botkyrka', opened: 7, claimed: 0, abandoned: 0 },
      { org: 'huddinge', opened: 3, claimed: 2, abandoned: 1 },
      { org: 'main', opened: 0, claimed: 0, abandoned: 4 },
    ]);
  });
});
