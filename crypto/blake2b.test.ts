// The proof-of-work worker's own BLAKE2b (crypto/blake2b.ts) against libsodium's crypto_generichash:
// same digest for every length around the block boundaries and for random inputs and output sizes,
// and a proof of work solved with it passes libsodium-based verification.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2b } from './blake2b.js';
import { powSolveWith } from './pow-solve.js';
import { powSolve, powVerify } from './pow.js';
import { loadSodium } from './sodium-standard.js';
import { sodium } from './sodium.js';

beforeAll(async () => {
  await loadSodium();
});

describe('BLAKE2b of the proof-of-work worker', () => {
  it('equals libsodium for every input length 0..300 (block boundaries) at 32 and 64 bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const input = sodium().randombytes_buf(n);
      for (const outlen of [32, 64]) expect(Buffer.from(blake2b(outlen, input)).toString('hex'), `length ${n}, outlen ${outlen}`).toBe(Buffer.from(sodium().crypto_generichash(outlen, input, null)).toString('hex'));
    }
  });

  it('equals libsodium for random inputs and output sizes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 16, max: 64 }), (input, outlen) => {
        expect(blake2b(outlen, input)).toEqual(sodium().crypto_generichash(outlen, input, null));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the worker the nonces libsodium-based solving and verification give', () => {
    for (let i = 0; i < 5; i++) {
      const challenge = sodium().randombytes_buf(32);
      const nonce = powSolveWith((input) => blake2b(32, input), challenge, 10);
      expect(nonce).toEqual(powSolve(challenge, 10));
      expect(() => powVerify(challenge, 10, nonce)).not.toThrow();
    }
  });
});
