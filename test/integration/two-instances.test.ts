// Two app instances on one real redis-server: a visitor on A and a responder on B exchange messages
// over WebSockets in order and exactly once; A stops mid-stream and the visitor resumes on B.
import { randomBytes } from 'node:crypto';
import { freePorts } from '../support/free-port.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createCookieJar, createResponderApi, createVisitorApi, type Envelope } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer } from '../../server/server.js';
import type { ConversationId, LogEntry } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { captureLogs, fakeCipher, newCid, seedResponder, seedTeams, solvePow, testConfig } from '../support/harness.js';
import { cidsFrom, ids, message, type Instance } from '../support/ha-conversation.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { connectWs, WsClosedError, type WsClient } from '../support/ws-client.js';


describe('two instances on one Redis', () => {
  let redis: RedisServer;
  const instances: Instance[] = [];
  const clients: WsClient[] = [];
  const prefix = `it-${randomBytes(6).toString('hex')}`;
  const secret = new Uint8Array(randomBytes(32));

  async function startInstance(port: number): Promise<Instance> {
    const publicUrl = `http://127.0.0.1:${port}`;
    const config = testConfig({ PORT: String(port), PUBLIC_URL: publicUrl, REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    // Each instance has its own connections, as separate processes would.
    const store = await createRedisStore({ url: redis.url, prefix });
    const logs = captureLogs();
    const server = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: logs.logger('warn'), secret });
    const instance = { server, store, origin: new URL(publicUrl).origin, logs: logs.lines };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    await loadSodium();
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const i of instances) await i.server.stop(500);
    for (const i of instances) await i.store.close();
    await redis?.stop();
  });

  it('relays 100 messages each way in order, exactly once, and resumes on B when A stops', async () => {
    const [portA, portB] = await freePorts(2);
    const a = await startInstance(portA!);
    const b = await startInstance(portB!);
    await seedTeams(a.store);
    const anna = await seedResponder(a.store, 'anna');

    // The visitor opens the conversation on A and listens on A.
    const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(96) };
    const opened = await createVisitorApi({ baseUrl: a.server.url }).open({ category: 'chat', language: 'sv', intake }, solvePow);
    const c = opened.id;
    const visitor = await connectWs(a.server.url);
    clients.push(visitor);
    await visitor.helloVisitor(c, opened.token, null);
    expect(visitor.messages(c).map((e) => e.cid)).toEqual([intake.cid]);

    // The responder logs in, claims and listens on B (same-origin upgrade with the session cookie).
    const jar = createCookieJar();
    const api = createResponderApi({ baseUrl: b.server.url, cookies: jar });
    await api.login(anna.login, anna.authKey);
    await api.duty('unga', true);
    expect((await api.claim(c)).status).toBe('active');
    const responder = await connectWs(b.server.url, { cookie: jar.get(), origin: b.origin });
    clients.push(responder);
    await responder.helloResponder();
    await responder.sub(c, null);
    expect(responder.messages(c).map((e) => e.cid)).toEqual([intake.cid]);

    // 100 each way, both sides at once; each side sends its next message once the previous is acked.
    const fromVisitor = Array.from({ length: 100 }, () => newCid());
    const fromResponder = Array.from({ length: 100 }, () => newCid());
    const sendAll = async (client: WsClient, cids: readonly string[], pauseMs = 0) => {
      for (const cid of cids) {
        const ack = await client.send(c, message(cid));
        expect(ack.dup).toBe(false);
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    };
    await Promise.all([sendAll(visitor, fromVisitor), sendAll(responder, fromResponder)]);
    await visitor.waitForMessages(c, 201, 10_000);
    await responder.waitForMessages(c, 201, 10_000);

    const log = await b.store.log.after(c as ConversationId, null, 10_000);
    expect(log).toHaveLength(201);
    expect(cidsFrom(log, 'visitor')).toEqual(fromVisitor);
    expect(cidsFrom(log, 'responder')).toEqual(fromResponder);
    // Both sides saw exactly the log: every entry once, in log order.
    expect(ids(visitor.messages(c))).toEqual(ids(log));
    expect(ids(responder.messages(c))).toEqual(ids(log));
    // Its own entries it knows from its acks (issue 18: no copy comes back), which carry neither the
    // session number nor the server's time (the sender shows its own message at its own clock's time).
    const ownFromAck = ({ at: _at, ...e }: LogEntry) => ({ ...e, session: Number.NaN });
    expect(visitor.messages(c)).toEqual(log.map((e) => (e.from === 'visitor' && fromVisitor.includes(e.cid) ? ownFromAck(e) : e)));

    // A stops while the responder keeps sending; the visitor's socket is told to go elsewhere.
    const more = Array.from({ length: 60 }, () => newCid());
    const sending = sendAll(responder, more, 5);
    await visitor.waitForCid(c, more[19]!, 10_000);
    const visitorClosed = visitor.closed();
    const stopping = a.server.stop(2_000);
    expect((await visitorClosed).code).toBe(1012);
    await expect(visitor.send(c, message(newCid()))).rejects.toBeInstanceOf(WsClosedError);
    await stopping;
    const seenBeforeResume = visitor.messages(c).length;
    expect(seenBeforeResume).toBeGreaterThanOrEqual(221);
    // Really mid-stream: the responder was still sending when the visitor lost its socket.
    expect(seenBeforeResume).toBeLessThan(261);

    // The visitor resumes on B from its last id while the responder may still be sending.
    await visitor.reconnect(b.server.url);
    await sending;
    await visitor.waitForMessages(c, 261, 10_000);
    const afterStop = await b.store.log.after(c as ConversationId, null, 10_000);
    expect(cidsFrom(afterStop, 'responder')).toEqual([...fromResponder, ...more]);
    expect(ids(visitor.messages(c))).toEqual(ids(afterStop));

    // And the visitor's new messages (through B now) reach the responder, once each.
    const later = Array.from({ length: 20 }, () => newCid());
    await sendAll(visitor, later);
    await responder.waitForMessages(c, 281, 10_000);
    await visitor.waitForMessages(c, 281, 10_000);
    const final = await b.store.log.after(c as ConversationId, null, 10_000);
    expect(final).toHaveLength(281);
    expect(cidsFrom(final, 'visitor')).toEqual([...fromVisitor, ...later]);
    expect(ids(responder.messages(c))).toEqual(ids(final));
    expect(ids(visitor.messages(c))).toEqual(ids(final));
    // Nothing more arrives later (no late duplicates from either instance).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(responder.messages(c)).toHaveLength(281);
    expect(visitor.messages(c)).toHaveLength(281);
    expect(b.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });

  it('hands a conversation from a responder on one instance to a responder on another', async () => {
    const [portC, portD] = await freePorts(2);
    const c1 = await startInstance(portC!);
    const d1 = await startInstance(portD!);
    await seedTeams(c1.store);
    const [first, next] = [await seedResponder(c1.store, 'first'), await seedResponder(c1.store, 'next')];

    const opened = await createVisitorApi({ baseUrl: c1.server.url }).open({ category: 'chat', language: 'sv' }, solvePow);
    const c = opened.id;
    const visitor = await connectWs(d1.server.url);
    clients.push(visitor);
    await visitor.helloVisitor(c, opened.token, null);

    const login = async (instance: Instance, who: typeof first) => {
      const jar = createCookieJar();
      const api = createResponderApi({ baseUrl: instance.server.url, cookies: jar });
      await api.login(who.login, who.authKey);
      const ws = await connectWs(instance.server.url, { cookie: jar.get(), origin: instance.origin });
      clients.push(ws);
      await ws.helloResponder();
      return { api, ws };
    };
    const one = await login(c1, first);
    const two = await login(d1, next);
    await one.api.duty('unga', true);
    await one.api.claim(c);
    await one.ws.sub(c, null);
    const beforeCid = newCid();
    const before = await one.ws.send(c, message(beforeCid));
    await visitor.waitForCid(c, beforeCid);

    // The next responder writes as soon as the transfer lands (retrying until it is the
    // assignee); none of it may reach the first responder, whose instance is another one.
    const nextCids = Array.from({ length: 20 }, () => newCid());
    const nextWrites = (async () => {
      for (;;) {
        try {
          await two.api.post(c, message(nextCids[0]!));
          break;
        } catch (error) {
          // Until the transfer lands the conversation is not theirs to write to.
          if (!(error instanceof ApiRequestError) || error.code !== 'forbidden') throw error;
        }
      }
      for (const cid of nextCids.slice(1)) await two.api.post(c, message(cid));
    })();
    await one.api.transfer(c, { toResponder: next.id });
    await nextWrites;
    await two.ws.sub(c, null);
    const visitorCids = Array.from({ length: 5 }, () => newCid());
    for (const cid of visitorCids) await visitor.send(c, message(cid));

    await one.ws.waitFor((f) => f.t === 'unsubscribed' && f.c === c, 'unsubscribed', 5_000, 0);
    await visitor.waitForMessages(c, 26, 10_000);
    await two.ws.waitForMessages(c, 26, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(one.ws.messages(c).map((e) => e.id)).toEqual([before.id]);
    const log = await d1.store.log.after(c as ConversationId, null, 1_000);
    expect(ids(visitor.messages(c))).toEqual(ids(log));
    expect(ids(two.ws.messages(c))).toEqual(ids(log));
    expect(cidsFrom(log, 'responder').slice(1)).toEqual(nextCids);
    await expect(one.ws.send(c, message(newCid()))).rejects.toMatchObject({ code: 'forbidden' });
  });
});

