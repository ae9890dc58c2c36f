// Length-hiding padding: u32 length ‖ content ‖ zeros, up to the next multiple of 256 bytes.
import { CryptoErrorCode, fail } from './errors.js';

/** Padding bucket size in bytes. */
export const PAD_BUCKET = 256;

/** Pads `content` to the next multiple of PAD_BUCKET (at least one bucket); throws TooLarge above `max`. */
export function pad(content: Uint8Array, max = Number.MAX_SAFE_INTEGER): Uint8Array {
  const total = Math.ceil((content.length + 4) / PAD_BUCKET) * PAD_BUCKET;
  if (total > max) fail(CryptoErrorCode.TooLarge, `padded size ${total} > ${max}`);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, content.length);
  out.set(content, 4);
  return out;
}

/** Removes padding; a size that is not a bucket multiple, a bad length or non-zero padding throws Malformed. */
export function unpad(padded: Uint8Array): Uint8Array {
  if (padded.length === 0 || padded.length % PAD_BUCKET !== 0) fail(CryptoErrorCode.Malformed, 'padded size');
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (length > padded.length - 4) fail(CryptoErrorCode.Malformed, 'padded length');
  for (let i = 4 + length; i < padded.length; i++) if (padded[i] !== 0) fail(CryptoErrorCode.Malformed, 'padding bytes');
  return padded.slice(4, 4 + length);
}
