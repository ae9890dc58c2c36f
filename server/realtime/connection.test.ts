// Unit tests of one WebSocket connection over the memory store and a fake socket (no network):
// replay-then-live delivery exactly once, authorization, and loss of access after a transfer.
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { captureLogs, fakeCipher, newCid, seedResponder, seedTeams, testConfig } from '../../test/support/harness.js';
import { systemRandom } from '../clock.js';
import { createConversationService, type ConversationService } from '../conversations/service.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createKeys } from '../store/redis/keys.js';
import type { ConversationId, ConversationRecord, Envelope, LogEntry, ResponderRecord, Store } from '../store/ports.js';
import { createConnection, type Connection, type ConnectionDeps } from './connection.js';
import { createHub, type Hub } from './hub.js';
import { ClientFrameSchema } from '../../contract/frame-schema.js';
import { CloseCode, type ClientFrame, type ServerFrame } from '../../contract/frames.js';

/** A socket that records what the connection sends. */
function fakeSocket() {
  const frames: ServerFrame[] = [];
  const state = { closed: null as { code: number; reason: string } | null, buffered: 0 };
  return {
    frames,
    state,
    socket: {
      send: (text: string) => {
        frames.push(JSON.parse(text) as ServerFrame);
      },
      close: (code: number, reason: string) => {
        state.closed = { code, reason };
      },
      bufferedAmount: () => state.buffered,
    },
  };
}

type Fake = ReturnType<typeof fakeSocket>;

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

const msgs = (fake: Fake, c?: string) =>
  fake.frames.filter((f): f is Extract<ServerFrame, { t: 'msg' }> => f.t === 'msg' && (c === undefined || f.c === c)).map((f) => f.e as LogEntry);
const ofType = <T extends ServerFrame['t']>(fake: Fake, t: T) => fake.frames.filter((f): f is Extract<ServerFrame, { t: T }> => f.t === t);
const message = (): Envelope => ({ cid: newCid(), kind: 'message', body: fakeCipher(32) });

interface Setup {
  readonly store: Store;
  readonly conversations: ConversationService;
  readonly deps: ConnectionDeps;
  connect(responder: ResponderRecord | null, service?: ConversationService): { fake: Fake; conn: Connection; frame(f: ClientFrame): Promise<void> };
  open(): Promise<{ record: ConversationRecord; token: string; intake: LogEntry }>;
  responder(login: string, teams?: readonly string[]): Promise<ResponderRecord>;
  postAsVisitor(id: ConversationId, token: string): Promise<LogEntry>;
}

async function setup(): Promise<Setup> {
  const config = testConfig();
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  await seedTeams(store);
  const conversations = createConversationService({ store, config, clock: { now: () => Date.now() }, random: systemRandom });
  const deps: ConnectionDeps = {
    conversations,
    hub: createHub(store.events),
    events: store.events,
    logger: captureLogs().logger('warn'),
    maxBufferedBytes: 1 << 20,
    maxFrameChars: config.maxBodyBytes,
    budget: config.socketBudget,
  };
  return {
    store,
    conversations,
    deps,
    connect(responder, service = conversations) {
      const fake = fakeSocket();
      const conn = createConnection(fake.socket, responder, { ...deps, conversations: service });
      return { fake, conn, frame: (f) => conn.onMessage(JSON.stringify(f)) };
    },
    async open() {
      const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(64) };
      const opened = await conversations.open({ id: null, category: 'chat', language: 'sv', source: '', danger: false, intake });
      const [entry] = await store.log.after(opened.record.id, null, 1);
      return { record: opened.record, token: opened.token, intake: entry! };
    },
    async responder(login, teams) {
      const seeded = await seedResponder(store, login, teams);
      return (await store.staff.getResponder(seeded.id))!;
    },
    async postAsVisitor(id, token) {
      const record = await conversations.asVisitor(id, token);
      return (await conversations.postAsVisitor(record, message())).entry;
    },
  };
}

beforeAll(async () => {
  await loadSodium();
});

