// Placeholders and plurals: every {name} filled, a missing value left visible, plural forms by the
// language's rules with the number in its own digits.
import { describe, expect, it } from 'vitest';
import { fill, formatNumber, plural } from './format.js';

describe('format', () => {
  it('fills every placeholder and leaves one without a value as written', () => {
    expect(fill('{a} och {a}, {b}', { a: 1, b: 'två' })).toBe('1 och 1, två');
    expect(fill('Hej {name}', {})).toBe('Hej {name}');
    expect(fill('Hej {name}', { name: undefined })).toBe('Hej {name}');
  });

  it('chooses plural forms by the language’s rules', () => {
    const days = { one: '{n} dag', other: '{n} dagar' };
    expect(plural('sv', days, 1)).toBe('1 dag');
    expect(plural('sv', days, 90)).toBe('90 dagar');
    const ar = { zero: '{n} يوم', one: 'يوم واحد', two: 'يومان', few: '{n} أيام', many: '{n} يوماً', other: '{n} يوم' };
    expect(plural('ar', ar, 2)).toBe('يومان');
    expect(plural('ar', ar, 3)).toMatch(/^(3|٣) أيام$/);
    expect(plural('en', { other: '{n} items for {who}' }, 1, { who: 'you' })).toBe('1 items for you');
  });

  it('writes numbers in the language’s own way', () => {
    expect(formatNumber('sv', 1234567)).toBe((1234567).toLocaleString('sv-SE'));
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
  });
});
