// Responder key storage: Argon2id master key (sumo build only), auth key for login, wrap key for the private keys.
import { WireType } from './certs.js';
import { PROTOCOL_VERSION, Reader, Writer, readHeader, textBytes, type Ed25519SecretKey, type X25519SecretKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { kdf } from './hash.js';
import { systemRandom, type Random } from './random.js';
import { sodium, sodiumVariant } from './sodium.js';
import type { SumoSodium } from './sodium-sumo.js';

/**
 * Client-enforced minimum Argon2id cost: 3 passes over 64 MiB (libsodium's "interactive" is 2 × 64 MiB;
 * one more pass for a long-lived key). A server cannot talk a client below this.
 */
export const PASSWORD_MIN_OPSLIMIT = 3;
export const PASSWORD_MIN_MEMLIMIT = 64 * 1024 * 1024;
/** Upper bounds accepted from the server (protects the tab from a memory-exhaustion request). */
export const PASSWORD_MAX_OPSLIMIT = 10;
export const PASSWORD_MAX_MEMLIMIT = 1024 * 1024 * 1024;
/** Salt length in bytes (crypto_pwhash_SALTBYTES). */
export const PASSWORD_SALT_BYTES = 16;

/** Argon2id cost parameters: opslimit passes, memlimit bytes. */
export interface PasswordParams {
  opslimit: number;
  memlimit: number;
}

/** Keys derived from the master key. The master key itself is wiped. */
export interface LoginKeys {
  /** Sent to the server at login (over TLS); the server stores only hashAuthKey(authKey). 32 bytes. */
  authKey: Uint8Array;
  /** Decrypts the responder's private keys (unwrapPrivateKeys). Never leaves the browser. 32 bytes. */
  wrapKey: Uint8Array;
}

function sumo(): SumoSodium {
  const s = sodium();
  if (sodiumVariant() !== 'sumo') fail(CryptoErrorCode.NotReady, 'Argon2id needs loadSumoSodium()');
  return s as unknown as SumoSodium;
}

/**
 * master = Argon2id13(password UTF-8, salt, opslimit, memlimit) → 32 bytes; authKey = KDF(master, "auth"),
 * wrapKey = KDF(master, "wrap"). Throws WeakParameters below the minimum (or above the maximum),
 * Malformed for a wrong salt length, NotReady without the sumo build. Blocks for ~0.5 s: call it in a
 * Worker (crypto/password-worker.ts); all inputs and outputs are structured-cloneable.
 */
export function deriveLoginKeys(password: string, salt: Uint8Array, params: PasswordParams = { opslimit: PASSWORD_MIN_OPSLIMIT, memlimit: PASSWORD_MIN_MEMLIMIT }): LoginKeys {
  if (
    !Number.isInteger(params.opslimit) || !Number.isInteger(params.memlimit) ||
    params.opslimit < PASSWORD_MIN_OPSLIMIT || params.memlimit < PASSWORD_MIN_MEMLIMIT ||
    params.opslimit > PASSWORD_MAX_OPSLIMIT || params.memlimit > PASSWORD_MAX_MEMLIMIT
  ) {
    fail(CryptoErrorCode.WeakParameters, `Argon2id needs opslimit ≥ ${PASSWORD_MIN_OPSLIMIT} and memlimit ≥ ${PASSWORD_MIN_MEMLIMIT}`);
  }
  if (salt.length !== PASSWORD_SALT_BYTES) fail(CryptoErrorCode.Malformed, 'salt length');
  const s = sumo();
  const passwordBytes = textBytes(password.normalize('NFC'));
  const master = s.crypto_pwhash(32, passwordBytes, salt, params.opslimit, params.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
  const keys = { authKey: kdf(master, 'auth'), wrapKey: kdf(master, 'wrap') };
  s.memzero(master);
  s.memzero(passwordBytes);
  return keys;
}

/** A fresh 16-byte salt (chosen at enrolment, stored by the server, returned before login). */
export function newPasswordSalt(random: Random = systemRandom): Uint8Array {
  return random(PASSWORD_SALT_BYTES);
}

/**
 * What the server stores and compares: BLAKE2b-256("utvag/v1/auth-key-hash", authKey). Works with the
 * standard build. (The authKey is already Argon2id-hard, so a fast hash suffices; compare in constant time.)
 */
export function hashAuthKey(authKey: Uint8Array): Uint8Array {
  if (authKey.length !== 32) fail(CryptoErrorCode.Malformed, 'auth key length');
  return sodium().crypto_generichash(32, Writer.labelled('auth-key-hash').bytes(authKey).finish(), null);
}

/** A responder's private keys. */
export interface ResponderPrivateKeys {
  signSecretKey: Ed25519SecretKey;
  boxSecretKey: X25519SecretKey;
}

function wrapAd(): Uint8Array {
  return Writer.labelled('wrapped-keys').u8(PROTOCOL_VERSION).finish();
}

/** Encrypts the private keys under wrapKey: u8 version ‖ u8 0x60 ‖ nonce(24) ‖ XChaCha20-Poly1305 ciphertext. */
export function wrapPrivateKeys(wrapKey: Uint8Array, keys: ResponderPrivateKeys, random: Random = systemRandom): Uint8Array {
  if (wrapKey.length !== 32) fail(CryptoErrorCode.Malformed, 'wrap key length');
  const plain = new Writer().fixed(keys.signSecretKey, 64).fixed(keys.boxSecretKey, 32).finish();
  const nonce = random(24);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plain, wrapAd(), null, nonce, wrapKey);
  sodium().memzero(plain);
  return new Writer().u8(PROTOCOL_VERSION).u8(WireType.WrappedKeys).fixed(nonce, 24).bytes(ct).finish();
}

/** Decrypts the private keys; Tampered for a wrong password (wrong wrapKey) or changed bytes. */
export function unwrapPrivateKeys(wrapKey: Uint8Array, wire: Uint8Array): ResponderPrivateKeys {
  const r = new Reader(wire);
  readHeader(r, WireType.WrappedKeys, 'wrapped keys');
  const nonce = r.fixed(24);
  const ct = r.bytes(1024);
  r.end();
  let plain: Uint8Array;
  try {
    plain = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, wrapAd(), nonce, wrapKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'wrapped keys do not open (wrong password?)');
  }
  const p = new Reader(plain);
  const keys = { signSecretKey: p.fixed(64) as Ed25519SecretKey, boxSecretKey: p.fixed(32) as X25519SecretKey };
  p.end();
  sodium().memzero(plain);
  return keys;
}
