// Handover across organisations on the server (real Redis): a responder may offer a conversation only
// to a team of an organisation an overflow agreement links to its own; the offer alone moves nothing;
// only the young person's answer with their token moves it, into the receiving team's queue, and the
// previous responder loses access at once. Both organisations' audit logs record it (teams, never
// content); each organisation's statistics count the conversation once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import type { Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { createTestApp, fakeCipher, newCid, solvePow, type TestApp } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { loginInRegion, seedRegion, type SeededRegion } from '../support/region.js';

let redis: RedisServer;
let store: Store;
let t: TestApp;
let region: SeededRegion;

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await store?.close();
  store = await createRedisStore({ url: redis.url, prefix: `ho-${randomBytes(4).toString('hex')}` });
  t = await createTestApp({ store });
  region = await seedRegion(t.store, t.clock);
});

const as = (login: string) => loginInRegion(t, region, login);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );
type Api = Awaited<ReturnType<typeof as>>;
const offer = (api: Api, id: string, toTeam: string) => api.call<{ team: string; name: string; org: string; orgName: string }>('POST', `/api/v1/responder/conversations/${id}/handover`, { toTeam });
const answer = async (id: string, token: string, team: string, accept: boolean) => {
  const res = await t.call('POST', `/api/v1/conversations/${id}/handover`, { team, accept }, token);
  return { status: res.status, body: (await res.json()) as { team?: string; status?: string; error?: { code: string } } };
};
const day = () => new Date(t.clock.now()).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
type Report = { totals: { opened: number; claimed: number; claimedAgain: number; transferred: number } };
const stats = (api: Api) => api.call<Report>('GET', `/api/v1/admin/stats?from=${day()}&to=${day()}`);
type Audit = { entries: Array<{ action: string; actor: string; actorName: string; fromTeam?: string; toTeam?: string; ref: string }> };

/** A Huddinge QR conversation answered at night by the regional team. */
async function answeredByRegion() {
  const regionen = await as('regionen');
  await regionen.duty('regionjouren', true);
  const opened = await t.visitor().open({ category: 'chat', language: 'sv', source: 'huddinge', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
  expect(opened.team).toBe('regionjouren');
  await regionen.claim(opened.id);
  return { regionen, id: opened.id, token: opened.token };
}

describe('handover to another organisation', () => {
  it('lists and accepts only teams an agreement links to, and only from the conversation’s responder', async () => {
    const { regionen, id } = await answeredByRegion();
    const targets = await regionen.call<{ targets: Array<{ team: string; orgName: string }> }>('GET', '/api/v1/responder/handover-targets');
    expect(targets.targets.map((x) => [x.team, x.orgName])).toEqual([
      ['botkyrka-unga', 'Botkyrka kommun'],
      ['huddinge-unga', 'Huddinge kommun'],
    ]);
    // Its own organisation's team (a transfer does that), and the first organisation's (no agreement): refused.
    expect(await codeOf(offer(regionen, id, 'regionjouren'))).toBe('handover_not_allowed');
    expect(await codeOf(offer(regionen, id, 'unga'))).toBe('handover_not_allowed');
    // Huddinge's responder does not hold it.
    const huddinge = await as('huddinge');
    expect(await codeOf(offer(huddinge, id, 'regionjouren'))).toBe('not_assignee');
    // The plain transfer route still refuses another organisation.
    expect(await codeOf(regionen.transfer(id, { toTeam: 'huddinge-unga' }))).toBe('forbidden');
  });

  it('moves nothing on the offer; the young person’s “no” keeps it with the responder', async () => {
    const { regionen, id, token } = await answeredByRegion();
    expect(await offer(regionen, id, 'huddinge-unga')).toMatchObject({ team: 'huddinge-unga', name: 'Huddinge – unga', org: 'huddinge', orgName: 'Huddinge kommun' });
    expect((await store.conversations.get(id as never))?.team).toBe('regionjouren');
    // An answer naming another team than offered, or without the visitor's token, moves nothing.
    expect((await answer(id, token, 'botkyrka-unga', true)).body.error?.code).toBe('no_handover_offer');
    expect((await answer(id, 'not-the-token', 'huddinge-unga', true)).status).toBe(401);
    expect((await answer(id, token, 'huddinge-unga', false)).status).toBe(200);
    const record = await store.conversations.get(id as never);
    expect([record?.team, record?.status, record?.assignee]).toEqual(['regionjouren', 'active', 'r-regionen']);
    // Declined: the offer is gone; accepting it now is refused.
    expect((await answer(id, token, 'huddinge-unga', true)).body.error?.code).toBe('no_handover_offer');
    expect(await codeOf(regionen.post(id, { cid: newCid(), kind: 'message', body: fakeCipher() }))).toBe('ok');
  });

  it('accepted: waits in the receiving queue, the previous responder loses access, both audit logs and statistics record it once', async () => {
    const { regionen, id, token } = await answeredByRegion();
    await offer(regionen, id, 'huddinge-unga');
    const accepted = await answer(id, token, 'huddinge-unga', true);
    expect(accepted.body).toMatchObject({ team: 'huddinge-unga', status: 'waiting' });
    expect(await codeOf(regionen.messages(id))).toBe('forbidden');
    expect(await codeOf(regionen.post(id, { cid: newCid(), kind: 'message', body: fakeCipher() }))).not.toBe('ok');
    const huddinge = await as('huddinge');
    await huddinge.duty('huddinge-unga', true);
    // Huddinge's queue says where it came from: another organisation, not a colleague.
    expect((await huddinge.queue()).items.map((i) => [i.id, i.fromOrganisation])).toEqual([[id, true]]);
    await huddinge.claim(id);
    expect(await codeOf(huddinge.messages(id))).toBe('ok');
    await huddinge.close(id, 'helped');

    // Audit: in both organisations' logs, who (Huddinge sees the region's name, not its staff), from and to which team.
    const regionAudit = (await regionen.call<Audit>('GET', '/api/v1/admin/audit')).entries.filter((e) => e.action.startsWith('handover'));
    expect(regionAudit.map((e) => [e.action, e.actorName, e.fromTeam, e.toTeam])).toEqual([
      ['handover', 'Regionjouren (demo)', 'regionjouren', 'huddinge-unga'],
      ['handover-offer', 'Regionjouren (demo)', 'regionjouren', 'huddinge-unga'],
    ]);
    const huddingeAudit = (await huddinge.call<Audit>('GET', '/api/v1/admin/audit')).entries.filter((e) => e.action.startsWith('handover'));
    expect(huddingeAudit.map((e) => [e.action, e.actor, e.actorName, e.fromTeam, e.toTeam])).toEqual([['handover', 'regionen', 'Regionjouren', 'regionjouren', 'huddinge-unga']]);
    expect(JSON.stringify([regionAudit, huddingeAudit])).not.toContain(id);
    // Botkyrka's log holds nothing of it.
    expect((await (await as('botkyrka')).call<Audit>('GET', '/api/v1/admin/audit')).entries.filter((e) => e.action.startsWith('handover'))).toEqual([]);

    // Statistics: each organisation counts it once, under its own team.
    const r = (await stats(regionen)).totals;
    const h = (await stats(huddinge)).totals;
    expect([r.opened, r.claimed, r.claimedAgain, r.transferred]).toEqual([1, 1, 0, 1]);
    expect([h.opened, h.claimed, h.claimedAgain, h.transferred]).toEqual([1, 1, 0, 0]);
  });
});
