// A conversation's messages on the wire: the opaque ciphertext envelope a client sends and the log
// entry the server stores and hands back. Plain constants and types only.
import type { MessageId } from './ids.js';

export const ENVELOPE_KINDS = ['intake', 'handshake', 'message', 'close', 'transfer', 'resume'] as const;
/** Wire kind, so a client can dispatch before decrypting. */
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

/** Ciphertext envelope limit in characters: 16 KiB of bytes is 21,846 base64url characters. */
export const MAX_BODY_CHARS = 21_846;

/** What a client sends: an opaque, versioned ciphertext envelope. */
export interface Envelope {
  /** Client-generated message id (idempotency key), 16–64 chars of [A-Za-z0-9_-] (CLIENT_MESSAGE_ID). */
  readonly cid: string;
  readonly kind: EnvelopeKind;
  /** Ciphertext, base64url (no padding), at most MAX_BODY_CHARS. */
  readonly body: string;
}

export const SENDERS = ['visitor', 'responder'] as const;
export type Sender = (typeof SENDERS)[number];

/** One stored message of a conversation's log. */
export interface LogEntry extends Envelope {
  readonly id: MessageId;
  readonly from: Sender;
  /** Handshake session the sender was in when it was appended. */
  readonly session: number;
  /** When the server stored it, ms since the epoch (the time a client shows). */
  readonly at: number;
}

export const CONVERSATION_STATUSES = ['waiting', 'active', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
