// Bug: during a Redis restart housekeeping logged StoreUnavailableError at error level ("level":50,
// "housekeeping failed"), which the topology test forbids and an operator would be paged for. Against
// a real redis-server that goes away before a run and comes back: the run is retried with backoff,
// logged at warn, then recovers; nothing is logged at error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startHousekeeping } from '../../server/retention/purge.js';
import type { Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { captureLogs } from '../support/harness.js';
import { startRedisServer, waitUntil, type RedisServer } from '../support/redis-server.js';

describe('background jobs while the store is briefly away', () => {
  let redis: RedisServer;
  let store: Store;
  beforeAll(async () => {
    redis = await startRedisServer();
    store = await createRedisStore({ url: redis.url, prefix: 'retry' });
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('housekeeping retries with backoff at warn level and recovers when Redis is back', async () => {
    const captured = captureLogs();
    const levels = () => captured.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    await redis.cli('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    await waitUntil(async () => store.ping().then(() => false, () => true), 5_000, 'store noticing Redis is gone');
    const stop = startHousekeeping({ store, clock: systemClock, random: systemRandom, logger: captured.logger('info'), intervalMs: 3_600_000, retry: { firstMs: 200, maxMs: 1_000, attempts: 20 } });
    try {
      await waitUntil(async () => levels().filter((l) => l.level === 40).length >= 2, 10_000, 'two retries logged at warn');
      await redis.restart();
      await waitUntil(async () => levels().some((l) => l.msg === 'housekeeping recovered'), 15_000, 'housekeeping recovering');
    } finally {
      stop();
    }
    expect(levels().filter((l) => l.level >= 50)).toEqual([]);
    expect(levels().find((l) => l.level === 40)).toMatchObject({ msg: 'housekeeping: store briefly away; retrying', err: 'StoreUnavailableError', retry: 1, retryInMs: 200 });
  });
});
