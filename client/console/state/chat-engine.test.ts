// The console's per-conversation protocol against a visitor made of crypto/ calls, over a simulated
// log: intake answered once, messages both ways, a transfer to a colleague (fresh handshake bound to
// the announcement, the first responder reads nothing new), a handoff for someone else, a resume.
import { describe, expect, it } from 'vitest';
import type { MessageId } from '../../../contract/ids.js';
import { createPki, NOW } from '../../../crypto/fixtures.case.js';
import {
  completeHandshake,
  createIntake,
  createSessionRequest,
  decryptMessage,
  encryptMessage,
  fromBase64url,
  loadSodium,
  toBase64url,
  conversationIdToString,
  type PendingVisitor,
  type SessionState,
} from '../../../crypto/index.js';
import { seededRandom } from '../../../crypto/random.js';
import type { Envelope, LogEntry } from '../../shared/api-client.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import { openLocalSecret, openStateSnapshot } from '../../../crypto/index.js';
import { createChatEngine, resumePskPurpose, type ChatEvent } from './chat-engine.js';

async function world() {
  await loadSodium();
  const random = seededRandom('chat-engine');
  const pki = createPki(random);
  const alice = pki.responder({ id: 'alice', teams: ['unga'], serial: 10 });
  const bob = pki.responder({ id: 'bob', teams: ['unga'], serial: 11 });
  const carol = pki.responder({ id: 'carol', teams: ['unga'], serial: 12 });
  const team = pki.team({ team: 'unga', epoch: 1, serial: 100, member: alice.boxKeyPair });
  const keysOf = (r: typeof alice, inbox: boolean): UnlockedKeys => ({
    anchor: pki.anchor,
    identity: r.identity,
    boxKeyPair: r.boxKeyPair,
    inbox: new Map(inbox ? [['unga:1', team.inbox]] : []),
    snapshotKey: random(32),
  });
  const log: LogEntry[] = [];
  let n = 0;
  const append = (from: 'visitor' | 'responder', e: Envelope) => {
    const entry = { ...e, id: `${1000 + n}-${n++}` as MessageId, from, session: 0, at: 1000 + n };
    log.push(entry);
    return entry;
  };
  const { wire, pending } = createIntake({ teamCert: team.cert, category: 'chat', text: 'Jag vill ut', random });
  const id = conversationIdToString(pending.conversationId);
  append('visitor', { cid: 'intake', kind: 'intake', body: toBase64url(wire) });

  const engine = (
    who: typeof alice,
    inbox: boolean,
    restore: { keys: UnlockedKeys; state: SessionState; psk: Uint8Array | null; seen: number } | null = null,
    engineId = id,
  ) => {
    const events: ChatEvent[] = [];
    const keys = restore?.keys ?? keysOf(who, inbox);
    const e = createChatEngine({
      id: engineId,
      team: 'unga',
      keys,
      post: async (env) => append('responder', env),
      emit: (ev) => events.push(ev),
      now: () => NOW,
      newCid: () => `cid-${n}`,
    }, restore?.state ?? null, restore?.psk ?? null);
    let seen = restore?.seen ?? 0;
    /** Delivers the log entries it has not seen yet, then the end of the replay. */
    const sync = async () => {
      while (seen < log.length) await e.onEntry(log[seen++]!);
      await e.replayed();
    };
    return { e, keys, events, sync, seen: () => seen, texts: () => events.flatMap((ev) => (ev.type === 'text' && ev.from === 'visitor' ? [ev.text] : [])) };
  };

  // The visitor side.
  let visitorPending: PendingVisitor = pending;
  let session: SessionState | null = null;
  let read = 0;
  const received: string[] = [];
  const visitorSync = () => {
    for (; read < log.length; read++) {
      const entry = log[read]!;
      if (entry.from !== 'responder') continue;
      if (entry.kind === 'handshake') {
        try {
          session = completeHandshake(visitorPending, fromBase64url(entry.body), { anchor: pki.anchor, now: NOW });
        } catch {
          // not for this pending state
        }
      } else if (entry.kind === 'message' && session !== null) {
        const out = decryptMessage(session, fromBase64url(entry.body), { now: NOW });
        session = out.state;
        if (out.content.type === 'text') received.push(out.content.text);
        if (out.content.type === 'transfer') {
          const req = createSessionRequest({ mode: 'transfer', conversationId: session.conversationId, team: 'unga', teamCert: team.cert, sessionNumber: out.content.nextSessionNumber, psk: out.content.transferKey, expectedResponderCertHash: out.content.nextCertHash.some((b) => b !== 0) ? out.content.nextCertHash : null });
          // An all-zero hash: a transfer to a team, any certified member the handoff was sealed to may answer.
          visitorPending = req.pending;
          session = null;
          append('visitor', { cid: `req-${n}`, kind: 'transfer', body: toBase64url(req.wire) });
        }
      }
    }
  };
  const visitorSend = (content: Parameters<typeof encryptMessage>[1]) => {
    if (session === null) throw new Error('no session');
    const out = encryptMessage(session, content);
    session = out.state;
    append('visitor', { cid: `v-${n}`, kind: 'message', body: toBase64url(out.wire) });
  };
  return { pki, team, random, alice, bob, carol, log, id, engine, visitorSync, visitorSend, received, get session() {
    return session;
  }, setPending: (p: PendingVisitor) => {
    visitorPending = p;
    session = null;
  } };
}

