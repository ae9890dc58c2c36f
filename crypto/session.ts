// Session state and messages: one symmetric chain per direction, counters in the AD, padding, skipped keys, close.
import { WireType } from './certs.js';
import { PROTOCOL_VERSION, Reader, Writer, bytesText, readHeader, textBytes, type ConversationId } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { kdf, wipe } from './hash.js';
import { pad, unpad } from './padding.js';
import { systemRandom, type Random } from './random.js';
import { sodium } from './sodium.js';

/** Who holds this state. */
export type Role = 'visitor' | 'responder';
/** Direction byte: 1 = visitor → responder, 2 = responder → visitor. */
export const Direction = { VisitorToResponder: 1, ResponderToVisitor: 2 } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

/** Largest padded plaintext of a message (so the wire message stays under 16 KiB). */
export const MAX_MESSAGE_PLAINTEXT = 16128;

/** Receiver bounds on out-of-order delivery. */
export interface SessionLimits {
  /** Largest jump ahead of the next expected counter (GapTooLarge above). */
  maxSkip: number;
  /** Most cached keys of skipped messages (oldest dropped first). */
  maxSkippedKeys: number;
  /** Age (ms) after which a skipped key is unusable (Expired) and dropped. */
  maxSkippedAgeMs: number;
}

/** Default limits: 256 ahead, 512 cached keys, 72 h (the conversation idle TTL). */
export const DEFAULT_LIMITS: SessionLimits = { maxSkip: 256, maxSkippedKeys: 512, maxSkippedAgeMs: 72 * 60 * 60 * 1000 };

/** Key of a message not yet received (counter below the next expected one). */
export interface SkippedKey {
  counter: number;
  messageKey: Uint8Array;
  /** Unix ms when it was cached. */
  storedAt: number;
}

/**
 * The state of one session (one handshake) of a conversation. Immutable: every operation returns a new
 * state; a failed operation throws and the caller keeps the old one. Drop old states once replaced.
 */
export interface SessionState {
  readonly version: 1;
  readonly role: Role;
  readonly conversationId: ConversationId;
  readonly team: string;
  readonly sessionNumber: number;
  /** The handshake transcript hash T. */
  readonly transcriptHash: Uint8Array;
  /** Six digits both sides can compare. */
  readonly safetyCode: string;
  /** The responder of this session (from its verified certificate). */
  readonly responder: { readonly id: string; readonly displayName: string; readonly certHash: Uint8Array };
  readonly send: { readonly chainKey: Uint8Array | null; readonly counter: number };
  readonly recv: { readonly chainKey: Uint8Array | null; readonly counter: number; readonly delivered: number };
  readonly skipped: readonly SkippedKey[];
  /** Set once closed: by whom, and the final counters of the close message. */
  readonly closed: null | { readonly by: 'self' | 'peer'; readonly sent: number; readonly received: number };
}

/** What a message carries. */
export type SessionContent =
  | { type: 'text'; text: string }
  /** Visitor → responder: the psk derived from the visitor's resume code. */
  | { type: 'resume-psk'; psk: Uint8Array }
  /** Responder → visitor: the next responder (H(cert)), the next session number and the transfer key. */
  | { type: 'transfer'; nextCertHash: Uint8Array; nextSessionNumber: number; transferKey: Uint8Array }
  /**
   * Responder → visitor: an offer to hand the conversation over to `team` of organisation `org` (another
   * organisation's), named `teamName` by the responder. The visitor verifies team and organisation
   * against the pinned root before showing it, and the conversation moves only if the visitor accepts.
   */
  | { type: 'handover-offer'; team: string; org: string; teamName: string }
  /** Visitor → responder: the answer to a handover offer. */
  | { type: 'handover-answer'; team: string; accepted: boolean };

/** A received close: the peer's final counters and what they imply. */
export interface CloseInfo {
  type: 'close';
  /** Messages the peer sent before closing (counter of the close message). */
  sent: number;
  /** Messages of ours the peer had decrypted. */
  received: number;
  /** Peer messages we have not decrypted (truncation when > 0). */
  missing: number;
  /** Our messages the peer never decrypted. */
  unacknowledged: number;
}

