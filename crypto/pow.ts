// Proof of work (hashcash over BLAKE2b-256) that a visitor attaches before opening a conversation:
// verification and the solvers with libsodium's BLAKE2b; the search itself is crypto/pow-solve.ts,
// which the proof-of-work worker runs with crypto/blake2b.ts instead (no second libsodium).
import { CryptoError, CryptoErrorCode } from './errors.js';
import { checkParams, hasLeadingZeroBits, POW_NONCE_BYTES, powInput, powSolveAsyncWith, powSolveWith, type PowSolveOptions } from './pow-solve.js';
import { sodium } from './sodium.js';

export {
  hasLeadingZeroBits,
  POW_CHALLENGE_MAX_BYTES,
  POW_CHALLENGE_MIN_BYTES,
  POW_MAX_DIFFICULTY,
  POW_NONCE_BYTES,
  type PowSolveOptions,
} from './pow-solve.js';

const generichash = (input: Uint8Array) => sodium().crypto_generichash(32, input, null);

/**
 * Finds an 8-byte nonce for `challenge` at `difficultyBits` (expected 2^bits hashes: about 60 ms at 16
 * bits in Node). Blocks the calling thread — in a browser run it in a Worker (see crypto/pow-worker.ts)
 * or use powSolveAsync(). Throws Malformed for bad inputs, PowInvalid when `maxIterations` is reached,
 * NotReady before loadSodium().
 */
export function powSolve(challenge: Uint8Array, difficultyBits: number, options: PowSolveOptions = {}): Uint8Array {
  return powSolveWith(generichash, challenge, difficultyBits, options);
}

/**
 * Like powSolve, but yields to the event loop every `sliceIterations` hashes (default 8192) so a page
 * stays responsive; rejects with `signal.reason` when aborted. Same nonce as powSolve for the same options.
 */
export function powSolveAsync(
  challenge: Uint8Array,
  difficultyBits: number,
  options: PowSolveOptions & { sliceIterations?: number; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  return powSolveAsyncWith(generichash, challenge, difficultyBits, options);
}

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

