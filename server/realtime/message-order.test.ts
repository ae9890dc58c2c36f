// isAfter agrees with the store's compareMessageIds on every pair of stream ids.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareMessageIds } from '../store/codec.js';
import { isAfter } from './message-order.js';

const id = fc.tuple(fc.oneof(fc.nat(20), fc.nat(), fc.constant(1_763_899_200_000)), fc.oneof(fc.nat(12), fc.nat())).map(([ms, seq]) => `${ms}-${seq}`);

describe('isAfter', () => {
  it('orders stream ids as compareMessageIds does', () => {
    fc.assert(fc.property(id, id, (a, b) => {
        expect(isAfter(a, b)).toBe(compareMessageIds(a, b) > 0);
      }), { numRuns: 5000 });
    for (const [a, b, after] of [
      ['10-0', '9-99', true],
      ['9-10', '9-9', true],
      ['9-9', '9-9', false],
      ['1763899200000-0', '1763899199999-12', true],
    ] as const)
      expect(isAfter(a, b)).toBe(after);
  });
});
