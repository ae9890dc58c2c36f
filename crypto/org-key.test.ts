// The sealed organisation key: round trip under the passphrase-derived key; a wrong passphrase, a
// changed byte or a blob standing in for another organisation key is refused.
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { generateSigningKeyPair } from './keys.js';
import { openOrgSigningKey, sealOrgSigningKey } from './org-key.js';
import { deriveLoginKeys } from './password.js';
import { seededRandom } from './random.js';
import { loadSumoSodium } from './sodium-sumo.js';

await loadSumoSodium();
const random = seededRandom('org-key-test');
const params = { opslimit: 3, memlimit: 64 * 1024 * 1024 };
const salt = random(16);

const codeOf = errorCodeOf;

describe('sealOrgSigningKey / openOrgSigningKey', () => {
  it('opens only with the passphrase, only as the certified key, and hides the secret', () => {
    const org = generateSigningKeyPair(random);
    const { wrapKey } = deriveLoginKeys('lång lösenfras för nyckeln', salt, params);
    const wire = sealOrgSigningKey(wrapKey, org, random);
    expect(Buffer.from(wire).includes(Buffer.from(org.secretKey.subarray(0, 32)))).toBe(false);
    const opened = openOrgSigningKey(wrapKey, wire, org.publicKey);
    expect(opened.secretKey).toEqual(org.secretKey);
    expect(opened.publicKey).toEqual(org.publicKey);

    const wrong = deriveLoginKeys('fel lösenfras', salt, params).wrapKey;
    expect(codeOf(() => openOrgSigningKey(wrong, wire, org.publicKey))).toBe(CryptoErrorCode.Tampered);
    // Bound to its public key: it does not open as another organisation's key.
    expect(codeOf(() => openOrgSigningKey(wrapKey, wire, generateSigningKeyPair(random).publicKey))).toBe(CryptoErrorCode.Tampered);
    const changed = wire.slice();
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    expect(codeOf(() => openOrgSigningKey(wrapKey, changed, org.publicKey))).toBe(CryptoErrorCode.Tampered);
  });

  it('refuses a sealed secret whose seed is not the public key it claims', () => {
    const org = generateSigningKeyPair(random);
    const other = generateSigningKeyPair(random);
    const { wrapKey } = deriveLoginKeys('lång lösenfras för nyckeln', salt, params);
    // Another key's seed with this public key appended, sealed under this public key's purpose.
    const forged = new Uint8Array(64);
    forged.set(other.secretKey.subarray(0, 32), 0);
    forged.set(org.publicKey, 32);
    const wire = sealOrgSigningKey(wrapKey, { publicKey: org.publicKey, secretKey: forged as never }, random);
    expect(codeOf(() => openOrgSigningKey(wrapKey, wire, org.publicKey))).toBe(CryptoErrorCode.UntrustedKey);
  });
});
