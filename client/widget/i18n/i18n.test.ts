// The catalogues are complete and consistent: same keys as Swedish, the same placeholders, every
// plural category the language needs, and every API error code has a sentence.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../contract/errors.js';
import { catalogueProblems } from '../../shared/i18n/catalogue-check.js';
import { CATALOGUES, LANGUAGES, errorText, isRtl, plural } from './index.js';

describe('widget catalogues', () => {
  it('have the keys and placeholders of the Swedish one, nothing empty', () => {
    // The queue position is "first" or "number {n}", not a count: any language's two forms do.
    expect(catalogueProblems(CATALOGUES, 'sv', ['queuePosition'])).toEqual([]);
    expect(LANGUAGES).toEqual(Object.keys(CATALOGUES));
  });

  it('cover every plural category of each language', () => {
    for (const lang of LANGUAGES) {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const m = CATALOGUES[lang];
      for (const forms of [m.onDuty, m.waiting, m.waitEstimate, m.days]) {
        for (const c of needed) if (c !== 'other' && !(lang === 'sv' || lang === 'en')) expect(forms[c as keyof typeof forms], `${lang} ${c}`).toBeDefined();
        expect(forms.other).toBeDefined();
      }
    }
    expect(plural('sv', CATALOGUES.sv.days, 1)).toBe('1 dag');
    expect(plural('sv', CATALOGUES.sv.days, 90)).toBe('90 dagar');
    expect(plural('ar', CATALOGUES.ar.days, 2)).toBe('يومان');
    expect(plural('ar', CATALOGUES.ar.days, 3)).toMatch(/^(3|٣) أيام$/);
    expect(isRtl('ar')).toBe(true);
    expect(isRtl('sv')).toBe(false);
  });

  it('turn every API error code into a sentence', () => {
    for (const lang of LANGUAGES) {
      for (const code of Object.values(ErrorCode)) {
        expect(Object.keys(CATALOGUES[lang].errors), `${lang} ${code}`).toContain(code);
        expect(errorText(CATALOGUES[lang], code).length).toBeGreaterThan(5);
      }
    }
  });
});
