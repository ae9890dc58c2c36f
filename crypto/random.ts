// Randomness as an injected function: the system CSPRNG by default, a seeded stream for test vectors.
import { sodium } from './sodium.js';

/** Returns `length` fresh random bytes. Injected everywhere randomness is drawn. */
export type Random = (length: number) => Uint8Array;

/** crypto.getRandomValues (Node ≥ 20 and browsers), chunked to its 65 536-byte limit. */
export const systemRandom: Random = (length) => {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  }
  return out;
};

/**
 * Deterministic stream from a seed (BLAKE2b-512 keyed by the seed, counter mode). For known-answer
 * vectors and reproducible tests only — never for production keys. Needs sodium loaded.
 */
export function seededRandom(seed: Uint8Array | string): Random {
  const key = sodium().crypto_generichash(32, typeof seed === 'string' ? new TextEncoder().encode(seed) : seed, null);
  let counter = 0;
  let buffer: Uint8Array = new Uint8Array(0);
  return (length) => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (buffer.length === 0) {
        const block = new Uint8Array(8);
        new DataView(block.buffer).setBigUint64(0, BigInt(counter++));
        buffer = sodium().crypto_generichash(64, block, key);
      }
      const take = Math.min(buffer.length, length - filled);
      out.set(buffer.subarray(0, take), filled);
      buffer = buffer.subarray(take);
      filled += take;
    }
    return out;
  };
}
