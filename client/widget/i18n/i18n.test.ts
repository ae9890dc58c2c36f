// The catalogues are complete and consistent: same keys as Swedish, the same placeholders, every
// plural category the language needs, and every API error code has a sentence.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../server/errors.js';
import { CATALOGUES, LANGUAGES, errorText, plural, type Messages } from './index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const flat = (m: Messages) =>
  Object.entries(m).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : Object.entries(v as Record<string, string>).map(([kk, vv]) => [`${k}.${kk}`, vv] as const)));

describe('widget catalogues', () => {
  it('have the keys and placeholders of the Swedish one', () => {
    const sv = new Map(flat(CATALOGUES.sv).filter(([k]) => !/\.(zero|one|two|few|many)$/.test(k)));
    for (const lang of LANGUAGES) {
      const other = new Map(flat(CATALOGUES[lang]).filter(([k]) => !/\.(zero|one|two|few|many)$/.test(k)));
      expect([...other.keys()].sort(), lang).toEqual([...sv.keys()].sort());
      for (const [k, v] of sv) {
        if (k === 'callbackDoneText' || k.startsWith('days') || k.startsWith('onDuty') || k.startsWith('waiting.') || k.startsWith('waitEstimate')) continue;
        expect(placeholders(other.get(k) ?? ''), `${lang} ${k}`).toEqual(placeholders(v));
      }
      for (const v of other.values()) expect(v.trim(), lang).not.toBe('');
    }
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
