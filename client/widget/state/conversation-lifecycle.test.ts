// An open conversation end to end against a responder made of crypto/ calls, a fake WebSocket and an
// in-memory API (fake timers: no sleeping): texts written while waiting go out after the handshake,
// acks and errors move delivery states, a retry and a reconnect resend the same envelope, the
// responder's texts and typing show, a resume code shares its psk inside the session, end and erase.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as C from '../../../crypto/index.js';
import { NOW, startConversation as cryptoConversation } from '../../../crypto/fixtures.case.js';
import { seededRandom } from '../../../crypto/random.js';
import type { WidgetApi } from './api.js';
import { startConversation } from './conversation-lifecycle.js';

class FakeSocket {
  static all: FakeSocket[] = [];
  sent: Array<Record<string, unknown>> = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor() {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.closed = true;
  }
  /** The server's side: the socket opens and the subscription is confirmed. */
  up() {
    this.onopen?.();
    this.frame({ t: 'subscribed', c: 'c1' });
  }
  frame(f: object) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  envelopes() {
    return this.sent.filter((f) => f.t === 'send').map((f) => f.e as { cid: string; kind: string; body: string });
  }
}

async function setup() {
  await C.loadSodium();
  const t = cryptoConversation(seededRandom('lifecycle'));
  let responder = t.responder;
  const calls: string[] = [];
  const api = {
    get: async () => ({ id: 'c1', category: 'chat', team: 'chat', status: 'waiting', session: 0, queuePosition: 1, danger: false }),
    messages: async () => ({ messages: [] }),
    wait: async () => ({ medianMs: 120_000, samples: 9 }),
    close: async () => void calls.push('close'),
    erase: async () => void calls.push('erase'),
    putResume: async () => (calls.push('putResume'), { expiresAt: 0 }),
  } as unknown as WidgetApi;
  vi.useFakeTimers();
  const conversation = startConversation(
    { api, crypto: C, solve: async () => new Uint8Array(8), rootPublicKey: '', wsUrl: 'ws://x/api/v1/ws', source: 'web', language: 'sv', now: () => NOW, createSocket: () => new FakeSocket() as unknown as WebSocket },
    { id: C.conversationIdToString(t.pending.conversationId), token: 'tok', category: 'chat', team: 'chat', staffed: true, anchor: t.pki.anchor, pending: t.pending, messages: [], lastId: null, resumeKeys: null, resumeCode: null },
  );
  const socket = () => FakeSocket.all.at(-1)!;
  socket().up();
  const fromResponder = (id: string, kind: string, wire: Uint8Array) => socket().frame({ t: 'msg', c: 'c1', e: { id, cid: `r${id}`, kind, from: 'responder', session: 1, body: C.toBase64url(wire) } });
  return {
    t,
    conversation,
    view: () => conversation.view.get(),
    socket,
    calls,
    handshake: () => fromResponder('2-0', 'handshake', t.handshakeWire),
    say(id: string, text: string) {
      const out = C.encryptMessage(responder, { type: 'text', text });
      responder = out.state;
      fromResponder(id, 'message', out.wire);
    },
    read(body: string) {
      const out = C.decryptMessage(responder, C.fromBase64url(body), { now: NOW });
      responder = out.state;
      return out.content;
    },
  };
}

