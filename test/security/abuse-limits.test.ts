// Issue 14 §2, played against a real server on a real redis-server: a socket that floods 3,000
// frames of 16 KiB, a socket that never says hello, a socket that pings before hello. Each test
// counts what reached the store, and fails when the defence is taken out.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisitorApi } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { ConversationId, Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { freePort } from '../support/free-port.js';
import { captureLogs, newCid, seedTeams, solvePow, testConfig } from '../support/harness.js';
import { sleep, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { connectWs, wsUrl } from '../support/ws-client.js';

let redis: RedisServer;

beforeAll(async () => {
  await loadSodium();
  redis = await startRedisServer();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
});

interface Instance {
  readonly base: string;
  readonly store: Store;
  stop(): Promise<void>;
}

/** A real server on the real Redis with the given limits (the defaults where not given). */
async function start(env: Record<string, string>, on: RedisServer = redis): Promise<Instance> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const store = await createRedisStore({ url: on.url, prefix: `abuse-${randomBytes(4).toString('hex')}` });
  await seedTeams(store);
  const config = testConfig({ PORT: String(port), PUBLIC_URL: base, ...env });
  const server: RunningServer = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: captureLogs().logger('warn'), secret: new Uint8Array(randomBytes(32)) });
  return {
    base,
    store,
    async stop() {
      await server.stop(200);
      await store.close();
    },
  };
}

/** Opens a conversation as a visitor; returns its id and token. */
async function openConversation(base: string): Promise<{ id: string; token: string }> {
  const opened = await createVisitorApi({ baseUrl: base }).open({ category: 'chat', language: 'sv' }, solvePow);
  return { id: opened.id, token: opened.token };
}

/** The close of `client`'s socket, or code 0 if it is still open after `ms` (the defence is missing). */
const closedWithin = (client: { closed(): Promise<{ code: number; reason: string }> }, ms: number) =>
  Promise.race([client.closed(), new Promise<{ code: number; reason: string }>((resolve) => setTimeout(() => resolve({ code: 0, reason: 'still open' }), ms))]);

/** The socket defaults of server/config.ts (the harness lifts them for functional tests). */
const SOCKET_DEFAULTS = { WS_FRAMES_PER_SECOND: '20', WS_FRAME_BURST: '40', WS_HELLO_TIMEOUT_SECONDS: '5' };
/** The per-conversation frame budget of server/config.ts. */
const CONVERSATION_DEFAULTS = { WS_CONVERSATION_FRAMES_PER_SECOND: '30', WS_CONVERSATION_FRAME_BURST: '60' };