const ContentType = { Text: 1, ResumePsk: 2, Transfer: 3, Close: 4, HandoverOffer: 5, HandoverAnswer: 6 } as const;

function sendDirection(role: Role): Direction {
  return role === 'visitor' ? Direction.VisitorToResponder : Direction.ResponderToVisitor;
}

/** AD = labelled "message-ad" {version, conversationId, session number, direction, counter}. */
function associatedData(conversationId: Uint8Array, session: number, direction: number, counter: number): Uint8Array {
  return Writer.labelled('message-ad').u8(PROTOCOL_VERSION).fixed(conversationId, 16).u32(session).u8(direction).u32(counter).finish();
}

/** mk = KDF(ck, "message-key"), ck' = KDF(ck, "chain-key"). */
function step(chainKey: Uint8Array): { messageKey: Uint8Array; nextChainKey: Uint8Array } {
  return { messageKey: kdf(chainKey, 'message-key'), nextChainKey: kdf(chainKey, 'chain-key') };
}

/** Derives the two chain keys from a session root. Internal to the handshake. */
export function chainKeysFromRoot(root: Uint8Array): { v2r: Uint8Array; r2v: Uint8Array } {
  return {
    v2r: kdf(root, 'chain', (w) => w.u8(Direction.VisitorToResponder)),
    r2v: kdf(root, 'chain', (w) => w.u8(Direction.ResponderToVisitor)),
  };
}

function encodeContent(content: SessionContent | { type: 'close'; sent: number; received: number }): Uint8Array {
  const w = new Writer();
  switch (content.type) {
    case 'text':
      return w.u8(ContentType.Text).string(content.text).finish();
    case 'resume-psk':
      return w.u8(ContentType.ResumePsk).fixed(content.psk, 32).finish();
    case 'transfer':
      return w.u8(ContentType.Transfer).fixed(content.nextCertHash, 32).u32(content.nextSessionNumber).fixed(content.transferKey, 32).finish();
    case 'close':
      return w.u8(ContentType.Close).u32(content.sent).u32(content.received).finish();
    case 'handover-offer':
      return w.u8(ContentType.HandoverOffer).string(content.team).string(content.org).string(content.teamName).finish();
    case 'handover-answer':
      return w.u8(ContentType.HandoverAnswer).string(content.team).u8(content.accepted ? 1 : 0).finish();
  }
}

function decodeContent(bytes: Uint8Array): SessionContent | { type: 'close'; sent: number; received: number } {
  const r = new Reader(bytes);
  const type = r.u8();
  let content: SessionContent | { type: 'close'; sent: number; received: number };
  switch (type) {
    case ContentType.Text:
      content = { type: 'text', text: bytesText(r.bytes(MAX_MESSAGE_PLAINTEXT)) };
      break;
    case ContentType.ResumePsk:
      content = { type: 'resume-psk', psk: r.fixed(32) };
      break;
    case ContentType.Transfer:
      content = { type: 'transfer', nextCertHash: r.fixed(32), nextSessionNumber: r.u32(), transferKey: r.fixed(32) };
      break;
    case ContentType.Close:
      content = { type: 'close', sent: r.u32(), received: r.u32() };
      break;
    case ContentType.HandoverOffer:
      content = { type: 'handover-offer', team: r.string(256), org: r.string(256), teamName: r.string(256) };
      break;
    case ContentType.HandoverAnswer: {
      const team = r.string(256);
      const accepted = r.u8();
      if (accepted > 1) fail(CryptoErrorCode.Malformed, 'handover answer');
      content = { type: 'handover-answer', team, accepted: accepted === 1 };
      break;
    }
    default:
      return fail(CryptoErrorCode.Malformed, `content type ${type}`);
  }
  r.end();
  return content;
}

