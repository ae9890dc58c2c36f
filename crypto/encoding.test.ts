import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer, fromBase64url, fromHex, toBase64url, toHex } from './encoding.js';
import { CryptoErrorCode, CryptoError, isCryptoError } from './errors.js';
import { pad, unpad } from './padding.js';

function code(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (err) {
    return isCryptoError(err) ? err.code : String(err);
  }
}

describe('encoding', () => {
  it('base64url round-trips and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(text)).toEqual(bytes);
        expect(fromHex(toHex(bytes))).toEqual(bytes);
      }),
    );
    expect(code(() => fromBase64url('a'))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => fromBase64url('ab+/'))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => fromBase64url('AB'))).toBe(CryptoErrorCode.Malformed); // non-zero trailing bits
  });

  it('labelled encodings are length-prefixed and read back exactly', () => {
    const bytes = Writer.labelled('test').u8(7).u32(1).u64(2 ** 40).string('å').strings(['a', 'b']).fixed(new Uint8Array(3), 3).finish();
    expect(toHex(bytes.subarray(0, 4))).toBe("0000000d"); // "utvag/v1/test" is 13 bytes
    const r = new Reader(bytes).expectLabel('test');
    expect([r.u8(), r.u32(), r.u64(), r.string(), r.strings()]).toEqual([7, 1, 2 ** 40, 'å', ['a', 'b']]);
    expect(r.fixed(3)).toEqual(new Uint8Array(3));
    r.end();
    expect(code(() => new Reader(bytes).expectLabel('other'))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => new Reader(bytes.subarray(0, 10)).expectLabel('test'))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => new Writer().u32(-1))).toBe(CryptoErrorCode.Malformed);
  });

  it('pads to 256-byte buckets and rejects bad padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (bytes) => {
        const p = pad(bytes);
        expect(p.length % 256).toBe(0);
        expect(p.length - bytes.length).toBeLessThanOrEqual(256 + 3);
        expect(unpad(p)).toEqual(bytes);
      }),
    );
    const p = pad(new Uint8Array([1]));
    p[100] = 1;
    expect(code(() => unpad(p))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => unpad(new Uint8Array(255)))).toBe(CryptoErrorCode.Malformed);
    expect(code(() => pad(new Uint8Array(600), 512))).toBe(CryptoErrorCode.TooLarge);
  });

  it('errors carry a stable code and narrow with isCryptoError', () => {
    const err: unknown = new CryptoError(CryptoErrorCode.Replay, 'x');
    expect(isCryptoError(err, CryptoErrorCode.Replay)).toBe(true);
    expect(isCryptoError(err, CryptoErrorCode.Tampered)).toBe(false);
    expect(isCryptoError(new Error('x'))).toBe(false);
    expect((err as CryptoError).message).toBe('Replay: x');
  });
});