describe('socket budgets on a real server and Redis', () => {
  it('a socket sending 3,000 frames of 16 KiB gets about its burst stored, not 48 MB', async () => {
    const instance = await start({ ...SOCKET_DEFAULTS });
    try {
      const { id, token } = await openConversation(instance.base);
      const client = await connectWs(wsUrl(instance.base), { timeoutMs: 20_000 });
      await client.helloVisitor(id, token);
      const body = randomBytes(12_000).toString('base64url'); // 16,000 characters
      const started = Date.now();
      for (let i = 0; i < 3_000 && client.socket.readyState === client.socket.OPEN; i += 1) {
        client.sendRaw({ t: 'send', c: id, e: { cid: newCid(), kind: 'message', body } });
      }
      const closed = await closedWithin(client, 15_000);
      const seconds = (Date.now() - started) / 1000;
      // Closed for flooding (1013: reconnect slower), told why once.
      expect(closed).toEqual({ code: 1013, reason: 'socket_rate_limited' });
      expect(client.frames.filter((f) => f.t === 'error').map((f) => (f as { code: string }).code)).toContain('socket_rate_limited');
      const stored = await instance.store.log.after(id as ConversationId, null, 10_000);
      // The intake-less conversation holds only what the budget let through: the burst plus the rate.
      expect(stored.length).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds) + 1);
      expect(stored.length).toBeGreaterThan(0);
    } finally {
      await instance.stop();
    }
  }, 60_000);

  it('several sockets on one conversation share its frame budget: 4 × 35 frames store about its burst, not 140', async () => {
    const instance = await start({ ...SOCKET_DEFAULTS, ...CONVERSATION_DEFAULTS });
    try {
      const { id, token } = await openConversation(instance.base);
      const clients = [];
      for (let i = 0; i < 4; i += 1) {
        const client = await connectWs(wsUrl(instance.base), { timeoutMs: 20_000 });
        await client.helloVisitor(id, token);
        clients.push(client);
      }
      const started = Date.now();
      // Each socket stays within its own budget (35 < its burst of 40): only the shared one can refuse.
      for (let i = 0; i < 35; i += 1) for (const client of clients) client.sendRaw({ t: 'send', c: id, e: { cid: newCid(), kind: 'message', body: 'aGVq' } });
      await sleep(1_500);
      const seconds = (Date.now() - started) / 1000;
      const stored = await instance.store.log.after(id as ConversationId, null, 10_000);
      expect(stored.length).toBeLessThanOrEqual(60 + Math.ceil(30 * seconds) + 1);
      expect(stored.length).toBeGreaterThanOrEqual(60);
      const codes = clients.flatMap((c) => c.frames.filter((f) => f.t === 'error').map((f) => (f as { code: string }).code));
      // Told why (once per socket and run of refusals), and nobody closed: a second tab is not a flood.
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes)).toEqual(new Set(['conversation_frame_rate_limited']));
      expect(codes.length).toBeLessThanOrEqual(4 * 3);
      for (const client of clients) expect(client.socket.readyState).toBe(client.socket.OPEN);
      for (const client of clients) client.socket.close();
    } finally {
      await instance.stop();
    }
  }, 60_000);

  it('closes a socket that never says hello after the deadline (1008, hello_timeout)', async () => {
    const instance = await start({ ...SOCKET_DEFAULTS, WS_HELLO_TIMEOUT_SECONDS: '0.5' });
    try {
      const client = await connectWs(wsUrl(instance.base), { timeoutMs: 5_000 });
      const started = Date.now();
      const closed = await closedWithin(client, 3_000);
      expect(closed).toEqual({ code: 1008, reason: 'hello_timeout' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await instance.stop();
    }
  }, 30_000);

  it('answers a ping before hello with an error and closes the socket: nothing but hello first', async () => {
    const instance = await start({ ...SOCKET_DEFAULTS });
    try {
      const client = await connectWs(wsUrl(instance.base), { timeoutMs: 5_000 });
      client.sendRaw({ t: 'ping' });
      expect(await closedWithin(client, 3_000)).toMatchObject({ code: 1008 });
      expect(client.frames.map((f) => f.t)).toEqual(['error']);
    } finally {
      await instance.stop();
    }
  }, 30_000);
});


/** A raw POST of one message as the visitor: status, error code and Retry-After. */
async function post(base: string, id: string, token: string, bytes: number): Promise<{ status: number; code: string | null; retryAfter: number | null }> {
  const response = await fetch(`${base}/api/v1/conversations/${id}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ cid: newCid(), kind: 'message', body: randomBytes(bytes).toString('base64url') }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  const retry = response.headers.get('retry-after');
  return { status: response.status, code: body.error?.code ?? null, retryAfter: retry === null ? null : Number(retry) };
}

describe('per-conversation budgets on a real server and Redis', () => {
  it('refuses a conversation past its bytes per hour, whatever the number of sockets or requests, with Retry-After', async () => {
    // The defaults: 2 MiB per hour. 300 messages of 12,000 bytes (3.6 MB) from parallel requests.
    const instance = await start({ CONVERSATION_BYTES_PER_HOUR: '2097152' });
    try {
      const { id, token } = await openConversation(instance.base);
      const results: Array<Awaited<ReturnType<typeof post>>> = [];
      for (let batch = 0; batch < 10; batch += 1) results.push(...(await Promise.all(Array.from({ length: 30 }, () => post(instance.base, id, token, 12_000)))));
      const stored = results.filter((r) => r.status === 201 || r.status === 200);
      const refused = results.filter((r) => r.status === 429);
      expect(stored.length).toBe(Math.floor(2_097_152 / 12_000));
      expect(refused.length).toBe(300 - stored.length);
      expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['conversation_rate_limited']));
      expect(Math.min(...refused.map((r) => r.retryAfter ?? 0))).toBeGreaterThan(3_000);
      const log = await instance.store.log.after(id as ConversationId, null, 10_000);
      expect(log.length).toBe(stored.length);
    } finally {
      await instance.stop();
    }
  }, 60_000);

  it('refuses a conversation past its total log bytes (409 conversation_too_large)', async () => {
    const instance = await start({ CONVERSATION_BYTES_PER_HOUR: String(2 ** 30), CONVERSATION_MAX_BYTES: String(100 * 1024) });
    try {
      const { id, token } = await openConversation(instance.base);
      const results = await Promise.all(Array.from({ length: 20 }, () => post(instance.base, id, token, 12_000)));
      expect(results.filter((r) => r.status < 300)).toHaveLength(Math.floor((100 * 1024) / 12_000));
      expect(new Set(results.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['409 conversation_too_large']));
    } finally {
      await instance.stop();
    }
  }, 60_000);
});

describe('paged reads on a real server and Redis', () => {
  it('answers limit=500 over 300 messages of 16 KiB with about 1 MiB, not 5 MB, and the rest on later pages', async () => {
    const instance = await start({ MAX_PAGE_BYTES: String(1024 * 1024) });
    try {
      const { id, token } = await openConversation(instance.base);
      for (let batch = 0; batch < 10; batch += 1) {
        const posted = await Promise.all(Array.from({ length: 30 }, () => post(instance.base, id, token, 12_000)));
        expect(posted.every((r) => r.status < 300)).toBe(true);
      }
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const response = await fetch(`${instance.base}/api/v1/conversations/${id}/messages?limit=500${after === null ? '' : `&after=${after}`}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const text = await response.text();
        const { messages } = JSON.parse(text) as { messages: Array<{ id: string }> };
        if (messages.length === 0) break;
        pages += 1;
        // One page: at most the byte cap plus one entry's JSON around it.
        expect(text.length).toBeLessThan(1024 * 1024 + 20_000);
        seen.push(...messages.map((m) => m.id));
        after = messages.at(-1)!.id;
      }
      expect(seen).toHaveLength(300);
      expect(new Set(seen).size).toBe(300);
      expect(pages).toBeGreaterThanOrEqual(5);
    } finally {
      await instance.stop();
    }
  }, 60_000);
});

