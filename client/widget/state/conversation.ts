// One visitor conversation end to end: verify the team's keys against the pinned root, seal the first
// message to the team, open the conversation, complete the responder's handshake, then encrypt and
// decrypt messages over the WebSocket with delivery states and loss-free reconnection. Resume codes,
// consent and delete-now live here too. State stays in this object's memory only.
import type { Category, LogEntry } from '../../shared/api-client.js';
import type { PendingVisitor, ResumeKeys, SessionState, TrustAnchor } from '../../../crypto/index.js';
import type { WidgetApi } from './api.js';
import type { Crypto } from './crypto.js';
import { connectVisitorSocket, type ServerFrame, type VisitorSocket } from './socket.js';
import { createStore, type Store } from './store.js';
import { RESUME_UPLOAD_MS, padResumeData } from './resume-padding.js';
import type { PowSolver } from '../../shared/api-client.js';

export type DeliveryState = 'sending' | 'sent' | 'queued' | 'failed';

export interface ChatMessage {
  readonly key: string;
  readonly from: 'me' | 'them';
  readonly text: string;
  readonly state?: DeliveryState;
}

export interface ConversationView {
  readonly id: string;
  readonly category: Category;
  readonly team: string;
  readonly phase: 'waiting' | 'active' | 'closed' | 'erased';
  readonly staffed: boolean;
  /** Someone on duty has room for one more now (false: all busy; no time estimate is honest then). */
  readonly room: boolean;
  /** The visitor said "I am in danger right now": the waiting screen keeps the emergency numbers in view. */
  readonly danger: boolean;
  readonly queuePosition: number | null;
  readonly waitMedianMs: number | null;
  readonly responder: { readonly name: string; readonly team: string } | null;
  readonly safetyCode: string | null;
  readonly messages: readonly ChatMessage[];
  readonly typing: boolean;
  readonly connection: 'connecting' | 'online' | 'reconnecting';
  readonly reconnected: boolean;
  readonly resumeCode: string | null;
  readonly consent: { readonly id: string; readonly expiresAt: number } | null;
  readonly cryptoWarning: boolean;
  readonly closedBy: 'self' | 'peer' | null;
  readonly truncated: boolean;
  readonly resumed: boolean;
  /** Code of the last error the server answered a send with (a budget hit, the chat gone…); null after the next ack. */
  readonly sendError: string | null;
}

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

export type Conversation = Awaited<ReturnType<typeof startConversation>>;

const randomId = (crypto: Crypto, bytes = 16) => crypto.toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
const fromUtf8 = new TextDecoder();
const MAX_TRANSCRIPT = 40;

/** Orders stream ids "<ms>-<seq>". */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** Verifies a team's inbox certificate chain against the pinned root key. Throws CryptoError. */
export async function verifiedTeam(deps: Pick<ConversationDeps, 'api' | 'crypto' | 'rootPublicKey' | 'now'>, team: string) {
  const c = deps.crypto;
  const bundle = await deps.api.bundle(team);
  const now = deps.now?.() ?? new Date();
  const anchor = c.createTrustAnchor({
    rootPublicKey: c.fromBase64url(deps.rootPublicKey) as Parameters<Crypto['createTrustAnchor']>[0]['rootPublicKey'],
    orgCert: c.fromBase64url(bundle.orgCert),
    revocationList: c.fromBase64url(bundle.revocationList),
    orgRevocation: bundle.orgRevocation === undefined ? null : c.fromBase64url(bundle.orgRevocation),
    now,
  });
  const teamCert = c.verifyTeamCert(anchor, c.fromBase64url(bundle.teamCert), { now, team });
  return { anchor, teamCert };
}

