// A scripted day of conversations through the real app (memory store and a real Redis): opened,
// claimed after known waits, abandoned three ways, transferred, closed with outcomes, callbacks
// done and not reached, consents. The statistics API and the CSV then show exactly the expected
// counts, and no statistics key or value holds a conversation id, token, time finer than the day or
// an address (invariant 5).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi, type Envelope } from '../../client/shared/api-client.js';
import { systemRandom } from '../../server/clock.js';
import { stockholmDay } from '../../server/stats/stockholm-day.js';
import { runHousekeeping } from '../../server/retention/purge.js';
import { parseField } from '../../server/stats/fields.js';
import type { StatsReport } from '../../server/stats/report.js';
import type { Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { createKeys } from '../../server/store/redis/keys.js';
import { createSources } from '../../server/sources/index.js';
import { createTestApp, fakeCipher, newCid, seedResponder, solvePow, type TestApp } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const env = { CONVERSATION_TTL_HOURS: '0.5' };
const msg = (): Envelope => ({ cid: newCid(), kind: 'message', body: fakeCipher(40) });
const intake = (): Envelope => ({ cid: newCid(), kind: 'intake', body: fakeCipher(80) });

interface Backend {
  readonly name: string;
  app(): Promise<TestApp>;
  /** Lets a conversation's keys expire as its TTL would. */
  expire(t: TestApp, id: string): Promise<void>;
  /** Every statistics key and what it holds, read below the port. */
  dumpStats(t: TestApp): Promise<Array<{ key: string; values: string[] }>>;
  stop(): Promise<void>;
}

let redis: RedisServer | null = null;
const lines = (out: string) => out.split('\n').filter((l) => l !== '');

const memory: Backend = {
  name: 'memory',
  app: () => createTestApp({ manualClock: true, env }),
  async expire(t) {
    t.clock.advance?.(31 * MINUTE);
  },
  async dumpStats(t) {
    const keys = createKeys();
    const days = await t.store.stats.days();
    const out = [{ key: keys.statsDays(), values: days }];
    for (const day of days) out.push({ key: keys.stats(day), values: Object.entries(await t.store.stats.day(day)).flat().map(String) });
    return out;
  },
  async stop() {},
};

function redisBackend(): Backend & { store?: Store; prefix: string } {
  const prefix = `stats-${randomBytes(4).toString('hex')}`;
  const backend: Backend & { store?: Store; prefix: string } = {
    name: 'redis',
    prefix,
    async app() {
      redis ??= await startRedisServer();
      backend.store = await createRedisStore({ url: redis.url, prefix });
      return createTestApp({ manualClock: true, env, store: backend.store });
    },
    async expire(t, id) {
      const k = createKeys(prefix);
      const keys = [k.conversation(id as never), k.log(id as never), k.dedupe(id as never)];
      for (const key of keys) await redis!.cli('PEXPIRE', key, '1');
      await new Promise((r) => setTimeout(r, 30));
      expect(await t.store.conversations.get(id as never)).toBeNull();
    },
    async dumpStats() {
      const out = [];
      for (const key of lines(await redis!.cli('--scan', '--pattern', `${prefix}:stats*`)).sort()) {
        const type = await redis!.cli('TYPE', key);
        const raw = type === 'hash' ? await redis!.cli('HGETALL', key) : await redis!.cli('SMEMBERS', key);
        expect(Number(await redis!.cli('PTTL', key))).toBe(-1);
        out.push({ key, values: lines(raw) });
      }
      return out;
    },
    async stop() {
      await backend.store?.close();
    },
  };
  return backend;
}

afterAll(async () => {
  await redis?.stop();
});

/** What the script leaves behind that statistics must never contain. */
interface Traces {
  ids: string[];
  tokens: string[];
  consentIds: string[];
}

async function scriptedDay(t: TestApp): Promise<Traces> {
  const traces: Traces = { ids: [], tokens: [], consentIds: [] };
  const anna = await seedResponder(t.store, 'anna', ['unga', 'foraldrar']);
  const bo = await seedResponder(t.store, 'bo', ['unga', 'foraldrar']);
  const a = t.responder();
  const b = t.responder();
  await a.login('anna', anna.authKey);
  await b.login('bo', bo.authKey);
  for (const api of [a, b]) {
    await api.duty('unga', true);
    await api.duty('foraldrar', true);
  }
  // The outreach sources of the day; a conversation's source counts only when it is registered.
  const sources = createSources({ records: t.store.records, clock: t.clock });
  for (const tag of ['poster-a', 'web']) await sources.create({ tag, label: tag, team: null, language: null });
  const visitor = t.visitor();
  const open = async (category: 'chat' | 'parent' | 'callback', source: string) => {
    const opened = await visitor.open({ category, language: 'sv', source, intake: intake() }, solvePow);
    traces.ids.push(opened.id);
    traces.tokens.push(opened.token);
    return opened;
  };
  const consent = async (id: string, token: string, retentionDays: number) => {
    const res = await t.call('POST', `/api/v1/conversations/${id}/consent`, { sealed: fakeCipher(64), retentionDays }, token);
    expect(res.status).toBe(201);
    traces.consentIds.push(((await res.json()) as { id: string }).id);
  };
  // Time moves on the app's clock; both stay on duty (their presence heartbeats would lapse otherwise).
  const advance = async (ms: number) => {
    t.clock.advance?.(ms);
    await a.heartbeat();
    await b.heartbeat();
  };

  // c1: chat from poster-a, claimed after 20 s, 5 messages after the intake, consent 90 days, closed "helped" after 10 min.
  const c1 = await open('chat', 'poster-a');
  await advance(20 * SECOND);
  await a.claim(c1.id);
  await a.post(c1.id, { cid: newCid(), kind: 'handshake', body: fakeCipher(64) });
  await visitor.post(c1.id, c1.token, msg());
  await a.post(c1.id, msg());
  await visitor.post(c1.id, c1.token, msg());
  await a.post(c1.id, msg());
  await a.post(c1.id, msg());
  await consent(c1.id, c1.token, 90);
  await advance(10 * MINUTE);
  await a.close(c1.id, 'helped');

  // c2: chat from poster-a, claimed after 90 s, handed back to the team, claimed again by bo after 40 s,
  // consent 30 days, closed by the visitor a minute later.
  const c2 = await open('chat', 'poster-a');
  await advance(90 * SECOND);
  await a.claim(c2.id);
  await a.transfer(c2.id, { toTeam: 'unga' });
  await advance(40 * SECOND);
  await b.claim(c2.id);
  await consent(c2.id, c2.token, 30);
  await advance(MINUTE);
  await visitor.close(c2.id, c2.token);

  // c3: the visitor leaves the queue; c4: a parent deletes everything while waiting.
  const c3 = await open('chat', 'web');
  await visitor.close(c3.id, c3.token);
  const c4 = await open('parent', 'web');
  await visitor.erase(c4.id, c4.token);

  // cb1: callback from the web, taken after 60 s, not reached (it stays with anna), reached 30 s later: done.
  const cb1 = await open('callback', 'web');
  await advance(MINUTE);
  await a.call('POST', `/api/v1/responder/callbacks/${cb1.id}/claim`);
  await a.call('POST', `/api/v1/responder/callbacks/${cb1.id}/not-reached`);
  await advance(30 * SECOND);
  await a.call('POST', `/api/v1/responder/callbacks/${cb1.id}/done`);
  // cb2: callback from poster-a, taken after 5 min, done.
  const cb2 = await open('callback', 'poster-a');
  await advance(5 * MINUTE);
  await b.call('POST', `/api/v1/responder/callbacks/${cb2.id}/claim`);
  await b.call('POST', `/api/v1/responder/callbacks/${cb2.id}/done`);

  // c5: nobody takes it before it expires; housekeeping finds its queue entry.
  await open('chat', 'poster-a');
  return traces;
}

const EXPECTED_TOTALS = {
  opened: 7,
  claimed: 4,
  claimedAgain: 1,
  abandoned: 3,
  abandonedLeft: 1,
  abandonedDeleted: 1,
  abandonedExpired: 1,
  transferred: 1,
  closed: 3,
  consents: 2,
  callbacksRequested: 2,
  callbacksDone: 2,
  callbacksNotReached: 1,
};

/** Parses our own CSV (every cell quoted). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] ?? '').replace(/""/g, '"')));
}

for (const make of [() => memory, redisBackend]) {
  const backend = make();
  describe(`statistics after a scripted day (${backend.name} store)`, () => {
    let t: TestApp;
    let traces: Traces;
    let from: string;
    let to: string;
    let supervisor: ReturnType<typeof createResponderApi>;
    let cookie = '';

    beforeAll(async () => {
      t = await backend.app();
      from = stockholmDay(t.clock.now());
      traces = await scriptedDay(t);
      await backend.expire(t, traces.ids.at(-1)!);
      const swept = await runHousekeeping({ store: t.store, clock: t.clock, random: systemRandom });
      expect(swept.expiredQueueEntries).toBe(1);
      // A second sweep finds nothing more (counted once).
      expect((await runHousekeeping({ store: t.store, clock: t.clock, random: systemRandom })).expiredQueueEntries).toBe(0);
      to = stockholmDay(t.clock.now());
      const sara = await seedResponder(t.store, 'sara', ['unga', 'foraldrar'], ['supervisor']);
      const jar = createCookieJar();
      supervisor = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch, cookies: jar });
      await supervisor.login('sara', sara.authKey);
      cookie = jar.get() ?? '';
    }, 60_000);

    afterAll(() => backend.stop());

    it('the report equals the expected counts exactly', async () => {
      const report = await supervisor.call<StatsReport>('GET', `/api/v1/admin/stats?from=${from}&to=${to}`);
      expect(report.totals).toEqual(EXPECTED_TOTALS);
      expect(report.days.reduce((s, d) => s + d.opened, 0)).toBe(7);
      expect(report.bySource).toEqual([
        { source: 'poster-a', opened: 4, claimed: 3, abandoned: 0 },
        { source: 'web', opened: 3, claimed: 1, abandoned: 2 },
        { source: 'unknown', opened: 0, claimed: 0, abandoned: 1 },
      ]);
      expect(report.byCategory).toEqual([
        { category: 'chat', opened: 4, claimed: 2, abandoned: 1 },
        { category: 'callback', opened: 2, claimed: 2, abandoned: 0 },
        { category: 'parent', opened: 1, claimed: 0, abandoned: 1 },
        { category: 'unknown', opened: 0, claimed: 0, abandoned: 1 },
      ]);
      expect(report.outcomes).toEqual([
        { outcome: 'visitor', count: 2 },
        { outcome: 'helped', count: 1 },
      ]);
      expect(report.transfers).toEqual([{ to: 'team', count: 1 }]);
      expect(report.consents).toEqual([
        { retentionDays: 30, count: 1 },
        { retentionDays: 90, count: 1 },
      ]);
      // Waits 20 s, 90 s, 40 s, 60 s, 300 s: one ≤ 30 s, two ≤ 60 s, one ≤ 120 s, one ≤ 300 s.
      const waits = Object.fromEntries(report.wait.buckets.filter((b) => b.count > 0).map((b) => [String(b.le), b.count]));
      expect(waits).toEqual({ '30': 1, '60': 2, '120': 1, '300': 1 });
      expect(report.wait).toMatchObject({ samples: 5, p50: 60, p90: 300, p50Open: false, p90Open: false });
      // c1: 6 messages in 10 min 20 s; c2: 1 message in 3 min 10 s.
      expect(report.lengthMessages.buckets.filter((b) => b.count > 0)).toEqual([
        { le: 5, count: 1 },
        { le: 10, count: 1 },
      ]);
      expect(report.lengthMinutes.buckets.filter((b) => b.count > 0)).toEqual([
        { le: 5, count: 1 },
        { le: 15, count: 1 },
      ]);
      // The visitor's wait estimate reads the same counters.
      expect(await (await t.call('GET', '/api/v1/wait?team=unga')).json()).toEqual({ team: 'unga', medianMs: 60_000, samples: 5 });
    });

    it('filters by team and keeps supervisors to their own teams', async () => {
      const parents = await supervisor.call<StatsReport>('GET', `/api/v1/admin/stats?from=${from}&to=${to}&team=foraldrar`);
      expect(parents.totals).toMatchObject({ opened: 1, claimed: 0, abandoned: 1, abandonedDeleted: 1, closed: 0 });
      const denied = await t.fetch(`http://localhost/api/v1/admin/stats?from=${from}&to=${to}&team=konsult`, { headers: { cookie } });
      expect(denied.status).toBe(403);
      const tooLong = await t.fetch(`http://localhost/api/v1/admin/stats?from=2020-01-01&to=2026-01-01`, { headers: { cookie } });
      expect(tooLong.status).toBe(400);
      const reversed = await t.fetch(`http://localhost/api/v1/admin/stats?from=${to}&to=2020-01-01`, { headers: { cookie } });
      expect(reversed.status).toBe(400);
      const plain = await seedResponder(t.store, 'per', ['unga'], ['responder']);
      const api = t.responder();
      await api.login('per', plain.authKey);
      await expect(api.call('GET', `/api/v1/admin/stats?from=${from}&to=${to}`)).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('the CSV holds the same counters, one row per day × team × category × source × metric × bucket', async () => {
      const res = await t.fetch(`http://localhost/api/v1/admin/stats/csv?from=${from}&to=${to}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="utvag-statistik-${from}-${to}.csv"`);
      const [header, ...rows] = parseCsv(await res.text());
      expect(header).toEqual(['day', 'team', 'category', 'source', 'metric', 'bucket', 'count']);
      const sum = (pred: (r: string[]) => boolean) => rows.filter(pred).reduce((s, r) => s + Number(r[6]), 0);
      expect(sum((r) => r[4] === 'opened')).toBe(7);
      expect(sum((r) => r[1] === 'unga' && r[2] === 'chat' && r[3] === 'poster-a' && r[4] === 'opened')).toBe(3);
      expect(sum((r) => r[4] === 'claimed' && r[5] === '')).toBe(4);
      expect(sum((r) => r[4] === 'abandoned' && r[5] === 'expired' && r[2] === 'unknown')).toBe(1);
      expect(sum((r) => r[4] === 'wait' && r[5] === '60')).toBe(2);
      expect(sum((r) => r[4] === 'closed' && r[5] === 'helped')).toBe(1);
      expect(sum((r) => r[4] === 'callback-not-reached')).toBe(1);
      expect(sum((r) => r[4] === 'consent')).toBe(2);
      // Rows are unique per dimension tuple.
      const tuples = rows.map((r) => r.slice(0, 6).join('|'));
      expect(new Set(tuples).size).toBe(tuples.length);
    });

    it('no statistics key or value can be joined to a conversation, token, time or address', async () => {
      const dump = await backend.dumpStats(t);
      expect(dump.length).toBeGreaterThanOrEqual(2);
      const text = dump.map((d) => [d.key, ...d.values].join('\n')).join('\n');
      const sha = (s: string) => createHash('sha256').update(s).digest('hex');
      const forbidden = [...traces.ids, ...traces.tokens, ...traces.tokens.map(sha), ...traces.consentIds];
      for (const secret of forbidden) {
        expect(text.toLowerCase().includes(secret.toLowerCase())).toBe(false);
        expect(text.includes(secret.slice(0, 12))).toBe(false);
      }
      // Times: no clock time, no epoch seconds or milliseconds, nothing finer than a day.
      expect(text).not.toMatch(/\d{1,2}:\d{2}/);
      expect(text).not.toMatch(/\d{9,}/);
      expect(text).not.toMatch(/T\d{2}/);
      // Addresses.
      expect(text).not.toMatch(/127\.0\.0\.1|::1|::ffff|localhost/i);
      for (const { key, values } of dump) {
        if (key.endsWith('stats:index')) {
          for (const day of values) expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          continue;
        }
        // Each day hash: field, count, field, count…; every field in the one schema, every value a small count.
        expect(key).toMatch(/stats:\{\d{4}-\d{2}-\d{2}\}$/);
        expect(values.length % 2).toBe(0);
        for (let i = 0; i < values.length; i += 2) {
          expect(parseField(values[i]!), values[i]).not.toBeNull();
          expect(values[i + 1]).toMatch(/^\d{1,6}$/);
        }
      }
    });
  });
}