describe('chat engine', () => {
  it('answers the intake once, then talks both ways; a transfer hands the session to the colleague', async () => {
    const w = await world();
    const a = w.engine(w.alice, true);
    await a.sync();
    expect(a.e.phase).toBe('open');
    expect(w.log.filter((e) => e.kind === 'handshake')).toHaveLength(1);
    await a.sync(); // a second replay does not answer again
    expect(w.log.filter((e) => e.kind === 'handshake')).toHaveLength(1);
    w.visitorSync();
    expect(w.session?.safetyCode).toBe(a.e.safetyCode);
    w.visitorSend({ type: 'text', text: 'Hej' });
    await a.sync();
    // The first message (inside the intake) is the first line of the chat, then the visitor's next one.
    expect(a.texts()).toEqual(['Jag vill ut', 'Hej']);
    await a.e.send('Hej, jag heter Alice');
    w.visitorSync();
    expect(w.received).toEqual(['Hej, jag heter Alice']);

    // Transfer to Bob: announcement in the channel, handoff sealed to Bob.
    await a.e.announceTransfer([w.bob.identity.cert]);
    a.e.handedOver();
    w.visitorSync(); // the visitor answers with a session request
    expect(w.session).toBeNull();
    const b = w.engine(w.bob, true);
    await b.sync();
    expect(b.e.phase).toBe('open');
    w.visitorSync();
    expect(w.session?.safetyCode).toBe(b.e.safetyCode);
    expect(w.session?.responder.id).toBe('bob');
    w.visitorSend({ type: 'text', text: 'Till Bob' });
    await b.sync();
    await a.sync();
    // Bob is of the same team: he reads the first message too (it is sealed to the team inbox key).
    expect(b.texts()).toEqual(['Jag vill ut', 'Till Bob']);
    expect(a.texts()).toEqual(['Jag vill ut', 'Hej']);
    expect(a.e.phase).toBe('transferred');

    // A colleague the handoff was not sealed to cannot take over.
    const c = w.engine(w.carol, true);
    await c.sync();
    expect(c.e.phase).toBe('lost');

    // Resume: the visitor shares its psk in the session, later asks for a fresh handshake with it.
    const psk = new Uint8Array(32).fill(7);
    w.visitorSend({ type: 'resume-psk', psk });
    await b.sync();
    expect(b.events.some((ev) => ev.type === 'resume-ready')).toBe(true);
    // The tab reloads: the engine comes back from its sealed snapshots only (state and psk).
    const snap = b.e.snapshot();
    const pskSnap = b.e.resumeSnapshot();
    expect(snap).not.toBeNull();
    expect(pskSnap).not.toBeNull();
    expect(() => openLocalSecret(b.keys.snapshotKey, resumePskPurpose('another-conversation'), fromBase64url(pskSnap!))).toThrow();
    const b2 = w.engine(w.bob, true, {
      keys: b.keys,
      state: openStateSnapshot(b.keys.snapshotKey, fromBase64url(snap!)),
      psk: openLocalSecret(b.keys.snapshotKey, resumePskPurpose(w.id), fromBase64url(pskSnap!)),
      seen: b.seen(),
    });
    const resumed = createSessionRequest({ mode: 'resume', conversationId: w.session!.conversationId, team: 'unga', teamCert: w.team.cert, sessionNumber: w.session!.sessionNumber + 1, psk });
    w.setPending(resumed.pending);
    w.log.push({ cid: 'resume', kind: 'resume', body: toBase64url(resumed.wire), id: '9999-0' as MessageId, from: 'visitor', session: 0, at: 9999 });
    await b2.sync();
    w.visitorSync();
    expect(w.session?.sessionNumber).toBe(3);
    expect(w.session?.safetyCode).toBe(b2.e.safetyCode);
  });

  it('a transfer to a team names no single responder: any sealed member may answer', async () => {
    const w = await world();
    const a = w.engine(w.alice, true);
    await a.sync();
    w.visitorSync();
    await a.e.announceTransfer([w.bob.identity.cert, w.carol.identity.cert]);
    a.e.handedOver();
    const transfers = w.log.filter((e) => e.from === 'responder' && e.kind === 'transfer');
    expect(transfers).toHaveLength(2);
    w.visitorSync();
    const c = w.engine(w.carol, true);
    await c.sync();
    w.visitorSync();
    expect(c.e.phase).toBe('open');
    expect(w.session?.responder.id).toBe('carol');
    expect(fromBase64url(transfers[0]!.body)).not.toEqual(fromBase64url(transfers[1]!.body));
  });

  it('v2: a transfer to a certified colleague who does not hold the team inbox key does not complete', async () => {
    const w = await world();
    const a = w.engine(w.alice, true);
    await a.sync();
    w.visitorSync();
    await a.e.announceTransfer([w.bob.identity.cert]);
    a.e.handedOver();
    w.visitorSync();
    // Bob has the handoff (sealed to his certificate) but no inbox key of the epoch the visitor named.
    const b = w.engine(w.bob, false);
    await b.sync();
    expect(b.e.phase).toBe('awaiting-visitor');
    expect(w.log.filter((e) => e.kind === 'handshake')).toHaveLength(1);
    w.visitorSync();
    expect(w.session).toBeNull();
  });

  it('refuses an intake the visitor sealed for another conversation (spliced in by the server): no line, no handshake', async () => {
    const w = await world();
    // The server files another visitor's intake (its own conversation id inside) under this chat.
    const other = createIntake({ teamCert: w.team.cert, category: 'chat', text: 'Någon annans första meddelande', random: w.random });
    expect(conversationIdToString(other.pending.conversationId)).not.toBe(w.id);
    w.log[0] = { ...w.log[0]!, body: toBase64url(other.wire) };
    const a = w.engine(w.alice, true);
    await a.sync();
    expect(a.texts()).toEqual([]);
    expect(a.events.some((e) => e.type === 'tampered')).toBe(true);
    expect(w.log.filter((e) => e.kind === 'handshake')).toHaveLength(0);
    expect(a.e.phase).toBe('lost');
  });

  it('refuses a handoff sealed for another conversation (spliced in by the server)', async () => {
    const w = await world();
    const a = w.engine(w.alice, true);
    await a.sync();
    w.visitorSync();
    await a.e.announceTransfer([w.bob.identity.cert]);
    // Bob's chat is another conversation; the server replays this conversation's log (handoff included) into it.
    const elsewhere = conversationIdToString(createIntake({ teamCert: w.team.cert, category: 'chat', text: 'x', random: w.random }).pending.conversationId);
    const b = w.engine(w.bob, false, null, elsewhere);
    await b.sync();
    expect(b.events.some((e) => e.type === 'tampered')).toBe(true);
    expect(b.e.phase).not.toBe('awaiting-visitor');
  });
});