/** Opens a new chat or parent conversation with `text` as its sealed first message. */
export async function openConversation(deps: ConversationDeps, input: { category: 'chat' | 'parent'; text: string; danger: boolean }) {
  const c = deps.crypto;
  const status = await deps.api.status(input.category, deps.source);
  const { anchor, teamCert } = await verifiedTeam(deps, status.team);
  const { wire, pending } = c.createIntake({ teamCert, category: input.category, text: input.text });
  const cid = randomId(c);
  const opened = await deps.api.open(
    {
      id: c.conversationIdToString(pending.conversationId),
      category: input.category,
      language: deps.language,
      source: deps.source,
      danger: input.danger,
      intake: { cid, kind: 'intake', body: c.toBase64url(wire) },
    },
    deps.solve,
  );
  return startConversation(deps, {
    id: opened.id,
    token: opened.token,
    category: input.category,
    team: status.team,
    staffed: opened.staffed,
    danger: input.danger,
    anchor,
    pending,
    messages: [{ key: cid, from: 'me', text: input.text, state: 'sending' }],
    lastId: null,
    resumeKeys: null,
    resumeCode: null,
  });
}

/** Continues a conversation from a resume code: fetch and open the blob, ask for a fresh handshake. */
export async function resumeConversation(deps: ConversationDeps, code: string) {
  const c = deps.crypto;
  const keys = c.parseResumeCode(code);
  const lookup = c.toHex(c.resumeLookupHash(keys.lookupId));
  const stored = await deps.api.getResume(lookup);
  const blob = c.openResumeBlob(keys.blobKey, c.fromBase64url(stored.blob));
  const data = JSON.parse(fromUtf8.decode(blob.data)) as {
    token: string;
    category: Category;
    lastId: string | null;
    messages: Array<{ from: 'me' | 'them'; text: string }>;
    consent: { id: string; expiresAt: number } | null;
  };
  const { anchor, teamCert } = await verifiedTeam(deps, blob.team);
  const { wire, pending } = c.createSessionRequest({
    mode: 'resume',
    conversationId: blob.conversationId,
    team: blob.team,
    teamCert,
    sessionNumber: blob.lastSessionNumber + 1,
    psk: keys.psk,
  });
  const id = c.conversationIdToString(blob.conversationId);
  await deps.api.post(id, data.token, { cid: randomId(c), kind: 'resume', body: c.toBase64url(wire) });
  const conversation = startConversation(deps, {
    id,
    token: data.token,
    category: data.category,
    team: blob.team,
    staffed: true,
    anchor,
    pending,
    messages: data.messages.map((m, i) => ({ key: `r${i}`, from: m.from, text: m.text, state: m.from === 'me' ? ('sent' as const) : undefined })),
    lastId: data.lastId,
    resumeKeys: keys,
    resumeCode: code.toUpperCase(),
    consent: data.consent,
    resumed: true,
  });
  return conversation;
}

interface StartInput {
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
}

