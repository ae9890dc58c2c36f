// Typed errors of the end-to-end library: one CryptoError class with a stable code, and a narrowing check.

/** Stable, machine-readable failure codes. String values so they survive logs and postMessage. */
export enum CryptoErrorCode {
  /** loadSodium() (or loadSumoSodium() for Argon2id) has not completed. */
  NotReady = 'NotReady',
  /** Bytes do not parse: wrong version, label, length or field. */
  Malformed = 'Malformed',
  /** Wire format version this build does not speak. */
  UnsupportedVersion = 'UnsupportedVersion',
  /** An Ed25519 signature does not verify. */
  BadSignature = 'BadSignature',
  /** A key or certificate does not chain to the pinned root (or is not the expected one). */
  UntrustedKey = 'UntrustedKey',
  /** The certificate's serial is on the signed revocation list. */
  Revoked = 'Revoked',
  /** A certificate, revocation list or cached key is past its validity. */
  Expired = 'Expired',
  /** A certificate is not valid yet (not-before in the future). */
  NotYetValid = 'NotYetValid',
  /** A certificate claims a validity period longer than the policy allows. */
  PolicyViolation = 'PolicyViolation',
  /** Certificate or inbox key of another team, or a team field that does not match. */
  WrongTeam = 'WrongTeam',
  /** The responder certificate lacks a required role. */
  WrongRole = 'WrongRole',
  /** The inbox epoch does not match the key used. */
  WrongEpoch = 'WrongEpoch',
  /** Inner and outer conversation ids differ (redirected or spliced). */
  WrongConversation = 'WrongConversation',
  /** A message for another session number of this conversation. */
  WrongSession = 'WrongSession',
  /** A message in the receiver's own sending direction (reflected back). */
  Reflected = 'Reflected',
  /** A message counter already consumed. */
  Replay = 'Replay',
  /** A message too far ahead of the receiving chain (more than the skip bound). */
  GapTooLarge = 'GapTooLarge',
  /** Authentication failed: ciphertext, header or associated data changed, or wrong key. */
  Tampered = 'Tampered',
  /** The session is closed; no more messages in this direction. */
  SessionClosed = 'SessionClosed',
  /** The proof of work does not meet the difficulty. */
  PowInvalid = 'PowInvalid',
  /** Argon2id parameters below the client-enforced minimum. */
  WeakParameters = 'WeakParameters',
  /** A resume code with a wrong length, alphabet or checksum (typo). */
  BadResumeCode = 'BadResumeCode',
  /** A size limit was exceeded (message too long, too many fields). */
  TooLarge = 'TooLarge',
  /** A certificate ledger older than, or diverging from, the copy already trusted (crypto/ledger.ts). */
  Rollback = 'Rollback',
}

/** The one error class of crypto/. Never thrown for success; never replaced by null/false. */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ? `${code}: ${message}` : code, options);
    this.code = code;
  }
}

/** True when `err` is a CryptoError (with `code`, when given). Narrows the type. */
export function isCryptoError(err: unknown, code?: CryptoErrorCode): err is CryptoError {
  return err instanceof CryptoError && (code === undefined || err.code === code);
}

/** Throws a CryptoError; typed `never` so it can end expressions. */
export function fail(code: CryptoErrorCode, message?: string): never {
  throw new CryptoError(code, message);
}
