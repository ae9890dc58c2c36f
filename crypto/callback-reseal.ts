// A claimed callback request re-sealed by the claimer's console to one responder's own certified X25519
// key (the claimer itself, and each supervisor of the team), so that once the team-sealed copy is
// deleted nobody else on the team can open the number.
import { PROTOCOL_VERSION, Reader, Writer, bytesEqual, readHeader, v2, type ConversationId, type X25519PublicKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import type { CallbackDetails } from './intake.js';
import type { BoxKeyPair } from './keys.js';
import { MAX_INTAKE_PLAINTEXT, readCallbackDetails, writeCallbackDetails } from './intake.js';
import { pad, unpad } from './padding.js';
import { sodium } from './sodium.js';

const PURPOSE = v2('callback-resealed');

/** Wire type of a re-sealed callback (beside WireType in certs.ts; kept here so the widget does not carry it). */
export const CALLBACK_RESEALED_TYPE = 0x12;

/**
 * Seals `details` of callback `conversationId` to `recipient` (an X25519 public key taken from a
 * verified responder certificate). Wire: u8 version ‖ u8 0x12 ‖ crypto_box_seal(pad(L("callback-resealed",
 * conversationId, phone, timeWindow, language, note, verificationWord)), recipient). Padded to
 * 256-byte buckets like the request itself (at most 8 KiB), so its size does not give the number away.
 */
export function resealCallback(input: { conversationId: ConversationId; callback: CallbackDetails; recipient: X25519PublicKey }): Uint8Array {
  const inner = writeCallbackDetails(Writer.labelled(PURPOSE).fixed(input.conversationId, 16), input.callback).finish();
  const padded = pad(inner, MAX_INTAKE_PLAINTEXT);
  const sealed = sodium().crypto_box_seal(padded, input.recipient);
  sodium().memzero(inner);
  sodium().memzero(padded);
  return new Writer().u8(PROTOCOL_VERSION).u8(CALLBACK_RESEALED_TYPE).bytes(sealed).finish();
}

/**
 * Opens a re-sealed callback with the recipient's own X25519 key pair and checks that it was sealed for
 * `conversationId` (a server cannot move one callback's number into another's row). Throws Tampered
 * when it does not open, WrongConversation when it names another callback, Malformed / UnsupportedVersion.
 */
export function openResealedCallback(wire: Uint8Array, conversationId: ConversationId, recipient: BoxKeyPair): CallbackDetails {
  const r = new Reader(wire);
  readHeader(r, CALLBACK_RESEALED_TYPE, 're-sealed callback');
  const sealed = r.bytes(MAX_INTAKE_PLAINTEXT + 128);
  r.end();
  let padded: Uint8Array;
  try {
    padded = sodium().crypto_box_seal_open(sealed, recipient.publicKey, recipient.secretKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 're-sealed callback does not open');
  }
  const inner = new Reader(unpad(padded)).expectLabel(PURPOSE);
  if (!bytesEqual(inner.fixed(16), conversationId)) fail(CryptoErrorCode.WrongConversation, 're-sealed for another callback');
  const callback = readCallbackDetails(inner);
  inner.end();
  return callback;
}
