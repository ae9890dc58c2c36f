// The resume blob's plaintext padded to a few fixed sizes, so the stored blob's length does not tell
// the server how long each message was (the blob is re-uploaded on a fixed beat, changed or not).
// JSON with trailing spaces parses as before: readers need no change.

/** Sizes (bytes of UTF-8) the blob data is padded to; the last one fits the server's blob limit. */
export const RESUME_DATA_BUCKETS = [1024, 2048, 4096, 8192, 11_264] as const;
/** How often the blob is uploaded while a resume code exists, ms (never right after a message). */
export const RESUME_UPLOAD_MS = 10_000;

const utf8 = new TextEncoder();

/**
 * `build(n)` serialises the data keeping the last `n` messages; returns its UTF-8 bytes padded with
 * spaces to the smallest bucket that holds it, dropping the oldest messages while even the largest
 * bucket is too small. Pure.
 */
export function padResumeData(build: (keepMessages: number) => string, messages: number): Uint8Array {
  const largest = RESUME_DATA_BUCKETS[RESUME_DATA_BUCKETS.length - 1];
  for (let keep = messages; keep >= 0; keep--) {
    const bytes = utf8.encode(build(keep));
    const bucket = RESUME_DATA_BUCKETS.find((b) => b >= bytes.length);
    if (bucket === undefined) continue;
    const out = new Uint8Array(bucket).fill(0x20);
    out.set(bytes);
    return out;
  }
  throw new Error(`resume data does not fit ${largest} bytes even without messages`);
}
