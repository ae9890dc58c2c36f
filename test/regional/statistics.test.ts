// Statistics in a region through the real app: the regional body's report sums what its team
// answered by the municipality the young people came from; each municipality reads, beside its own
// counters, how many of its own young people another organisation's team answered — never another
// municipality's numbers, in the JSON report and in the CSV.
import { beforeEach, describe, expect, it } from 'vitest';
import type { StatsReport } from '../../contract/rest.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { createTestApp, fakeCipher, newCid, solvePow, type TestApp } from '../support/harness.js';
import { loginInRegion, regionAuthKey, seedRegion, type SeededRegion } from '../support/region.js';

let t: TestApp;
let region: SeededRegion;
const as = (login: string) => loginInRegion(t, region, login);
const open = (source: string) => t.visitor().open({ category: 'chat', language: 'sv', source, intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
const period = () => {
  const day = new Date(t.clock.now()).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  return `from=${day}&to=${day}`;
};
const flows = (rows: StatsReport['answeredElsewhere']) => rows.map(({ org, name, opened, claimed }) => ({ org, name, opened, claimed }));

beforeEach(async () => {
  t = await createTestApp();
  region = await seedRegion(t.store, t.clock);
  // The regional team answers two young people from Huddinge and one from Botkyrka; one more from
  // Botkyrka waits. Huddinge's own team answers one of its own by day.
  const regionen = await as('regionen');
  await regionen.duty('regionjouren', true);
  for (const source of ['huddinge', 'huddinge', 'botkyrka']) await regionen.claim((await open(source)).id);
  await open('botkyrka');
  await regionen.duty('regionjouren', false);
  const huddinge = await as('huddinge');
  await huddinge.duty('huddinge-unga', true);
  await huddinge.claim((await open('huddinge')).id);
});

describe('statistics across a region', () => {
  it('the regional body reads its team’s flows by municipality; nothing is answered elsewhere for it', async () => {
    const report = await (await as('regionen')).call<StatsReport>('GET', `/api/v1/admin/stats?${period()}`);
    expect(report.totals.opened).toBe(4);
    expect(flows(report.bySourceOrganisation)).toEqual([
      { org: 'botkyrka', name: 'Botkyrka kommun', opened: 2, claimed: 1 },
      { org: 'huddinge', name: 'Huddinge kommun', opened: 2, claimed: 2 },
    ]);
    expect(report.answeredElsewhere).toEqual([]);
  });

  it('a municipality reads how many of its own the regional team answered, and never another municipality’s', async () => {
    const huddinge = await (await as('huddinge')).call<StatsReport>('GET', `/api/v1/admin/stats?${period()}`);
    expect(huddinge.totals.opened).toBe(1);
    expect(flows(huddinge.answeredElsewhere)).toEqual([{ org: 'regionen', name: 'Regionjouren', opened: 2, claimed: 2 }]);
    const botkyrka = await (await as('botkyrka')).call<StatsReport>('GET', `/api/v1/admin/stats?${period()}`);
    expect(botkyrka.totals.opened).toBe(0);
    expect(flows(botkyrka.answeredElsewhere)).toEqual([{ org: 'regionen', name: 'Regionjouren', opened: 2, claimed: 1 }]);
    // One team chosen: that team's counters only.
    const team = await (await as('huddinge')).call<StatsReport>('GET', `/api/v1/admin/stats?${period()}&team=huddinge-unga`);
    expect(team.answeredElsewhere).toEqual([]);
  });

  it('the CSV holds the same rows: a municipality’s own teams and its own sources under the regional team, each naming its organisations', async () => {
    const csv = async (login: string) => {
      const res = await fetchAs(login, `/api/v1/admin/stats/csv?${period()}`);
      return (await res.text()).trim().split('\r\n').map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
    };
    const [header, ...rows] = await csv('huddinge');
    expect(header).toEqual(['day', 'team', 'category', 'source', 'metric', 'bucket', 'count', 'team_organisation', 'source_organisation']);
    const opened = rows.filter((r) => r[4] === 'opened').map((r) => [r[1], r[3], r[6], r[7], r[8]]);
    expect(opened).toEqual([
      ['huddinge-unga', 'huddinge', '1', 'huddinge', 'huddinge'],
      ['regionjouren', 'huddinge', '2', 'regionen', 'huddinge'],
    ]);
    expect(rows.some((r) => r[3] === 'botkyrka' || r[8] === 'botkyrka')).toBe(false);
    const [, ...regional] = await csv('regionen');
    expect(regional.filter((r) => r[4] === 'opened').map((r) => [r[1], r[6], r[8]])).toEqual([
      ['regionjouren', '2', 'botkyrka'],
      ['regionjouren', '2', 'huddinge'],
    ]);
  });
});

/** A raw GET with the session of `login` (the CSV is not JSON). */
async function fetchAs(login: string, path: string): Promise<Response> {
  const cookies = createCookieJar();
  await createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch, cookies }).login(login, regionAuthKey(region.passwords.get(login)!));
  return t.fetch(`http://localhost${path}`, { headers: { cookie: cookies.get() ?? '' } });
}
