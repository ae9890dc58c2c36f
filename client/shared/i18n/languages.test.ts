// The language registry: Arabic right to left, the picker's order, a BCP 47 tag to an offered language.
import { describe, expect, it } from 'vitest';
import { LANGUAGE_INFO, cataloguesFrom, directionOf, intlTag, isLanguageId, languageName, languageNameIn, languageOfTag, offered } from './languages.js';

describe('languages', () => {
  it('writes Arabic right to left and the others left to right', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('sv')).toBe('ltr');
    expect(directionOf('en')).toBe('ltr');
    expect(languageName('ar')).toBe('العربية');
    expect(intlTag('en')).toBe('en-GB');
  });

  it('lists the offered languages in the registry’s order, whatever the catalogues’ order', () => {
    expect(offered({ ar: 1, sv: 2 })).toEqual(['sv', 'ar']);
    expect(isLanguageId('ar')).toBe(true);
    expect(isLanguageId('xx')).toBe(false);
    expect(isLanguageId('toString')).toBe(false);
  });

  it('finds the offered language of a tag, else the fallback', () => {
    expect(languageOfTag(['sv', 'en', 'ar'], 'ar-SE', 'sv')).toBe('ar');
    expect(languageOfTag(['sv', 'en', 'ar'], 'EN', 'sv')).toBe('en');
    expect(languageOfTag(['sv', 'en', 'ar'], 'fi', 'sv')).toBe('sv');
    expect(languageOfTag(['sv', 'en'], 'ar', 'sv')).toBe('sv');
  });

  it('takes a client’s catalogue of every registered language from its files, and stops at a missing one', () => {
    const ids = Object.keys(LANGUAGE_INFO);
    const files = Object.fromEntries([...ids, 'xx'].map((id) => [`./${id}.ts`, { [id]: id.toUpperCase() }]));
    expect(cataloguesFrom(files)).toEqual(Object.fromEntries(ids.map((id) => [id, id.toUpperCase()])));
    delete files['./en.ts'];
    expect(() => cataloguesFrom(files)).toThrow('Language en has no catalogue: en.ts exporting en');
  });

  it('names a language in the UI language as a label (the team form labels its out-of-hours texts so)', () => {
    expect(['sv', 'en', 'ar'].map((id) => languageNameIn(id as never, 'sv'))).toEqual(['Svenska', 'Engelska', 'Arabiska']);
    expect(['sv', 'en', 'ar'].map((id) => languageNameIn(id as never, 'en'))).toEqual(['Swedish', 'English', 'Arabic']);
    expect(languageNameIn('ar', 'ar')).toBe('العربية');
  });
});
