// Issue 14 §2, played against a real server on a real redis-server: a socket that floods 3,000
// frames of 16 KiB, a socket that never says hello, a socket that pings before hello. Each test
// counts what reached the store, and fails when the defence is taken out.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisitorApi } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { ConversationId, Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { freePort } from '../support/free-port.js';
import { captureLogs, newCid, seedTeams, solvePow, testConfig } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
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
async function start(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const store = await createRedisStore({ url: redis.url, prefix: `abuse-${randomBytes(4).toString('hex')}` });
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

