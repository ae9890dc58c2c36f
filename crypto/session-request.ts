// Resume and transfer (v2): the visitor asks for a fresh handshake (session number + 1) proven with a
// psk and naming the team inbox epoch whose key the new session mixes in.
import type { VerifiedTeamCert } from './chain.js';
import { WireType } from './certs.js';
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
import { hash, kdf, secretEqual } from './hash.js';
import type { HandshakeContext } from './handshake.js';
import type { TeamInboxKey } from './inbox-key.js';
import type { PendingVisitor } from './intake.js';
import { generateBoxKeyPair } from './keys.js';
import { systemRandom, type Random } from './random.js';

/** Why a new session is requested. */
export type SessionRequestMode = 'resume' | 'transfer';
const MODE_BYTE: Record<SessionRequestMode, number> = { resume: 1, transfer: 2 };

function requestTag(psk: Uint8Array, mode: SessionRequestMode, conversationId: Uint8Array, sessionNumber: number, team: string, epoch: number, visitorPub: Uint8Array): Uint8Array {
  return kdf(psk, v2('session-request'), (w) => w.u8(MODE_BYTE[mode]).fixed(conversationId, 16).u32(sessionNumber).string(team).u32(epoch).fixed(visitorPub, 32));
}

/**
 * Visitor: a request for a fresh handshake of session `sessionNumber` (previous + 1), bound to `psk`
 * (resume: from the resume code; transfer: the transfer key in the announcement) and to the team's
 * current inbox key `teamCert` (verified by the caller against the pinned root; its team must be
 * `team`, else WrongTeam): the new session mixes that key in, as session 1 mixes the intake's. For a
 * transfer, `expectedResponderCertHash` pins the announced responder. Wire: u8 version (2) ‖ u8 0x21 ‖
 * u8 mode ‖ conversationId(16) ‖ u32 session ‖ str team ‖ u32 epoch ‖ visitorPub(32) ‖ tag(32),
 * tag = KDF(psk, "utvag/v2/session-request", mode, conversationId, session, team, epoch, visitorPub).
 */
export function createSessionRequest(input: {
  mode: SessionRequestMode;
  conversationId: ConversationId;
  team: string;
  teamCert: VerifiedTeamCert;
  sessionNumber: number;
  psk: Uint8Array;
  expectedResponderCertHash?: Uint8Array | null;
  random?: Random;
}): { wire: Uint8Array; pending: PendingVisitor } {
  if (input.psk.length !== 32) fail(CryptoErrorCode.Malformed, 'psk length');
  if (input.sessionNumber < 2) fail(CryptoErrorCode.WrongSession, 'a resumed or transferred session is number 2 or higher');
  if (input.teamCert.team !== input.team) fail(CryptoErrorCode.WrongTeam, 'inbox certificate of another team');
  const epoch = input.teamCert.epoch;
  const visitorKeyPair = generateBoxKeyPair(input.random ?? systemRandom);
  const tag = requestTag(input.psk, input.mode, input.conversationId, input.sessionNumber, input.team, epoch, visitorKeyPair.publicKey);
  const wire = new Writer()
    .u8(HANDSHAKE_VERSION)
    .u8(WireType.SessionRequest)
    .u8(MODE_BYTE[input.mode])
    .fixed(input.conversationId, 16)
    .u32(input.sessionNumber)
    .string(input.team)
    .u32(epoch)
    .fixed(visitorKeyPair.publicKey, 32)
    .fixed(tag, 32)
    .finish();
  return {
    wire,
    pending: {
      conversationId: input.conversationId,
      team: input.team,
      epoch,
      teamInboxPublicKey: input.teamCert.boxPublicKey,
      sessionNumber: input.sessionNumber,
      visitorKeyPair,
      binding: sessionRequestHash(wire),
      psk: input.psk.slice(),
      expectedResponderCertHash: input.expectedResponderCertHash ?? null,
    },
  };
}