/** The parsed header of a message wire: u8 version ‖ u8 0x30 ‖ u8 direction ‖ u32 session ‖ u32 counter ‖ nonce(24) ‖ ciphertext. */
export interface MessageHeader {
  direction: Direction;
  sessionNumber: number;
  counter: number;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/** Parses a message wire (no decryption). Throws Malformed / UnsupportedVersion. */
export function parseMessage(wire: Uint8Array): MessageHeader {
  const r = new Reader(wire);
  readHeader(r, WireType.Message, 'message');
  const direction = r.u8();
  if (direction !== Direction.VisitorToResponder && direction !== Direction.ResponderToVisitor) fail(CryptoErrorCode.Malformed, 'direction');
  const header = { direction: direction as Direction, sessionNumber: r.u32(), counter: r.u32(), nonce: r.fixed(24), ciphertext: r.rest() };
  if (header.ciphertext.length < 16 + 256) fail(CryptoErrorCode.Malformed, 'ciphertext too short');
  return header;
}

function seal(state: SessionState, content: ReturnType<typeof decodeContent>, random: Random): { state: SessionState; wire: Uint8Array } {
  if (state.closed || !state.send.chainKey) fail(CryptoErrorCode.SessionClosed, 'cannot send on a closed session');
  const { messageKey, nextChainKey } = step(state.send.chainKey);
  const direction = sendDirection(state.role);
  const counter = state.send.counter;
  if (counter >= 0xffffffff) fail(CryptoErrorCode.TooLarge, 'counter exhausted');
  const nonce = random(24);
  const ad = associatedData(state.conversationId, state.sessionNumber, direction, counter);
  const ciphertext = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(pad(encodeContent(content), MAX_MESSAGE_PLAINTEXT), ad, null, nonce, messageKey);
  wipe(messageKey);
  const wire = new Writer().u8(PROTOCOL_VERSION).u8(WireType.Message).u8(direction).u32(state.sessionNumber).u32(counter).fixed(nonce, 24).finish();
  return {
    state: { ...state, send: { chainKey: nextChainKey, counter: counter + 1 } },
    wire: concatWire(wire, ciphertext),
  };
}

function concatWire(header: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const out = new Uint8Array(header.length + ciphertext.length);
  out.set(header);
  out.set(ciphertext, header.length);
  return out;
}

/**
 * Encrypts one message (text, resume psk or transfer announcement) and advances the sending chain.
 * Returns the new state and the wire bytes. Throws SessionClosed after a close, TooLarge for more than
 * about 16 KiB of content.
 */
export function encryptMessage(state: SessionState, content: SessionContent, options: { random?: Random } = {}): { state: SessionState; wire: Uint8Array } {
  return seal(state, content, options.random ?? systemRandom);
}

/**
 * Sends the close message carrying the final counters (messages sent, peer messages decrypted) and
 * wipes every key of the session: afterwards the state can neither send nor decrypt.
 */
export function closeSession(state: SessionState, options: { random?: Random } = {}): { state: SessionState; wire: Uint8Array } {
  const sent = state.send.counter;
  const received = state.recv.delivered;
  const out = seal(state, { type: 'close', sent, received }, options.random ?? systemRandom);
  wipe(out.state.send.chainKey, state.recv.chainKey);
  return {
    wire: out.wire,
    state: { ...out.state, send: { chainKey: null, counter: out.state.send.counter }, recv: { ...state.recv, chainKey: null }, skipped: [], closed: { by: 'self', sent, received } },
  };
}

/**
 * Decrypts one message and returns the new state with its content. Checks, in order: format
 * (Malformed / UnsupportedVersion), own direction (Reflected), session number (WrongSession), replay
 * (Replay), cached key age (Expired), closed session (SessionClosed), gap (GapTooLarge), then
 * authentication over header, conversation id and counters (Tampered). Every failure throws and the
 * passed state is unchanged; the state only advances after the message authenticated.
 */
export function decryptMessage(
  state: SessionState,
  wire: Uint8Array,
  options: { now: Date; limits?: SessionLimits },
): { state: SessionState; content: SessionContent | CloseInfo } {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = options.now.getTime();
  const h = parseMessage(wire);
  if (h.direction === sendDirection(state.role)) fail(CryptoErrorCode.Reflected, 'message in our own direction');
  if (h.sessionNumber !== state.sessionNumber) fail(CryptoErrorCode.WrongSession, `session ${h.sessionNumber}`);

  let messageKey: Uint8Array;
  let skippedIndex = -1;
  let newSkipped: SkippedKey[] = [];
  let nextChainKey: Uint8Array | null = state.recv.chainKey;
  let nextCounter = state.recv.counter;
  const derived: Uint8Array[] = [];
  if (h.counter < state.recv.counter) {
    skippedIndex = state.skipped.findIndex((k) => k.counter === h.counter);
    const cached = state.skipped[skippedIndex];
    if (!cached) fail(CryptoErrorCode.Replay, `counter ${h.counter} already used`);
    if (now - cached.storedAt > limits.maxSkippedAgeMs) fail(CryptoErrorCode.Expired, `key of message ${h.counter} too old`);
    messageKey = cached.messageKey;
  } else {
    if (state.closed || !state.recv.chainKey) fail(CryptoErrorCode.SessionClosed, 'message after close');
    if (h.counter - state.recv.counter > limits.maxSkip) fail(CryptoErrorCode.GapTooLarge, `${h.counter - state.recv.counter} messages skipped`);
    let ck = state.recv.chainKey;
    for (let c = state.recv.counter; c < h.counter; c++) {
      const s = step(ck);
      newSkipped.push({ counter: c, messageKey: s.messageKey, storedAt: now });
      derived.push(ck !== state.recv.chainKey ? ck : new Uint8Array(0));
      ck = s.nextChainKey;
    }
    const s = step(ck);
    if (ck !== state.recv.chainKey) derived.push(ck);
    messageKey = s.messageKey;
    nextChainKey = s.nextChainKey;
    nextCounter = h.counter + 1;
  }

  const ad = associatedData(state.conversationId, state.sessionNumber, h.direction, h.counter);
  let padded: Uint8Array;
  try {
    padded = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, h.ciphertext, ad, h.nonce, messageKey);
  } catch {
    // Nothing derived here is kept: wipe it so a forged message leaves no key material behind.
    if (skippedIndex < 0) wipe(messageKey, nextChainKey, ...newSkipped.map((k) => k.messageKey), ...derived);
    return fail(CryptoErrorCode.Tampered, 'message does not authenticate');
  }
  const content = decodeContent(unpad(padded));
  wipe(padded);

