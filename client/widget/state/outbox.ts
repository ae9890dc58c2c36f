// Envelopes sent but not yet acknowledged: resent unchanged (same cid, so the server stores each once)
// after a reconnect or on the visitor's retry.
import type { Envelope } from '../../shared/api-client.js';

export type OutgoingEnvelope = Envelope & { readonly kind: 'message' | 'close' | 'resume' | 'transfer' };

export interface Outbox {
  /** Keeps `envelope` until acknowledged and sends it now (if the socket is up). */
  send(envelope: OutgoingEnvelope): void;
  /** The server stored `cid` (an ack, or our own entry in the log): forget it. */
  delivered(cid: string): void;
  has(cid: string): boolean;
  /** Sends `cid` again, unchanged; false when it was already delivered. */
  resend(cid: string): boolean;
  /** Sends every unacknowledged envelope again (after a reconnect). */
  resendAll(): void;
}

/** An outbox writing through `transmit` (the socket's send, which drops frames while offline). */
export function createOutbox(transmit: (envelope: OutgoingEnvelope) => void): Outbox {
  const waiting = new Map<string, OutgoingEnvelope>();
  return {
    send(envelope) {
      waiting.set(envelope.cid, envelope);
      transmit(envelope);
    },
    delivered: (cid) => void waiting.delete(cid),
    has: (cid) => waiting.has(cid),
    resend(cid) {
      const envelope = waiting.get(cid);
      if (envelope === undefined) return false;
      transmit(envelope);
      return true;
    },
    resendAll() {
      for (const envelope of waiting.values()) transmit(envelope);
    },
  };
}
