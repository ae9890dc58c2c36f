// Handshake: the responder signs the transcript T with its certified Ed25519 key; both derive the session root.
import type { TrustAnchor, VerifiedResponderCert } from './chain.js';
import { verifyResponderCert } from './chain.js';
import { WireType, certHash } from './certs.js';
import {
  PROTOCOL_VERSION,
  Reader,
  Writer,
  bytesEqual,
  readHeader,
  type ConversationId,
  type X25519PublicKey,
} from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { hash, kdf, wipe } from './hash.js';
import type { OpenedIntake, PendingVisitor } from './intake.js';
import { generateBoxKeyPair, x25519, type SigningKeyPair } from './keys.js';
import { systemRandom, type Random } from './random.js';
import { chainKeysFromRoot, type Role, type SessionState } from './session.js';
import { sodium } from './sodium.js';

/** The role a responder certificate needs to take conversations. */
export const RESPONDER_ROLE = 'responder';

/** A responder's certificate and Ed25519 key pair (decrypted in the console with password.ts). */
export interface ResponderIdentity {
  cert: VerifiedResponderCert;
  signKeyPair: SigningKeyPair;
}

/** Everything the transcript binds, as both sides know it. */
export interface HandshakeContext {
  conversationId: ConversationId;
  team: string;
  /** Inbox epoch of the intake; 0 for resume / transfer handshakes. */
  epoch: number;
  sessionNumber: number;
  visitorPublicKey: X25519PublicKey;
  /** H(intake) or H(session request). */
  binding: Uint8Array;
  psk: Uint8Array | null;
}

/**
 * T = BLAKE2b-256 of labelled "transcript" {version, conversationId, session number, team, epoch,
 * visitorPub, responderEphemeralPub, H(cert), binding = H(intake | session request), psk present}.
 */
export function transcriptHash(ctx: HandshakeContext, responderEphemeral: Uint8Array, responderCertHash: Uint8Array): Uint8Array {
  return hash('transcript', (w) =>
    w
      .u8(PROTOCOL_VERSION)
      .fixed(ctx.conversationId, 16)
      .u32(ctx.sessionNumber)
      .string(ctx.team)
      .u32(ctx.epoch)
      .fixed(ctx.visitorPublicKey, 32)
      .fixed(responderEphemeral, 32)
      .fixed(responderCertHash, 32)
      .fixed(ctx.binding, 32)
      .u8(ctx.psk ? 1 : 0),
  );
}

function signatureInput(t: Uint8Array): Uint8Array {
  return Writer.labelled('handshake-signature').fixed(t, 32).finish();
}

/** Six decimal digits from KDF(root, "safety-code"): (first 8 bytes as u64) mod 10^6, zero-padded. */
function safetyCodeFromRoot(root: Uint8Array): string {
  const b = kdf(root, 'safety-code');
  const v = new DataView(b.buffer, b.byteOffset).getBigUint64(0) % 1_000_000n;
  return v.toString().padStart(6, '0');
}

function deriveSession(
  role: Role,
  shared: Uint8Array,
  t: Uint8Array,
  ctx: HandshakeContext,
  responder: { id: string; displayName: string; certHash: Uint8Array },
): SessionState {
  const root = kdf(shared, 'session-root', (w) => w.fixed(t, 32).bytes(ctx.psk ?? new Uint8Array(0)));
  const chains = chainKeysFromRoot(root);
  const safetyCode = safetyCodeFromRoot(root);
  wipe(root, shared);
  return {
    version: 1,
    role,
    conversationId: ctx.conversationId,
    team: ctx.team,
    sessionNumber: ctx.sessionNumber,
    transcriptHash: t,
    safetyCode,
    responder,
    send: { chainKey: role === 'visitor' ? chains.v2r : chains.r2v, counter: 0 },
    recv: { chainKey: role === 'visitor' ? chains.r2v : chains.v2r, counter: 0, delivered: 0 },
    skipped: [],
    closed: null,
  };
}

/**
 * Responder: makes an ephemeral X25519 key, signs T, derives the session and wipes the ephemeral
 * secret. Wire: u8 version ‖ u8 0x20 ‖ conversationId(16) ‖ u32 session ‖ str team ‖ u32 epoch ‖
 * responderEphemeralPub(32) ‖ bytes cert ‖ signature(64).
 */
