// Proof of work (hashcash over BLAKE2b-256) that a visitor attaches before opening a conversation:
// verification here (libsodium), solving in crypto/pow-solve.ts (its own BLAKE2b, for the worker).
import { CryptoError, CryptoErrorCode } from './errors.js';
import { checkParams, hasLeadingZeroBits, POW_NONCE_BYTES, powInput } from './pow-solve.js';
import { sodium } from './sodium.js';

export {
  hasLeadingZeroBits,
  POW_CHALLENGE_MAX_BYTES,
  POW_CHALLENGE_MIN_BYTES,
  POW_MAX_DIFFICULTY,
  POW_NONCE_BYTES,
  powSolve,
  powSolveAsync,
  type PowSolveOptions,
} from './pow-solve.js';

/**
 * Verifies a proof of work: BLAKE2b-256(label "utvag/v1/pow", challenge, nonce), all length-prefixed,
 * must start with `difficultyBits` zero bits. One hash (about 1 µs). Works with the standard build.
 * Throws CryptoError PowInvalid for a wrong or wrongly sized nonce, Malformed for a bad challenge or
 * difficulty (the server's own inputs), NotReady before loadSodium().
 */
export function powVerify(challenge: Uint8Array, difficultyBits: number, nonce: Uint8Array): void {
  checkParams(challenge, difficultyBits);
  if (!(nonce instanceof Uint8Array) || nonce.length !== POW_NONCE_BYTES) {
    throw new CryptoError(CryptoErrorCode.PowInvalid, `nonce must be ${POW_NONCE_BYTES} bytes`);
  }
  const input = powInput(challenge);
  input.set(nonce, input.length - POW_NONCE_BYTES);
  if (!hasLeadingZeroBits(sodium().crypto_generichash(32, input, null), difficultyBits)) {
    throw new CryptoError(CryptoErrorCode.PowInvalid, 'not enough leading zero bits');
  }
}

