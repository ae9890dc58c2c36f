// The hand-written check of `send` frames accepts exactly the send frames the zod schema accepts:
// it may only make valid frames cheaper, never let a malformed one through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_KINDS } from '../../contract/messages.js';
import { ClientFrameSchema } from '../../contract/frame-schema.js';
import { fastSendFrame } from './protocol.js';

const b64 = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`));
const validSend = fc.record({
  t: fc.constant('send'),
  c: b64(22, 22),
  e: fc.record({ cid: b64(16, 64), kind: fc.constantFrom(...ENVELOPE_KINDS), body: b64(1, 400) }),
});
/** A valid send frame with one part broken, dropped, or an extra key added. */
const mutated = fc.tuple(validSend, fc.constantFrom('t', 'c', 'e', 'e.cid', 'e.kind', 'e.body'), fc.constantFrom('drop', 'extra', 'value'), fc.anything()).map(
  ([frame, where, how, junk]) => {
    const copy = { ...frame, e: { ...frame.e } } as Record<string, unknown> & { e: Record<string, unknown> };
    const [target, key] = where.startsWith('e.') ? [copy.e, where.slice(2)] : [copy, where];
    if (how === 'drop') delete target[key];
    else if (how === 'extra') target[`${key}x`] = junk;
    else target[key] = junk;
    return copy;
  },
);
const edgeCases = [
  { t: 'send', c: 'a'.repeat(22), e: { cid: 'c'.repeat(16), kind: 'message', body: '' } },
  { t: 'send', c: 'a'.repeat(22), e: { cid: 'c'.repeat(16), kind: 'message', body: 'A'.repeat(21_847) } },
  { t: 'send', c: 'a'.repeat(22), e: { cid: 'c'.repeat(15), kind: 'message', body: 'AAAA' } },
  { t: 'send', c: 'a'.repeat(23), e: { cid: 'c'.repeat(16), kind: 'message', body: 'AAAA' } },
  { t: 'send', c: 'a'.repeat(22), e: { cid: 'c'.repeat(16), kind: 'toString', body: 'AAAA' } },
  { t: 'send', c: 'a'.repeat(22), e: { cid: 'c'.repeat(16), kind: 'message', body: 'AAA=' } },
  JSON.parse('{"t":"send","c":"aaaaaaaaaaaaaaaaaaaaaa","e":{"cid":"cccccccccccccccc","kind":"message","body":"AA"},"__proto__":1}'),
  null,
  'send',
  [],
];

describe('fastSendFrame', () => {
  it('accepts every valid send frame, unchanged', () => {
    fc.assert(
      fc.property(validSend, (frame) => {
        expect(ClientFrameSchema.safeParse(frame).success).toBe(true);
        expect(fastSendFrame(frame)).toBe(frame);
      }),
    );
  });

  it('accepts nothing the schema refuses', () => {
    for (const value of edgeCases) expect([value, fastSendFrame(value) === null || ClientFrameSchema.safeParse(value).success]).toEqual([value, true]);
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (value) => {
        if (fastSendFrame(value) !== null) expect(ClientFrameSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
