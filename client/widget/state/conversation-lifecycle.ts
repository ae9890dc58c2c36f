// A visitor conversation once it is open: the steps (visitor-session, outbox, log-cursor,
// resume-upload, status-poll) wired to the socket and the view. Frames and log entries go through
// `onFrame` / `onEntry`; the handshake, a transfer and the visitor's actions are small named steps.
import type { Category, LogEntry, PowSolver } from '../../shared/api-client.js';
import type { PendingVisitor, ResumeKeys, TrustAnchor } from '../../../crypto/index.js';
import type { WidgetApi } from './api.js';
import { addMessage, createConversationView, setDelivery, type ChatMessage } from './conversation-view.js';
import type { Crypto } from './crypto.js';
import { createLogCursor } from './log-cursor.js';
import { createOutbox } from './outbox.js';
import { createResumeUpload, type PendingIntake } from './resume-upload.js';
import { connectVisitorSocket, type ServerFrame, type VisitorSocket } from './socket.js';
import { createStatusPoll } from './status-poll.js';
import { handoverRequest, verifyHandoverOffer, type VerifiedOffer } from './handover-offer.js';
import { verifiedTeam } from './verified-team.js';
import { createVisitorSession } from './visitor-session.js';

export interface ConversationDeps {
  readonly api: WidgetApi;
  readonly crypto: Crypto;
  readonly solve: PowSolver;
  readonly rootPublicKey: string;
  /** ws(s):// URL of /api/v1/ws. */
  readonly wsUrl: string;
  readonly source: string;
  readonly language: string;
  readonly now?: () => Date;
  readonly createSocket?: (url: string) => WebSocket;
}

/** What an open conversation starts from (a new one, or one resumed from its code). */
export interface StartInput {
  id: string;
  token: string;
  category: Category;
  team: string;
  staffed: boolean;
  danger?: boolean;
  anchor: TrustAnchor;
  pending: PendingVisitor;
  messages: ChatMessage[];
  lastId: string | null;
  resumeKeys: ResumeKeys | null;
  resumeCode: string | null;
  consent?: { id: string; expiresAt: number } | null;
  resumed?: boolean;
  /** Continued from a code made before anyone answered: the first handshake is completed from the log. */
  restored?: boolean;
}

/** How long the responder's typing indicator stays after their last keystroke frame, ms. */
const TYPING_SHOWN_MS = 5000;
/** The visitor's typing frames at most this often, ms. */
const TYPING_SENT_EVERY_MS = 2500;

export const randomId = (crypto: Crypto, bytes = 16) => crypto.toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));

export type Conversation = ReturnType<typeof startConversation>;

