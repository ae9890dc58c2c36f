// Each organisation of a region sets its own retention (issue 17), within the deployment's limits, and
// the retention job applies it to that organisation's consents; its open callback requests live as
// long as it says. Real redis-server, the demo region (two municipalities and the regional team).
// Fails without the per-organisation purge (one deployment-wide consent retention for all) and
// without the per-organisation callback lifetime.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { createCallbacks } from '../../server/callbacks/callbacks.js';
import { createConsentService } from '../../server/consent/consent.js';
import { runHousekeeping } from '../../server/retention/purge.js';
import { createRetentionSettings, DEFAULT_RETENTION } from '../../server/retention/settings.js';
import type { ConversationId, ConversationRecord, Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { systemRandom } from '../../server/clock.js';
import { createTestApp, fakeCipher, type TestApp } from '../support/harness.js';
import { REDIS_CLI_PATH, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { regionAuthKey, seedRegion, type SeededRegion } from '../support/region.js';

const DAY = 86_400_000;
let redis: RedisServer;
let store: Store;
let t: TestApp;
let region: SeededRegion;
const prefix = `orgret-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  redis = await startRedisServer();
  store = await createRedisStore({ url: redis.url, prefix });
  t = await createTestApp({ store });
  region = await seedRegion(t.store, t.clock);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await redis?.stop();
});

async function admin(login: string) {
  const api = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch, cookies: createCookieJar() });
  await api.login(login, regionAuthKey(region.passwords.get(login)!));
  return api;
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

/** A consent in `team`, given `daysAgo` days ago (the visitor's sealed identity is opaque here). */
async function consentIn(team: string, daysAgo: number): Promise<string> {
  const clock = { now: () => Date.now() - daysAgo * DAY };
  const consents = createConsentService({ expiring: t.store.expiring, clock, random: systemRandom });
  const conversation = { id: `c-${randomBytes(6).toString('hex')}` as ConversationId, team, createdAt: clock.now() } as unknown as ConversationRecord;
  return (await consents.grant(conversation, 'token', fakeCipher(64), 180)).id;
}

describe('retention per organisation (real Redis)', () => {
  it('each organisation’s admin sets its own, within the deployment’s limits; the deployment’s stays the first organisation’s', async () => {
    const huddinge = await admin('huddinge');
    expect(await huddinge.call('GET', '/api/v1/admin/retention/organisation')).toEqual({ consentDays: 180, callbackDays: 7, limits: { consentDays: 180, callbackDays: 7 } });
    // The first organisation's admins lower the deployment's consent retention: the limit follows.
    await createRetentionSettings(t.store.records).put({ ...DEFAULT_RETENTION, consentDays: 90 });
    expect(await codeOf(huddinge.call('PUT', '/api/v1/admin/retention/organisation', { consentDays: 120, callbackDays: 7 }))).toBe('invalid_request');
    expect(await codeOf(huddinge.call('PUT', '/api/v1/admin/retention/organisation', { consentDays: 30, callbackDays: 8 }))).toBe('invalid_request');
    expect(await huddinge.call('PUT', '/api/v1/admin/retention/organisation', { consentDays: 30, callbackDays: 2 })).toEqual({ consentDays: 30, callbackDays: 2, limits: { consentDays: 90, callbackDays: 7 } });
    // Botkyrka's is its own (the deployment's limit until it sets one).
    const botkyrka = await admin('botkyrka');
    expect(await botkyrka.call('GET', '/api/v1/admin/retention/organisation')).toMatchObject({ consentDays: 90, callbackDays: 7 });
    // The deployment's settings stay the first organisation's.
    expect(await codeOf(huddinge.call('PUT', '/api/v1/admin/retention', DEFAULT_RETENTION))).toBe('forbidden');
    // Supervisors and responders of an organisation do not set it.
    expect(await codeOf(t.responder().call('GET', '/api/v1/admin/retention/organisation'))).not.toBe('ok');
  });

  it('the retention job deletes each organisation’s consents by its own setting, and the first organisation’s by the deployment’s', async () => {
    // Huddinge keeps 30 days, Botkyrka and the first organisation the deployment's 90 (above).
    const huddingeOld = await consentIn('huddinge-unga', 40);
    const huddingeFresh = await consentIn('huddinge-unga', 10);
    const botkyrkaOld = await consentIn('botkyrka-unga', 40);
    const firstOld = await consentIn('unga', 40);
    const firstAncient = await consentIn('unga', 100);
    const result = await runHousekeeping({ store: t.store, clock: t.clock, random: systemRandom });
    expect(result.consents).toBe(2);
    const left = async (team: string) => (await t.store.expiring.list(`consent:${team}`)).map((r) => r.id);
    expect(await left('huddinge-unga')).toEqual([huddingeFresh]);
    expect(await left('huddinge-unga')).not.toContain(huddingeOld);
    expect(await left('botkyrka-unga')).toEqual([botkyrkaOld]);
    expect(await left('unga')).toEqual([firstOld]);
    expect(await left('unga')).not.toContain(firstAncient);
  });

  it('an organisation’s open callback requests live as long as it says, never beyond CALLBACK_TTL_DAYS', async () => {
    const callbacks = createCallbacks({ store: t.store, clock: t.clock, callbackTtlMs: 7 * DAY, changed: async () => undefined, audit: async () => undefined });
    const ttlOf = async (team: string) => {
      const id = `c-${randomBytes(6).toString('hex')}` as ConversationId;
      await callbacks.request({ id, team, language: 'sv', source: 'web', createdAt: Date.now() } as unknown as ConversationRecord, fakeCipher(64));
      return Number(execFileSync(REDIS_CLI_PATH, ['-p', String(redis.port), 'PTTL', `${prefix}:callback:{${id}}`]).toString().trim());
    };
    const huddinge = await ttlOf('huddinge-unga');
    expect(huddinge).toBeGreaterThan(2 * DAY - 60_000);
    expect(huddinge).toBeLessThanOrEqual(2 * DAY);
    expect(await ttlOf('botkyrka-unga')).toBeGreaterThan(6 * DAY);
    expect(await ttlOf('unga')).toBeGreaterThan(6 * DAY);
  });
});
