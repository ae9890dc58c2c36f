// One conversation's end-to-end protocol on the responder side: handshake after a claim (or an
// auto-assignment), a transfer received from a colleague (handoff + the visitor's session request),
// messages in both directions, transfer out, close. Transport and clock injected; state immutable.
import {
  acceptIntake,
  closeSession,
  conversationIdFromString,
  conversationIdToString,
  createHandshake,
  createTransfer,
  decryptMessage,
  encryptMessage,
  fromBase64url,
  CryptoErrorCode,
  isCryptoError,
  isHandoverRequest,
  openHandoverRequest,
  openSessionRequest,
  openTransferHandoff,
  openLocalSecret,
  openStateSnapshot,
  sealStateSnapshot,
  sealLocalSecret,
  toBase64url,
  type OpenedIntake,
  type SessionContent,
  type SessionState,
  type TeamInboxKey,
  type TransferHandoff,
  type VerifiedResponderCert,
} from '../../../crypto/api-sumo.js';
import type { Envelope, LogEntry } from '../../shared/api-client.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import { openSealedIntake } from './open-sealed.js';

export type ChatPhase = 'connecting' | 'awaiting-visitor' | 'open' | 'transferred' | 'closed' | 'lost';

export type ChatEvent =
  | { readonly type: 'text'; readonly key: string; readonly from: 'visitor' | 'responder'; readonly text: string; readonly at: number }
  | { readonly type: 'phase'; readonly phase: ChatPhase }
  | { readonly type: 'safety'; readonly code: string }
  | { readonly type: 'visitor-closed' }
  | { readonly type: 'tampered' }
  /** The visitor shared its resume psk: persist it (resumeSnapshot) so a reloaded tab can answer. */
  | { readonly type: 'resume-ready' }
  /** The young person answered a handover offer (inside the session). */
  | { readonly type: 'handover-answer'; readonly team: string; readonly accepted: boolean };

export interface ChatEngineDeps {
  readonly id: string;
  readonly team: string;
  readonly keys: UnlockedKeys;
  /** Posts an envelope to the conversation's log; resolves with the stored id. */
  readonly post: (envelope: Envelope) => Promise<{ id: string; at: number }>;
  readonly emit: (event: ChatEvent) => void;
  readonly now: () => Date;
  readonly newCid: () => string;
}

/** What a conversation's sealed resume psk is bound to in local storage. */
export const resumePskPurpose = (id: string) => `resume-psk:${id}`;

export type ChatEngine = ReturnType<typeof createChatEngine>;

