// BLAKE2b hashing and key derivation over labelled encodings.
import { Writer, type Purpose } from './encoding.js';
import { sodium } from './sodium.js';

/** BLAKE2b-256 of already-labelled bytes (built with Writer.labelled). */
export function hashBytes(labelled: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, labelled, null);
}

/** BLAKE2b-256 of a labelled encoding built by `build`. */
export function hash(purpose: Purpose, build: (w: Writer) => Writer = (w) => w): Uint8Array {
  return hashBytes(build(Writer.labelled(purpose)).finish());
}

/**
 * KDF(key, purpose, fields) = BLAKE2b-256 keyed by `key` (16..64 bytes) over the labelled encoding.
 * Returns 32 bytes (or `length`, 16..64).
 */
export function kdf(key: Uint8Array, purpose: Purpose, build: (w: Writer) => Writer = (w) => w, length = 32): Uint8Array {
  return sodium().crypto_generichash(length, build(Writer.labelled(purpose)).finish(), key);
}

/** Constant-time equality for secrets (false when lengths differ). */
export function secretEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium().memcmp(a, b);
}

/** Overwrites a secret with zeros (best effort: JS may keep copies). */
export function wipe(...secrets: (Uint8Array | null | undefined)[]): void {
  for (const s of secrets) if (s) sodium().memzero(s);
}
