// Message ids order as the log does, whatever a client can tell from their text.
import { describe, expect, it } from 'vitest';
import { compareMessageIds } from './ids.js';

describe('message ids', () => {
  it('order by time, then sequence, as numbers not text', () => {
    expect(compareMessageIds('999-0', '1000-0')).toBeLessThan(0);
    expect(compareMessageIds('1000-10', '1000-9')).toBeGreaterThan(0);
    expect(compareMessageIds('1000-1', '1000-1')).toBe(0);
  });
});
