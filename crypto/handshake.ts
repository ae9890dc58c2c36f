// Handshake (v2): the responder signs the transcript T with its certified Ed25519 key; both derive the
// session root from the ephemeral DH and the DH with the team inbox key, so a certificate alone does not do.
import type { TrustAnchor, VerifiedResponderCert } from './chain.js';
import { verifyResponderCert } from './chain.js';
import { WireType, certHash } from './certs.js';
import {
  HANDSHAKE_VERSION,
  Reader,
  Writer,
  bytesEqual,
  readHeader,
  type ConversationId,
  type X25519PublicKey,
  v2,
} from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { hash, kdf, secretEqual, wipe } from './hash.js';
import type { TeamInboxKey } from './inbox-key.js';
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
  /** Inbox epoch whose key the session mixes in: the intake's, or the one the session request names. */
  epoch: number;
  /** The certified X25519 public key of that team inbox epoch. */
  teamInboxPublicKey: X25519PublicKey;
  sessionNumber: number;
  visitorPublicKey: X25519PublicKey;
  /** H(intake) or H(session request). */
  binding: Uint8Array;
  psk: Uint8Array | null;
}

/**
 * T = BLAKE2b-256 of labelled "utvag/v2/transcript" {version 2, conversationId, session number, team,
 * epoch, teamInboxPub, visitorPub, responderEphemeralPub, H(cert), binding = H(intake | session
 * request), psk present}.
 */