function startConversation(deps: ConversationDeps, input: StartInput) {
  const c = deps.crypto;
  const now = () => deps.now?.() ?? new Date();
  const view: Store<ConversationView> = createStore<ConversationView>({
    id: input.id,
    category: input.category,
    team: input.team,
    phase: 'waiting',
    staffed: input.staffed,
    room: input.staffed,
    danger: input.danger ?? false,
    queuePosition: null,
    waitMedianMs: null,
    responder: null,
    safetyCode: null,
    messages: input.messages,
    typing: false,
    connection: 'connecting',
    reconnected: false,
    resumeCode: input.resumeCode,
    consent: input.consent ?? null,
    cryptoWarning: false,
    closedBy: null,
    truncated: false,
    resumed: input.resumed ?? false,
    sendError: null,
  });

  let session: SessionState | null = null;
  let pending: PendingVisitor | null = input.pending;
  let lastId = input.lastId;
  let resumeKeys = input.resumeKeys;
  /** Sent but not yet acknowledged envelopes, resent unchanged (same cid) after a reconnect. */
  const outbox = new Map<string, { cid: string; kind: 'message' | 'close' | 'resume' | 'transfer'; body: string }>();
  /** Texts written before the handshake: encrypted and sent once the session exists. */
  const queued: Array<{ key: string; text: string }> = [];
  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  let lastTypingSent = 0;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let blobTimer: ReturnType<typeof setInterval> | null = null;
  let stopped = false;

  const setMessage = (key: string, state: DeliveryState) =>
    view.set((v) => ({ messages: v.messages.map((m) => (m.key === key ? { ...m, state } : m)) }));
  const addMessage = (m: ChatMessage) => view.set((v) => ({ messages: [...v.messages, m] }));

  const sendEnvelope = (env: { cid: string; kind: 'message' | 'close' | 'resume' | 'transfer'; body: string }) => {
    outbox.set(env.cid, env);
    socket.send({ t: 'send', c: input.id, e: env });
  };

  const encryptAndSend = (key: string, content: Parameters<Crypto['encryptMessage']>[1]) => {
    if (session === null) return;
    const out = c.encryptMessage(session, content);
    session = out.state;
    sendEnvelope({ cid: key, kind: 'message', body: c.toBase64url(out.wire) });
  };

  /**
   * While a resume code exists the blob is uploaded on a fixed beat, changed or not, and padded to a
   * bucket: the server learns neither when anyone wrote nor how much. A reload within one beat of a
   * message may resume without that message in the transcript (the conversation itself goes on).
   */
  const scheduleBlob = () => {
    if (resumeKeys === null || stopped || blobTimer !== null) return;
    blobTimer = setInterval(() => void storeBlob().catch(() => undefined), RESUME_UPLOAD_MS);
  };

  const storeBlob = async () => {
    if (resumeKeys === null || session === null) return;
    const v = view.get();
    const messages = v.messages.slice(-MAX_TRANSCRIPT).map((m) => ({ from: m.from, text: m.text }));
    const data = (keep: number) =>
      JSON.stringify({ token: input.token, category: input.category, lastId, messages: keep === 0 ? [] : messages.slice(-keep), consent: v.consent });
    const blob = c.sealResumeBlob(resumeKeys.blobKey, {
      conversationId: c.conversationIdFromString(input.id),
      team: input.team,
      lastSessionNumber: session.sessionNumber,
      data: padResumeData(data, messages.length),
    });
    await deps.api.putResume(input.id, input.token, c.toHex(c.resumeLookupHash(resumeKeys.lookupId)), c.toBase64url(blob));
  };

  const onHandshake = (wire: Uint8Array) => {
    if (pending === null) return;
    let header: ReturnType<Crypto['parseHandshake']>;
    try {
      header = c.parseHandshake(wire);
    } catch {
      return;
    }
    if (header.sessionNumber !== pending.sessionNumber) return; // an older session's handshake (replay after resume)
    try {
      session = c.completeHandshake(pending, wire, { anchor: input.anchor, now: now() });
    } catch {
      view.set({ cryptoWarning: true });
      return;
    }
    pending = null;
    const team = session.team;
    view.set({ phase: 'active', responder: { name: session.responder.displayName, team }, safetyCode: session.safetyCode, queuePosition: null, cryptoWarning: false });
    stopPolling();
    for (const q of queued.splice(0)) {
      setMessage(q.key, 'sending');
      encryptAndSend(q.key, { type: 'text', text: q.text });
    }
    if (resumeKeys !== null) {
      // The responder needs the psk again only if it lost it; re-sending is harmless and keeps a
      // later resume possible after a transfer.
      encryptAndSend(randomId(c), { type: 'resume-psk', psk: resumeKeys.psk });
      scheduleBlob();
    }
  };

  const onTransfer = async (content: { nextCertHash: Uint8Array; nextSessionNumber: number; transferKey: Uint8Array }) => {
    session = null;
    view.set({ phase: 'waiting', responder: null, safetyCode: null });
    // The next session mixes in the team's current inbox key, verified against the pinned root.
    let teamCert: Awaited<ReturnType<typeof verifiedTeam>>['teamCert'];
    try {
      teamCert = (await verifiedTeam(deps, input.team)).teamCert;
    } catch {
      view.set({ cryptoWarning: true });
      return;
    }
    const request = c.createSessionRequest({
      mode: 'transfer',
      conversationId: c.conversationIdFromString(input.id),
      team: input.team,
      teamCert,
      sessionNumber: content.nextSessionNumber,
      psk: content.transferKey,
      // An all-zero hash announces a transfer to a team: any certified member of it may answer.
      expectedResponderCertHash: content.nextCertHash.every((b) => b === 0) ? null : content.nextCertHash,
    });
    pending = request.pending;
    sendEnvelope({ cid: randomId(c), kind: 'transfer', body: c.toBase64url(request.wire) });
  };

  const onEntry = (e: LogEntry) => {
    // Entries may arrive twice (socket and HTTP catch-up): each is handled once, in log order.
    if (lastId !== null && compareIds(e.id, lastId) <= 0) return;
    lastId = e.id;
    if (e.from === 'visitor') {
      // Our own envelope, stored: delivered to the server (also after a reconnect's replay).
      outbox.delete(e.cid);
      if (view.get().messages.some((m) => m.key === e.cid && m.state !== 'sent')) setMessage(e.cid, 'sent');
      return;
    }
    let wire: Uint8Array;
    try {
      wire = c.fromBase64url(e.body);
    } catch {
      return;
    }
    if (e.kind === 'handshake') return onHandshake(wire);
    if (session === null) return;
    try {
      const out = c.decryptMessage(session, wire, { now: now() });
      session = out.state;
      const content = out.content;
      if (content.type === 'text') {
        addMessage({ key: e.id, from: 'them', text: content.text });
        view.set({ typing: false });
        scheduleBlob();
      } else if (content.type === 'close') {
        view.set({ phase: 'closed', closedBy: 'peer', truncated: content.missing > 0 });
      } else if (content.type === 'transfer') {
        void onTransfer(content);
      }
    } catch {
      // Replays, other sessions' messages and tampered envelopes are dropped; the state is unchanged.
    }
  };

  const onFrame = (frame: ServerFrame) => {
    switch (frame.t) {
      case 'msg':
        return onEntry(frame.e as LogEntry);
      case 'ack':
        outbox.delete(frame.cid);
        setMessage(frame.cid, 'sent');
        if (view.get().sendError !== null) view.set({ sendError: null });
        // No copy of our own message comes back: its ack stands in its place in the stream, so
        // its id is where we resume from (a duplicate's ack is answered out of place: not).
        if (!frame.dup && (lastId === null || compareIds(frame.id, lastId) > 0)) lastId = frame.id;
        return;
      case 'error':
        if (frame.cid !== undefined && outbox.has(frame.cid)) setMessage(frame.cid, 'failed');
        view.set({ sendError: frame.code });
        return;
      case 'typing':
        if (frame.from !== 'responder') return;
        view.set({ typing: true });
        if (typingTimer !== null) clearTimeout(typingTimer);
        typingTimer = setTimeout(() => view.set({ typing: false }), 5000);
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
    after: () => lastId,
    onFrame,
    onReady: (reconnected) => {
      view.set({ connection: 'online', reconnected });
      for (const env of outbox.values()) socket.send({ t: 'send', c: input.id, e: env });
    },
    onDown: () => view.set({ connection: 'reconnecting', reconnected: false }),
    createSocket: deps.createSocket,
  });

  const poll = async () => {
    try {
      const state = await deps.api.get(input.id, input.token);
      if (view.get().phase === 'waiting') {
        const v = view.get();
        view.set({ queuePosition: state.queuePosition, staffed: state.staffed ?? v.staffed, room: state.room ?? v.room, danger: state.danger });
      }
      // Taken but no handshake seen yet (a lost live event): catch up over HTTP.
      if (state.status !== 'waiting' && pending !== null) {
        for (const e of (await deps.api.messages(input.id, input.token, lastId)).messages) onEntry(e);
      }
    } catch {
      // The socket reports what matters (erased, closed); a failed poll only skips one update.
    }
  };
  const stopPolling = () => {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  };
  void poll();
  pollTimer = setInterval(() => void poll(), 5000);
  void deps.api
    .wait(input.team)
    .then((w) => view.set({ waitMedianMs: w.medianMs }))
    .catch(() => undefined);

  function stop() {
    stopped = true;
    stopPolling();
    socket.stop();
    if (typingTimer !== null) clearTimeout(typingTimer);
    if (blobTimer !== null) clearInterval(blobTimer);
  }

  return {
    view,
    /** Sends a text: encrypted now when the session exists, else held until the handshake. */
    send(text: string) {
      const key = randomId(c);
      if (session === null) {
        queued.push({ key, text });
        addMessage({ key, from: 'me', text, state: 'queued' });
        return;
      }
      addMessage({ key, from: 'me', text, state: 'sending' });
      encryptAndSend(key, { type: 'text', text });
      scheduleBlob();
    },
    /** Sends a failed envelope again, unchanged (the server dedupes by cid). */
    retry(key: string) {
      const env = outbox.get(key);
      if (env === undefined) return;
      setMessage(key, 'sending');
      socket.send({ t: 'send', c: input.id, e: env });
    },
    typing() {
      const t = Date.now();
      if (t - lastTypingSent < 2500 || session === null) return;
      lastTypingSent = t;
      socket.send({ t: 'typing', c: input.id });
    },
    /** Ends the chat: a close message with the final counters, then the server-side close. */
    async end() {
      if (session !== null && session.closed === null) {
        const out = c.closeSession(session);
        session = out.state;
        sendEnvelope({ cid: randomId(c), kind: 'close', body: c.toBase64url(out.wire) });
      }
      view.set({ phase: 'closed', closedBy: 'self' });
      await deps.api.close(input.id, input.token).catch(() => undefined);
    },
    /** Delete now: erases the conversation (and its resume blob) on the server, and forgets it here. */
    async erase() {
      await deps.api.erase(input.id, input.token);
      stop();
      session = null;
      pending = null;
      resumeKeys = null;
      view.set({ phase: 'erased', messages: [], resumeCode: null, safetyCode: null });
    },
    /** Makes a resume code: the psk goes to the responder inside the session, the sealed blob to the server. */
    async createResumeCode(): Promise<string> {
      const existing = view.get().resumeCode;
      if (existing !== null) return existing;
      if (session === null) throw Object.assign(new Error('no session'), { code: 'conversation_closed' });
      const { code, keys } = c.generateResumeCode();
      resumeKeys = keys;
      encryptAndSend(randomId(c), { type: 'resume-psk', psk: keys.psk });
      // Once now (the visitor asked for the code, no message was sent), then on the fixed beat.
      await storeBlob();
      scheduleBlob();
      view.set({ resumeCode: code });
      return code;
    },
    /** Seals name / phone to the team inbox key and stores it with the chosen retention. */
    async shareIdentity(identity: { name: string; phone: string }, retentionDays: number) {
      const { teamCert } = await verifiedTeam(deps, input.team);
      const { wire, pending: throwaway } = c.createIntake({
        teamCert,
        category: 'consent',
        text: JSON.stringify({ v: 1, conversation: input.id, name: identity.name, phone: identity.phone, retentionDays }),
      });
      throwaway.visitorKeyPair.secretKey.fill(0);
      const granted = await deps.api.grantConsent(input.id, input.token, c.toBase64url(wire), retentionDays);
      view.set({ consent: granted });
      scheduleBlob();
      return granted;
    },
    async withdrawIdentity() {
      const consent = view.get().consent;
      if (consent === null) return;
      await deps.api.revokeConsent(consent.id, input.token);
      view.set({ consent: null });
      scheduleBlob();
    },
    stop,
  };
}

/** Sends a callback request sealed to the callback team; returns what the done screen needs. */
export async function requestCallback(
  deps: Omit<ConversationDeps, 'wsUrl'>,
  details: { phone: string; timeWindow: string; language: string; note: string; verificationWord: string },
) {
  const c = deps.crypto;
  const status = await deps.api.status('callback', deps.source);
  const { teamCert } = await verifiedTeam(deps, status.team);
  const { wire, conversationId } = c.createCallbackRequest({ teamCert, callback: details });
  const opened = await deps.api.open(
    {
      id: c.conversationIdToString(conversationId),
      category: 'callback',
      language: deps.language,
      source: deps.source,
      intake: { cid: randomId(c), kind: 'intake', body: c.toBase64url(wire) },
    },
    deps.solve,
  );
  return { id: opened.id, token: opened.token, expiresAt: opened.expiresAt };
}
