// A conversation across two app instances on a highly available Redis (Sentinel or Cluster): a visitor
// on one instance, a responder on the other, senders that retry with the same client id until acked
// (through store failures and socket restarts), and the checks that nothing was lost or duplicated.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { createCookieJar, createResponderApi, createVisitorApi, type Envelope, type LogEntry } from '../../client/shared/api-client.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { ConversationId, Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { freePorts } from './free-port.js';
import { captureLogs, fakeCipher, newCid, seedResponder, seedTeams, solvePow, testConfig } from './harness.js';
import { connectWs, WsClosedError, WsFrameError, WsTimeoutError, type WsClient } from './ws-client.js';

export interface Instance {
  readonly server: RunningServer;
  readonly store: Store;
  readonly origin: string;
  readonly logs: string[];
}

export interface HaConversation {
  readonly instances: readonly [Instance, Instance];
  readonly visitor: WsClient;
  readonly responder: WsClient;
  readonly c: ConversationId;
  /** The key prefix both instances' stores share. */
  readonly prefix: string;
  /** Stops sockets, servers and stores. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const message = (cid: string): Envelope => ({ cid, kind: 'message', body: fakeCipher(48) });
export const ids = (entries: readonly LogEntry[]) => entries.map((e) => e.id);
export const cidsFrom = (entries: readonly LogEntry[], from: 'visitor' | 'responder') =>
  entries.filter((e) => e.from === from && e.kind === 'message').map((e) => e.cid);

/**
 * Starts two instances configured by `redisEnv` (REDIS_MODE and friends, through loadConfig as in
 * production), each with its own store connections, and opens a conversation: the visitor on the
 * first instance, the responder (logged in, on duty, claimed) on the second.
 */
export async function startHaConversation(redisEnv: Record<string, string>): Promise<HaConversation> {
  const prefix = `ha-${randomBytes(6).toString('hex')}`;
  const secret = new Uint8Array(randomBytes(32));
  const ports = await freePorts(2);
  const instances: Instance[] = [];
  const clients: WsClient[] = [];
  const close = async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const i of instances) await i.server.stop(500);
    for (const i of instances) await i.store.close().catch(() => undefined);
  };
  try {
    for (const port of ports) {
      const publicUrl = `http://127.0.0.1:${port}`;
      const config = testConfig({ ...redisEnv, PORT: String(port), PUBLIC_URL: publicUrl, REDIS_PREFIX: prefix });
      if (config.redis === null) throw new Error('no Redis configured');
      const store = await createRedisStore({ ...config.redis, prefix });
      const logs = captureLogs();
      const server = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: logs.logger('warn'), secret });
      instances.push({ server, store, origin: new URL(publicUrl).origin, logs: logs.lines });
    }
    const [a, b] = instances as [Instance, Instance];
    await seedTeams(a.store);
    const anna = await seedResponder(a.store, 'anna');

    const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(96) };
    const opened = await createVisitorApi({ baseUrl: a.server.url }).open({ category: 'chat', language: 'sv', intake }, solvePow);
    const c = opened.id as ConversationId;
    const visitor = await connectWs(a.server.url);
    clients.push(visitor);
    await visitor.helloVisitor(c, opened.token, null);

    const jar = createCookieJar();
    const api = createResponderApi({ baseUrl: b.server.url, cookies: jar });
    await api.login(anna.login, anna.authKey);
    await api.duty('unga', true);
    expect((await api.claim(c)).status).toBe('active');
    const responder = await connectWs(b.server.url, { cookie: jar.get(), origin: b.origin });
    clients.push(responder);
    await responder.helloResponder();
    await responder.sub(c, null);
    expect(visitor.messages(c).map((e) => e.cid)).toEqual([intake.cid]);
    expect(responder.messages(c).map((e) => e.cid)).toEqual([intake.cid]);
    return { instances: [a, b], visitor, responder, c, prefix, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Sends `envelope` until it is acknowledged, as a real client does: a store failure (error frame)
 * is retried after a pause, a closed socket is reopened (resuming after the last id seen) and the
 * same cid sent again, so the store's dedupe makes every retry harmless. Resolves with the ack.
 */
export async function sendUntilAcked(client: WsClient, c: string, envelope: Envelope, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await client.send(c, envelope);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      if (error instanceof WsClosedError || error instanceof WsTimeoutError) {
        await reconnectUntilDone(client, deadline);
      } else if (!(error instanceof WsFrameError)) {
        throw error;
      } else {
        await sleep(Math.min(50 * 2 ** attempt, 500));
      }
    }
  }
}

async function reconnectUntilDone(client: WsClient, deadline: number): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await client.reconnect();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(Math.min(50 * 2 ** attempt, 500));
    }
  }
}

