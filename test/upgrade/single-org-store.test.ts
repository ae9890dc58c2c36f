// Upgrade path: a Redis store written by the single-organisation code of 2026-12-03 (the fixture, made
// by make-fixture.ts with that code) still serves unchanged: the widget's status and key bundle, the
// responder's login, keys, queue and duty, the admin's sources, audit and statistics.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrustAnchor, fromBase64url, verifyResponderCert, verifyTeamCert, type Ed25519PublicKey } from '../../crypto/index.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { createApp } from '../../server/app.js';
import { createManualClock } from '../../server/clock.js';
import { createRedisStore } from '../../server/store/redis/index.js';
import type { Store } from '../../server/store/ports.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { captureLogs, testConfig } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { FIXTURE_AUTH_KEY } from './fixture-keys.js';
import { loadRedis, type DumpedKey } from './store-dump.js';

interface Fixture {
  readonly writtenAt: number;
  readonly rootPublicKey: string;
  readonly login: string;
  readonly waiting: string;
  readonly waitingToken: string;
  readonly keys: DumpedKey[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/single-org-2026-12-03.json', import.meta.url), 'utf8')) as Fixture;

let redis: RedisServer;
let store: Store;
let request: (path: string, init?: RequestInit) => Promise<Response>;
let responder: ReturnType<typeof createResponderApi>;
const clock = createManualClock(fixture.writtenAt + 60_000);
const now = () => new Date(clock.now());

beforeAll(async () => {
  await loadSodium();
  redis = await startRedisServer();
  await loadRedis(redis.url, fixture.keys);
  store = await createRedisStore({ url: redis.url, clock });
  const config = testConfig();
  const { app } = createApp({ config, store, clock, random: (n) => new Uint8Array(randomBytes(n)), logger: captureLogs().logger('warn'), secret: new Uint8Array(randomBytes(32)) });
  const doFetch = ((input: RequestInfo | URL, init?: RequestInit) => app.request(String(input), init)) as typeof fetch;
  request = (path, init) => doFetch(`http://localhost${path}`, init);
  responder = createResponderApi({ baseUrl: 'http://localhost', fetch: doFetch, cookies: createCookieJar() });
}, 30_000);

afterAll(async () => {
  await store?.close();
  await redis?.stop();
});

const json = async <T>(path: string): Promise<T> => {
  const response = await request(path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
};

describe('a store written by the single-organisation code', () => {
  it('serves the widget: status through the old source, and a team bundle that chains to the old root', async () => {
    const status = await json<{ team: string }>('/api/v1/status?category=chat&source=affisch-centrum');
    expect(status.team).toBe('unga');
    const bundle = await json<{ orgCert: string; revocationList: string; teamCert: string; epoch: number }>('/api/v1/directory/teams/unga');
    const anchor = createTrustAnchor({ rootPublicKey: fromBase64url(fixture.rootPublicKey) as Ed25519PublicKey, orgCert: fromBase64url(bundle.orgCert), revocationList: fromBase64url(bundle.revocationList), now: now() });
    expect(verifyTeamCert(anchor, fromBase64url(bundle.teamCert), { now: now(), team: 'unga' }).epoch).toBe(bundle.epoch);
    const notice = await json<{ text: { sv: string } }>('/api/v1/teams/foraldrar/notice');
    expect(notice.text.sv).toBe('Vi svarar vardagar.');
  });

  it('serves the old visitor his waiting conversation', async () => {
    const response = await request(`/api/v1/conversations/${fixture.waiting}`, { headers: { authorization: `Bearer ${fixture.waitingToken}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('waiting');
  });

  it('logs the old responder in with its keys, and shows it the waiting conversation', async () => {
    const me = await responder.login(fixture.login, FIXTURE_AUTH_KEY);
    expect(me.teams).toEqual(['unga', 'foraldrar', 'konsult']);
    const keys = await responder.call<{ orgCert: string; revocationList: string; cert: string; inbox: Array<{ team: string }> }>('GET', '/api/v1/responder/keys');
    const anchor = createTrustAnchor({ rootPublicKey: fromBase64url(fixture.rootPublicKey) as Ed25519PublicKey, orgCert: fromBase64url(keys.orgCert), revocationList: fromBase64url(keys.revocationList), now: now() });
    expect(verifyResponderCert(anchor, fromBase64url(keys.cert), { now: now(), team: 'unga', role: 'responder' }).id).toBe('r-demo');
    expect(keys.inbox.map((i) => i.team).sort()).toEqual(['foraldrar', 'konsult', 'unga']);
    await responder.duty('unga', true);
    expect((await responder.queue()).items.map((i) => i.id)).toContain(fixture.waiting);
  });

  it('shows the old admin its sources, audit and statistics', async () => {
    const sources = await responder.call<{ items: Array<{ tag: string }> }>('GET', '/api/v1/admin/sources');
    expect(sources.items.map((s) => s.tag)).toContain('affisch-centrum');
    const audit = await responder.call<{ entries: Array<{ action: string }> }>('GET', '/api/v1/admin/audit');
    expect(audit.entries.map((e) => e.action)).toContain('claim');
    const stats = await responder.call<{ opened: number }>('GET', '/api/v1/admin/stats?from=2026-12-01&to=2026-12-31');
    expect(JSON.stringify(stats)).toContain('affisch-centrum');
  });

  it('reads as a region of one: every team, responder and source belongs to its one organisation', async () => {
    const org = await responder.call<{ id: string; others: unknown[]; overflowTargets: unknown[] }>('GET', '/api/v1/admin/organisation');
    expect(org).toMatchObject({ id: 'main', others: [], overflowTargets: [] });
    const teams = await responder.call<{ items: Array<{ id: string; overflow: string | null }> }>('GET', '/api/v1/admin/teams');
    expect(teams.items.map((t) => [t.id, t.overflow])).toEqual([['foraldrar', 'unga'], ['konsult', null], ['unga', 'konsult']]);
    const staff = await responder.call<{ responders: Array<{ id: string }> }>('GET', '/api/v1/admin/staff');
    expect(staff.responders.map((r) => r.id)).toEqual(['r-demo']);
    const colleagues = await responder.call<{ teams: Array<{ id: string }> }>('GET', '/api/v1/responder/colleagues');
    expect(colleagues.teams.map((t) => t.id).sort()).toEqual(['foraldrar', 'konsult', 'unga']);
  });
});
