// The visitor's place in the log: ids compare as numbers (ms, then sequence), each is taken once.
import { describe, expect, it } from 'vitest';
import { compareIds, createLogCursor } from './log-cursor.js';

describe('log cursor', () => {
  it('orders stream ids by time, then sequence, as numbers not text', () => {
    expect(compareIds('999-0', '1000-0')).toBeLessThan(0);
    expect(compareIds('1000-10', '1000-9')).toBeGreaterThan(0);
    expect(compareIds('1000-1', '1000-1')).toBe(0);
  });

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
