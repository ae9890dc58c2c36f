// Resume code: 80 random bits as 16 Crockford-base32 characters plus 2 check characters (Reed–Solomon over GF(32)).
import { WireType } from './certs.js';
import { PROTOCOL_VERSION, Reader, Writer, readHeader, type ConversationId } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { hash, kdf } from './hash.js';
import { systemRandom, type Random } from './random.js';
import { sodium } from './sodium.js';

/** Crockford base32: no I, L, O, U. Input also accepts lower case, O→0, I/L→1, and ignores '-' and spaces. */
export const RESUME_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Data characters (80 bits) and check characters. */
export const RESUME_DATA_CHARS = 16;
export const RESUME_CHECK_CHARS = 2;

// GF(32) with the primitive polynomial x^5 + x^2 + 1.
const EXP: number[] = [];
const LOG: number[] = new Array<number>(32).fill(0);
for (let i = 0, x = 1; i < 31; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 32) x ^= 0b100101;
}
const alpha = (e: number): number => EXP[((e % 31) + 31) % 31] as number;
function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : alpha((LOG[a] as number) + (LOG[b] as number));
}
function div(a: number, b: number): number {
  return a === 0 ? 0 : alpha((LOG[a] as number) - (LOG[b] as number));
}

/** Syndromes S1 = Σ d_i α^i, S2 = Σ d_i α^{2i}; both zero for a valid code word. */
function syndromes(symbols: number[]): [number, number] {
  let s1 = 0;
  let s2 = 0;
  symbols.forEach((d, i) => {
    s1 ^= mul(d, alpha(i));
    s2 ^= mul(d, alpha(2 * i));
  });
  return [s1, s2];
}

/**
 * Two check symbols making both syndromes zero. A code of distance 3: every single-character error
 * and every pair of errors (so every transposition of two characters) changes a syndrome.
 */
function checkSymbols(data: number[]): [number, number] {
  const [a, b] = syndromes(data);
  const n = data.length;
  const a11 = alpha(n), a12 = alpha(n + 1), a21 = alpha(2 * n), a22 = alpha(2 * n + 2);
  const det = mul(a11, a22) ^ mul(a12, a21);
  return [div(mul(a, a22) ^ mul(a12, b), det), div(mul(a11, b) ^ mul(a21, a), det)];
}

function bytesToSymbols(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

function symbolsToBytes(symbols: number[]): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const s of symbols) {
    acc = (acc << 5) | s;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
    }
    acc &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/** Keys derived from a resume code. */
export interface ResumeKeys {
  /** Sent to the server to find the blob; the server stores only resumeLookupHash(lookupId). 32 bytes. */
  lookupId: Uint8Array;
  /** Encrypts the resume blob the server keeps. 32 bytes. */
  blobKey: Uint8Array;
  /** Shared with the responder inside the session; binds the resumed handshake. 32 bytes. */
  psk: Uint8Array;
}

function deriveKeys(secret: Uint8Array): ResumeKeys {
  const master = hash('resume-code', (w) => w.bytes(secret));
  const keys = { lookupId: kdf(master, 'resume-lookup'), blobKey: kdf(master, 'resume-blob'), psk: kdf(master, 'resume-psk') };
  sodium().memzero(master);
  return keys;
}

/** Formats symbols as XXXX-XXXX-XXXX-XXXX-XX. */
function format(symbols: number[]): string {
  const chars = symbols.map((s) => RESUME_ALPHABET[s]).join('');
  return chars.match(/.{1,4}/g)?.join('-') ?? chars;
}

/** A fresh resume code (80 random bits) and its keys. Show `code` to the visitor once. */
export function generateResumeCode(random: Random = systemRandom): { code: string; keys: ResumeKeys } {
  const secret = random(10);
  const data = bytesToSymbols(secret);
  const code = format([...data, ...checkSymbols(data)]);
  return { code, keys: deriveKeys(secret) };
}

/**
 * Parses a typed resume code (case-insensitive; '-', spaces ignored; O→0, I/L→1) and derives its keys.
 * Throws BadResumeCode for a wrong length, an unknown character or a failed checksum (a typo).
 */
export function parseResumeCode(text: string): ResumeKeys {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== RESUME_DATA_CHARS + RESUME_CHECK_CHARS) fail(CryptoErrorCode.BadResumeCode, 'length');
  const symbols = [...clean].map((c) => {
    const v = RESUME_ALPHABET.indexOf(c);
    return v < 0 ? fail(CryptoErrorCode.BadResumeCode, 'character') : v;
  });
  const [s1, s2] = syndromes(symbols);
  if (s1 !== 0 || s2 !== 0) fail(CryptoErrorCode.BadResumeCode, 'checksum');
  return deriveKeys(symbolsToBytes(symbols.slice(0, RESUME_DATA_CHARS)));
}

/** What the server stores to find a resume blob: BLAKE2b-256("utvag/v1/resume-lookup-hash", lookupId). */
export function resumeLookupHash(lookupId: Uint8Array): Uint8Array {
  return hash('resume-lookup-hash', (w) => w.bytes(lookupId));
}

/** The visitor's resume blob: what it needs to ask for session `lastSessionNumber + 1`, plus app data. */
export interface ResumeBlob {
  conversationId: ConversationId;
  team: string;
  lastSessionNumber: number;
  /** Application data (e.g. the visitor's own transcript), opaque to crypto/. */
  data: Uint8Array;
}

function blobAd(): Uint8Array {
  return Writer.labelled('resume-blob').u8(PROTOCOL_VERSION).finish();
}

/** Encrypts a resume blob: u8 version ‖ u8 0x50 ‖ nonce(24) ‖ XChaCha20-Poly1305(blob, AD = label). */
export function sealResumeBlob(blobKey: Uint8Array, blob: ResumeBlob, random: Random = systemRandom): Uint8Array {
  const plain = new Writer().fixed(blob.conversationId, 16).string(blob.team).u32(blob.lastSessionNumber).bytes(blob.data).finish();
  const nonce = random(24);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plain, blobAd(), null, nonce, blobKey);
  return new Writer().u8(PROTOCOL_VERSION).u8(WireType.ResumeBlob).fixed(nonce, 24).bytes(ct).finish();
}

/** Decrypts a resume blob; Tampered when it does not authenticate under `blobKey`. */
export function openResumeBlob(blobKey: Uint8Array, wire: Uint8Array): ResumeBlob {
  const r = new Reader(wire);
  readHeader(r, WireType.ResumeBlob, 'resume blob');
  const nonce = r.fixed(24);
  const ct = r.bytes();
  r.end();
  let plain: Uint8Array;
  try {
    plain = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, blobAd(), nonce, blobKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'resume blob does not authenticate');
  }
  const p = new Reader(plain);
  const blob = { conversationId: p.fixed(16) as ConversationId, team: p.string(256), lastSessionNumber: p.u32(), data: p.bytes() };
  p.end();
  return blob;
}