/** Per client: every cid it saw acknowledged, with the id the ack named. */
const acks = new WeakMap<WsClient, Map<string, string>>();
export const ackedBy = (client: WsClient): ReadonlyMap<string, string> => acks.get(client) ?? new Map();

/**
 * Sends every cid in order, each once acknowledged (retrying), optionally pausing between them.
 * Records each ack (see ackedBy).
 */
export async function sendAll(client: WsClient, c: string, cids: readonly string[], pauseMs = 0, onAck?: (index: number) => void) {
  const acked = acks.get(client) ?? new Map<string, string>();
  acks.set(client, acked);
  for (const [index, cid] of cids.entries()) {
    const ack = await sendUntilAcked(client, c, message(cid));
    acked.set(cid, ack.id);
    onAck?.(index);
    if (pauseMs > 0) await sleep(pauseMs);
  }
}

/**
 * Waits until both sides received `count` entries and checks the invariant: every message a sender
 * saw acknowledged is in the log under the id its ack named (none lost), the log holds every sent
 * cid exactly once in each sender's order, and each side received exactly the log, once each, in
 * log order (a reconnecting side resumes after its last id, so nothing repeats).
 */
/**
 * Sends `count` messages from each side at once, records them in `sent`, and checks the log and both
 * streams hold everything sent so far exactly once (`total` entries with the intake).
 */
export async function exchangeBothWays(conversation: HaConversation, sent: { visitor: string[]; responder: string[] }, count: number, total: number) {
  const { visitor, responder, c } = conversation;
  const fromVisitor = Array.from({ length: count }, () => newCid());
  const fromResponder = Array.from({ length: count }, () => newCid());
  await Promise.all([sendAll(visitor, c, fromVisitor), sendAll(responder, c, fromResponder)]);
  sent.visitor.push(...fromVisitor);
  sent.responder.push(...fromResponder);
  await expectExactlyOnce(conversation, sent, total);
}

export async function expectExactlyOnce(
  conversation: HaConversation,
  sent: { readonly visitor: readonly string[]; readonly responder: readonly string[] },
  count: number,
): Promise<void> {
  const { visitor, responder, c } = conversation;
  // A socket the server closed (1012: its store connection was failing over) is reopened, as the
  // widget and the console do, and resumes after its last id.
  const deadline = Date.now() + 20_000;
  for (const side of [visitor, responder]) {
    while (side.messages(c).length < count && Date.now() < deadline) {
      if (side.socket.readyState === WebSocket.CLOSED) await reconnectUntilDone(side, deadline);
      await sleep(50);
    }
  }
  // The log first, so a failure says whether a message was lost (acked, not in the log) or only
  // not delivered.
  const log = await conversation.instances[1].store.log.after(c, null, 10_000);
  const logged = new Map(log.map((e) => [e.cid, e.id]));
  const acked = [...ackedBy(visitor), ...ackedBy(responder)];
  expect(acked.filter(([cid, id]) => logged.get(cid) !== id).map(([cid, id]) => ({ cid, acked: id, logged: logged.get(cid) ?? null }))).toEqual([]);
  expect(new Set(acked.map(([cid]) => cid))).toEqual(new Set([...sent.visitor, ...sent.responder]));
  expect(cidsFrom(log, 'visitor')).toEqual(sent.visitor);
  expect(cidsFrom(log, 'responder')).toEqual(sent.responder);
  expect(log).toHaveLength(count);
  for (const [name, side] of [['visitor', visitor], ['responder', responder]] as const) {
    const seen = new Map<string, number>();
    for (const e of side.messages(c)) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    const dups = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    if (dups.length > 0) {
      const frames = side.frames.map((f, i) => [i, f.t, (f as { id?: string }).id ?? ((f as { e?: { id?: string } }).e?.id) ?? '', (f as {cid?:string}).cid ?? (f as { e?: { cid?: string } }).e?.cid ?? '', (f as {code?:string}).code ?? '', (f as {dup?:boolean}).dup ?? '']);
      console.log('DUPS', name, dups, JSON.stringify(frames.filter(([, , id, cid]) => dups.includes(id as string) || side.messages(c).some((e) => dups.includes(e.id) && e.cid === cid) || (frames as unknown[]).length < 0)));
      console.log('TAIL', name, JSON.stringify(frames.filter(([, t]) => t !== 'msg' && t !== 'ack' && t !== 'pong')));
    }
  }
  expect({ visitor: visitor.messages(c).length, responder: responder.messages(c).length }).toEqual({ visitor: count, responder: count });
  // Nothing late either: no duplicate delivered after a pause.
  await sleep(300);
  expect(ids(visitor.messages(c))).toEqual(ids(log));
  expect(ids(responder.messages(c))).toEqual(ids(log));
}
