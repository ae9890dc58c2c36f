// Intake (first message) and callback request: crypto_box_easy from a fresh visitor key to the team inbox key.
import type { VerifiedTeamCert } from './chain.js';
import { WireType } from './certs.js';
import { newConversationId } from './conversation-id.js';
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
import { hash } from './hash.js';
import type { TeamInboxKey } from './inbox-key.js';
import { generateBoxKeyPair, type BoxKeyPair } from './keys.js';
import { pad, unpad } from './padding.js';
import { systemRandom, type Random } from './random.js';
import { sodium } from './sodium.js';

/** Largest padded intake/callback plaintext: 8 KiB. */
export const MAX_INTAKE_PLAINTEXT = 8192;

/** The routing fields readable by the server (the same values are repeated inside the ciphertext). */
export interface IntakeEnvelope {
  kind: 'intake' | 'callback';
  team: string;
  epoch: number;
  conversationId: ConversationId;
  visitorPublicKey: X25519PublicKey;
}

/** What a visitor keeps after sending an intake, to complete the responder's handshake. Memory only. */
export interface PendingVisitor {
  conversationId: ConversationId;
  team: string;
  /** The team inbox epoch whose key the session mixes in (the intake's, or the one a request names). */
  epoch: number;
  /** That epoch's certified inbox public key (verified against the pinned root before use). */
  teamInboxPublicKey: X25519PublicKey;
  sessionNumber: number;
  visitorKeyPair: BoxKeyPair;
  /** H(intake) or H(session request): what the handshake transcript binds to. */
  binding: Uint8Array;
  /** Pre-shared key mixed into the session root (resume / transfer), or null. */
  psk: Uint8Array | null;
  /** For a transfer: H(cert) of the announced next responder; null accepts any team responder. */
  expectedResponderCertHash: Uint8Array | null;
}

/** Callback request details (all UTF-8 text). */
export interface CallbackDetails {
  phone: string;
  timeWindow: string;
  language: string;
  note: string;
  /** The word the responder says when calling, so the young person knows the call is genuine. */
  verificationWord: string;
}

/** Writes callback details in their wire order (a callback request and a re-sealed copy carry the same fields). */
export function writeCallbackDetails(w: Writer, c: CallbackDetails): Writer {
  return w.string(c.phone).string(c.timeWindow).string(c.language).string(c.note).string(c.verificationWord);
}

/** Reads what writeCallbackDetails wrote, each field within its length limit. */
export function readCallbackDetails(r: Reader): CallbackDetails {
  return {
    phone: r.string(64),
    timeWindow: r.string(256),
    language: r.string(64),
    note: r.string(4096),
    verificationWord: r.string(64),
  };
}

/** An intake opened by a team member. */
export interface OpenedIntake extends IntakeEnvelope {
  kind: 'intake';
  category: string;
  text: string;
  /** H(intake wire), bound into the handshake. */
  intakeHash: Uint8Array;
}

/** A callback request opened by a team member. */
export interface OpenedCallback extends IntakeEnvelope {
  kind: 'callback';
  callback: CallbackDetails;
}

/** H(intake) = BLAKE2b-256("utvag/v1/intake-hash", wire bytes). */
export function intakeHash(wire: Uint8Array): Uint8Array {
  return hash('intake-hash', (w) => w.bytes(wire));
}

function seal(
  kind: 'intake' | 'callback',
  teamCert: VerifiedTeamCert,
  conversationId: ConversationId,
  visitor: BoxKeyPair,
  body: (w: Writer) => Writer,
  random: Random,
): Uint8Array {
  const inner = body(
    Writer.labelled(kind).string(teamCert.team).u32(teamCert.epoch).fixed(conversationId, 16).fixed(visitor.publicKey, 32),
  ).finish();
  const nonce = random(24);
  const ciphertext = sodium().crypto_box_easy(pad(inner, MAX_INTAKE_PLAINTEXT), nonce, teamCert.boxPublicKey, visitor.secretKey);
  return new Writer()
    .u8(PROTOCOL_VERSION)
    .u8(kind === 'intake' ? WireType.Intake : WireType.Callback)
    .string(teamCert.team)
    .u32(teamCert.epoch)
    .fixed(conversationId, 16)
    .fixed(visitor.publicKey, 32)
    .fixed(nonce, 24)
    .bytes(ciphertext)
    .finish();
}

/**
 * Visitor: encrypts the first message of a new conversation to the verified team inbox certificate,
 * from a fresh X25519 key and a fresh conversation id. Returns the wire bytes and the pending state
 * needed by completeHandshake() (keep it in memory only). Throws TooLarge above 8 KiB.
 */
