import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoErrorCode, isCryptoError } from './errors.js';
import { hasLeadingZeroBits, powSolve, powSolveAsync, powVerify } from './pow.js';
import { loadSodium } from './sodium-standard.js';
import { handlePowRequest } from './pow-worker.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isCryptoError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('proof of work', () => {
  beforeAll(async () => {
    await loadSodium();
  });

  const challenge = new Uint8Array(16).fill(7);

  it('solves and verifies at several difficulties', () => {
    for (const bits of [0, 1, 8, 12, 16]) {
      const nonce = powSolve(challenge, bits);
      expect(nonce.length).toBe(8);
      expect(() => powVerify(challenge, bits, nonce)).not.toThrow();
    }
  });

  it('rejects a nonce for another challenge, a higher difficulty, or a wrong size with PowInvalid', () => {
    const nonce = powSolve(challenge, 12);
    // Deterministic: the solver counts from 0, so these outcomes are fixed for these inputs.
    expect(code(() => powVerify(new Uint8Array(16).fill(8), 12, nonce))).toBe(CryptoErrorCode.PowInvalid);
    expect(code(() => powVerify(challenge, 40, nonce))).toBe(CryptoErrorCode.PowInvalid);
    expect(code(() => powVerify(challenge, 12, nonce.subarray(0, 7)))).toBe(CryptoErrorCode.PowInvalid);
    expect(code(() => powVerify(challenge, 12, new Uint8Array(9)))).toBe(CryptoErrorCode.PowInvalid);
  });

  it('rejects bad parameters with Malformed', () => {
    expect(code(() => powVerify(new Uint8Array(4), 8, new Uint8Array(8)))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => powVerify(challenge, -1, new Uint8Array(8)))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => powVerify(challenge, 1.5, new Uint8Array(8)))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => powSolve(challenge, 99))).toBe(CryptoErrorCode.Malformed);
  });

  it('gives up after maxIterations with PowInvalid', () => {
    expect(code(() => powSolve(challenge, 40, { maxIterations: 100 }))).toBe(CryptoErrorCode.PowInvalid);
  });

  it('counts leading zero bits exactly', () => {
    expect(hasLeadingZeroBits(Uint8Array.of(0, 0x7f), 9)).toBe(true);
    expect(hasLeadingZeroBits(Uint8Array.of(0, 0x7f), 10)).toBe(false);
    expect(hasLeadingZeroBits(Uint8Array.of(0x10), 3)).toBe(true);
    expect(hasLeadingZeroBits(Uint8Array.of(0x10), 4)).toBe(false);
  });

  it('async and worker solvers agree with the sync one', async () => {
    const sync = powSolve(challenge, 10);
    expect(await powSolveAsync(challenge, 10, { sliceIterations: 100 })).toEqual(sync);
    expect(await handlePowRequest({ challenge, difficultyBits: 10 })).toEqual({ nonce: sync });
    expect(await handlePowRequest({ challenge: new Uint8Array(2), difficultyBits: 10 })).toEqual({ error: 'Malformed' });
  });

  // How fast the server verifies (one BLAKE2b, a few µs) is measured by bench/crypto.ts, not here:
  // a timed assertion fails on a loaded machine without telling anything about the code.
});