export function startConversation(deps: ConversationDeps, input: StartInput) {
  const c = deps.crypto;
  const now = () => deps.now?.() ?? new Date();
  const conversation = { id: input.id, token: input.token, team: input.team, category: input.category };
  /** A verified handover offer waiting for the young person's answer. */
  let offer: VerifiedOffer | null = null;
  const view = createConversationView(input);
  const session = createVisitorSession({ crypto: c, anchor: input.anchor, now, pending: input.pending });
  const cursor = createLogCursor(input.lastId);
  const outbox = createOutbox((e) => socket.send({ t: 'send', c: input.id, e }));
  const upload = createResumeUpload({
    crypto: c,
    api: deps.api,
    conversation,
    keys: input.resumeKeys,
    snapshot: () => ({ lastId: cursor.last, messages: view.get().messages, consent: view.get().consent, sessionNumber: session.current?.sessionNumber ?? null, pending: pendingIntake() }),
  });
  const poll = createStatusPoll({ api: deps.api, conversation, view, awaiting: () => session.awaiting, lastId: () => cursor.last, onEntry: (e) => onEntry(e) });
  /** The intake's key and binding while nobody has answered (for a code made at the first message). */
  const pendingIntake = (): PendingIntake | null => {
    const p = session.pendingIntake;
    return p === null ? null : { epoch: p.epoch, inbox: c.toBase64url(p.teamInboxPublicKey), pub: c.toBase64url(p.visitorKeyPair.publicKey), sec: c.toBase64url(p.visitorKeyPair.secretKey), binding: c.toBase64url(p.binding) };
  };
  /** Texts written before the handshake: encrypted and sent once the session exists. */
  const queued: Array<{ key: string; text: string }> = [];
  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  let lastTypingSent = 0;

  /** Encrypts `content` and sends it as message `key` (nothing without a session). */
  const encryptAndSend = (key: string, content: Parameters<Crypto['encryptMessage']>[1]) => {
    const wire = session.seal(content);
    if (wire !== null) outbox.send({ cid: key, kind: 'message', body: c.toBase64url(wire) });
  };

  /** The responder answered: show who, send what waited, share the resume psk again if there is a code. */
  const onHandshake = (wire: Uint8Array) => {
    const outcome = session.handshake(wire);
    if (outcome === 'refused') view.set({ cryptoWarning: true });
    if (outcome !== 'established' || session.current === null) return;
    const { responder, team, safetyCode } = session.current;
    view.set({ phase: 'active', responder: { name: responder.displayName, team }, safetyCode, queuePosition: null, cryptoWarning: false });
    poll.stop();
    for (const q of queued.splice(0)) {
      setDelivery(view, q.key, 'sending');
      encryptAndSend(q.key, { type: 'text', text: q.text });
    }
    if (upload.keys !== null) {
      // The responder needs the psk again only if it lost it; re-sending is harmless and keeps a
      // later resume possible after a transfer.
      encryptAndSend(randomId(c), { type: 'resume-psk', psk: upload.keys.psk });
      // Sealed now with the session (the handshake is in the log anyway: this tells the server
      // nothing new), so a reload continues this session instead of the pending first message.
      void upload.uploadNow().catch(() => undefined);
      upload.schedule();
    }
  };

  /** The responder handed the conversation on: ask the next one for a fresh session. */
  const onTransfer = async (content: { nextCertHash: Uint8Array; nextSessionNumber: number; transferKey: Uint8Array }) => {
    session.handOver();
    view.set({ phase: 'waiting', responder: null, safetyCode: null });
    // The next session mixes in the team's current inbox key, verified against the pinned root.
    let teamCert: Awaited<ReturnType<typeof verifiedTeam>>['teamCert'];
    try {
      teamCert = (await verifiedTeam(deps, conversation.team)).teamCert;
    } catch {
      view.set({ cryptoWarning: true });
      return;
    }
    const request = c.createSessionRequest({
      mode: 'transfer',
      conversationId: c.conversationIdFromString(input.id),
      team: conversation.team,
      teamCert,
      sessionNumber: content.nextSessionNumber,
      psk: content.transferKey,
      // An all-zero hash announces a transfer to a team: any certified member of it may answer.
      expectedResponderCertHash: content.nextCertHash.every((b) => b === 0) ? null : content.nextCertHash,
    });
    session.await(request.pending);
    outbox.send({ cid: randomId(c), kind: 'transfer', body: c.toBase64url(request.wire) });
  };

  /**
   * The responder offers a handover to another organisation's team: shown only once the team verified
   * against the pinned root through the organisation the offer names (else the crypto warning).
   */
  const onHandoverOffer = async (content: { team: string; org: string; teamName: string }) => {
    try {
      offer = await verifyHandoverOffer(deps, content);
      view.set({ handoverOffer: { teamName: offer.teamName, orgName: offer.orgName } });
    } catch {
      offer = null;
      view.set({ handoverOffer: null, cryptoWarning: true });
    }
  };

  /** One log entry (socket or HTTP catch-up), each once, in log order. */
  const onEntry = (e: LogEntry) => {
    if (!cursor.take(e.id)) return;
    if (e.from === 'visitor') {
      // Continued from a code made before anyone answered: what the first tab sent in this session
      // used its sending keys; step past them so nothing is sent twice under one key.
      const cur = session.current;
      if (input.restored === true && cur !== null && e.kind === 'message' && e.session === cur.sessionNumber && !outbox.has(e.cid) && !view.get().messages.some((m) => m.key === e.cid)) session.seal({ type: 'text', text: '' });
      // Our own envelope, stored: delivered to the server (also after a reconnect's replay).
      outbox.delivered(e.cid);
      if (view.get().messages.some((m) => m.key === e.cid && m.state !== 'sent')) setDelivery(view, e.cid, 'sent');
      return;
    }
    let wire: Uint8Array;
    try {
      wire = c.fromBase64url(e.body);
    } catch {
      return;
    }
    if (e.kind === 'handshake') return onHandshake(wire);
    const content = session.open(wire);
    if (content === null) return;
    if (content.type === 'text') {
      addMessage(view, { key: e.id, from: 'them', text: content.text });
      view.set({ typing: false });
      upload.schedule();
    } else if (content.type === 'close') {
      view.set({ phase: 'closed', closedBy: 'peer', truncated: content.missing > 0 });
    } else if (content.type === 'transfer') {
      void onTransfer(content);
    } else if (content.type === 'handover-offer') {
      void onHandoverOffer(content);
    }
  };

  const onFrame = (frame: ServerFrame) => {
    switch (frame.t) {
      case 'msg':
        return onEntry(frame.e as LogEntry);
      case 'ack':
        outbox.delivered(frame.cid);
        setDelivery(view, frame.cid, 'sent');
        if (view.get().sendError !== null) view.set({ sendError: null });
        // No copy of our own message comes back: its ack stands in its place in the stream, so
        // its id is where we resume from (a duplicate's ack is answered out of place: not).
        if (!frame.dup) cursor.take(frame.id);
        return;
      case 'error':
        if (frame.cid !== undefined && outbox.has(frame.cid)) setDelivery(view, frame.cid, 'failed');
        view.set({ sendError: frame.code });
        return;
      case 'typing':
        if (frame.from !== 'responder') return;
        view.set({ typing: true });
        if (typingTimer !== null) clearTimeout(typingTimer);
        typingTimer = setTimeout(() => view.set({ typing: false }), TYPING_SHOWN_MS);
        return;
      case 'state':
        if (frame.status === 'closed' && view.get().phase !== 'closed') view.set({ phase: 'closed', closedBy: view.get().closedBy ?? 'peer' });
        return;
      case 'erased':
        stop();
        view.set({ phase: 'erased' });
        return;
      default:
        return;
    }
  };

  const socket: VisitorSocket = connectVisitorSocket({
    url: deps.wsUrl,
    conversation: input.id,
    token: input.token,
    after: () => cursor.last,
    onFrame,
    onReady: (reconnected) => {
      view.set({ connection: 'online', reconnected });
      outbox.resendAll();
    },
    onDown: () => view.set({ connection: 'reconnecting', reconnected: false }),
    createSocket: deps.createSocket,
  });

  poll.start();
  // A code made at the first message: sealed and uploaded now, then on the fixed beat.
  if (upload.keys !== null && !input.resumed) void upload.uploadNow().catch(() => undefined);
  upload.schedule();
  void deps.api
    .wait(input.team)
    .then((w) => view.set({ waitMedianMs: w.medianMs }))
    .catch(() => undefined);

  function stop() {
    upload.stop();
    poll.stop();
    socket.stop();
    if (typingTimer !== null) clearTimeout(typingTimer);
  }

  return {
    view,
    /** Sends a text: encrypted now when the session exists, else held until the handshake. */
    send(text: string) {
      const key = randomId(c);
      if (session.current === null) {
        queued.push({ key, text });
        addMessage(view, { key, from: 'me', text, state: 'queued' });
        return;
      }
      addMessage(view, { key, from: 'me', text, state: 'sending' });
      encryptAndSend(key, { type: 'text', text });
      upload.schedule();
    },
    /**
     * The young person's answer to the handover offer. Declined: the current responder keeps the chat.
     * Accepted: the server moves it to the receiving team's queue, and the widget asks that team for a
     * fresh session (its psk sealed to the verified team's inbox key), whose handshake must chain
     * through the receiving organisation's certificate. A consent given before does not travel.
     */
    async answerHandover(accept: boolean) {
      const o = offer;
      const current = session.current;
      if (o === null || current === null) return;
      offer = null;
      view.set({ handoverOffer: null });
      encryptAndSend(randomId(c), { type: 'handover-answer', team: o.team, accepted: accept });
      try {
        await deps.api.answerHandover(input.id, input.token, { team: o.team, accept });
      } catch (error) {
        if (accept) view.set({ sendError: (error as { code?: string }).code ?? 'unknown' });
        return;
      }
      if (!accept) return;
      const request = handoverRequest(c, input.id, o, current.sessionNumber + 1);
      const fromOrg = session.anchorOrgName ?? '';
      session.handOver();
      session.await(request.pending, o.anchor);
      conversation.team = o.team;
      const given = view.get().consent;
      view.set({
        phase: 'waiting',
        team: o.team,
        responder: null,
        safetyCode: null,
        consent: null,
        earlierConsent: given === null ? view.get().earlierConsent : { ...given, orgName: fromOrg },
        handedOverTo: { teamName: o.teamName, orgName: o.orgName },
      });
      outbox.send({ cid: randomId(c), kind: 'transfer', body: c.toBase64url(request.wire) });
      poll.start();
      upload.schedule();
    },
    /** Sends a failed envelope again, unchanged (the server dedupes by cid). */
    retry(key: string) {
      if (!outbox.has(key)) return;
      setDelivery(view, key, 'sending');
      outbox.resend(key);
    },
    typing() {
      const t = Date.now();
      if (t - lastTypingSent < TYPING_SENT_EVERY_MS || session.current === null) return;
      lastTypingSent = t;
      socket.send({ t: 'typing', c: input.id });
    },
    /** Ends the chat: a close message with the final counters, then the server-side close. */
    async end() {
      const wire = session.close();
      if (wire !== null) outbox.send({ cid: randomId(c), kind: 'close', body: c.toBase64url(wire) });
      view.set({ phase: 'closed', closedBy: 'self' });
      await deps.api.close(input.id, input.token).catch(() => undefined);
    },
    /** Delete now: erases the conversation (and its resume blob) on the server, and forgets it here. */
    async erase() {
      await deps.api.erase(input.id, input.token);
      stop();
      session.forget();
      upload.stop(true);
      view.set({ phase: 'erased', messages: [], resumeCode: null, safetyCode: null });
    },
    /** Makes a resume code: the psk goes to the responder inside the session, the sealed blob to the server. */
    async createResumeCode(): Promise<string> {
      const existing = view.get().resumeCode;
      if (existing !== null) return existing;
      if (session.current === null) throw Object.assign(new Error('no session'), { code: 'conversation_closed' });
      const { code, keys } = c.generateResumeCode();
      upload.use(keys);
      encryptAndSend(randomId(c), { type: 'resume-psk', psk: keys.psk });
      // Once now (the visitor asked for the code, no message was sent), then on the fixed beat.
      await upload.uploadNow();
      upload.schedule();
      view.set({ resumeCode: code });
      return code;
    },
    /** Seals name / phone to the team inbox key and stores it with the chosen retention. */
    async shareIdentity(identity: { name: string; phone: string }, retentionDays: number) {
      const { teamCert } = await verifiedTeam(deps, conversation.team);
      const { wire, pending: throwaway } = c.createIntake({
        teamCert,
        category: 'consent',
        text: JSON.stringify({ v: 1, conversation: input.id, name: identity.name, phone: identity.phone, retentionDays }),
      });
      throwaway.visitorKeyPair.secretKey.fill(0);
      const granted = await deps.api.grantConsent(input.id, input.token, c.toBase64url(wire), retentionDays);
      view.set({ consent: granted });
      upload.schedule();
      return granted;
    },
    /** Takes back the consent given in this session, or with `earlier` the one given before a handover. */
    async withdrawIdentity(earlier = false) {
      const consent = earlier ? view.get().earlierConsent : view.get().consent;
      if (consent === null) return;
      await deps.api.revokeConsent(consent.id, input.token);
      view.set(earlier ? { earlierConsent: null } : { consent: null });
      upload.schedule();
    },
    stop,
  };
}
