// Long-term and ephemeral key pairs (Ed25519 for signatures, X25519 for key agreement).
import type { Ed25519PublicKey, Ed25519SecretKey, X25519PublicKey, X25519SecretKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { systemRandom, type Random } from './random.js';
import { sodium } from './sodium.js';

/** Ed25519 key pair (libsodium layout: 32-byte public key, 64-byte secret key). */
export interface SigningKeyPair {
  publicKey: Ed25519PublicKey;
  secretKey: Ed25519SecretKey;
}

/** X25519 key pair (32 bytes each). */
export interface BoxKeyPair {
  publicKey: X25519PublicKey;
  secretKey: X25519SecretKey;
}

/** A fresh Ed25519 key pair from a 32-byte seed drawn from `random`. */
export function generateSigningKeyPair(random: Random = systemRandom): SigningKeyPair {
  const seed = random(32);
  const kp = sodium().crypto_sign_seed_keypair(seed);
  sodium().memzero(seed);
  return { publicKey: kp.publicKey as Ed25519PublicKey, secretKey: kp.privateKey as Ed25519SecretKey };
}

/** The Ed25519 key pair of a 64-byte libsodium secret key (its last 32 bytes are the public key). */
export function signingKeyPairFromSecret(secretKey: Ed25519SecretKey): SigningKeyPair {
  if (secretKey.length !== 64) fail(CryptoErrorCode.Malformed, 'Ed25519 secret key length');
  return { publicKey: secretKey.slice(32) as Ed25519PublicKey, secretKey };
}

/** A fresh X25519 key pair: 32 random bytes as the secret, its base-point multiple as the public key. */
export function generateBoxKeyPair(random: Random = systemRandom): BoxKeyPair {
  const secretKey = random(32);
  return boxKeyPairFromSecret(secretKey as X25519SecretKey);
}

/** The X25519 key pair of a given secret key. Throws Malformed for a wrong length. */
export function boxKeyPairFromSecret(secretKey: X25519SecretKey): BoxKeyPair {
  if (secretKey.length !== 32) fail(CryptoErrorCode.Malformed, 'X25519 secret key length');
  return { publicKey: sodium().crypto_scalarmult_base(secretKey) as X25519PublicKey, secretKey };
}

/** Checks a 32-byte public key and brands it (Malformed otherwise). */
export function asX25519PublicKey(bytes: Uint8Array): X25519PublicKey {
  if (bytes.length !== 32) fail(CryptoErrorCode.Malformed, 'X25519 public key length');
  return bytes as X25519PublicKey;
}

/** Checks a 32-byte public key and brands it (Malformed otherwise). */
export function asEd25519PublicKey(bytes: Uint8Array): Ed25519PublicKey {
  if (bytes.length !== 32) fail(CryptoErrorCode.Malformed, 'Ed25519 public key length');
  return bytes as Ed25519PublicKey;
}

/** X25519 shared secret; throws Tampered for a low-order public key (all-zero result). */
export function x25519(secretKey: X25519SecretKey, publicKey: X25519PublicKey): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = sodium().crypto_scalarmult(secretKey, publicKey);
  } catch {
    // libsodium throws only for a low-order point; rethrow as the protocol's error
    return fail(CryptoErrorCode.Tampered, 'low-order public key');
  }
  if (sodium().is_zero(shared)) fail(CryptoErrorCode.Tampered, 'low-order public key');
  return shared;
}
