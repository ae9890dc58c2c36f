// Solving a proof of work (hashcash over BLAKE2b-256) before opening a conversation, with the hash
// given: libsodium's on the page (crypto/pow.ts), the BLAKE2b of crypto/blake2b.ts in the proof-of-work
// worker, which imports no libsodium (the visitor downloads it once, in the crypto chunk).
// Verification: crypto/pow.ts.
import { CryptoError, CryptoErrorCode, fail } from './errors.js';
import { Writer } from './encoding.js';

/** Length of a proof-of-work nonce in bytes. */
export const POW_NONCE_BYTES = 8;
/** Accepted challenge sizes in bytes (the server issues 16..32 random bytes). */
export const POW_CHALLENGE_MIN_BYTES = 8;
export const POW_CHALLENGE_MAX_BYTES = 256;
/** Highest difficulty accepted (bits); the server default is 16. */
export const POW_MAX_DIFFICULTY = 48;

/** The labelled input with the nonce as its last 8 bytes: label ‖ u32 len ‖ challenge ‖ u32 8 ‖ nonce. */
export function powInput(challenge: Uint8Array): Uint8Array {
  return Writer.labelled('pow').bytes(challenge).bytes(new Uint8Array(POW_NONCE_BYTES)).finish();
}

export function checkParams(challenge: Uint8Array, difficultyBits: number): void {
  if (!(challenge instanceof Uint8Array) || challenge.length < POW_CHALLENGE_MIN_BYTES || challenge.length > POW_CHALLENGE_MAX_BYTES) {
    fail(CryptoErrorCode.Malformed, `challenge must be ${POW_CHALLENGE_MIN_BYTES}..${POW_CHALLENGE_MAX_BYTES} bytes`);
  }
  if (!Number.isInteger(difficultyBits) || difficultyBits < 0 || difficultyBits > POW_MAX_DIFFICULTY) {
    fail(CryptoErrorCode.Malformed, `difficulty must be an integer 0..${POW_MAX_DIFFICULTY}`);
  }
}

/** True when the hash starts with at least `bits` zero bits. */
export function hasLeadingZeroBits(hash: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (hash[i] !== 0) return false;
  const rest = bits & 7;
  return rest === 0 || ((hash[full] as number) >> (8 - rest)) === 0;
}

/** Options of the solvers. `start` lets parallel workers search disjoint ranges. */
export interface PowSolveOptions {
  /** First nonce to try, as an integer (default 0); nonces are u64 big-endian. */
  start?: number;
  /** Give up after this many hashes (throws PowInvalid); default unbounded. */
  maxIterations?: number;
}

/** BLAKE2b-256 of its input (libsodium's crypto_generichash(32, input, null) or crypto/blake2b.ts). */
export type PowHash = (input: Uint8Array) => Uint8Array;

/** Searches `count` nonces from `counter`; returns the nonce or null when none in range (internal). */
function search(hash: PowHash, input: Uint8Array, difficultyBits: number, counter: number, count: number): Uint8Array | null {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const at = input.length - POW_NONCE_BYTES;
  for (let i = 0; i < count; i++, counter++) {
    view.setUint32(at, Math.floor(counter / 0x100000000));
    view.setUint32(at + 4, counter >>> 0);
    if (hasLeadingZeroBits(hash(input), difficultyBits)) return input.slice(at);
  }
  return null;
}

/**
 * Finds an 8-byte nonce for `challenge` at `difficultyBits` with `hash` (expected 2^bits hashes: about
 * 60 ms at 16 bits in Node with libsodium, 2–4× that with crypto/blake2b.ts). Blocks the calling thread — in a browser run it in a Worker (see crypto/pow-worker.ts)
 * or use powSolveAsync(). Throws Malformed for bad inputs, PowInvalid when `maxIterations` is reached.
 */
export function powSolveWith(hash: PowHash, challenge: Uint8Array, difficultyBits: number, options: PowSolveOptions = {}): Uint8Array {
  checkParams(challenge, difficultyBits);
  const max = options.maxIterations ?? Number.MAX_SAFE_INTEGER;
  const found = search(hash, powInput(challenge), difficultyBits, options.start ?? 0, max);
  if (!found) throw new CryptoError(CryptoErrorCode.PowInvalid, 'no nonce within maxIterations');
  return found;
}

/**
 * Like powSolveWith, but yields to the event loop every `sliceIterations` hashes (default 8192) so a page
 * stays responsive; rejects with `signal.reason` when aborted. Same nonce as powSolve for the same
 * options. For no main-thread work at all, use the module worker crypto/pow-worker.ts.
 */
export async function powSolveAsyncWith(
  hash: PowHash,
  challenge: Uint8Array,
  difficultyBits: number,
  options: PowSolveOptions & { sliceIterations?: number; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  checkParams(challenge, difficultyBits);
  const input = powInput(challenge);
  const slice = options.sliceIterations ?? 8192;
  let counter = options.start ?? 0;
  let left = options.maxIterations ?? Number.MAX_SAFE_INTEGER;
  while (left > 0) {
    options.signal?.throwIfAborted();
    const n = Math.min(slice, left);
    const found = search(hash, input, difficultyBits, counter, n);
    if (found) return found;
    counter += n;
    left -= n;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new CryptoError(CryptoErrorCode.PowInvalid, 'no nonce within maxIterations');
}
