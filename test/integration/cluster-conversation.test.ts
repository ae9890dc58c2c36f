// Two app instances on a real Redis Cluster: a visitor on one and a responder on the other exchange
// messages both ways exactly once; then the master owning the conversation's slot is killed mid-
// conversation, its replica takes over, the dead node comes back as its replica, and the
// conversation goes on with nothing lost or repeated. REDIS_WAIT_REPLICAS=1: a message is acked only
// once a replica holds it, so no acknowledged message can die with the master (with 0 one
// occasionally did: replication is asynchronous).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { newCid } from '../support/harness.js';
import { exchangeBothWays, expectExactlyOnce, sendAll, startHaConversation, type HaConversation } from '../support/ha-conversation.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';

describe('a conversation on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let conversation: HaConversation;
  const sent = { visitor: [] as string[], responder: [] as string[] };

  beforeAll(async () => {
    await loadSodium();
    cluster = await startRedisCluster();
    conversation = await startHaConversation({
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: cluster.seeds.map((s) => `${s.host}:${s.port}`).join(','),
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '1000',
    });
  }, 60_000);

  afterAll(async () => {
    await conversation?.close();
    await cluster?.stop();
  });

  it('relays messages both ways between two instances, in order and exactly once', async () => {
    await exchangeBothWays(conversation, sent, 50, 101);
  }, 30_000);

  it("survives the death of the master owning the conversation's slot: no message lost, none duplicated", async () => {
    const { visitor, responder, c } = conversation;
    const { master, replicas } = await cluster.ownerOf(`{${c}}`);
    expect(replicas).toHaveLength(1);
    const fromVisitor = Array.from({ length: 40 }, () => newCid());
    const fromResponder = Array.from({ length: 40 }, () => newCid());
    let killed: Promise<number> | null = null;
    const kill = (index: number) => {
      if (index !== 9 || killed !== null) return;
      // Until the dead master is back as the new one's replica, no append can be confirmed: the
      // senders retry (same cid) until then.
      killed = cluster
        .kill(master)
        .then(() => cluster.waitForNewOwner(`{${c}}`, master))
        .then(async (owner) => {
          await cluster.restart(master, owner);
          return owner;
        });
    };
    const started = Date.now();
    await Promise.all([sendAll(visitor, c, fromVisitor, 20, kill), sendAll(responder, c, fromResponder, 20)]);
    const promoted = await killed!;
    expect(promoted).toBe(replicas[0]);
    sent.visitor.push(...fromVisitor);
    sent.responder.push(...fromResponder);
    await expectExactlyOnce(conversation, sent, 181);
    // It really went through the outage: sending 40 at 20 ms apiece takes under a second otherwise.
    expect(Date.now() - started).toBeGreaterThan(1_500);
    for (const instance of conversation.instances) expect(instance.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  }, 60_000);
});
