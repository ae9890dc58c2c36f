// The visitor's place in the log: each id is taken once, in log order (contract/ids.test.ts orders them).
import { describe, expect, it } from 'vitest';
import { createLogCursor } from './log-cursor.js';

describe('log cursor', () => {
  it('takes each id once and only forward', () => {
    const cursor = createLogCursor(null);
    expect(cursor.last).toBeNull();
    expect(cursor.take('5-0')).toBe(true);
    expect(cursor.take('5-0')).toBe(false);
    expect(cursor.take('4-9')).toBe(false);
    expect(cursor.take('5-1')).toBe(true);
    expect(cursor.last).toBe('5-1');
  });

  it('continues after the id it starts from (a resumed conversation)', () => {
    const cursor = createLogCursor('10-2');
    expect(cursor.take('10-2')).toBe(false);
    expect(cursor.take('10-3')).toBe(true);
  });
});
