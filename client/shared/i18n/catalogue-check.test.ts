// The completeness check both clients' catalogue tests rely on: it finds each kind of gap (and says
// which), so a passing client test means complete catalogues, not a check that cannot fail.
import { describe, expect, it } from 'vitest';
import { catalogueProblems } from './catalogue-check.js';

const sv = { hello: 'Hej {name}', bye: 'Hej då', days: { one: '{n} dag', other: '{n} dagar' }, errors: { network: 'Ingen kontakt', unknown: 'Fel' } };

describe('catalogue check', () => {
  it('passes complete catalogues (plural forms may leave out {n})', () => {
    const en = { hello: 'Hi {name}', bye: 'Bye', days: { one: '{n} day', other: '{n} days' }, errors: { network: 'No connection', unknown: 'Error' } };
    const ar = { hello: 'مرحبا {name}', bye: 'وداعا', days: { zero: '{n} يوم', one: 'يوم واحد', two: 'يومان', few: '{n} أيام', many: '{n} يوماً', other: '{n} يوم' }, errors: { network: 'لا اتصال', unknown: 'خطأ' } };
    expect(catalogueProblems({ sv, en, ar }, 'sv')).toEqual([]);
  });

  it('names a missing key, an extra key, an empty string and a placeholder that differs', () => {
    const en = { hello: 'Hi {who}', days: { one: '{n} day', other: '{n} days' }, errors: { network: ' ', unknown: 'Error', extra: 'x' }, more: 'x' };
    expect(catalogueProblems({ sv, en }, 'sv').sort()).toEqual(
      [
        'en: key more is not in sv',
        'en: missing key bye',
        'en: hello has {who}, sv has {name}',
        'en: errors.network is empty',
        'en: key errors.extra is not in sv',
      ].sort(),
    );
  });

  it('asks every plural form the language needs', () => {
    const ar = { ...sv, hello: 'مرحبا {name}', days: { one: 'يوم واحد', other: '{n} يوم' } };
    const problems = catalogueProblems({ sv, ar }, 'sv');
    expect(problems).toContain('ar: days lacks the plural form two');
    expect(problems).toContain('ar: days lacks the plural form few');
    expect(problems).not.toContain('ar: days lacks the plural form one');
    expect(catalogueProblems({ sv, ar }, 'sv', ['days']).filter((p) => p.includes('plural'))).toEqual([]);
  });

  it('refuses a string where the first language has forms, and the reverse', () => {
    const en = { ...sv, days: '{n} days', bye: { other: 'Bye' } } as unknown as typeof sv;
    expect(catalogueProblems({ sv, en }, 'sv')).toEqual(['en: bye is not a string', 'en: days is a string, sv has forms']);
  });
});
