// The visitor's end of the end-to-end session: waits for the responder's handshake answering its
// intake or session request (checked against the pinned root), then encrypts and decrypts; a transfer
// drops the session until the next responder answers. Crypto and clock injected; no I/O.
import type { CloseInfo, PendingVisitor, SessionContent, SessionState, TrustAnchor } from '../../../crypto/index.js';
import type { Crypto } from './crypto.js';

/** What a handshake did: established the session, was not ours to take, or failed verification. */
export type HandshakeOutcome = 'established' | 'ignored' | 'refused';

export interface VisitorSession {
  /** The running session; null while waiting for a handshake. */
  readonly current: SessionState | null;
  /** The name of the organisation whose certificate the responders are verified through (null: a deployment of one). */
  readonly anchorOrgName: string | null;
  /** A handshake is awaited (intake or session request sent, no answer yet). */
  readonly awaiting: boolean;
  /** The awaited first handshake's state (intake sent, nobody answered yet), or null. */
  readonly pendingIntake: PendingVisitor | null;
  /** Takes a responder handshake `wire`. */
  handshake(wire: Uint8Array): HandshakeOutcome;
  /** Decrypts a responder message; null for a replay, another session's or a tampered one. */
  open(wire: Uint8Array): SessionContent | CloseInfo | null;
  /** Encrypts `content`; null without a session. */
  seal(content: SessionContent): Uint8Array | null;
  /** Seals the close message with the final counters; null without an open session. */
  close(): Uint8Array | null;
  /** The responder announced a transfer: no session until the next handshake. */
  handOver(): void;
  /**
   * The session request sent to the next responder: its handshake is awaited now. With `anchor` (a
   * handover the young person accepted), the next responder's certificate must chain through that
   * organisation's certificate instead.
   */
  await(pending: PendingVisitor, anchor?: TrustAnchor): void;
  /** Delete now: nothing kept. */
  forget(): void;
}

export function createVisitorSession(deps: { crypto: Crypto; anchor: TrustAnchor; now: () => Date; pending: PendingVisitor | null }): VisitorSession {
  const c = deps.crypto;
  let session: SessionState | null = null;
  let pending = deps.pending;
  let anchor = deps.anchor;
  return {
    get current() {
      return session;
    },
    get awaiting() {
      return pending !== null;
    },
    get anchorOrgName() {
      return anchor.org.organisation?.name ?? null;
    },
    get pendingIntake() {
      return pending !== null && pending.sessionNumber === 1 && pending.psk === null ? pending : null;
    },
    handshake(wire) {
      if (pending === null) return 'ignored';
      let header: ReturnType<Crypto['parseHandshake']>;
      try {
        header = c.parseHandshake(wire);
      } catch {
        return 'ignored';
      }
      if (header.sessionNumber !== pending.sessionNumber) return 'ignored'; // an older session's handshake (replay after resume)
      try {
        session = c.completeHandshake(pending, wire, { anchor, now: deps.now() });
      } catch {
        return 'refused';
      }
      pending = null;
      return 'established';
    },
    open(wire) {
      if (session === null) return null;
      try {
        const out = c.decryptMessage(session, wire, { now: deps.now() });
        session = out.state;
        return out.content;
      } catch {
        // Replays, other sessions' messages and tampered envelopes are dropped; the state is unchanged.
        return null;
      }
    },
    seal(content) {
      if (session === null) return null;
      const out = c.encryptMessage(session, content);
      session = out.state;
      return out.wire;
    },
    close() {
      if (session === null || session.closed !== null) return null;
      const out = c.closeSession(session);
      session = out.state;
      return out.wire;
    },
    handOver() {
      session = null;
    },
    await(next, nextAnchor) {
      pending = next;
      if (nextAnchor !== undefined) anchor = nextAnchor;
    },
    forget() {
      session = null;
      pending = null;
    },
  };
}
