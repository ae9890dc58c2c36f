// Retention of the long-lived things: the settings (defaults, limits, admins only) and the purge that
// deletes audit entries, statistics days and consented identities older than them, against the
// memory store and a real Redis.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { systemRandom } from '../../server/clock.js';
import { stockholmDay } from '../../server/stats/stockholm-day.js';
import { runHousekeeping } from '../../server/retention/purge.js';
import { DEFAULT_RETENTION } from '../../server/retention/settings.js';
import type { ResponderId, Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { createTestApp, fakeCipher, seedResponder, solvePow, type TestApp } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const DAY = 86_400_000;
let redis: RedisServer | null = null;
const stores: Store[] = [];

afterAll(async () => {
  for (const s of stores) await s.close();
  await redis?.stop();
});

const backends: Array<{ name: string; app(): Promise<TestApp> }> = [
  { name: 'memory', app: () => createTestApp({ manualClock: true }) },
  {
    name: 'redis',
    async app() {
      redis ??= await startRedisServer();
      const store = await createRedisStore({ url: redis.url, prefix: `ret-${randomBytes(4).toString('hex')}` });
      stores.push(store);
      return createTestApp({ manualClock: true, store });
    },
  },
];

async function adminApi(t: TestApp, roles: Array<'admin' | 'supervisor'> = ['admin']) {
  const login = `adm-${randomBytes(3).toString('hex')}`;
  const seeded = await seedResponder(t.store, login, ['unga'], roles);
  const api = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch, cookies: createCookieJar() });
  await api.login(login, seeded.authKey);
  return api;
}

async function consentNow(t: TestApp, retentionDays: number): Promise<{ id: string; token: string }> {
  const opened = await t.visitor().open({ category: 'chat', language: 'sv', source: 'web' }, solvePow);
  const res = await t.call('POST', `/api/v1/conversations/${opened.id}/consent`, { sealed: fakeCipher(64), retentionDays }, opened.token);
  expect(res.status).toBe(201);
  return { id: ((await res.json()) as { id: string }).id, token: opened.token };
}

describe('retention settings', () => {
  it('has defaults, refuses values out of range, and only admins read or change them', async () => {
    const t = await createTestApp();
    const admin = await adminApi(t);
    expect(await admin.call('GET', '/api/v1/admin/retention')).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION.consentDays).toBeLessThanOrEqual(180);
    await expect(admin.call('PUT', '/api/v1/admin/retention', { ...DEFAULT_RETENTION, consentDays: 181 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(admin.call('PUT', '/api/v1/admin/retention', { ...DEFAULT_RETENTION, auditDays: 1 })).rejects.toMatchObject({ code: 'invalid_request' });
    const changed = { auditDays: 90, statsDays: 400, consentDays: 60 };
    expect(await admin.call('PUT', '/api/v1/admin/retention', changed)).toEqual(changed);
    expect(await admin.call('GET', '/api/v1/admin/retention')).toEqual(changed);
    expect((await t.store.audit.recent(1))[0]?.action).toBe('retention-settings');
    const supervisor = await adminApi(t, ['supervisor']);
    await expect(supervisor.call('GET', '/api/v1/admin/retention')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(supervisor.call('PUT', '/api/v1/admin/retention', changed)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

for (const backend of backends) {
  describe(`retention purge (${backend.name} store)`, () => {
    it('deletes audit entries, statistics days and consents older than the settings, and keeps the rest', async () => {
      const t = await backend.app();
      const now = t.clock.now();
      const actor = 'r-x' as ResponderId;
      await t.store.audit.append({ at: now - 40 * DAY, actor, action: 'old', ref: '' });
      await t.store.audit.append({ at: now - 20 * DAY, actor, action: 'recent', ref: '' });
      const admin = await adminApi(t);
      await admin.call('PUT', '/api/v1/admin/retention', { auditDays: 30, statsDays: 31, consentDays: 7 });
      const today = stockholmDay(now);
      const oldDay = stockholmDay(now - 31 * DAY);
      const keptDay = stockholmDay(now - 30 * DAY);
      for (const day of ['2020-01-01', oldDay, keptDay, today]) await t.store.stats.increment(day, 'opened:unga:chat:web:', 1);

      const old = await consentNow(t, 30);
      t.clock.advance?.(8 * DAY);
      const fresh = await consentNow(t, 30);

      const result = await runHousekeeping({ store: t.store, clock: t.clock, random: systemRandom });
      expect(result).toMatchObject({ auditEntries: 1, consents: 1 });
      // 8 days later the 31-day window starts later too: the day kept before is now old as well.
      expect(await t.store.stats.days()).toEqual([today, stockholmDay(t.clock.now())].filter((d, i, all) => all.indexOf(d) === i).sort());
      expect(result.statsDays).toBe(3);
      const actions = (await t.store.audit.recent(10)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['retention-settings', 'recent']));
      expect(actions).not.toContain('old');
      const listed = await t.store.expiring.list('consent:unga');
      expect(listed.map((r) => r.id)).toEqual([fresh.id]);
      // The purged consent is gone for its visitor too.
      expect((await t.call('DELETE', `/api/v1/consents/${old.id}`, undefined, old.token)).status).toBe(401);
      expect((await t.call('DELETE', `/api/v1/consents/${fresh.id}`, undefined, fresh.token)).status).toBe(204);

      // Nothing more to do on a second run.
      expect(await runHousekeeping({ store: t.store, clock: t.clock, random: systemRandom })).toEqual({ auditEntries: 0, statsDays: 0, consents: 0, expiredQueueEntries: 0, teamKeys: 0 });
    });
  });
}
