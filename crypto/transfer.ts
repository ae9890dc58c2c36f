// Transfer to another responder: an in-channel announcement to the visitor and a signed handoff sealed to the next responder.
import { verifyResponderCert, type TrustAnchor, type VerifiedResponderCert } from './chain.js';
import { WireType, certHash } from './certs.js';
import { PROTOCOL_VERSION, Reader, Writer, bytesEqual, readHeader, type ConversationId } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { RESPONDER_ROLE, type ResponderIdentity } from './handshake.js';
import type { BoxKeyPair } from './keys.js';
import { systemRandom, type Random } from './random.js';
import type { SessionContent, SessionState } from './session.js';
import { sodium } from './sodium.js';

/** What the next responder learns from a handoff. */
export interface TransferHandoff {
  conversationId: ConversationId;
  team: string;
  /** The session number the next handshake must use (current + 1). */
  sessionNumber: number;
  /** The psk the visitor's transfer request is bound to. */
  transferKey: Uint8Array;
  /** The certificate of the responder who handed over (verified). */
  from: VerifiedResponderCert;
}

/**
 * Current responder: prepares a transfer to `next` (a verified certificate of the same team). Returns
 * the content to send to the visitor with encryptMessage() and the handoff wire for the next responder:
 * u8 version ‖ u8 0x40 ‖ crypto_box_seal(labelled "transfer-handoff" {conversationId, team, session,
 * transferKey, H(next cert), from cert} ‖ Ed25519 signature of the sender over it).
 */
export function createTransfer(input: {
  state: SessionState;
  from: ResponderIdentity;
  next: VerifiedResponderCert;
  random?: Random;
}): { announcement: SessionContent; handoff: Uint8Array } {
  const { state } = input;
  if (state.role !== 'responder') fail(CryptoErrorCode.Malformed, 'only a responder transfers');
  if (!input.next.teams.includes(state.team)) fail(CryptoErrorCode.WrongTeam, 'next responder is not in the team');
  const transferKey = (input.random ?? systemRandom)(32);
  const nextSessionNumber = state.sessionNumber + 1;
  const nextCertHash = certHash(input.next.bytes);
  const body = Writer.labelled('transfer-handoff')
    .fixed(state.conversationId, 16)
    .string(state.team)
    .u32(nextSessionNumber)
    .fixed(transferKey, 32)
    .fixed(nextCertHash, 32)
    .bytes(input.from.cert.bytes)
    .finish();
  const signature = sodium().crypto_sign_detached(body, input.from.signKeyPair.secretKey);
  const sealed = sodium().crypto_box_seal(new Writer().bytes(body).fixed(signature, 64).finish(), input.next.boxPublicKey);
  return {
    announcement: { type: 'transfer', nextCertHash, nextSessionNumber, transferKey },
    handoff: new Writer().u8(PROTOCOL_VERSION).u8(WireType.TransferHandoff).bytes(sealed).finish(),
  };
}

/**
 * Next responder: opens a handoff with its X25519 key pair and checks that it names its own
 * certificate (UntrustedKey), that the sender's certificate verifies for the team at `now`
 * (UntrustedKey / Expired / Revoked / WrongTeam / WrongRole) and signed it (BadSignature).
 * Tampered when the seal does not open.
 */
export function openTransferHandoff(
  wire: Uint8Array,
  me: { cert: VerifiedResponderCert; boxKeyPair: BoxKeyPair },
  options: { anchor: TrustAnchor; now: Date },
): TransferHandoff {
  const r = new Reader(wire);
  readHeader(r, WireType.TransferHandoff, 'transfer handoff');
  const sealed = r.bytes();
  r.end();
  let opened: Uint8Array;
  try {
    opened = sodium().crypto_box_seal_open(sealed, me.boxKeyPair.publicKey, me.boxKeyPair.secretKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'handoff does not open');
  }
  const outer = new Reader(opened);
  const body = outer.bytes();
  const signature = outer.fixed(64);
  outer.end();
  const b = new Reader(body).expectLabel('transfer-handoff');
  const conversationId = b.fixed(16) as ConversationId;
  const team = b.string(256);
  const sessionNumber = b.u32();
  const transferKey = b.fixed(32);
  const nextCertHash = b.fixed(32);
  const fromBytes = b.bytes(64 * 1024);
  b.end();
  if (!bytesEqual(nextCertHash, certHash(me.cert.bytes))) fail(CryptoErrorCode.UntrustedKey, 'handoff names another responder');
  const from = verifyResponderCert(options.anchor, fromBytes, { now: options.now, team, role: RESPONDER_ROLE });
  if (!sodium().crypto_sign_verify_detached(signature, body, from.signPublicKey)) fail(CryptoErrorCode.BadSignature, 'handoff signature');
  return { conversationId, team, sessionNumber, transferKey, from };
}