export function createIntake(input: { teamCert: VerifiedTeamCert; category: string; text: string; random?: Random }): {
  wire: Uint8Array;
  pending: PendingVisitor;
} {
  const random = input.random ?? systemRandom;
  const conversationId = newConversationId(random);
  const visitorKeyPair = generateBoxKeyPair(random);
  const wire = seal('intake', input.teamCert, conversationId, visitorKeyPair, (w) => w.string(input.category).string(input.text), random);
  return {
    wire,
    pending: {
      conversationId,
      team: input.teamCert.team,
      epoch: input.teamCert.epoch,
      teamInboxPublicKey: input.teamCert.boxPublicKey,
      sessionNumber: 1,
      visitorKeyPair,
      binding: intakeHash(wire),
      psk: null,
      expectedResponderCertHash: null,
    },
  };
}

/**
 * Visitor: encrypts a callback request (own fresh key and id; the secret key is wiped at once).
 * Returns the wire bytes and the conversation id the server files it under.
 */
export function createCallbackRequest(input: { teamCert: VerifiedTeamCert; callback: CallbackDetails; random?: Random }): {
  wire: Uint8Array;
  conversationId: ConversationId;
} {
  const random = input.random ?? systemRandom;
  const conversationId = newConversationId(random);
  const visitor = generateBoxKeyPair(random);
  const wire = seal('callback', input.teamCert, conversationId, visitor, (w) => writeCallbackDetails(w, input.callback), random);
  sodium().memzero(visitor.secretKey);
  return { wire, conversationId };
}

/**
 * Parses the outer, server-visible fields of an intake or callback request (no decryption). The server
 * uses this for routing; a responder must still call openIntake()/openCallbackRequest().
 * Throws Malformed / UnsupportedVersion.
 */
export function parseIntakeEnvelope(wire: Uint8Array): IntakeEnvelope & { nonce: Uint8Array; ciphertext: Uint8Array } {
  const r = new Reader(wire);
  const version = r.u8();
  if (version !== PROTOCOL_VERSION) fail(CryptoErrorCode.UnsupportedVersion, `intake version ${version}`);
  const type = r.u8();
  if (type !== WireType.Intake && type !== WireType.Callback) fail(CryptoErrorCode.Malformed, 'not an intake');
  const env = {
    kind: type === WireType.Intake ? ('intake' as const) : ('callback' as const),
    team: r.string(256),
    epoch: r.u32(),
    conversationId: r.fixed(16) as ConversationId,
    visitorPublicKey: r.fixed(32) as X25519PublicKey,
    nonce: r.fixed(24),
    ciphertext: r.bytes(MAX_INTAKE_PLAINTEXT + 64),
  };
  r.end();
  return env;
}

function open(wire: Uint8Array, inbox: TeamInboxKey, kind: 'intake' | 'callback'): { env: IntakeEnvelope; inner: Reader } {
  const { nonce, ciphertext, ...env } = parseIntakeEnvelope(wire);
  if (env.kind !== kind) fail(CryptoErrorCode.Malformed, `not a ${kind}`);
  if (env.team !== inbox.cert.team) fail(CryptoErrorCode.WrongTeam, 'addressed to another team');
  if (env.epoch !== inbox.cert.epoch) fail(CryptoErrorCode.WrongEpoch, 'addressed to another inbox epoch');
  let padded: Uint8Array;
  try {
    padded = sodium().crypto_box_open_easy(ciphertext, nonce, env.visitorPublicKey, inbox.keyPair.secretKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, `${kind} does not authenticate`);
  }
  const inner = new Reader(unpad(padded)).expectLabel(kind);
  // The inner copy is authenticated by the visitor's key; the outer one is what the server routed on.
  if (inner.string(256) !== env.team) fail(CryptoErrorCode.WrongTeam, 'inner team differs');
  if (inner.u32() !== env.epoch) fail(CryptoErrorCode.WrongEpoch, 'inner epoch differs');
  if (!bytesEqual(inner.fixed(16), env.conversationId)) fail(CryptoErrorCode.WrongConversation, 'inner conversation id differs');
  if (!bytesEqual(inner.fixed(32), env.visitorPublicKey)) fail(CryptoErrorCode.Tampered, 'inner visitor key differs');
  return { env, inner };
}

/**
 * Team member: decrypts an intake with the team inbox key and checks that the authenticated inner
 * ids match the outer ones. Throws WrongTeam / WrongEpoch (another inbox), Tampered (changed bytes or
 * a swapped visitor key), WrongConversation (redirected), Malformed.
 */
export function openIntake(wire: Uint8Array, inbox: TeamInboxKey): OpenedIntake {
  const { env, inner } = open(wire, inbox, 'intake');
  const category = inner.string(64);
  const text = inner.string(MAX_INTAKE_PLAINTEXT);
  inner.end();
  return { ...env, kind: 'intake', category, text, intakeHash: intakeHash(wire) };
}

/** Team member: decrypts a callback request; same checks and errors as openIntake(). */
export function openCallbackRequest(wire: Uint8Array, inbox: TeamInboxKey): OpenedCallback {
  const { env, inner } = open(wire, inbox, 'callback');
  const callback = readCallbackDetails(inner);
  inner.end();
  return { ...env, kind: 'callback', callback };
}
