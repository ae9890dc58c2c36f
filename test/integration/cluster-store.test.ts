// The Store contract on a real 3-master (+3 replicas) Redis Cluster, plus what only a cluster shows:
// every key and the channel of one conversation share a slot, and events travel by sharded pub/sub.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../server/store/errors.js';
import { createKeys } from '../../server/store/redis/keys.js';
import type { ConversationId, ConversationRecord, Store, TeamId } from '../../server/store/ports.js';
import { runStoreContract, sampleConversation } from '../../server/store/store.case.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { freePorts } from '../support/free-port.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const freshPrefix = () => `cl-${randomBytes(6).toString('hex')}`;

let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

const clusterStore = (prefix: string) => createRedisStore({ topology: { mode: 'cluster', nodes: cluster.seeds }, prefix });

runStoreContract('redis cluster', async () => {
  const prefix = freshPrefix();
  const store = await clusterStore(prefix);
  return { store, advance: sleep, teardown: () => store.close() };
});

describe('Redis Cluster specifics', () => {
  let store: Store;
  const prefix = freshPrefix();
  const keys = createKeys(prefix);

  beforeAll(async () => {
    store = await clusterStore(prefix);
  });

  afterAll(async () => {
    await store?.close();
  });

  const conversationId = () => randomBytes(16).toString('base64url').slice(0, 22) as ConversationId;
  const slotOf = async (key: string) => Number(await cluster.cli(cluster.seeds[0]!.port, 'CLUSTER', 'KEYSLOT', key));

  it('keeps every key and the channel of one conversation in one slot, spread over the masters', async () => {
    const owners = new Set<number>();
    for (let i = 0; i < 12; i += 1) {
      const id = conversationId();
      const slots = await Promise.all([keys.conversation(id), keys.log(id), keys.dedupe(id), keys.notes(id), keys.conversationChannel(id)].map(slotOf));
      expect(new Set(slots).size).toBe(1);
      owners.add((await cluster.ownerOf(keys.conversation(id))).master);
    }
    // Different conversations land on different masters (12 random ids over 3 masters).
    expect(owners.size).toBeGreaterThan(1);
    const team = 'team-x' as TeamId;
    expect(await slotOf(keys.queue(team))).toBe(await slotOf(keys.teamChannel(team)));
  });

  it('acknowledges appends only once the replica of their slot holds them, on every master', async () => {
    const prefix = freshPrefix();
    const durable = await createRedisStore({ topology: { mode: 'cluster', nodes: cluster.seeds }, prefix, waitReplicas: 1, waitTimeoutMs: 5_000 });
    const k = createKeys(prefix);
    try {
      const ids = Array.from({ length: 9 }, () => conversationId());
      await Promise.all(ids.map((id) => durable.conversations.create(sampleConversation({ id }), 60_000)));
      const results = await Promise.all(
        ids.flatMap((id) =>
          Array.from({ length: 10 }, (_, i) =>
            durable.log.append(id, 'visitor', 0, { cid: `w-${String(i).padStart(14, '0')}`, kind: 'message', body: 'AA' }, 60_000, 100),
          ),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const masters = new Set<number>();
      for (const id of ids) {
        const { master, replicas } = await cluster.ownerOf(k.log(id));
        masters.add(master);
        const replica = createClient({ socket: { host: '127.0.0.1', port: replicas[0]! } });
        await replica.connect();
        try {
          await replica.sendCommand(['READONLY']);
          expect(await replica.xLen(k.log(id))).toBe(10);
        } finally {
          replica.destroy();
        }
      }
      expect(masters.size).toBeGreaterThan(1);
    } finally {
      await durable.close();
    }
  });

  it('reports StoreUnavailableError when no cluster node answers', async () => {
    const [port] = await freePorts(1);
    await expect(createRedisStore({ topology: { mode: 'cluster', nodes: [{ host: '127.0.0.1', port: port! }] } })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('subscribes by sharded pub/sub on the master that owns the channel, and delivers there', async () => {
    const id = conversationId();
    const channel = keys.conversationChannel(id);
    const { master } = await cluster.ownerOf(channel);
    const got: string[] = [];
    const unsubscribe = await store.events.onConversation(id, (e) => got.push(e.t));
    expect(await cluster.cli(master, 'PUBSUB', 'SHARDNUMSUB', channel)).toBe(`${channel}\n1`);
    expect(await cluster.cli(master, 'PUBSUB', 'NUMSUB', channel)).toBe(`${channel}\n0`);
    await store.events.toConversation(id, { t: 'typing', from: 'visitor' });
    for (let i = 0; i < 250 && got.length === 0; i += 1) await sleep(20);
    expect(got).toEqual(['typing']);
    await unsubscribe();
    expect(await cluster.cli(master, 'PUBSUB', 'SHARDNUMSUB', channel)).toBe(`${channel}\n0`);
  });
});
