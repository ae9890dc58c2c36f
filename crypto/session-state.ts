// Versioned binary serialisation of SessionState, and an encrypted snapshot for a console tab's local copy.
import { WireType } from './certs.js';
import { HANDSHAKE_VERSION, PROTOCOL_VERSION, Reader, Writer, readHeader, v2, type ConversationId } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { systemRandom, type Random } from './random.js';
import type { PendingVisitor } from './intake.js';
import type { X25519PublicKey, X25519SecretKey } from './encoding.js';
import type { SessionState, SkippedKey } from './session.js';
import { sodium } from './sodium.js';

const ROLE_BYTE = { visitor: 1, responder: 2 } as const;
const CLOSED_BYTE = { none: 0, self: 1, peer: 2 } as const;

function optionalKey(w: Writer, key: Uint8Array | null): Writer {
  return key ? w.u8(1).fixed(key, 32) : w.u8(0);
}

/**
 * Serialises a session: u8 version ‖ u8 0x70 ‖ labelled "session-state" fields (see PROTOCOL.md).
 * Contains secret keys: store it only encrypted (sealStateSnapshot), never on the server.
 */
export function serializeSession(state: SessionState): Uint8Array {
  const w = new Writer().u8(PROTOCOL_VERSION).u8(WireType.SessionState);
  const body = Writer.labelled('session-state')
    .u8(ROLE_BYTE[state.role])
    .fixed(state.conversationId, 16)
    .string(state.team)
    .u32(state.sessionNumber)
    .fixed(state.transcriptHash, 32)
    .string(state.safetyCode)
    .string(state.responder.id)
    .string(state.responder.displayName)
    .fixed(state.responder.certHash, 32);
  optionalKey(body, state.send.chainKey).u32(state.send.counter);
  optionalKey(body, state.recv.chainKey).u32(state.recv.counter).u32(state.recv.delivered);
  body.u32(state.skipped.length);
  for (const k of state.skipped) body.u32(k.counter).fixed(k.messageKey, 32).u64(k.storedAt);
  if (!state.closed) body.u8(CLOSED_BYTE.none);
  else body.u8(CLOSED_BYTE[state.closed.by]).u32(state.closed.sent).u32(state.closed.received);
  return w.bytes(body.finish()).finish();
}

/** Parses serializeSession() output; Malformed / UnsupportedVersion for anything else. */
export function deserializeSession(bytes: Uint8Array): SessionState {
  const outer = new Reader(bytes);
  readHeader(outer, WireType.SessionState, 'session state');
  const r = new Reader(outer.bytes());
  outer.end();
  r.expectLabel('session-state');
  const roleByte = r.u8();
  const role = roleByte === 1 ? 'visitor' : roleByte === 2 ? 'responder' : fail(CryptoErrorCode.Malformed, 'role');
  const conversationId = r.fixed(16) as ConversationId;
  const team = r.string(256);
  const sessionNumber = r.u32();
  const transcriptHash = r.fixed(32);
  const safetyCode = r.string(16);
  if (!/^\d{6}$/.test(safetyCode)) fail(CryptoErrorCode.Malformed, 'safety code');
  const responder = { id: r.string(256), displayName: r.string(256), certHash: r.fixed(32) };
  const key = (): Uint8Array | null => {
    const flag = r.u8();
    return flag === 0 ? null : flag === 1 ? r.fixed(32) : fail(CryptoErrorCode.Malformed, 'key flag');
  };
  const send = { chainKey: key(), counter: r.u32() };
  const recv = { chainKey: key(), counter: r.u32(), delivered: r.u32() };
  const n = r.u32();
  if (n > 100_000) fail(CryptoErrorCode.Malformed, 'too many skipped keys');
  const skipped: SkippedKey[] = [];
  for (let i = 0; i < n; i++) skipped.push({ counter: r.u32(), messageKey: r.fixed(32), storedAt: r.u64() });
  const closedByte = r.u8();
  const closed =
    closedByte === CLOSED_BYTE.none
      ? null
      : closedByte === CLOSED_BYTE.self || closedByte === CLOSED_BYTE.peer
        ? { by: closedByte === CLOSED_BYTE.self ? ('self' as const) : ('peer' as const), sent: r.u32(), received: r.u32() }
        : fail(CryptoErrorCode.Malformed, 'closed flag');
  r.end();
  return { version: 1, role, conversationId, team, sessionNumber, transcriptHash, safetyCode, responder, send, recv, skipped, closed };
}

function snapshotAd(): Uint8Array {
  return Writer.labelled('state-snapshot').u8(PROTOCOL_VERSION).finish();
}

/**
 * Encrypts a serialised session under a 32-byte local key (e.g. from wrapKey or a per-tab key), for the
 * console's own storage. Wire: u8 version ‖ u8 0x70 ‖ nonce(24) ‖ XChaCha20-Poly1305 ciphertext.
 */
