// Redis from deploy/redis.conf with a tiny maxmemory: once it is full it refuses writes
// (noeviction), the visitor gets a clear 503 with Retry-After instead of silent data loss, and
// everything stored before is still there and readable when memory is freed again.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createVisitorApi, type Envelope } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { captureLogs, fakeCipher, newCid, seedTeams, solvePow, testConfig } from '../support/harness.js';
import { connectWs } from '../support/ws-client.js';
import { startDeployRedis, type DeployRedis } from './deploy-redis.js';
import { freePorts } from '../support/free-port.js';

describe('a full Redis under noeviction', () => {
  let deployRedis: DeployRedis;
  let store: Store;
  let server: RunningServer;
  let filler: ReturnType<typeof createClient>;
  const prefix = `ne-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    await loadSodium();
    deployRedis = await startDeployRedis(['--maxmemory', '3mb']);
    store = await createRedisStore({ url: deployRedis.appUrl, prefix });
    await seedTeams(store);
    const [port] = await freePorts(1);
    const config = testConfig({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, REDIS_URL: deployRedis.appUrl, REDIS_PREFIX: prefix });
    server = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: captureLogs().logger('warn'), secret: new Uint8Array(randomBytes(32)) });
    filler = createClient({ url: deployRedis.appUrl });
    filler.on('error', () => undefined);
    await filler.connect();
  });

  afterAll(async () => {
    await server?.stop(500);
    await store?.close();
    if (filler?.isOpen) await filler.close();
    await deployRedis?.stop();
  });

  it('answers 503 store_unavailable with Retry-After and keeps what was stored', async () => {
    expect(await filler.configGet('maxmemory-policy').catch(() => null)).toBeNull(); // the app user may not touch CONFIG
    expect(await deployRedis.ping()).toBe('PONG');

    const api = createVisitorApi({ baseUrl: server.url });
    const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(96) };
    const opened = await api.open({ category: 'chat', language: 'sv', intake }, solvePow);
    const before: Envelope = { cid: newCid(), kind: 'message', body: fakeCipher(200) };
    await api.post(opened.id, opened.token, before);

    // Fill Redis until it refuses even a small write (big chunks first, then smaller ones, since a
    // refused big command frees its own query buffer again).
    let refused: unknown = null;
    let n = 0;
    for (const size of [64 * 1024, 4 * 1024, 256, 16]) {
      refused = null;
      for (let i = 0; i < 2000 && refused === null; i += 1, n += 1) {
        try {
          await filler.set(`${prefix}:filler:${n}`, 'f'.repeat(size));
        } catch (error) {
          refused = error;
        }
      }
      expect(String(refused)).toMatch(/OOM/);
    }
    // Then overshoot on purpose: free a little and grow one string to 1 MiB with a tiny command
    // (Redis checks memory before a command runs), so memory stays well above the limit whatever
    // buffers come and go during the test.
    for (let i = n - 1; i >= 0; i -= 1) {
      await filler.del(`${prefix}:filler:${i}`);
      if (await filler.setRange(`${prefix}:big`, 1024 * 1024, 'f').then(() => true, () => false)) break;
    }
    await expect(filler.set(`${prefix}:filler:${n}`, 'f')).rejects.toThrow(/OOM/);

    // HTTP: a new message and a new conversation are refused with a clear 503 and a retry hint.
    const failed = await api.post(opened.id, opened.token, { cid: newCid(), kind: 'message', body: fakeCipher(200) }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiRequestError);
    expect(failed).toMatchObject({ status: 503, code: 'store_unavailable' });
    expect((failed as ApiRequestError).retryAfter).toBeGreaterThan(0);
    // A new conversation: 503 either way, from Redis itself or (issue 14) from the high-water mark
    // when its cached reading is fresh enough to have seen the fill.
    const refusedOpen = await api.open({ category: 'chat', language: 'sv' }, solvePow).catch((e: unknown) => e);
    expect(refusedOpen).toMatchObject({ status: 503 });
    expect(['store_unavailable', 'service_busy']).toContain((refusedOpen as ApiRequestError).code);
    const raw = await fetch(`${server.url}/api/v1/conversations/${opened.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opened.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cid: newCid(), kind: 'message', body: fakeCipher(200) }),
    });
    expect(raw.status).toBe(503);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');

    // WebSocket: the send is answered with an error frame naming the same code; the socket stays.
    const ws = await connectWs(server.url);
    await ws.helloVisitor(opened.id, opened.token);
    expect(ws.messages(opened.id).map((e) => e.cid)).toEqual([intake.cid, before.cid]);
    await expect(ws.send(opened.id, { cid: newCid(), kind: 'message', body: fakeCipher(64) })).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(ws.socket.readyState).toBe(ws.socket.OPEN);

    // Nothing already stored was evicted.
    const logKeys = await filler.keys(`${prefix}:*`).catch(() => null);
    expect(logKeys).toBeNull(); // KEYS is a @dangerous command: the app user has no business with it
    expect((await store.log.after(opened.id as never, null, 100)).map((e) => e.cid)).toEqual([intake.cid, before.cid]);
    expect(await store.conversations.get(opened.id as never)).not.toBeNull();

    // Memory freed: the same client carries on, with nothing lost.
    await filler.del(`${prefix}:big`);
    for (let i = 0; i <= n; i += 1) await filler.del(`${prefix}:filler:${i}`);
    const after: Envelope = { cid: newCid(), kind: 'message', body: fakeCipher(200) };
    const ack = await ws.send(opened.id, after);
    expect(ack.dup).toBe(false);
    const { messages } = await api.messages(opened.id, opened.token);
    expect(messages.map((m) => m.cid)).toEqual([intake.cid, before.cid, after.cid]);
    await ws.close();
  });
});
