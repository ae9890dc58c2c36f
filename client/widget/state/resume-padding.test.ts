// The resume blob's data: padded to fixed buckets whatever the messages' lengths, still valid JSON,
// oldest messages dropped only when even the largest bucket is too small.
import { describe, expect, it } from 'vitest';
import { RESUME_DATA_BUCKETS, padResumeData } from './resume-padding.js';

const build = (texts: string[]) => (keep: number) => JSON.stringify({ token: 't', messages: texts.slice(texts.length - keep).map((text) => ({ from: 'me', text })) });

describe('resume data padding', () => {
  it('gives messages of different lengths the same size, and parses back', () => {
    const short = padResumeData(build(['hej']), 1);
    const longer = padResumeData(build(['hej, jag undrar en sak om hur det går till']), 1);
    expect(short.length).toBe(1024);
    expect(longer.length).toBe(short.length);
    expect(JSON.parse(new TextDecoder().decode(longer))).toEqual({ token: 't', messages: [{ from: 'me', text: 'hej, jag undrar en sak om hur det går till' }] });
  });

  it('only ever produces bucket sizes, and drops the oldest messages beyond the largest', () => {
    const texts = Array.from({ length: 40 }, (_, i) => `${i}:${'x'.repeat(500)}`);
    const sizes = new Set([1, 5, 10, 20, 40].map((n) => padResumeData(build(texts.slice(0, n)), n).length));
    for (const size of sizes) expect(RESUME_DATA_BUCKETS).toContain(size);
    const all = JSON.parse(new TextDecoder().decode(padResumeData(build(texts), texts.length))) as { messages: Array<{ text: string }> };
    expect(all.messages.length).toBeLessThan(40);
    expect(all.messages.at(-1)?.text).toBe(texts.at(-1));
  });
});
