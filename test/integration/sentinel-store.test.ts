// The Store contract on a real Sentinel setup (primary + replica + 3 Sentinels), plus: the store
// follows a failover on its own, and its subscribers are told to resync once they are live again.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../server/store/redis/keys.js';
import type { ConversationId, ConversationRecord, TeamId } from '../../server/store/ports.js';
import type { ReceivedConversationEvent } from '../../server/events/events.js';
import { runStoreContract, sampleConversation } from '../../server/store/store.case.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { startRedisSentinel, type RedisSentinelSetup } from '../support/redis-sentinel.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const freshPrefix = () => `se-${randomBytes(6).toString('hex')}`;

let sentinel: RedisSentinelSetup;

beforeAll(async () => {
  sentinel = await startRedisSentinel();
}, 60_000);

afterAll(async () => {
  await sentinel?.stop();
});

const sentinelStore = (prefix: string) =>
  createRedisStore({ topology: { mode: 'sentinel', name: sentinel.name, sentinels: sentinel.sentinels }, prefix });

runStoreContract('redis sentinel', async () => {
  const prefix = freshPrefix();
  const store = await sentinelStore(prefix);
  return { store, advance: sleep, teardown: () => store.close() };
});

describe('Redis Sentinel with durable acknowledgements', () => {
  it('acknowledges appends only once the replica holds them', async () => {
    const prefix = freshPrefix();
    const store = await createRedisStore({
      topology: { mode: 'sentinel', name: sentinel.name, sentinels: sentinel.sentinels },
      prefix,
      waitReplicas: 1,
      waitTimeoutMs: 5_000,
    });
    try {
      const id = randomBytes(16).toString('base64url').slice(0, 22) as ConversationId;
      await store.conversations.create(sampleConversation({ id }), 60_000);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store.log.append(id, 'visitor', 0, { cid: `w-${String(i).padStart(14, '0')}`, kind: 'message', body: 'AA' }, 60_000, 100),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const primary = await sentinel.primaryPort();
      const replica = sentinel.servers.find((s) => s.port !== primary)!;
      expect(await replica.cli('XLEN', createKeys(prefix).log(id))).toBe('30');
    } finally {
      await store.close();
    }
  });
});

describe('Redis Sentinel failover', () => {
  it('follows the promoted replica: data written before is there, writes go on, subscribers resync', async () => {
    const prefix = freshPrefix();
    const keys = createKeys(prefix);
    const store = await sentinelStore(prefix);
    try {
      const record: ConversationRecord = sampleConversation();
      await store.conversations.create(record, 60_000);
      const first = await store.log.append(record.id, 'visitor', 0, { cid: 'a'.repeat(16), kind: 'intake', body: 'AAAA' }, 60_000, 100);
      expect(first.ok).toBe(true);
      const events: ReceivedConversationEvent[] = [];
      await store.events.onConversation(record.id, (e) => events.push(e));

      const { former, current } = await sentinel.killPrimary();
      expect(current).not.toBe(former);
      for (let i = 0; i < 200 && !events.some((e) => e.t === 'resync'); i += 1) await sleep(50);
      expect(events).toContainEqual({ t: 'resync' });

      // Replicated before the kill, so still there; new writes land on the new primary.
      expect(await store.conversations.get(record.id)).toEqual(record);
      const second = await store.log.append(record.id, 'visitor', 0, { cid: 'b'.repeat(16), kind: 'message', body: 'BBBB' }, 60_000, 100);
      expect(second.ok && !second.duplicate).toBe(true);
      expect((await store.log.after(record.id, null, 10)).map((e) => e.cid)).toEqual(['a'.repeat(16), 'b'.repeat(16)]);
      for (let i = 0; i < 250 && !events.some((e) => e.t === 'msg' && e.cid === 'b'.repeat(16)); i += 1) await sleep(20);
      expect(events.flatMap((e) => (e.t === 'msg' ? [e.cid] : []))).toEqual(['b'.repeat(16)]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
