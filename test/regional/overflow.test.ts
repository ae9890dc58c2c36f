// Routing across the organisations of a region: a municipality's source enters its own team; when
// nobody there is on duty, or everyone on duty is full, the conversation goes to the overflow team the
// municipality named — another organisation's only while that organisation accepts it (both admins
// configure the agreement). The widget's own verification names who answers from the root-signed
// organisation certificate, before the young person writes.
import { beforeEach, describe, expect, it } from 'vitest';
import * as crypto from '../../crypto/index.js';
import { createWidgetApi } from '../../client/widget/state/api.js';
import { verifiedTeam } from '../../client/widget/state/conversation.js';
import { createTestApp, fakeCipher, newCid, solvePow, type TestApp } from '../support/harness.js';
import { loginInRegion, seedRegion, type SeededRegion } from '../support/region.js';

let t: TestApp;
let region: SeededRegion;
const as = (login: string) => loginInRegion(t, region, login);
const status = async (source: string) => (await (await t.call('GET', `/api/v1/status?category=chat&source=${source}`)).json()) as { team: string; staffed: boolean };
const open = (source: string) => t.visitor().open({ category: 'chat', language: 'sv', source, intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
/** Who the widget would say answers for `source`, from the organisation certificate it verified. */
const answeredBy = async (source: string) =>
  (await verifiedTeam({ api: createWidgetApi('http://localhost', t.fetch), crypto, rootPublicKey: region.rootPublicKey }, (await status(source)).team)).anchor.org.organisation?.name ?? null;

beforeEach(async () => {
  t = await createTestApp();
  region = await seedRegion(t.store, t.clock);
});

describe('overflow across organisations', () => {
  it('enters the municipality’s own team while someone there is on duty', async () => {
    await (await as('huddinge')).duty('huddinge-unga', true);
    await (await as('regionen')).duty('regionjouren', true);
    expect(await status('huddinge')).toMatchObject({ team: 'huddinge-unga', staffed: true });
    expect((await open('huddinge')).team).toBe('huddinge-unga');
    expect(await answeredBy('huddinge')).toBe('Huddinge kommun');
  });

  it('goes to the regional night team when nobody in the municipality is on duty, and the widget names it', async () => {
    await (await as('regionen')).duty('regionjouren', true);
    expect(await status('huddinge')).toMatchObject({ team: 'regionjouren', staffed: true });
    expect(await status('botkyrka')).toMatchObject({ team: 'regionjouren', staffed: true });
    expect((await open('huddinge')).team).toBe('regionjouren');
    expect(await answeredBy('huddinge')).toBe('Regionjouren');
  });

  it('goes to the regional team when everyone on duty in the municipality is full', async () => {
    const huddinge = await as('huddinge');
    await huddinge.call('POST', '/api/v1/responder/duty', { team: 'huddinge-unga', onDuty: true, capacity: 1 });
    await (await as('regionen')).duty('regionjouren', true);
    await huddinge.claim((await open('huddinge')).id);
    expect(await status('huddinge')).toMatchObject({ team: 'regionjouren', staffed: true });
  });

  it('stays in the municipality once the regional body withdraws its acceptance, and never crosses without one', async () => {
    await (await as('regionen')).duty('regionjouren', true);
    const regionen = await as('regionen');
    await regionen.call('PUT', '/api/v1/admin/organisation/overflow', { acceptsOverflowFrom: ['botkyrka'] });
    expect(await status('huddinge')).toMatchObject({ team: 'huddinge-unga', staffed: false });
    expect(await status('botkyrka')).toMatchObject({ team: 'regionjouren', staffed: true });
    // The first organisation's demo teams have no agreement: its chat never reaches another organisation.
    expect(await status('demo')).toMatchObject({ team: 'unga', staffed: false });
  });

  it('counts what the regional team answered once, under its own team, by the municipality it came from', async () => {
    const regionen = await as('regionen');
    await regionen.duty('regionjouren', true);
    for (const source of ['huddinge', 'huddinge', 'botkyrka']) await regionen.claim((await open(source)).id);
    const day = new Date(t.clock.now()).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    type Report = { totals: { opened: number }; bySourceOrganisation: Array<{ org: string; name: string | null; opened: number; claimed: number }> };
    const report = await regionen.call<Report>('GET', `/api/v1/admin/stats?from=${day}&to=${day}`);
    expect(report.totals.opened).toBe(3);
    expect(report.bySourceOrganisation.map(({ org, name, opened, claimed }) => ({ org, name, opened, claimed }))).toEqual([
      { org: 'botkyrka', name: 'Botkyrka kommun', opened: 1, claimed: 1 },
      { org: 'huddinge', name: 'Huddinge kommun', opened: 2, claimed: 2 },
    ]);
    // Huddinge's own council answered none of them: its statistics hold nothing of the region's team.
    expect((await (await as('huddinge')).call<Report>('GET', `/api/v1/admin/stats?from=${day}&to=${day}`)).totals.opened).toBe(0);
  });

  it('lets a team name another organisation’s team as overflow only after that organisation accepted', async () => {
    const huddinge = await as('huddinge');
    const settings = await huddinge.call<unknown>('GET', '/api/v1/admin/teams/huddinge-unga/settings');
    const update = { name: 'Huddinge – unga', overflow: 'botkyrka-unga', settings };
    await expect(huddinge.call('PUT', '/api/v1/admin/teams/huddinge-unga', update)).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await huddinge.call<{ overflowTargets: Array<{ team: string }> }>('GET', '/api/v1/admin/organisation')).overflowTargets.map((x) => x.team)).toEqual(['regionjouren']);
    // The console's team screen offers the same teams as overflow.
    expect((await huddinge.call<{ overflowTargets: Array<{ id: string }> }>('GET', '/api/v1/admin/teams')).overflowTargets.map((x) => x.id)).toEqual(['regionjouren']);
    await (await as('botkyrka')).call('PUT', '/api/v1/admin/organisation/overflow', { acceptsOverflowFrom: ['huddinge'] });
    await huddinge.call('PUT', '/api/v1/admin/teams/huddinge-unga', update);
    await (await as('botkyrka')).duty('botkyrka-unga', true);
    expect(await status('huddinge')).toMatchObject({ team: 'botkyrka-unga', staffed: true });
    expect(await answeredBy('huddinge')).toBe('Botkyrka kommun');
  });
});
