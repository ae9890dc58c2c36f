// Branded byte/text types, base64url, and the labelled, length-prefixed encoding of everything signed or hashed.
import { CryptoErrorCode, fail } from './errors.js';

declare const brand: unique symbol;
/** A nominal type: `Brand<string, 'X'>` is a string that only a validating function produces. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Unpadded base64url text (RFC 4648 §5), as produced by toBase64url(). */
export type Base64url = Brand<string, 'Base64url'>;
/** Ed25519 public key, 32 bytes. */
export type Ed25519PublicKey = Brand<Uint8Array, 'Ed25519PublicKey'>;
/** Ed25519 secret key (libsodium layout: seed ‖ public), 64 bytes. */
export type Ed25519SecretKey = Brand<Uint8Array, 'Ed25519SecretKey'>;
/** X25519 public key, 32 bytes. */
export type X25519PublicKey = Brand<Uint8Array, 'X25519PublicKey'>;
/** X25519 secret key, 32 bytes. */
export type X25519SecretKey = Brand<Uint8Array, 'X25519SecretKey'>;
/** A conversation id: 16 random bytes drawn by the visitor. */
export type ConversationId = Brand<Uint8Array, 'ConversationId'>;

/** Protocol version carried as the first byte of every wire format that v2 left unchanged. */
export const PROTOCOL_VERSION = 1;
/**
 * Version 2 of the handshake: the handshake and session-request wires carry this version byte, and the
 * labels whose derivation changed in v2 (transcript, session root, session request tag, pending
 * visitor) start with "utvag/v2/". Everything else (certificates, intake, messages, resume) is v1.
 */
export const HANDSHAKE_VERSION = 2;
/** Prefix of every v1 label; `label('intake')` = "utvag/v1/intake". */
export const LABEL_PREFIX = 'utvag/v1/';

/** A label's purpose: a plain string is a v1 label, `v2('transcript')` is "utvag/v2/transcript". */
export type Purpose = string | { readonly version: 2; readonly name: string };

/** The v2 label `purpose` ("utvag/v2/<purpose>"). */
export function v2(name: string): Purpose {
  return { version: 2, name };
}

/** The full label text of a purpose. */
export function labelText(purpose: Purpose): string {
  return typeof purpose === 'string' ? LABEL_PREFIX + purpose : `utvag/v${purpose.version}/${purpose.name}`;
}
/** Upper bound on any length-prefixed field (1 MiB); bigger inputs are Malformed. */
const MAX_FIELD = 1 << 20;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string. */
export function textBytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Decodes UTF-8; invalid sequences throw Malformed. */
export function bytesText(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return fail(CryptoErrorCode.Malformed, 'invalid UTF-8');
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Unpadded base64url of `bytes`. Pure JS (works before sodium is loaded). */
export function toBase64url(bytes: Uint8Array): Base64url {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += B64[(n >> (18 - 6 * c)) & 63];
  }
  return out as Base64url;
}

