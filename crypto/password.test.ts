import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoErrorCode, isCryptoError } from './errors.js';
import { generateBoxKeyPair, generateSigningKeyPair } from './keys.js';
import {
  PASSWORD_MIN_MEMLIMIT,
  PASSWORD_MIN_OPSLIMIT,
  deriveLoginKeys,
  hashAuthKey,
  unwrapPrivateKeys,
  wrapPrivateKeys,
} from './password.js';
import { handlePasswordRequest } from './password-worker.js';
import { seededRandom } from './random.js';
import { loadSumoSodium } from './sodium-sumo.js';

function code(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (err) {
    return isCryptoError(err) ? err.code : String(err);
  }
}

describe('responder key storage (Argon2id, sumo)', () => {
  let random: ReturnType<typeof seededRandom>;
  let salt: Uint8Array;
  beforeAll(async () => {
    await loadSumoSodium();
    random = seededRandom('password');
    salt = random(16);
  });

  it('derives stable auth and wrap keys, and wraps the private keys so only the right password opens them', async () => {
    const keys = deriveLoginKeys('correct horse battery staple', salt);
    expect(keys.authKey).toHaveLength(32);
    expect(keys.authKey).not.toEqual(keys.wrapKey);
    expect(hashAuthKey(keys.authKey)).not.toEqual(keys.authKey);
    const sign = generateSigningKeyPair(random);
    const box = generateBoxKeyPair(random);
    const wrapped = wrapPrivateKeys(keys.wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey }, random);
    const again = await handlePasswordRequest({ password: 'correct horse battery staple', salt });
    expect(again).toEqual({ keys });
    const opened = unwrapPrivateKeys(keys.wrapKey, wrapped);
    expect(opened.signSecretKey).toEqual(sign.secretKey);
    expect(opened.boxSecretKey).toEqual(box.secretKey);
    const wrong = deriveLoginKeys('correct horse battery stapler', salt);
    expect(wrong.authKey).not.toEqual(keys.authKey);
    expect(code(() => unwrapPrivateKeys(wrong.wrapKey, wrapped))).toBe(CryptoErrorCode.Tampered);
    const flipped = wrapped.slice();
    flipped[30] = (flipped[30] as number) ^ 1;
    expect(code(() => unwrapPrivateKeys(keys.wrapKey, flipped))).toBe(CryptoErrorCode.Tampered);
  });

  it('enforces the minimum parameters on the client', async () => {
    expect(code(() => deriveLoginKeys('pw', salt, { opslimit: PASSWORD_MIN_OPSLIMIT - 1, memlimit: PASSWORD_MIN_MEMLIMIT }))).toBe(CryptoErrorCode.WeakParameters);
    expect(code(() => deriveLoginKeys('pw', salt, { opslimit: PASSWORD_MIN_OPSLIMIT, memlimit: PASSWORD_MIN_MEMLIMIT / 2 }))).toBe(CryptoErrorCode.WeakParameters);
    expect(code(() => deriveLoginKeys('pw', salt.subarray(1)))).toBe(CryptoErrorCode.Malformed);
    expect(await handlePasswordRequest({ password: 'pw', salt, params: { opslimit: 1, memlimit: 8192 } })).toEqual({ error: 'WeakParameters' });
  });
});