describe('websocket connection: replay then live', () => {
  it('replays after the given id, then delivers live messages, each once', async () => {
    const t = await setup();
    const { record, token, intake } = await t.open();
    const posted = [intake];
    for (let i = 0; i < 4; i += 1) posted.push(await t.postAsVisitor(record.id, token));

    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: record.id, token, after: posted[1]!.id });
    expect(v.fake.frames.map((f) => f.t)).toEqual(['ready', 'msg', 'msg', 'msg', 'state', 'subscribed']);
    expect(msgs(v.fake)).toEqual(posted.slice(2));
    expect(ofType(v.fake, 'state')).toEqual([{ t: 'state', c: record.id, status: 'waiting', session: 0 }]);

    const live = [await t.postAsVisitor(record.id, token), await t.postAsVisitor(record.id, token)];
    await eventually(() => expect(msgs(v.fake)).toEqual([...posted.slice(2), ...live]));
    await settle();
    expect(msgs(v.fake)).toHaveLength(5);
  });

  it('delivers a message appended while the replay reads the log exactly once', async () => {
    const t = await setup();
    const { record, token, intake } = await t.open();
    const during: LogEntry[] = [];
    let calls = 0;
    // Appends before the first page is read (so it is both in the replay and a buffered live
    // event) and after it is read (so only the live event carries it).
    const racing: ConversationService = {
      ...t.conversations,
      async history(id, after, limit) {
        calls += 1;
        if (calls === 1) during.push(await t.postAsVisitor(record.id, token));
        const page = await t.conversations.history(id, after, limit);
        if (calls === 1) during.push(await t.postAsVisitor(record.id, token));
        return page;
      },
    };
    const v = t.connect(null, racing);
    await v.frame({ t: 'hello', v: 1, c: record.id, token, after: null });
    await settle();
    expect(during).toHaveLength(2);
    expect(msgs(v.fake)).toEqual([intake, ...during]);
    const after = await t.postAsVisitor(record.id, token);
    await eventually(() => expect(msgs(v.fake)).toEqual([intake, ...during, after]));
  });

  it('replays what a lost subscription missed when the store says resync, each once', async () => {
    const t = await setup();
    const { record, token, intake } = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: record.id, token, after: null });
    expect(msgs(v.fake)).toEqual([intake]);
    // Appended while this instance's subscription was away: in the log, never published to it.
    const missed: LogEntry[] = [];
    const memory = t.store as unknown as { db: { xadd(k: string, f: Record<string, string>): string } };
    for (let i = 0; i < 3; i += 1) {
      const id = memory.db.xadd(createKeys().log(record.id), { from: 'responder', session: '1', cid: newCid(), kind: 'message', body: fakeCipher(16) });
      missed.push((await t.store.log.after(record.id, msgs(v.fake).at(-1)?.id ?? null, 10)).find((e) => e.id === id)!);
    }
    await t.store.events.toConversation(record.id, { t: 'resync' });
    await eventually(() => expect(msgs(v.fake)).toEqual([intake, ...missed]));
    const live = await t.postAsVisitor(record.id, token);
    await eventually(() => expect(msgs(v.fake)).toEqual([intake, ...missed, live]));
    await settle();
    expect(msgs(v.fake)).toHaveLength(5);
  });

  it('pages through a log longer than one replay page without gaps or repeats', async () => {
    const t = await setup();
    const { record, token, intake } = await t.open();
    const posted = [intake];
    for (let i = 0; i < 449; i += 1) posted.push(await t.postAsVisitor(record.id, token));
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: record.id, token, after: null });
    expect(msgs(v.fake).map((e) => e.id)).toEqual(posted.map((e) => e.id));
    const resumed = t.connect(null);
    await resumed.frame({ t: 'hello', v: 1, c: record.id, token, after: posted[199]!.id });
    expect(msgs(resumed.fake).map((e) => e.id)).toEqual(posted.slice(200).map((e) => e.id));
  });

  it('handles frames of one socket in order: a send right behind the hello is acknowledged', async () => {
    const t = await setup();
    const { record, token } = await t.open();
    const v = t.connect(null);
    const e = message();
    // A client may send without waiting for "ready"; the frames arrive back to back.
    await Promise.all([
      v.frame({ t: 'hello', v: 1, c: record.id, token, after: null }),
      v.frame({ t: 'send', c: record.id, e }),
    ]);
    expect(v.fake.state.closed).toBeNull();
    expect(ofType(v.fake, 'error')).toEqual([]);
    expect(ofType(v.fake, 'ack')).toEqual([{ t: 'ack', c: record.id, cid: e.cid, id: expect.any(String), dup: false }]);
  });

  it('acknowledges a repeated cid as a duplicate, stores it once and sends the sender no copy', async () => {
    const t = await setup();
    const { record, token } = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: record.id, token, after: null });
    const e = message();
    await v.frame({ t: 'send', c: record.id, e });
    await eventually(() => expect(ofType(v.fake, 'ack')).toHaveLength(1));
    await v.frame({ t: 'send', c: record.id, e });
    const acks = ofType(v.fake, 'ack');
    expect(acks.map((a) => a.dup)).toEqual([false, true]);
    expect(acks[0]!.id).toBe(acks[1]!.id);
    await settle();
    // Issue 18: the sender holds its plaintext; the ack (with the id) replaces the copy it used to get.
    expect(msgs(v.fake).filter((m) => m.cid === e.cid)).toHaveLength(0);
    expect((await t.store.log.after(record.id, null, 10)).filter((m) => m.cid === e.cid)).toHaveLength(1);
  });

  it('puts the ack in the message’s place in the sender’s stream, so its id is a resume position', async () => {
    const t = await setup();
    const { record, token } = await t.open();
    const anna = await t.responder('anna-acks');
    await t.conversations.claim(record.id, anna);
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: record.id, token, after: null });
    const r = t.connect(anna);
    await r.frame({ t: 'hello', v: 1 });
    await r.frame({ t: 'sub', c: record.id, after: null });
    const mine = Array.from({ length: 20 }, message);
    const theirs = Array.from({ length: 20 }, message);
    // Both sides send at once: the responder's messages race the visitor's appends and acks.
    await Promise.all([
      (async () => {
        for (const e of mine) await v.frame({ t: 'send', c: record.id, e });
      })(),
      (async () => {
        for (const e of theirs) await r.frame({ t: 'send', c: record.id, e });
      })(),
    ]);
    const log = await t.store.log.after(record.id, null, 100);
    await eventually(() => expect(ofType(v.fake, 'ack')).toHaveLength(20));
    await eventually(() => expect(msgs(v.fake)).toHaveLength(log.length - 20));
    // The visitor's stream (messages received, own acks in their place) is the log, in order.
    const stream = v.fake.frames.flatMap((f) => (f.t === 'msg' ? [(f.e as LogEntry).id] : f.t === 'ack' ? [f.id] : []));
    expect(stream).toEqual(log.map((e) => e.id));
    expect(msgs(v.fake).filter((e) => mine.some((m) => m.cid === e.cid))).toEqual([]);
    // The responder got every visitor message, as messages.
    await eventually(() => expect(msgs(r.fake).filter((e) => e.from === 'visitor').map((e) => e.cid)).toEqual(log.filter((e) => e.from === 'visitor').map((e) => e.cid)));
    // Resuming after any ack's id replays exactly what follows it.
    for (const ack of ofType(v.fake, 'ack').filter((_, i) => i % 5 === 0)) {
      const resumed = t.connect(null);
      await resumed.frame({ t: 'hello', v: 1, c: record.id, token, after: ack.id });
      expect(msgs(resumed.fake).map((e) => e.id)).toEqual(log.slice(log.findIndex((e) => e.id === ack.id) + 1).map((e) => e.id));
    }
  });
});

