// The organisation signing key at rest: sealed under a key derived from an admin passphrase
// (Argon2id through deriveLoginKeys, then sealLocalSecret bound to the organisation public key).
// The server stores only this opaque blob; an admin's browser (or the ceremony CLI) opens it.
import { bytesEqual, toBase64url, type Ed25519PublicKey, type Ed25519SecretKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { signingKeyPairFromSecret, type SigningKeyPair } from './keys.js';
import { systemRandom, type Random } from './random.js';
import { openLocalSecret, sealLocalSecret } from './session-state.js';
import { sodium } from './sodium.js';

/** What the sealed key is bound to: its own public key, so a blob cannot stand in for another key. */
export const orgKeyPurpose = (publicKey: Ed25519PublicKey) => `org-signing-key:${toBase64url(publicKey)}`;

/**
 * Seals an organisation Ed25519 secret key under `sealKey` (the wrapKey of deriveLoginKeys over the
 * admin passphrase). Wire: the local-secret format (u8 version ‖ u8 0x72 ‖ nonce ‖ ciphertext).
 */
export function sealOrgSigningKey(sealKey: Uint8Array, keyPair: SigningKeyPair, random: Random = systemRandom): Uint8Array {
  return sealLocalSecret(sealKey, orgKeyPurpose(keyPair.publicKey), keyPair.secretKey, random);
}

/**
 * Opens a sealed organisation key and checks it is the key `expectedPublicKey` names (take that from
 * an organisation certificate verified against the pinned root): Tampered for a wrong passphrase or
 * changed bytes, UntrustedKey when the secret does not belong to the expected public key.
 */
export function openOrgSigningKey(sealKey: Uint8Array, wire: Uint8Array, expectedPublicKey: Ed25519PublicKey): SigningKeyPair {
  const secret = openLocalSecret(sealKey, orgKeyPurpose(expectedPublicKey), wire);
  if (secret.length !== 64) {
    secret.fill(0);
    return fail(CryptoErrorCode.Malformed, 'organisation key length');
  }
  // libsodium's secret key is seed ‖ public key: recompute the public key from the seed.
  const derived = sodium().crypto_sign_seed_keypair(secret.subarray(0, 32));
  sodium().memzero(derived.privateKey);
  if (!bytesEqual(derived.publicKey, expectedPublicKey) || !bytesEqual(secret.subarray(32), expectedPublicKey)) {
    secret.fill(0);
    return fail(CryptoErrorCode.UntrustedKey, 'sealed key is not the organisation key');
  }
  return signingKeyPairFromSecret(secret as Ed25519SecretKey);
}