export function createChatEngine(deps: ChatEngineDeps, restored: SessionState | null = null, restoredResumePsk: Uint8Array | null = null) {
  let state: SessionState | null = restored;
  let handoff: TransferHandoff | null = null;
  /** The psk of the visitor's resume code (sent inside the session), to answer a resume request. */
  let resumePsk: Uint8Array | null = restoredResumePsk;
  /** Highest session number this console has run, so a replayed request is refused. */
  let lastSession = restored?.sessionNumber ?? 0;
  let intake: LogEntry | null = null;
  /** The opened intake (null: does not open here); undefined until tried. */
  let openedIntake: OpenedIntake | null | undefined;
  /** A responder handshake was seen after the last request/intake we could answer: not ours to redo. */
  let answered = false;
  let replayDone = false;
  let phase: ChatPhase = restored === null ? 'connecting' : 'open';
  let lastId: string | null = null;
  let busy: Promise<void> = Promise.resolve();

  const setPhase = (next: ChatPhase) => {
    phase = next;
    deps.emit({ type: 'phase', phase: next });
  };
  const established = (next: SessionState) => {
    state = next;
    lastSession = Math.max(lastSession, next.sessionNumber);
    deps.emit({ type: 'safety', code: next.safetyCode });
    setPhase('open');
  };

  /** Runs steps one after another (entries arrive faster than handshakes are posted). */
  const serial = (step: () => Promise<void>) => {
    busy = busy.then(step, step);
    return busy;
  };

  /** The team inbox key of this conversation's team at `epoch` (v2 handshakes mix it in), or null. */
  const inboxKeyOf = (epoch: number) => deps.keys.inbox.get(`${deps.team}:${epoch}`) ?? null;

  async function answerIntake(opened: OpenedIntake, inbox: TeamInboxKey): Promise<void> {
    const { wire, state: next } = acceptIntake(opened, deps.keys.identity, inbox);
    await deps.post({ cid: deps.newCid(), kind: 'handshake', body: toBase64url(wire) });
    established(next);
  }

  /**
   * Opens the intake once: its text is the young person's first message (shown in the chat), and it is
   * what a new session answers. Null when it does not open with this responder's keys, or when the
   * visitor sealed it for another conversation (a splice by the server: reported, never answered).
   */
  function intakeOpened(): OpenedIntake | null {
    if (intake === null) return null;
    if (openedIntake !== undefined) return openedIntake;
    try {
      openedIntake = openSealedIntake(deps.keys.inbox, deps.id, intake.body, deps.team);
      deps.emit({ type: 'text', key: intake.id, from: 'visitor', text: openedIntake.text, at: intake.at });
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      openedIntake = null;
      if (error.code === CryptoErrorCode.WrongConversation) deps.emit({ type: 'tampered' });
    }
    return openedIntake;
  }

  async function tryEstablish(): Promise<void> {
    if (replayDone) intakeOpened();
    if (state !== null || phase === 'transferred' || phase === 'closed') return;
    if (handoff !== null) {
      setPhase('awaiting-visitor');
      return;
    }
    if (intake !== null && replayDone && !answered) {
      const opened = intakeOpened();
      const inbox = opened === null ? null : inboxKeyOf(opened.epoch);
      if (opened !== null && inbox !== null) {
        await answerIntake(opened, inbox);
        return;
      }
      setPhase('lost');
    } else if (replayDone && answered) setPhase('lost');
  }

  /**
   * Answers a request for a fresh session the young person sent (a transfer's, a handover's or a
   * resume's): `open` checks it and gives the handshake's context, and this responder's handshake
   * answers it. A request that does not open (not for this team, conversation or key) is ignored.
   */
  async function answerRequest(open: () => Pick<Parameters<typeof createHandshake>[0], 'context' | 'inbox'>, posted?: () => void): Promise<void> {
    try {
      const { context, inbox } = open();
      const { wire, state: next } = createHandshake({ context, responder: deps.keys.identity, inbox });
      await deps.post({ cid: deps.newCid(), kind: 'handshake', body: toBase64url(wire) });
      posted?.();
      established(next);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
    }
  }

  /** The young person answered a transfer to this responder: the request is bound to the handoff's transfer key. */
  async function onVisitorRequest(entry: LogEntry): Promise<void> {
    const transfer = handoff;
    if (transfer === null || state !== null) return;
    await answerRequest(
      () =>
        openSessionRequest(fromBase64url(entry.body), {
          mode: 'transfer',
          conversationId: transfer.conversationId,
          team: transfer.team,
          lastSessionNumber: transfer.sessionNumber - 1,
          psk: transfer.transferKey,
          inboxKeyOf: (epoch) => deps.keys.inbox.get(`${transfer.team}:${epoch}`) ?? null,
        }),
      () => {
        handoff = null;
      },
    );
  }

  /**
   * The young person accepted a handover from another organisation: its request carries a psk sealed to
   * this team's inbox key. A fresh handshake (this responder's certificate, this organisation) answers it.
   */
  async function onHandoverRequest(entry: LogEntry): Promise<void> {
    await answerRequest(() =>
      openHandoverRequest(fromBase64url(entry.body), {
        conversationId: conversationIdFromString(deps.id),
        team: deps.team,
        lastSessionNumber: lastSession,
        inboxKeyOf,
      }),
    );
  }

  /** The visitor continues from a resume code (a new tab or phone): a fresh handshake bound to the psk. */
  async function onResumeRequest(entry: LogEntry): Promise<void> {
    const psk = resumePsk;
    if (psk === null) return;
    await answerRequest(() =>
      openSessionRequest(fromBase64url(entry.body), {
        mode: 'resume',
        conversationId: conversationIdFromString(deps.id),
        team: deps.team,
        lastSessionNumber: lastSession,
        psk,
        inboxKeyOf,
      }),
    );
  }

  function onMessage(entry: LogEntry): void {
    if (state === null) return;
    try {
      const { state: next, content } = decryptMessage(state, fromBase64url(entry.body), { now: deps.now() });
      state = next;
      if (content.type === 'text') deps.emit({ type: 'text', key: entry.id, from: 'visitor', text: content.text, at: entry.at });
      else if (content.type === 'resume-psk') {
        resumePsk?.fill(0);
        resumePsk = content.psk.slice();
        deps.emit({ type: 'resume-ready' });
      } else if (content.type === 'close') {
        deps.emit({ type: 'visitor-closed' });
        setPhase('closed');
      } else if (content.type === 'handover-answer') deps.emit({ type: 'handover-answer', team: content.team, accepted: content.accepted });
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      // Messages of an earlier session (before a transfer) are not ours; anything else is reported.
      if (error.code !== CryptoErrorCode.WrongSession && error.code !== CryptoErrorCode.Replay) deps.emit({ type: 'tampered' });
    }
  }

  return {
    get phase() {
      return phase;
    },
    get lastId() {
      return lastId;
    },
    get safetyCode() {
      return state?.safetyCode ?? null;
    },
    /** A log entry (replay or live), in log order. */
    onEntry(entry: LogEntry): Promise<void> {
      return serial(async () => {
        lastId = entry.id;
        if (entry.from === 'visitor') {
          if (entry.kind === 'intake') {
            intake = entry;
            openedIntake = undefined;
            answered = false;
          } else if (entry.kind === 'transfer') {
            if (state !== null) {
              // A request answered already (ours, before a reload) or meant for someone else.
            } else if (isHandoverRequest(fromBase64url(entry.body))) await onHandoverRequest(entry);
            else await onVisitorRequest(entry);
          }
          else if (entry.kind === 'resume') await onResumeRequest(entry);
          else if (entry.kind === 'message' || entry.kind === 'close') onMessage(entry);
        } else if (entry.kind === 'handshake' && state === null) {
          answered = true;
        } else if (entry.kind === 'transfer' && state === null) {
          try {
            const opened = openTransferHandoff(fromBase64url(entry.body), { cert: deps.keys.identity.cert, boxKeyPair: deps.keys.boxKeyPair }, { anchor: deps.keys.anchor, now: deps.now() });
            // A handoff sealed for another conversation was spliced in by the server: never act on it.
            if (conversationIdToString(opened.conversationId) !== deps.id) deps.emit({ type: 'tampered' });
            else {
              handoff = opened;
              answered = false;
            }
          } catch (error) {
            if (!isCryptoError(error)) throw error; // sealed to a colleague
          }
        }
        await tryEstablish();
      });
    },
    /** The replay of the log is complete: decide whether this console must answer the intake. */
    replayed(): Promise<void> {
      return serial(async () => {
        replayDone = true;
        await tryEstablish();
      });
    },
    async send(text: string): Promise<void> {
      await serial(async () => {
        if (state === null) throw new Error('not connected');
        const { state: next, wire } = encryptMessage(state, { type: 'text', text });
        const { id, at } = await deps.post({ cid: deps.newCid(), kind: 'message', body: toBase64url(wire) });
        state = next;
        deps.emit({ type: 'text', key: id, from: 'responder', text, at });
      });
    },
    /**
     * Announces a transfer in the channel and posts the handoffs, sealed to each of `next`. With one
     * certificate the visitor pins it; with several (a team) the announcement names none (all-zero hash).
     */
    async announceTransfer(next: readonly VerifiedResponderCert[]): Promise<void> {
      await serial(async () => {
        if (state === null || next.length === 0) throw new Error('nothing to transfer to');
        const transferKey = crypto.getRandomValues(new Uint8Array(32));
        const random = (n: number) => (n === 32 ? transferKey.slice() : crypto.getRandomValues(new Uint8Array(n)));
        const handoffs: Uint8Array[] = [];
        let announcement: SessionContent | null = null;
        for (const cert of next) {
          const t = createTransfer({ state, from: deps.keys.identity, next: cert, random });
          handoffs.push(t.handoff);
          announcement = t.announcement;
        }
        if (announcement === null || announcement.type !== 'transfer') throw new Error('no announcement');
        if (next.length > 1) announcement = { ...announcement, nextCertHash: new Uint8Array(32) };
        const { state: after, wire } = encryptMessage(state, announcement);
        await deps.post({ cid: deps.newCid(), kind: 'message', body: toBase64url(wire) });
        state = after;
        for (const h of handoffs) await deps.post({ cid: deps.newCid(), kind: 'transfer', body: toBase64url(h) });
        transferKey.fill(0);
      });
    },
    /**
     * Offers the conversation to another organisation's team, inside the session: the young person's
     * widget verifies the team against the pinned root and asks them. `teamName` is shown to them as written.
     */
    async offerHandover(target: { team: string; org: string; teamName: string }): Promise<void> {
      await serial(async () => {
        if (state === null) throw new Error('not connected');
        const { state: next, wire } = encryptMessage(state, { type: 'handover-offer', ...target });
        await deps.post({ cid: deps.newCid(), kind: 'message', body: toBase64url(wire) });
        state = next;
      });
    },
    /** The server moved it away: forget the session. */
    handedOver(): void {
      state = null;
      resumePsk?.fill(0);
      resumePsk = null;
      setPhase('transferred');
    },
    accessEnded(): void {
      state = null;
      if (phase !== 'transferred' && phase !== 'closed') setPhase('lost');
    },
    async close(): Promise<void> {
      await serial(async () => {
        if (state !== null && state.closed === null) {
          const { state: after, wire } = closeSession(state);
          await deps.post({ cid: deps.newCid(), kind: 'close', body: toBase64url(wire) });
          state = after;
        }
        setPhase('closed');
      });
    },
    ended(): void {
      state = null;
      setPhase('closed');
    },
    /** The session sealed under the snapshot key, for this tab's storage; null without a session. */
    snapshot(): string | null {
      return state === null ? null : toBase64url(sealStateSnapshot(deps.keys.snapshotKey, state));
    },
    /** The visitor's resume psk sealed under the snapshot key (pass it back on restore); null without one. */
    resumeSnapshot(): string | null {
      return resumePsk === null ? null : toBase64url(sealLocalSecret(deps.keys.snapshotKey, resumePskPurpose(deps.id), resumePsk));
    },
  };
}

/**
 * An engine for `deps` that continues the session sealed in `stored` (this tab's chat archive) when it
 * opens under the snapshot key. `after`: the log id to continue from; null replays the whole log (no
 * copy, or one that does not open: the protocol's fresh handshake applies).
 */
export function restoreChatEngine(
  deps: ChatEngineDeps,
  stored: { readonly snap: string | null; readonly psk: string | null; readonly lastId: string | null } | null,
): { engine: ChatEngine; after: string | null } {
  let restored: SessionState | null = null;
  let restoredPsk: Uint8Array | null = null;
  let after: string | null = null;
  if (stored !== null && stored.snap !== null) {
    try {
      restored = openStateSnapshot(deps.keys.snapshotKey, fromBase64url(stored.snap));
      if (stored.psk !== null) restoredPsk = openLocalSecret(deps.keys.snapshotKey, resumePskPurpose(deps.id), fromBase64url(stored.psk));
      after = stored.lastId;
    } catch {
      // A copy that does not open (another key, tampered): start over from the log.
      restored = null;
      restoredPsk = null;
    }
  }
  return { engine: createChatEngine(deps, restored, restoredPsk), after };
}
