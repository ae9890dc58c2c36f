// The end-to-end library's functions, without a libsodium loader: ./index.ts adds the standard build's
// (widget, server), ./api-sumo.ts the sumo build's (console). Import one of those two, not this file.
//
// Usage: `await loadSodium()` once (or `loadSumoSodium()` from ./api-sumo.ts in the console), then call
// the pure functions below. Every failure throws a CryptoError with a stable `code` (see CryptoErrorCode);
// nothing returns null or a wrong plaintext. Times are `Date` (`now`) or Unix milliseconds; keys and
// wire formats are Uint8Array (base64url via toBase64url/fromBase64url at the edges).

export { CryptoError, CryptoErrorCode, isCryptoError } from './errors.js';
export { sodiumVariant, type SodiumVariant } from './sodium.js';
export { systemRandom, type Random } from './random.js';
export {
  PROTOCOL_VERSION,
  HANDSHAKE_VERSION,
  toBase64url,
  fromBase64url,
  toHex,
  fromHex,
  type Base64url,
  type Brand,
  type ConversationId,
  type Ed25519PublicKey,
  type Ed25519SecretKey,
  type X25519PublicKey,
  type X25519SecretKey,
} from './encoding.js';
export { conversationIdToString, conversationIdFromString, asConversationId, CONVERSATION_ID_BYTES } from './conversation-id.js';
export {
  generateSigningKeyPair,
  generateBoxKeyPair,
  boxKeyPairFromSecret,
  signingKeyPairFromSecret,
  asEd25519PublicKey,
  asX25519PublicKey,
  type SigningKeyPair,
  type BoxKeyPair,
} from './keys.js';
export {
  POW_NONCE_BYTES,
  POW_MAX_DIFFICULTY,
  powSolve,
  powSolveAsync,
  powVerify,
  type PowSolveOptions,
} from './pow.js';
export type { PowWorkerRequest, PowWorkerReply } from './pow-worker.js';
export {
  MAX_VALIDITY_MS,
  REVOCATION_MAX_AGE_MS,
  issueOrgCert,
  issueResponderCert,
  issueTeamCert,
  issueRevocationList,
  issueOrgRevocation,
  parseOrgRevocation,
  liveRevocations,
  UNKNOWN_EXPIRY,
  REVOCATION_LIST_VERSION,
  parseOrgCert,
  parseResponderCert,
  parseTeamCert,
  parseRevocationList,
  certHash,
  type OrgCert,
  type OrgIdentity,
  type ResponderCert,
  type TeamCert,
  type RevocationList,
  type RevokedSerial,
  type OrgRevocation,
  type Signed,
} from './certs.js';
export {
  CLOCK_SKEW_MS,
  createTrustAnchor,
  verifyOrgCertSignature,
  verifyOrgRevocation,
  verifyResponderCert,
  verifyTeamCert,
  type TrustAnchor,
  type VerifiedResponderCert,
  type VerifiedTeamCert,
} from './chain.js';
export { sealTeamInboxKey, openTeamInboxKey, type TeamInboxKey } from './inbox-key.js';
export { PAD_BUCKET } from './padding.js';
export {
  MAX_INTAKE_PLAINTEXT,
  createIntake,
  createCallbackRequest,
  parseIntakeEnvelope,
  openIntake,
  openCallbackRequest,
  intakeHash,
  type IntakeEnvelope,
  type PendingVisitor,
  type CallbackDetails,
  type OpenedIntake,
  type OpenedCallback,
} from './intake.js';
export {
  RESPONDER_ROLE,
  acceptIntake,
  createHandshake,
  completeHandshake,
  parseHandshake,
  transcriptHash,
  type ResponderIdentity,
  type HandshakeContext,
  type HandshakeMessage,
} from './handshake.js';
export {
  DEFAULT_LIMITS,
  MAX_MESSAGE_PLAINTEXT,
  Direction,
  encryptMessage,
  decryptMessage,
  closeSession,
  parseMessage,
  type Role,
  type SessionLimits,
  type SessionState,
  type SessionContent,
  type CloseInfo,
  type MessageHeader,
  type SkippedKey,
} from './session.js';
export {
  serializeSession,
  deserializeSession,
  sealStateSnapshot,
  openStateSnapshot,
  sealLocalSecret,
  openLocalSecret,
  serializePendingVisitor,
  deserializePendingVisitor,
} from './session-state.js';
export {
  createSessionRequest,
  openSessionRequest,
  parseSessionRequest,
  sessionRequestHash,
  type SessionRequest,
  type SessionRequestMode,
} from './session-request.js';
export { createTransfer, openTransferHandoff, type TransferHandoff } from './transfer.js';
export { createHandoverRequest, isHandoverRequest, openHandoverRequest } from './handover.js';
export {
  RESUME_ALPHABET,
  generateResumeCode,
  parseResumeCode,
  resumeLookupHash,
  sealResumeBlob,
  openResumeBlob,
  type ResumeKeys,
  type ResumeBlob,
} from './resume-code.js';
export { hashAuthKey } from './password.js';
export { keyFingerprint, sameFingerprint } from './fingerprint.js';
export { MAX_NOTE_TEXT_BYTES, sealNote, openNote, parseNoteEnvelope, type NoteEnvelope, type OpenedNote } from './note.js';
export { generateVerificationWord, VERIFICATION_WORDS } from './verification-word.js';