  // Commit: drop the used key, add new skipped keys, prune by age then by count (oldest first).
  let skipped = state.skipped.filter((_, i) => i !== skippedIndex).concat(newSkipped);
  skipped = skipped.filter((k) => now - k.storedAt <= limits.maxSkippedAgeMs);
  if (skipped.length > limits.maxSkippedKeys) skipped = skipped.slice(skipped.length - limits.maxSkippedKeys);
  if (skippedIndex >= 0) wipe(messageKey);
  else wipe(messageKey, ...derived);
  newSkipped = [];
  const delivered = state.recv.delivered + 1;
  const next: SessionState = { ...state, recv: { chainKey: nextChainKey, counter: nextCounter, delivered }, skipped };

  if (content.type !== 'close') return { state: next, content };
  if (content.sent !== h.counter) fail(CryptoErrorCode.Malformed, 'close counter mismatch');
  if (content.received > state.send.counter) fail(CryptoErrorCode.Malformed, 'close acknowledges messages never sent');
  // Keep only the keys of messages still missing before the close; wipe everything else.
  const keep = skipped.filter((k) => k.counter < h.counter);
  wipe(next.recv.chainKey, state.send.chainKey, ...skipped.filter((k) => k.counter >= h.counter).map((k) => k.messageKey));
  return {
    state: {
      ...next,
      send: { chainKey: null, counter: state.send.counter },
      recv: { chainKey: null, counter: nextCounter, delivered },
      skipped: keep,
      closed: { by: 'peer', sent: content.sent, received: content.received },
    },
    content: {
      type: 'close',
      sent: content.sent,
      received: content.received,
      missing: content.sent - (delivered - 1),
      unacknowledged: state.send.counter - content.received,
    },
  };
}