export function createHandshake(input: {
  context: HandshakeContext;
  responder: ResponderIdentity;
  random?: Random;
}): { wire: Uint8Array; state: SessionState } {
  const { context: ctx, responder } = input;
  if (!responder.cert.teams.includes(ctx.team)) fail(CryptoErrorCode.WrongTeam, 'responder is not in the team');
  const eph = generateBoxKeyPair(input.random ?? systemRandom);
  const hCert = certHash(responder.cert.bytes);
  const t = transcriptHash(ctx, eph.publicKey, hCert);
  const signature = sodium().crypto_sign_detached(signatureInput(t), responder.signKeyPair.secretKey);
  const shared = x25519(eph.secretKey, ctx.visitorPublicKey);
  wipe(eph.secretKey);
  const state = deriveSession('responder', shared, t, ctx, { id: responder.cert.id, displayName: responder.cert.displayName, certHash: hCert });
  const wire = new Writer()
    .u8(PROTOCOL_VERSION)
    .u8(WireType.Handshake)
    .fixed(ctx.conversationId, 16)
    .u32(ctx.sessionNumber)
    .string(ctx.team)
    .u32(ctx.epoch)
    .fixed(eph.publicKey, 32)
    .bytes(responder.cert.bytes)
    .fixed(signature, 64)
    .finish();
  return { wire, state };
}

/** Responder: the handshake for a freshly opened intake (session 1, no psk). */
export function acceptIntake(intake: OpenedIntake, responder: ResponderIdentity, options: { random?: Random } = {}): { wire: Uint8Array; state: SessionState } {
  return createHandshake({
    context: {
      conversationId: intake.conversationId,
      team: intake.team,
      epoch: intake.epoch,
      sessionNumber: 1,
      visitorPublicKey: intake.visitorPublicKey,
      binding: intake.intakeHash,
      psk: null,
    },
    responder,
    ...options,
  });
}

/** The parsed handshake wire (not verified). */
export interface HandshakeMessage {
  conversationId: ConversationId;
  sessionNumber: number;
  team: string;
  epoch: number;
  responderEphemeralPublicKey: X25519PublicKey;
  cert: Uint8Array;
  signature: Uint8Array;
}

/** Parses a handshake wire. Throws Malformed / UnsupportedVersion. */
export function parseHandshake(wire: Uint8Array): HandshakeMessage {
  const r = new Reader(wire);
  readHeader(r, WireType.Handshake, 'handshake');
  const m = {
    conversationId: r.fixed(16) as ConversationId,
    sessionNumber: r.u32(),
    team: r.string(256),
    epoch: r.u32(),
    responderEphemeralPublicKey: r.fixed(32) as X25519PublicKey,
    cert: r.bytes(64 * 1024),
    signature: r.fixed(64),
  };
  r.end();
  return m;
}

/**
 * Visitor: verifies the responder's handshake against its own pending values and derives the session.
 * Checks: conversation (WrongConversation), session number (WrongSession), team (WrongTeam), epoch
 * (WrongEpoch), the certificate chain at `now` (UntrustedKey / Expired / NotYetValid / Revoked /
 * WrongTeam / WrongRole), the announced certificate for a transfer (UntrustedKey), and the signature
 * over T recomputed from the visitor's own values (BadSignature). Wipes the visitor's ephemeral secret
 * on success (a second call throws Replay); on failure `pending` stays usable.
 */
export function completeHandshake(pending: PendingVisitor, wire: Uint8Array, options: { anchor: TrustAnchor; now: Date }): SessionState {
  // The secret is wiped when a handshake completes: a second (replayed) handshake must not derive anything.
  if (sodium().is_zero(pending.visitorKeyPair.secretKey)) fail(CryptoErrorCode.Replay, 'this intake already completed a handshake');
  const m = parseHandshake(wire);
  if (!bytesEqual(m.conversationId, pending.conversationId)) fail(CryptoErrorCode.WrongConversation, 'handshake for another conversation');
  if (m.sessionNumber !== pending.sessionNumber) fail(CryptoErrorCode.WrongSession, `handshake for session ${m.sessionNumber}`);
  if (m.team !== pending.team) fail(CryptoErrorCode.WrongTeam, 'handshake for another team');
  if (m.epoch !== pending.epoch) fail(CryptoErrorCode.WrongEpoch, 'handshake for another epoch');
  const cert = verifyResponderCert(options.anchor, m.cert, { now: options.now, team: pending.team, role: RESPONDER_ROLE });
  const hCert = certHash(m.cert);
  if (pending.expectedResponderCertHash && !bytesEqual(hCert, pending.expectedResponderCertHash)) {
    fail(CryptoErrorCode.UntrustedKey, 'not the announced responder');
  }
  const ctx: HandshakeContext = {
    conversationId: pending.conversationId,
    team: pending.team,
    epoch: pending.epoch,
    sessionNumber: pending.sessionNumber,
    visitorPublicKey: pending.visitorKeyPair.publicKey,
    binding: pending.binding,
    psk: pending.psk,
  };
  const t = transcriptHash(ctx, m.responderEphemeralPublicKey, hCert);
  if (!sodium().crypto_sign_verify_detached(m.signature, signatureInput(t), cert.signPublicKey)) {
    fail(CryptoErrorCode.BadSignature, 'handshake signature');
  }
  const shared = x25519(pending.visitorKeyPair.secretKey, m.responderEphemeralPublicKey);
  wipe(pending.visitorKeyPair.secretKey);
  return deriveSession('visitor', shared, t, ctx, { id: cert.id, displayName: cert.displayName, certHash: hCert });
}
