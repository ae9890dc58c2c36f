// Proof-of-work challenges: issued statelessly (MAC'd with a server secret shared by all instances),
// verified with crypto/pow, and accepted once (a single-use marker in the store).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isCryptoError } from '../../crypto/errors.js';
import { powVerify } from '../../crypto/pow.js';
import type { Clock, RandomBytes } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { OnceStore } from '../store/ports.js';

const VERSION = 1;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;
/** version(1) ‖ difficulty(1) ‖ expiry ms (8, big-endian) ‖ random(16) ‖ mac(16) */
const CHALLENGE_BYTES = 2 + 8 + RANDOM_BYTES + MAC_BYTES;

export interface IssuedChallenge {
  /** base64url; the client hashes its decoded bytes. */
  readonly challenge: string;
  readonly difficulty: number;
  readonly expiresAt: number;
}

export interface PowChallenges {
  issue(): IssuedChallenge;
  /** Throws ApiError pow_invalid / pow_expired / pow_reused; resolves when the proof is accepted. */
  redeem(challenge: string, nonce: string): Promise<void>;
}

export function createPowChallenges(deps: {
  secret: Uint8Array;
  difficulty: number;
  ttlMs: number;
  clock: Clock;
  random: RandomBytes;
  once: OnceStore;
}): PowChallenges {
  const mac = (bytes: Uint8Array) =>
    createHmac('sha256', deps.secret).update(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest().subarray(0, MAC_BYTES);

  return {
    issue() {
      const expiresAt = deps.clock.now() + deps.ttlMs;
      const bytes = new Uint8Array(CHALLENGE_BYTES);
      const view = new DataView(bytes.buffer);
      bytes[0] = VERSION;
      bytes[1] = deps.difficulty;
      view.setBigUint64(2, BigInt(expiresAt));
      bytes.set(deps.random(RANDOM_BYTES), 10);
      bytes.set(mac(bytes.subarray(0, 10 + RANDOM_BYTES)), 10 + RANDOM_BYTES);
      return { challenge: Buffer.from(bytes).toString('base64url'), difficulty: deps.difficulty, expiresAt };
    },

    async redeem(challenge, nonce) {
      const bytes = new Uint8Array(Buffer.from(challenge, 'base64url'));
      const nonceBytes = new Uint8Array(Buffer.from(nonce, 'base64url'));
      if (bytes.length !== CHALLENGE_BYTES || bytes[0] !== VERSION) throw new ApiError(ErrorCode.PowInvalid);
      const expected = mac(bytes.subarray(0, 10 + RANDOM_BYTES));
      if (!timingSafeEqual(expected, bytes.subarray(10 + RANDOM_BYTES))) throw new ApiError(ErrorCode.PowInvalid);
      const difficulty = bytes[1] ?? 0;
      // A challenge issued under a lower difficulty (before a config change) is not accepted.
      if (difficulty < deps.difficulty) throw new ApiError(ErrorCode.PowInvalid);
      const expiresAt = Number(new DataView(bytes.buffer).getBigUint64(2));
      const now = deps.clock.now();
      if (expiresAt <= now) throw new ApiError(ErrorCode.PowExpired);
      try {
        powVerify(bytes, difficulty, nonceBytes);
      } catch (error) {
        if (isCryptoError(error)) throw new ApiError(ErrorCode.PowInvalid);
        throw error;
      }
      const id = Buffer.from(bytes.subarray(10, 10 + RANDOM_BYTES)).toString('base64url');
      if (!(await deps.once.claimOnce(`pow:${id}`, expiresAt - now))) throw new ApiError(ErrorCode.PowReused);
    },
  };
}