/** H(session request) = BLAKE2b-256("utvag/v1/session-request-hash", wire). */
export function sessionRequestHash(wire: Uint8Array): Uint8Array {
  return hash('session-request-hash', (w) => w.bytes(wire));
}

/** The parsed session request (not verified). */
export interface SessionRequest {
  mode: SessionRequestMode;
  conversationId: ConversationId;
  sessionNumber: number;
  team: string;
  /** The team inbox epoch the new session mixes in. */
  epoch: number;
  visitorPublicKey: X25519PublicKey;
  tag: Uint8Array;
}

/** Parses a session request wire (version 2). Throws Malformed / UnsupportedVersion (a v1 request). */
export function parseSessionRequest(wire: Uint8Array): SessionRequest {
  const r = new Reader(wire);
  readHeader(r, WireType.SessionRequest, 'session request', HANDSHAKE_VERSION);
  const modeByte = r.u8();
  const mode = modeByte === 1 ? 'resume' : modeByte === 2 ? 'transfer' : fail(CryptoErrorCode.Malformed, 'session request mode');
  const req = {
    mode,
    conversationId: r.fixed(16) as ConversationId,
    sessionNumber: r.u32(),
    team: r.string(256),
    epoch: r.u32(),
    visitorPublicKey: r.fixed(32) as X25519PublicKey,
    tag: r.fixed(32),
  } satisfies SessionRequest;
  r.end();
  return req;
}

/**
 * Responder: checks a session request against what it knows (conversation, team, the psk, and a session
 * number above every earlier one) and returns the HandshakeContext for createHandshake(), which needs
 * the team inbox key of the request's epoch (`inboxKeyOf(epoch)`; without it: WrongEpoch).
 * Throws WrongConversation, WrongTeam, WrongSession (not above `lastSessionNumber`: a replayed or
 * rolled-back request), Malformed (wrong mode), Tampered (tag does not verify under the psk).
 */
export function openSessionRequest(
  wire: Uint8Array,
  expected: {
    mode: SessionRequestMode;
    conversationId: ConversationId;
    team: string;
    lastSessionNumber: number;
    psk: Uint8Array;
    /** The inbox key of `team` at `epoch` this responder holds, or null. */
    inboxKeyOf: (epoch: number) => TeamInboxKey | null;
  },
): { context: HandshakeContext; inbox: TeamInboxKey } {
  const req = parseSessionRequest(wire);
  if (req.mode !== expected.mode) fail(CryptoErrorCode.Malformed, `expected a ${expected.mode} request`);
  if (!bytesEqual(req.conversationId, expected.conversationId)) fail(CryptoErrorCode.WrongConversation, 'request for another conversation');
  if (req.team !== expected.team) fail(CryptoErrorCode.WrongTeam, 'request for another team');
  if (req.sessionNumber <= expected.lastSessionNumber) fail(CryptoErrorCode.WrongSession, 'session number not above the last one');
  const tag = requestTag(expected.psk, req.mode, req.conversationId, req.sessionNumber, req.team, req.epoch, req.visitorPublicKey);
  if (!secretEqual(tag, req.tag)) fail(CryptoErrorCode.Tampered, 'session request not bound to the psk');
  const inbox = expected.inboxKeyOf(req.epoch);
  if (inbox === null || inbox.cert.team !== req.team || inbox.cert.epoch !== req.epoch) fail(CryptoErrorCode.WrongEpoch, `no inbox key for epoch ${req.epoch}`);
  return {
    context: {
      conversationId: req.conversationId,
      team: req.team,
      epoch: req.epoch,
      teamInboxPublicKey: inbox.cert.boxPublicKey,
      sessionNumber: req.sessionNumber,
      visitorPublicKey: req.visitorPublicKey,
      binding: sessionRequestHash(wire),
      psk: expected.psk.slice(),
    },
    inbox,
  };
}
