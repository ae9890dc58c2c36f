// BLAKE2b (RFC 7693), unkeyed, in plain TypeScript: the proof-of-work worker hashes with this instead
// of carrying a second copy of libsodium (the visitor downloads libsodium once, in the crypto chunk).
// The same function as libsodium's crypto_generichash(outlen, input, null); crypto/blake2b.test.ts
// checks it against libsodium's output. 64-bit words are kept as pairs of 32-bit halves (low, high)
// in Int32Arrays, so V8 keeps every value an int32 (no doubles, no allocation per operation).

const IV = new Int32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

/** Message word schedule of the 12 rounds (rounds 10 and 11 repeat 0 and 1), as offsets into `m` (× 2). */
const SIGMA = new Uint8Array(
  [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  ]
    .flat()
    .map((x) => x * 2),
);

const v = new Int32Array(32);
const m = new Int32Array(32);
// Reused by every call (the proof of work hashes ~65,000 times): no allocation but the digest.
const state = new Int32Array(16);
const block = new Uint8Array(128);

/** v[a] += v[b] (64-bit): the high half takes the carry out of the low half (an unsigned compare). */
function add(a: number, b: number): void {
  const x = v[a]!;
  const lo = (x + v[b]!) | 0;
  v[a + 1] = (v[a + 1]! + v[b + 1]! + ((lo >>> 0) < (x >>> 0) ? 1 : 0)) | 0;
  v[a] = lo;
}

/** v[a] += the message word at m[i] (64-bit). */
function addWord(a: number, i: number): void {
  const x = v[a]!;
  const lo = (x + m[i]!) | 0;
  v[a + 1] = (v[a + 1]! + m[i + 1]! + ((lo >>> 0) < (x >>> 0) ? 1 : 0)) | 0;
  v[a] = lo;
}

/** The mixing function G on words a, b, c, d with message words x, y. */
function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add(a, b);
  addWord(a, x);
  let lo = v[d]! ^ v[a]!;
  let hi = v[d + 1]! ^ v[a + 1]!;
  v[d] = hi; // rotate right 32
  v[d + 1] = lo;
  add(c, d);
  lo = v[b]! ^ v[c]!;
  hi = v[b + 1]! ^ v[c + 1]!;
  v[b] = (lo >>> 24) ^ (hi << 8); // rotate right 24
  v[b + 1] = (hi >>> 24) ^ (lo << 8);
  add(a, b);
  addWord(a, y);
  lo = v[d]! ^ v[a]!;
  hi = v[d + 1]! ^ v[a + 1]!;
  v[d] = (lo >>> 16) ^ (hi << 16); // rotate right 16
  v[d + 1] = (hi >>> 16) ^ (lo << 16);
  add(c, d);
  lo = v[b]! ^ v[c]!;
  hi = v[b + 1]! ^ v[c + 1]!;
  v[b] = (hi >>> 31) ^ (lo << 1); // rotate right 63
  v[b + 1] = (lo >>> 31) ^ (hi << 1);
}

/** Compresses `block` into `h`; `t` bytes hashed so far including it. */
function compress(h: Int32Array, t: number, last: boolean): void {
  for (let i = 0; i < 16; i++) {
    v[i] = h[i]!;
    v[i + 16] = IV[i]!;
  }
  v[24] = v[24]! ^ t;
  v[25] = v[25]! ^ Math.floor(t / 0x100000000);
  if (last) {
    v[28] = ~v[28]!;
    v[29] = ~v[29]!;
  }
  for (let i = 0; i < 32; i++) {
    const j = 4 * i;
    m[i] = block[j]! ^ (block[j + 1]! << 8) ^ (block[j + 2]! << 16) ^ (block[j + 3]! << 24);
  }
  for (let r = 0; r < 12; r++) {
    const s = r * 16;
    mix(0, 8, 16, 24, SIGMA[s]!, SIGMA[s + 1]!);
    mix(2, 10, 18, 26, SIGMA[s + 2]!, SIGMA[s + 3]!);
    mix(4, 12, 20, 28, SIGMA[s + 4]!, SIGMA[s + 5]!);
    mix(6, 14, 22, 30, SIGMA[s + 6]!, SIGMA[s + 7]!);
    mix(0, 10, 20, 30, SIGMA[s + 8]!, SIGMA[s + 9]!);
    mix(2, 12, 22, 24, SIGMA[s + 10]!, SIGMA[s + 11]!);
    mix(4, 14, 16, 26, SIGMA[s + 12]!, SIGMA[s + 13]!);
    mix(6, 8, 18, 28, SIGMA[s + 14]!, SIGMA[s + 15]!);
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!;
}

/** BLAKE2b of `input` with an `outlen`-byte digest (1..64), no key: libsodium's crypto_generichash(outlen, input, null). */
export function blake2b(outlen: number, input: Uint8Array): Uint8Array {
  if (!Number.isInteger(outlen) || outlen < 1 || outlen > 64) throw new RangeError('outlen must be 1..64');
  const h = state;
  h.set(IV);
  h[0] = h[0]! ^ 0x01010000 ^ outlen;
  let t = 0;
  let at = 0;
  // Every full block but the last is compressed as it fills; the last (possibly empty) is final.
  while (input.length - at > 128) {
    block.set(input.subarray(at, at + 128));
    t += 128;
    at += 128;
    compress(h, t, false);
  }
  block.fill(0);
  block.set(input.subarray(at));
  t += input.length - at;
  compress(h, t, true);
  const out = new Uint8Array(outlen);
  for (let i = 0; i < outlen; i++) out[i] = h[i >> 2]! >>> (8 * (i & 3));
  return out;
}