/** Parses unpadded base64url; any other character, a bad length or non-zero tail bits throw Malformed. */
export function fromBase64url(text: string): Uint8Array {
  if (text.length % 4 === 1) fail(CryptoErrorCode.Malformed, 'base64url length');
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const ch of text) {
    const v = B64_INDEX.get(ch);
    if (v === undefined) fail(CryptoErrorCode.Malformed, 'base64url character');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) fail(CryptoErrorCode.Malformed, 'base64url trailing bits');
  return out;
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Parses lower/upper-case hex; anything else throws Malformed. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) fail(CryptoErrorCode.Malformed, 'hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Equality of public values (not constant-time; use sodium.memcmp for secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Builds a byte string field by field: fixed-width big-endian integers, and length-prefixed
 * (u32 big-endian) byte strings and UTF-8 strings. `Writer.labelled(purpose)` starts with the label
 * "utvag/v1/<purpose>" (itself length-prefixed), which domain-separates every signed or hashed input.
 */
export class Writer {
  private parts: Uint8Array[] = [];

  static labelled(purpose: Purpose): Writer {
    return new Writer().string(labelText(purpose));
  }

  u8(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) fail(CryptoErrorCode.Malformed, 'u8 out of range');
    this.parts.push(Uint8Array.of(n));
    return this;
  }

  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) fail(CryptoErrorCode.Malformed, 'u32 out of range');
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    this.parts.push(b);
    return this;
  }

  /** Unsigned integer up to 2^53 - 1 (timestamps in ms, serials) as 8 bytes big-endian. */
  u64(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) fail(CryptoErrorCode.Malformed, 'u64 out of range');
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n));
    this.parts.push(b);
    return this;
  }

  /** Raw bytes without a length prefix (fixed-size fields only). */
  fixed(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length) fail(CryptoErrorCode.Malformed, `expected ${length} bytes`);
    this.parts.push(bytes.slice());
    return this;
  }

  bytes(bytes: Uint8Array): this {
    if (bytes.length > MAX_FIELD) fail(CryptoErrorCode.TooLarge, 'field too large');
    this.u32(bytes.length);
    this.parts.push(bytes.slice());
    return this;
  }

  string(text: string): this {
    return this.bytes(textBytes(text));
  }

  strings(list: readonly string[]): this {
    this.u32(list.length);
    for (const s of list) this.string(s);
    return this;
  }

  finish(): Uint8Array {
    return concat(...this.parts);
  }
}

/** Reads what Writer wrote; every short read, oversized length or trailing byte throws Malformed. */
export class Reader {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}

  /** Reads the label and throws Malformed unless it is the label of `purpose` ("utvag/v1/<purpose>" for a string). */
  expectLabel(purpose: Purpose): this {
    const label = labelText(purpose);
    if (this.string() !== label) fail(CryptoErrorCode.Malformed, `expected label ${label}`);
    return this;
  }

  private take(length: number): Uint8Array {
    if (length > this.data.length - this.offset) fail(CryptoErrorCode.Malformed, 'truncated');
    const out = this.data.slice(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(): number {
    return this.take(1)[0] as number;
  }

  u32(): number {
    const b = this.take(4);
    return new DataView(b.buffer, b.byteOffset).getUint32(0);
  }

  u64(): number {
    const b = this.take(8);
    const v = new DataView(b.buffer, b.byteOffset).getBigUint64(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(CryptoErrorCode.Malformed, 'u64 too large');
    return Number(v);
  }

  fixed(length: number): Uint8Array {
    return this.take(length);
  }

  bytes(max = MAX_FIELD): Uint8Array {
    const n = this.u32();
    if (n > max) fail(CryptoErrorCode.Malformed, 'field too long');
    return this.take(n);
  }

  string(max = 4096): string {
    return bytesText(this.bytes(max));
  }

  strings(maxCount = 64, maxLength = 256): string[] {
    const n = this.u32();
    if (n > maxCount) fail(CryptoErrorCode.Malformed, 'too many strings');
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.string(maxLength));
    return out;
  }

  /** Everything not yet read. */
  rest(): Uint8Array {
    return this.take(this.data.length - this.offset);
  }

  remaining(): number {
    return this.data.length - this.offset;
  }

  /** Throws Malformed when bytes are left over. */
  end(): void {
    if (this.offset !== this.data.length) fail(CryptoErrorCode.Malformed, 'trailing bytes');
  }
}

/** Reads the version byte and throws UnsupportedVersion unless it is `expectedVersion` (PROTOCOL_VERSION), then the type byte. */
export function readHeader(reader: Reader, type: number, what: string, expectedVersion: number = PROTOCOL_VERSION): void {
  const version = reader.u8();
  if (version !== expectedVersion) fail(CryptoErrorCode.UnsupportedVersion, `${what} version ${version}`);
  const t = reader.u8();
  if (t !== type) fail(CryptoErrorCode.Malformed, `not a ${what}`);
}