export function transcriptHash(ctx: HandshakeContext, responderEphemeral: Uint8Array, responderCertHash: Uint8Array): Uint8Array {
  return hash(v2('transcript'), (w) =>
    w
      .u8(HANDSHAKE_VERSION)
      .fixed(ctx.conversationId, 16)
      .u32(ctx.sessionNumber)
      .string(ctx.team)
      .u32(ctx.epoch)
      .fixed(ctx.teamInboxPublicKey, 32)
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

/**
 * root = KDF(ephemeralShared, "utvag/v2/session-root", T ‖ inboxShared(32) ‖ bytes(psk or empty)):
 * `ephemeralShared` = X25519(visitor, responder ephemeral) gives forward secrecy, `inboxShared` =
 * X25519(visitor, team inbox key of the epoch) requires the team inbox private key. Both are wiped.
 * The key confirmation KDF(root, "utvag/v2/key-confirmation", T) travels in the handshake, so a
 * visitor sees at once that a responder did not derive the same root (no inbox key).
 */
function deriveSession(
  role: Role,
  ephemeralShared: Uint8Array,
  inboxShared: Uint8Array,
  t: Uint8Array,
  ctx: HandshakeContext,
  responder: { id: string; displayName: string; certHash: Uint8Array },
): { state: SessionState; confirmation: Uint8Array } {
  const root = kdf(ephemeralShared, v2('session-root'), (w) => w.fixed(t, 32).fixed(inboxShared, 32).bytes(ctx.psk ?? new Uint8Array(0)));
  const confirmation = kdf(root, v2('key-confirmation'), (w) => w.fixed(t, 32));
  const chains = chainKeysFromRoot(root);
  const safetyCode = safetyCodeFromRoot(root);
  wipe(root, ephemeralShared, inboxShared);
  const state: SessionState = {
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
  return { state, confirmation };
}

/**
 * Responder: makes an ephemeral X25519 key, signs T, derives the session (mixing in the team inbox key
 * of `context.epoch`, which `inbox` must be: WrongTeam / WrongEpoch / UntrustedKey otherwise) and
 * wipes the ephemeral secret. Wire: u8 version (2) ‖ u8 0x20 ‖ conversationId(16) ‖ u32 session ‖
 * str team ‖ u32 epoch ‖ responderEphemeralPub(32) ‖ bytes cert ‖ signature(64) ‖ confirmation(32).
 */
export function createHandshake(input: {
  context: HandshakeContext;
  responder: ResponderIdentity;
  inbox: TeamInboxKey;
  random?: Random;
}): { wire: Uint8Array; state: SessionState } {
  const { context: ctx, responder, inbox } = input;
  if (!responder.cert.teams.includes(ctx.team)) fail(CryptoErrorCode.WrongTeam, 'responder is not in the team');
  if (inbox.cert.team !== ctx.team) fail(CryptoErrorCode.WrongTeam, 'inbox key of another team');
  if (inbox.cert.epoch !== ctx.epoch) fail(CryptoErrorCode.WrongEpoch, 'inbox key of another epoch');
  if (!bytesEqual(inbox.cert.boxPublicKey, ctx.teamInboxPublicKey)) fail(CryptoErrorCode.UntrustedKey, 'inbox key is not the one the visitor used');
  const eph = generateBoxKeyPair(input.random ?? systemRandom);
  const hCert = certHash(responder.cert.bytes);
  const t = transcriptHash(ctx, eph.publicKey, hCert);
  const signature = sodium().crypto_sign_detached(signatureInput(t), responder.signKeyPair.secretKey);
  const shared = x25519(eph.secretKey, ctx.visitorPublicKey);
  wipe(eph.secretKey);
  const inboxShared = x25519(inbox.keyPair.secretKey, ctx.visitorPublicKey);
  const { state, confirmation } = deriveSession('responder', shared, inboxShared, t, ctx, { id: responder.cert.id, displayName: responder.cert.displayName, certHash: hCert });
  const wire = new Writer()
    .u8(HANDSHAKE_VERSION)
    .u8(WireType.Handshake)
    .fixed(ctx.conversationId, 16)
    .u32(ctx.sessionNumber)
    .string(ctx.team)
    .u32(ctx.epoch)
    .fixed(eph.publicKey, 32)
    .bytes(responder.cert.bytes)
    .fixed(signature, 64)
    .fixed(confirmation, 32)
    .finish();
  return { wire, state };
}

/** Responder: the handshake for a freshly opened intake (session 1, no psk), with the inbox key that opened it. */
export function acceptIntake(
  intake: OpenedIntake,
  responder: ResponderIdentity,
  inbox: TeamInboxKey,
  options: { random?: Random } = {},
): { wire: Uint8Array; state: SessionState } {
  return createHandshake({
    context: {
      conversationId: intake.conversationId,
      team: intake.team,
      epoch: intake.epoch,
      teamInboxPublicKey: inbox.cert.boxPublicKey,
      sessionNumber: 1,
      visitorPublicKey: intake.visitorPublicKey,
      binding: intake.intakeHash,
      psk: null,
    },
    responder,
    inbox,
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
  /** KDF(root, "utvag/v2/key-confirmation", T): proves the responder derived the same session root. */
  confirmation: Uint8Array;
}

/** Parses a handshake wire (version 2). Throws Malformed / UnsupportedVersion (a v1 handshake). */
export function parseHandshake(wire: Uint8Array): HandshakeMessage {
  const r = new Reader(wire);
  readHeader(r, WireType.Handshake, 'handshake', HANDSHAKE_VERSION);
  const m = {
    conversationId: r.fixed(16) as ConversationId,
    sessionNumber: r.u32(),
    team: r.string(256),
    epoch: r.u32(),
    responderEphemeralPublicKey: r.fixed(32) as X25519PublicKey,
    cert: r.bytes(64 * 1024),
    signature: r.fixed(64),
    confirmation: r.fixed(32),
  };
  r.end();
  return m;
}

/**
 * Visitor: verifies the responder's handshake against its own pending values and derives the session.
 * Checks: conversation (WrongConversation), session number (WrongSession), team (WrongTeam), epoch
 * (WrongEpoch), the certificate chain at `now` (UntrustedKey / Expired / NotYetValid / Revoked /
 * WrongTeam / WrongRole), the announced certificate for a transfer (UntrustedKey), and the signature
 * over T recomputed from the visitor's own values (BadSignature). The session root mixes in
 * X25519(visitor, team inbox key the visitor verified), and the handshake carries a key confirmation:
 * a responder without that inbox private key cannot produce it (UntrustedKey). Wipes the visitor's ephemeral secret
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
    teamInboxPublicKey: pending.teamInboxPublicKey,
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
  const inboxShared = x25519(pending.visitorKeyPair.secretKey, pending.teamInboxPublicKey);
  const { state, confirmation } = deriveSession('visitor', shared, inboxShared, t, ctx, { id: cert.id, displayName: cert.displayName, certHash: hCert });
  if (!secretEqual(confirmation, m.confirmation)) {
    // Signed by a certified key, but its holder did not derive our root: it lacks the team inbox key.
    wipe(state.send.chainKey, state.recv.chainKey);
    fail(CryptoErrorCode.UntrustedKey, 'responder does not hold the team inbox key');
  }
  wipe(pending.visitorKeyPair.secretKey);
  return state;
}