export function sealStateSnapshot(localKey: Uint8Array, state: SessionState, random: Random = systemRandom): Uint8Array {
  if (localKey.length !== 32) fail(CryptoErrorCode.Malformed, 'local key length');
  const nonce = random(24);
  const plain = serializeSession(state);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plain, snapshotAd(), null, nonce, localKey);
  sodium().memzero(plain);
  return new Writer().u8(PROTOCOL_VERSION).u8(WireType.SessionState).fixed(nonce, 24).bytes(ct).finish();
}

/** Decrypts a snapshot; Tampered when it does not authenticate, Malformed when it does not parse. */
export function openStateSnapshot(localKey: Uint8Array, wire: Uint8Array): SessionState {
  const r = new Reader(wire);
  readHeader(r, WireType.SessionState, 'state snapshot');
  const nonce = r.fixed(24);
  const ct = r.bytes();
  r.end();
  let plain: Uint8Array;
  try {
    plain = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, snapshotAd(), nonce, localKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'snapshot does not authenticate');
  }
  return deserializeSession(plain);
}

/**
 * Serialises a visitor's pending handshake (between intake / session request and the responder's
 * handshake), for the tab's own sessionStorage so a reload does not lose it. Contains the visitor's
 * ephemeral secret key: never store it beyond the tab. Wire: u8 version (2) ‖ u8 0x71 ‖
 * bytes(labelled "utvag/v2/pending-visitor" …), v2 because it carries the team inbox public key.
 */
export function serializePendingVisitor(p: PendingVisitor): Uint8Array {
  const body = Writer.labelled(v2('pending-visitor'))
    .fixed(p.conversationId, 16)
    .string(p.team)
    .u32(p.epoch)
    .fixed(p.teamInboxPublicKey, 32)
    .u32(p.sessionNumber)
    .fixed(p.visitorKeyPair.publicKey, 32)
    .fixed(p.visitorKeyPair.secretKey, 32)
    .fixed(p.binding, 32);
  optionalKey(body, p.psk);
  optionalKey(body, p.expectedResponderCertHash);
  return new Writer().u8(HANDSHAKE_VERSION).u8(WireType.PendingVisitor).bytes(body.finish()).finish();
}

/** Parses serializePendingVisitor() output; Malformed / UnsupportedVersion otherwise. */
export function deserializePendingVisitor(bytes: Uint8Array): PendingVisitor {
  const outer = new Reader(bytes);
  readHeader(outer, WireType.PendingVisitor, 'pending visitor', HANDSHAKE_VERSION);
  const r = new Reader(outer.bytes());
  outer.end();
  r.expectLabel(v2('pending-visitor'));
  const conversationId = r.fixed(16) as ConversationId;
  const team = r.string(256);
  const epoch = r.u32();
  const teamInboxPublicKey = r.fixed(32) as X25519PublicKey;
  const sessionNumber = r.u32();
  const visitorKeyPair = { publicKey: r.fixed(32) as X25519PublicKey, secretKey: r.fixed(32) as X25519SecretKey };
  const binding = r.fixed(32);
  const key = (): Uint8Array | null => {
    const flag = r.u8();
    return flag === 0 ? null : flag === 1 ? r.fixed(32) : fail(CryptoErrorCode.Malformed, 'key flag');
  };
  const psk = key();
  const expectedResponderCertHash = key();
  r.end();
  return { conversationId, team, epoch, teamInboxPublicKey, sessionNumber, visitorKeyPair, binding, psk, expectedResponderCertHash };
}

function localSecretAd(purpose: string): Uint8Array {
  return Writer.labelled('local-secret').u8(PROTOCOL_VERSION).string(purpose).finish();
}

/**
 * Encrypts a small secret (e.g. a visitor's resume psk) under a 32-byte local key for the console's
 * own storage, bound to `purpose`. Wire: u8 version ‖ u8 0x72 ‖ nonce(24) ‖ XChaCha20-Poly1305
 * ciphertext, with AD = L("local-secret", version, purpose). Malformed for a wrong key length.
 */
export function sealLocalSecret(localKey: Uint8Array, purpose: string, secret: Uint8Array, random: Random = systemRandom): Uint8Array {
  if (localKey.length !== 32) fail(CryptoErrorCode.Malformed, 'local key length');
  const nonce = random(24);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(secret, localSecretAd(purpose), null, nonce, localKey);
  return new Writer().u8(PROTOCOL_VERSION).u8(WireType.LocalSecret).fixed(nonce, 24).bytes(ct).finish();
}

/** Decrypts a sealed local secret; Tampered when it does not authenticate (wrong key, purpose or bytes). */
export function openLocalSecret(localKey: Uint8Array, purpose: string, wire: Uint8Array): Uint8Array {
  const r = new Reader(wire);
  readHeader(r, WireType.LocalSecret, 'local secret');
  const nonce = r.fixed(24);
  const ct = r.bytes(4096);
  r.end();
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, localSecretAd(purpose), nonce, localKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'local secret does not authenticate');
  }
}
