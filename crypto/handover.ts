// Handover to another organisation's team (issue 17): the young person, after accepting in the chat,
// asks the receiving team for a fresh session. The psk is drawn by the visitor and sealed to the
// receiving team's inbox key, so neither the server nor the previous responder can answer it.
import type { VerifiedTeamCert } from './chain.js';
import { WireType } from './certs.js';
import { HANDSHAKE_VERSION, Reader, Writer, bytesEqual, readHeader, v2, type ConversationId } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import type { HandshakeContext } from './handshake.js';
import type { TeamInboxKey } from './inbox-key.js';
import type { PendingVisitor } from './intake.js';
import { systemRandom, type Random } from './random.js';
import { createSessionRequest, openSessionRequest, parseSessionRequest } from './session-request.js';
import { sodium } from './sodium.js';

/** u8 2 ‖ 0x22 ‖ bytes(crypto_box_seal(L2("handover-key", …), inboxPub)) ‖ bytes(session request). */
const HANDOVER_REQUEST = WireType.HandoverRequest;

const keyBody = (conversationId: Uint8Array, team: string, sessionNumber: number, psk: Uint8Array) =>
  Writer.labelled(v2('handover-key')).fixed(conversationId, 16).string(team).u32(sessionNumber).fixed(psk, 32).finish();

/**
 * Visitor, after accepting a handover to `team`: draws a psk, seals it to the team's inbox key
 * (`teamCert`, verified by the caller against the pinned root through the receiving organisation's
 * certificate) and makes a transfer-mode session request bound to it (any certified member of the team
 * may answer). Returns the wire to post (envelope kind "transfer") and the pending state the receiving
 * responder's handshake completes. Throws WrongTeam when `teamCert` is another team's.
 */
export function createHandoverRequest(input: {
  conversationId: ConversationId;
  team: string;
  teamCert: VerifiedTeamCert;
  sessionNumber: number;
  random?: Random;
}): { wire: Uint8Array; pending: PendingVisitor } {
  const random = input.random ?? systemRandom;
  const psk = random(32);
  const request = createSessionRequest({ mode: 'transfer', conversationId: input.conversationId, team: input.team, teamCert: input.teamCert, sessionNumber: input.sessionNumber, psk, expectedResponderCertHash: null, random });
  const body = keyBody(input.conversationId, input.team, input.sessionNumber, psk);
  const sealed = sodium().crypto_box_seal(body, input.teamCert.boxPublicKey);
  body.fill(0);
  psk.fill(0);
  return { wire: new Writer().u8(HANDSHAKE_VERSION).u8(HANDOVER_REQUEST).bytes(sealed).bytes(request.wire).finish(), pending: request.pending };
}

/** Whether `wire` is a handover request (as opposed to a same-organisation transfer's session request). */
export function isHandoverRequest(wire: Uint8Array): boolean {
  return wire.length > 2 && wire[0] === HANDSHAKE_VERSION && wire[1] === HANDOVER_REQUEST;
}

/**
 * Receiving responder: opens the sealed psk with the team inbox key of the request's epoch
 * (`inboxKeyOf`; without it WrongEpoch; a seal that does not open: Tampered), checks that it names the
 * same conversation, team and session as the request (WrongConversation / WrongTeam / WrongSession),
 * then checks the request itself (openSessionRequest, mode transfer). Returns the HandshakeContext for
 * createHandshake().
 */
export function openHandoverRequest(
  wire: Uint8Array,
  expected: {
    conversationId: ConversationId;
    team: string;
    lastSessionNumber: number;
    inboxKeyOf: (epoch: number) => TeamInboxKey | null;
  },
): { context: HandshakeContext; inbox: TeamInboxKey } {
  const r = new Reader(wire);
  readHeader(r, HANDOVER_REQUEST, 'handover request', HANDSHAKE_VERSION);
  const sealed = r.bytes(1024);
  const requestWire = r.bytes(1024);
  r.end();
  const req = parseSessionRequest(requestWire);
  const inbox = expected.inboxKeyOf(req.epoch);
  if (inbox === null || inbox.cert.team !== req.team || inbox.cert.epoch !== req.epoch) return fail(CryptoErrorCode.WrongEpoch, `no inbox key for epoch ${req.epoch}`);
  let opened: Uint8Array;
  try {
    opened = sodium().crypto_box_seal_open(sealed, inbox.keyPair.publicKey, inbox.keyPair.secretKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'handover key does not open');
  }
  const b = new Reader(opened).expectLabel(v2('handover-key'));
  const conversationId = b.fixed(16);
  const team = b.string(256);
  const sessionNumber = b.u32();
  const psk = b.fixed(32);
  b.end();
  if (!bytesEqual(conversationId, req.conversationId) || !bytesEqual(conversationId, expected.conversationId)) fail(CryptoErrorCode.WrongConversation, 'handover key for another conversation');
  if (team !== req.team) fail(CryptoErrorCode.WrongTeam, 'handover key for another team');
  if (sessionNumber !== req.sessionNumber) fail(CryptoErrorCode.WrongSession, 'handover key for another session');
  try {
    return openSessionRequest(requestWire, { mode: 'transfer', conversationId: expected.conversationId, team: expected.team, lastSessionNumber: expected.lastSessionNumber, psk, inboxKeyOf: expected.inboxKeyOf });
  } finally {
    psk.fill(0);
    opened.fill(0);
  }
}