describe('websocket connection: authorization', () => {
  it('sends of a live subscription use its record, which follows the close event', async () => {
    const t = await setup();
    const a = await t.open();
    const anna = await t.responder('anna');
    await t.conversations.claim(a.record.id, anna);
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    const r = t.connect(anna);
    await r.frame({ t: 'hello', v: 1 });
    await r.frame({ t: 'sub', c: a.record.id, after: null });

    // Count the store reads of conversation records from here on.
    const get = t.store.conversations.get.bind(t.store.conversations);
    let reads = 0;
    t.store.conversations.get = (id) => ((reads += 1), get(id));
    await v.frame({ t: 'send', c: a.record.id, e: message() });
    await r.frame({ t: 'send', c: a.record.id, e: message() });
    expect(ofType(v.fake, 'ack')).toHaveLength(1);
    expect(ofType(r.fake, 'ack')).toHaveLength(1);
    expect(reads).toBe(0);

    await t.conversations.close(a.record.id, anna, null);
    await eventually(() => expect(ofType(v.fake, 'state').at(-1)?.status).toBe('closed'));
    await eventually(() => expect(ofType(r.fake, 'state').at(-1)?.status).toBe('closed'));
    const late = [message(), message()] as const;
    await v.frame({ t: 'send', c: a.record.id, e: late[0] });
    await r.frame({ t: 'send', c: a.record.id, e: late[1] });
    expect(ofType(v.fake, 'error').map((f) => [f.code, f.cid])).toEqual([['conversation_closed', late[0].cid]]);
    expect(ofType(r.fake, 'error').map((f) => [f.code, f.cid])).toEqual([['conversation_closed', late[1].cid]]);
    expect((await t.store.log.after(a.record.id, null, 10)).map((e) => e.cid)).not.toContain(late[0].cid);
  });

  it('answers every malformed frame with an error frame and stores nothing from it', async () => {
    const t = await setup();
    const a = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    const valid = { t: 'send', c: a.record.id, e: message() };
    const malformed: unknown[] = [
      { ...valid, extra: 1 },
      { ...valid, e: { ...valid.e, body: `${valid.e.body}=` } },
      { ...valid, e: { ...valid.e, cid: 'short' } },
      { ...valid, e: { ...valid.e, kind: 'nonsense' } },
      { ...valid, e: { ...valid.e, body: '' } },
      { ...valid, e: { cid: valid.e.cid, kind: valid.e.kind } },
      { ...valid, c: 'x' },
      { t: 'send', c: a.record.id },
      { ...valid, t: 'sent' },
      [valid],
      'send',
      null,
    ];
    fc.assert(fc.property(fc.anything(), (junk) => void (ClientFrameSchema.safeParse(junk).success || malformed.push(junk))), { numRuns: 100 });
    for (const frame of malformed) await v.conn.onMessage(JSON.stringify(frame) ?? 'undefined');
    expect(ofType(v.fake, 'error')).toHaveLength(malformed.length);
    expect(ofType(v.fake, 'ack')).toEqual([]);
    expect(await t.store.log.after(a.record.id, null, 10)).toEqual([a.intake]);
    expect(v.fake.state.closed).toBeNull();
  });

  it('builds a live message’s frame once for every local socket of the conversation', async () => {
    const t = await setup();
    const a = await t.open();
    const texts: string[][] = [[], []];
    for (const seen of texts) {
      const fake = fakeSocket();
      const conn = createConnection({ ...fake.socket, send: (text) => seen.push(String(text)) }, null, t.deps);
      await conn.onMessage(JSON.stringify({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null }));
    }
    const stringify = vi.spyOn(JSON, 'stringify');
    const entry = await t.postAsVisitor(a.record.id, a.token);
    await eventually(() => expect(texts.map((x) => x.length)).toEqual([5, 5]));
    // Frames carry the conversation id (c); the store's own event encoding does not.
    const encodedMsgs = stringify.mock.calls.filter(([v]) => (v as { t?: string; c?: string } | null)?.c === a.record.id && (v as { t: string }).t === 'msg');
    stringify.mockRestore();
    // Issue 18: the frame is built from the store's payload as it came (one concatenation for all
    // sockets), not by encoding the parsed entry again.
    expect(encodedMsgs).toHaveLength(0);
    const [first, second] = texts.map((x) => x.at(-1));
    expect(JSON.parse(first!)).toEqual({ t: 'msg', c: a.record.id, e: entry });
    expect(second).toBe(first);
  });

  it('refuses a visitor token of another conversation and closes the socket', async () => {
    const t = await setup();
    const a = await t.open();
    const b = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: b.token, after: null });
    expect(ofType(v.fake, 'error').map((e) => e.code)).toEqual(['unauthorized']);
    expect(v.fake.state.closed?.code).toBe(CloseCode.PolicyViolation);
    expect(msgs(v.fake)).toEqual([]);
    await t.postAsVisitor(a.record.id, a.token);
    await settle();
    expect(msgs(v.fake)).toEqual([]);
  });

  // Issue 14 §2: a ping before hello used to be answered, so a socket could stay open for ever
  // without saying who it is. Now nothing but hello is accepted first.
  it('refuses anything but hello (ping included) before hello', async () => {
    const t = await setup();
    const a = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'ping' });
    await v.frame({ t: 'sub', c: a.record.id, after: null });
    expect(v.fake.frames.map((f) => f.t)).toEqual(['error']);
    expect(v.fake.state.closed?.code).toBe(CloseCode.PolicyViolation);
  });

  it('closes a socket that does not say hello before the deadline (1008, hello_timeout)', async () => {
    vi.useFakeTimers();
    try {
      const t = await setup();
      const v = t.connect(null);
      vi.advanceTimersByTime(t.deps.budget!.helloTimeoutMs - 1);
      expect(v.fake.state.closed).toBeNull();
      vi.advanceTimersByTime(1);
      expect(v.fake.state.closed).toEqual({ code: CloseCode.PolicyViolation, reason: 'hello_timeout' });
      expect(ofType(v.fake, 'error').map((e) => e.code)).toEqual(['hello_timeout']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses frames past the socket budget before handling them, then closes a socket that keeps on', async () => {
    const t = await setup();
    const { record, token } = await t.open();
    let now = 1_000_000;
    const fake = fakeSocket();
    const conn = createConnection(fake.socket, null, { ...t.deps, budget: { framesPerSecond: 2, frameBurst: 3, helloTimeoutMs: 5_000 }, now: () => now });
    await conn.onMessage(JSON.stringify({ t: 'hello', v: 1, c: record.id, token, after: null }));
    for (let i = 0; i < 4; i += 1) await conn.onMessage(JSON.stringify({ t: 'ping' }));
    // Burst of 3: hello and two pings handled; the third ping refused (once), nothing more answered.
    expect(ofType(fake, 'pong')).toHaveLength(2);
    expect(ofType(fake, 'error').map((e) => e.code)).toEqual(['socket_rate_limited']);
    now += 1_000; // two tokens back
    await conn.onMessage(JSON.stringify({ t: 'ping' }));
    await conn.onMessage(JSON.stringify({ t: 'ping' }));
    expect(ofType(fake, 'pong')).toHaveLength(4);
    for (let i = 0; i < 6; i += 1) await conn.onMessage(JSON.stringify({ t: 'ping' }));
    expect(fake.state.closed).toBeNull();
    await conn.onMessage(JSON.stringify({ t: 'ping' }));
    expect(fake.state.closed).toEqual({ code: CloseCode.TryAgainLater, reason: 'socket_rate_limited' });
    expect(ofType(fake, 'pong')).toHaveLength(4);
  });

  it('keeps a visitor to its own conversation: sub and send to another are forbidden', async () => {
    const t = await setup();
    const a = await t.open();
    const b = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    await v.frame({ t: 'sub', c: b.record.id, after: null });
    const e = message();
    await v.frame({ t: 'send', c: b.record.id, e });
    expect(ofType(v.fake, 'error')).toEqual([
      { t: 'error', code: 'forbidden', message: expect.any(String), c: b.record.id },
      { t: 'error', code: 'forbidden', message: expect.any(String), c: b.record.id, cid: e.cid },
    ]);
    expect(await t.store.log.after(b.record.id, null, 10)).toEqual([b.intake]);
    expect(msgs(v.fake, b.record.id)).toEqual([]);
  });

  it('refuses a responder of another team', async () => {
    const t = await setup();
    const a = await t.open(); // team "unga"
    const outsider = await t.responder('outsider', ['foraldrar']);
    const r = t.connect(outsider);
    await r.frame({ t: 'hello', v: 1 });
    await r.frame({ t: 'sub', c: a.record.id, after: null });
    const e = message();
    await r.frame({ t: 'send', c: a.record.id, e });
    expect(ofType(r.fake, 'error').map((f) => [f.code, f.cid])).toEqual([
      ['forbidden', undefined],
      ['forbidden', e.cid],
    ]);
    expect(msgs(r.fake)).toEqual([]);
    expect(r.fake.state.closed).toBeNull();
  });

  it('takes a waiting conversation away from other team members once someone claims it', async () => {
    const t = await setup();
    const a = await t.open();
    const [anna, bo] = [await t.responder('anna'), await t.responder('bo')];
    const watcher = t.connect(bo);
    await watcher.frame({ t: 'hello', v: 1 });
    await watcher.frame({ t: 'sub', c: a.record.id, after: null });
    expect(msgs(watcher.fake)).toEqual([a.intake]);

    await t.conversations.claim(a.record.id, anna);
    await eventually(() => expect(ofType(watcher.fake, 'unsubscribed')).toEqual([{ t: 'unsubscribed', c: a.record.id, reason: 'forbidden' }]));
    await t.postAsVisitor(a.record.id, a.token);
    await settle();
    expect(msgs(watcher.fake)).toEqual([a.intake]);
  });

  it('after a transfer the first responder is unsubscribed and gets no new messages', async () => {
    const t = await setup();
    const a = await t.open();
    const [anna, bo] = [await t.responder('anna'), await t.responder('bo')];
    await t.conversations.claim(a.record.id, anna);
    const first = t.connect(anna);
    await first.frame({ t: 'hello', v: 1 });
    await first.frame({ t: 'sub', c: a.record.id, after: null });
    const before = await t.postAsVisitor(a.record.id, a.token);
    await eventually(() => expect(msgs(first.fake)).toEqual([a.intake, before]));

    await t.conversations.transfer(a.record.id, anna, { kind: 'responder', responder: bo.id });
    await eventually(() => expect(ofType(first.fake, 'unsubscribed')).toEqual([{ t: 'unsubscribed', c: a.record.id, reason: 'forbidden' }]));
    expect(ofType(first.fake, 'state').at(-1)).toEqual({ t: 'state', c: a.record.id, status: 'active', session: 2 });

    const after = await t.postAsVisitor(a.record.id, a.token);
    const e = message();
    await first.frame({ t: 'send', c: a.record.id, e });
    await settle();
    expect(msgs(first.fake)).toEqual([a.intake, before]);
    expect(ofType(first.fake, 'error').map((f) => [f.code, f.cid])).toEqual([['forbidden', e.cid]]);
    // Re-subscribing is refused too.
    await first.frame({ t: 'sub', c: a.record.id, after: null });
    expect(ofType(first.fake, 'error')).toHaveLength(2);

    const next = t.connect(bo);
    await next.frame({ t: 'hello', v: 1 });
    await next.frame({ t: 'sub', c: a.record.id, after: null });
    expect(msgs(next.fake)).toEqual([a.intake, before, after]);
  });

  it('does not leak a message appended right behind the transfer to the first responder', async () => {
    const t = await setup();
    const a = await t.open();
    const [anna, bo] = [await t.responder('anna'), await t.responder('bo')];
    await t.conversations.claim(a.record.id, anna);
    const first = t.connect(anna);
    await first.frame({ t: 'hello', v: 1 });
    await first.frame({ t: 'sub', c: a.record.id, after: null });

    // The next responder's first message follows the transfer within the same tick.
    const transferred = await t.conversations.transfer(a.record.id, anna, { kind: 'responder', responder: bo.id });
    const { entry } = await t.conversations.postAsResponder(transferred, bo, message());
    await eventually(() => expect(ofType(first.fake, 'unsubscribed')).toHaveLength(1));
    await settle();
    expect(msgs(first.fake).map((m) => m.id)).not.toContain(entry.id);
  });

  it('tells every listener when the visitor erases the conversation', async () => {
    const t = await setup();
    const a = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    await t.conversations.erase(a.record);
    await eventually(() => expect(ofType(v.fake, 'unsubscribed')).toEqual([{ t: 'unsubscribed', c: a.record.id, reason: 'conversation_gone' }]));
    expect(ofType(v.fake, 'erased')).toEqual([{ t: 'erased', c: a.record.id }]);
    expect(t.deps.hub.channelCount()).toBe(0);
  });

  it('closes a slow consumer with 1013 and stops listening', async () => {
    const t = await setup();
    const a = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    v.fake.state.buffered = (1 << 20) + 1;
    await t.postAsVisitor(a.record.id, a.token);
    await eventually(() => expect(v.fake.state.closed?.code).toBe(CloseCode.TryAgainLater));
    await eventually(() => expect(t.deps.hub.channelCount()).toBe(0));
  });

  it('leaves no store subscription behind when the socket closes during the hello', async () => {
    const t = await setup();
    const a = await t.open();
    const slow: ConversationService = {
      ...t.conversations,
      async asVisitor(id, token) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return t.conversations.asVisitor(id, token);
      },
    };
    const v = t.connect(null, slow);
    const hello = v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await v.conn.onClose();
    await hello;
    await settle();
    expect(t.deps.hub.channelCount()).toBe(0);
  });

  it('leaves no store subscription behind when the socket closes while the listener starts', async () => {
    const t = await setup();
    const a = await t.open();
    const fake = fakeSocket();
    const slowHub = {
      ...t.deps.hub,
      async listenConversation(...args: Parameters<Hub['listenConversation']>) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return t.deps.hub.listenConversation(...args);
      },
    };
    const conn = createConnection(fake.socket, null, { ...t.deps, hub: slowHub });
    const hello = conn.onMessage(JSON.stringify({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await conn.onClose();
    await hello;
    await settle();
    expect(t.deps.hub.channelCount()).toBe(0);
  });

  it('releases its store subscriptions on close', async () => {
    const t = await setup();
    const a = await t.open();
    const v = t.connect(null);
    await v.frame({ t: 'hello', v: 1, c: a.record.id, token: a.token, after: null });
    expect(t.deps.hub.channelCount()).toBe(1);
    await v.conn.onClose();
    expect(t.deps.hub.channelCount()).toBe(0);
  });
});