beforeEach(() => {
  FakeSocket.all = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('conversation lifecycle', () => {
  it('holds what the visitor writes until the handshake, then sends it encrypted', async () => {
    const s = await setup();
    s.conversation.send('hej');
    expect(s.view().messages.map((m) => [m.text, m.state])).toEqual([['hej', 'queued']]);
    expect(s.socket().envelopes()).toEqual([]);
    s.handshake();
    expect(s.view()).toMatchObject({ phase: 'active', responder: { name: 'Responder alice', team: 'chat' }, safetyCode: s.t.visitor.safetyCode });
    const [env] = s.socket().envelopes();
    expect(env?.cid).toBe(s.view().messages[0]?.key);
    expect(s.read(env!.body)).toEqual({ type: 'text', text: 'hej' });
    expect(s.view().messages[0]?.state).toBe('sending');
    s.socket().frame({ t: 'ack', c: 'c1', cid: env!.cid, id: '3-0', dup: false });
    expect(s.view().messages[0]?.state).toBe('sent');
    s.conversation.stop();
  });

  it('marks a refused send failed, retries the same envelope, and clears the error on the next ack', async () => {
    const s = await setup();
    s.handshake();
    s.conversation.send('ett');
    const [env] = s.socket().envelopes();
    s.socket().frame({ t: 'error', code: 'rate_limited', message: 'slow', c: 'c1', cid: env!.cid });
    expect(s.view().messages[0]?.state).toBe('failed');
    expect(s.view().sendError).toBe('rate_limited');
    s.conversation.retry(env!.cid);
    expect(s.socket().envelopes()).toEqual([env, env]);
    s.socket().frame({ t: 'ack', c: 'c1', cid: env!.cid, id: '3-0', dup: false });
    expect(s.view()).toMatchObject({ sendError: null });
    expect(s.view().messages[0]?.state).toBe('sent');
    s.conversation.stop();
  });

  it('after a reconnect asks from the last id and resends what was not acknowledged', async () => {
    const s = await setup();
    s.handshake();
    s.conversation.send('ett');
    const [env] = s.socket().envelopes();
    const first = s.socket();
    first.onclose?.({ code: 1006, reason: '' });
    expect(s.view().connection).toBe('reconnecting');
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(2);
    s.socket().up();
    expect(s.socket().sent[0]).toMatchObject({ t: 'hello', after: '2-0' });
    expect(s.socket().envelopes()).toEqual([env]);
    expect(s.view()).toMatchObject({ connection: 'online', reconnected: true });
    s.conversation.stop();
  });

  it('shows the responder’s texts once and their typing for five seconds', async () => {
    const s = await setup();
    s.handshake();
    s.socket().frame({ t: 'typing', c: 'c1', from: 'responder' });
    expect(s.view().typing).toBe(true);
    s.say('4-0', 'Hej, jag heter Alice');
    expect(s.view().typing).toBe(false);
    s.socket().frame({ t: 'typing', c: 'c1', from: 'responder' });
    vi.advanceTimersByTime(5000);
    expect(s.view().typing).toBe(false);
    s.socket().frame({ t: 'msg', c: 'c1', e: { id: '4-0', cid: 'x', kind: 'message', from: 'responder', session: 1, body: 'AA' } });
    expect(s.view().messages.map((m) => [m.from, m.text])).toEqual([['them', 'Hej, jag heter Alice']]);
    s.conversation.stop();
  });

  it('makes a resume code: the psk goes to the responder inside the session, the blob to the server', async () => {
    const s = await setup();
    s.handshake();
    const code = await s.conversation.createResumeCode();
    expect(await s.conversation.createResumeCode()).toBe(code);
    const [env] = s.socket().envelopes();
    expect(s.read(env!.body)).toMatchObject({ type: 'resume-psk' });
    expect(s.calls).toEqual(['putResume']);
    expect(s.view().resumeCode).toBe(code);
    s.conversation.stop();
  });

  it('ends with a close message, and delete-now forgets everything and stops', async () => {
    const s = await setup();
    s.handshake();
    s.conversation.send('hej');
    await s.conversation.end();
    const envs = s.socket().envelopes();
    expect(envs.map((e) => e.kind)).toEqual(['message', 'close']);
    expect(s.view()).toMatchObject({ phase: 'closed', closedBy: 'self' });
    await s.conversation.erase();
    expect(s.calls).toEqual(['close', 'erase']);
    expect(s.view()).toMatchObject({ phase: 'erased', messages: [], resumeCode: null, safetyCode: null });
    expect(s.socket().closed).toBe(true);
  });

  it('an erased frame stops the conversation', async () => {
    const s = await setup();
    s.socket().frame({ t: 'erased', c: 'c1' });
    expect(s.view().phase).toBe('erased');
    expect(s.socket().closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
