// Two app instances on a real Sentinel setup: a visitor on one and a responder on the other exchange
// messages both ways exactly once; then the primary is killed mid-conversation, the Sentinels promote
// the replica, the dead primary comes back as its replica, and the conversation goes on with nothing
// lost or repeated. REDIS_WAIT_REPLICAS=1: a message is acked only once a replica holds it, so no
// acknowledged message can die with the primary (replication is asynchronous).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { newCid } from '../support/harness.js';
import { exchangeBothWays, expectExactlyOnce, sendAll, startHaConversation, type HaConversation } from '../support/ha-conversation.js';
import { createKeys } from '../../server/store/redis/keys.js';
import { startRedisSentinel, type RedisSentinelSetup } from '../support/redis-sentinel.js';

describe('a conversation on Redis Sentinel', () => {
  let sentinel: RedisSentinelSetup;
  let conversation: HaConversation;
  const sent = { visitor: [] as string[], responder: [] as string[] };

  beforeAll(async () => {
    await loadSodium();
    sentinel = await startRedisSentinel();
    conversation = await startHaConversation({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: sentinel.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
      REDIS_SENTINEL_NAME: sentinel.name,
      // One pattern subscription per instance: it too must follow the failover.
      REDIS_FANOUT: 'pattern',
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '1000',
    });
  }, 60_000);

  afterAll(async () => {
    await conversation?.close();
    await sentinel?.stop();
  });

  it('relays messages both ways between two instances, in order and exactly once', async () => {
    await exchangeBothWays(conversation, sent, 50, 101);
  }, 30_000);

  it('survives the primary being killed mid-conversation: no message lost, none duplicated', async () => {
    const { visitor, responder, c } = conversation;
    const fromVisitor = Array.from({ length: 40 }, () => newCid());
    const fromResponder = Array.from({ length: 40 }, () => newCid());
    let failover: Promise<{ former: number; current: number }> | null = null;
    const kill = (index: number) => {
      if (index !== 9 || failover !== null) return;
      // Until the dead primary is back as the new one's replica, no append can be confirmed: the
      // senders retry (same cid) until then.
      failover = sentinel.killPrimary().then(async (result) => {
        await sentinel.restart(result.former, result.current);
        return result;
      });
    };
    const started = Date.now();
    await Promise.all([sendAll(visitor, c, fromVisitor, 20, kill), sendAll(responder, c, fromResponder, 20)]);
    const { former, current } = await failover!;
    expect(current).not.toBe(former);
    sent.visitor.push(...fromVisitor);
    sent.responder.push(...fromResponder);
    await expectExactlyOnce(conversation, sent, 181);
    // Each instance's one pattern subscription moved to the new primary; no channel subscriptions.
    const primary = sentinel.servers.find((s) => s.port === current)!;
    expect(await primary.cli('PUBSUB', 'NUMPAT')).toBe('1');
    expect((await primary.cli('CLIENT', 'LIST')).split('\n').filter((l) => / psub=1 /.test(l))).toHaveLength(2);
    expect(await primary.cli('PUBSUB', 'NUMSUB', createKeys(conversation.prefix).conversationChannel(c))).toMatch(/\n0$/);
    // It really went through the outage: sending 40 at 20 ms apiece takes under a second otherwise.
    expect(Date.now() - started).toBeGreaterThan(1_500);
    for (const instance of conversation.instances) expect(instance.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  }, 60_000);
});