describe('the high-water mark on a real redis-server with a small maxmemory', () => {
  it('refuses new conversations (503 service_busy, Retry-After) while existing ones still append', async () => {
    const small = await startRedisServer({ args: ['--maxmemory', '16mb', '--maxmemory-policy', 'noeviction'] });
    const instance = await start({ STORE_HIGH_WATER_PERCENT: '50', STORE_MEMORY_CHECK_SECONDS: '0.1' }, small);
    try {
      const existing = await openConversation(instance.base);
      // Fill Redis to about 70 % of maxmemory behind the application's back (other conversations).
      const used = () => small.cli('info', 'memory').then((info) => Number(/used_memory:(\d+)/.exec(info)?.[1]));
      for (let i = 0; (await used()) < 0.7 * 16 * 1024 * 1024; i += 1) await small.cli('setrange', `filler:${i}`, String(512 * 1024), 'f');
      await sleep(300);
      const refused = await createVisitorApi({ baseUrl: instance.base })
        .open({ category: 'chat', language: 'sv' }, solvePow)
        .then(
          () => null,
          (e: unknown) => e as { status: number; code: string; retryAfter: number | null },
        );
      expect(refused).toMatchObject({ status: 503, code: 'service_busy' });
      expect(refused?.retryAfter).toBeGreaterThan(0);
      // The conversation already open keeps the room above the mark to append.
      expect((await post(instance.base, existing.id, existing.token, 4_000)).status).toBeLessThan(300);
    } finally {
      await instance.stop();
      await small.stop();
    }
  }, 60_000);
});

describe('consents per conversation on a real server and Redis', () => {
  it('lets one conversation share only a few identities, however many requests come at once', async () => {
    const instance = await start({ CONSENTS_PER_CONVERSATION: '3' });
    try {
      const { id, token } = await openConversation(instance.base);
      const grant = () =>
        fetch(`${instance.base}/api/v1/conversations/${id}/consent`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ sealed: randomBytes(200).toString('base64url'), retentionDays: 180 }),
        }).then(async (r) => `${r.status} ${r.ok ? '' : ((await r.json()) as { error: { code: string } }).error.code}`.trim());
      const codes = await Promise.all(Array.from({ length: 20 }, grant));
      expect(codes.filter((c) => c === '201')).toHaveLength(3);
      expect(new Set(codes.filter((c) => c !== '201'))).toEqual(new Set(['409 consent_limit']));
      expect(await instance.store.expiring.list('consent:unga')).toHaveLength(3);
    } finally {
      await instance.stop();
    }
  }, 30_000);
});
