// The console catalogues: every key in every language, the same placeholders, Arabic right to left.
import { describe, expect, it } from 'vitest';
import { AREAS } from './areas/index.js';
import { CATALOGUES, directionOf, translator } from './index.js';
import { sv as base } from './sv.js';
import { AUDIT_ACTIONS } from '../../../server/routes/audit-writer.js';
import { auditActionKey, recordsArea } from './areas/records.js';
import { EMERGENCY_SNIPPET, TEAM_TEMPLATES, localeOfTag } from './templates.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console catalogues', () => {
  it('have the same keys and placeholders in Swedish, English and Arabic', () => {
    const { sv, en, ar } = CATALOGUES;
    for (const catalogue of [en, ar]) {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(sv).sort());
      for (const key of Object.keys(sv) as Array<keyof typeof sv>) expect([key, placeholders(catalogue[key])]).toEqual([key, placeholders(sv[key])]);
    }
  });

  it('has no key in two areas or in an area and the base catalogue', () => {
    const seen = new Set(Object.keys(base));
    for (const area of AREAS) {
      for (const key of Object.keys(area.sv)) {
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });

  it('formats placeholders and picks the direction', () => {
    expect(translator('sv')('load', { load: 1, capacity: 3 })).toBe('1 av 3 samtal');
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('sv')).toBe('ltr');
  });

  it('has team templates and the emergency numbers in every language', () => {
    for (const locale of ['sv', 'en', 'ar'] as const) {
      expect(TEAM_TEMPLATES[locale]).toHaveLength(TEAM_TEMPLATES.sv.length);
      for (const number of ['112', '114 14', '116 111']) expect(EMERGENCY_SNIPPET[locale]).toContain(number);
    }
    expect(localeOfTag('ar-SE')).toBe('ar');
    expect(localeOfTag('fi')).toBe('sv');
  });

  it('names every audit action the server writes, and no action it does not write', () => {
    for (const action of AUDIT_ACTIONS) expect([action, auditActionKey(action)]).not.toEqual([action, 'auditActionOther']);
    const named = Object.keys(recordsArea.sv).filter((k) => k.startsWith('auditAction') && k !== 'auditActionOther');
    expect(named.sort()).toEqual(AUDIT_ACTIONS.map(auditActionKey).sort());
    expect(translator('sv')(auditActionKey('duty-on'))).toBe('Gick i tjänst');
  });
});
