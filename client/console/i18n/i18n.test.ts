// The console catalogues: every key in every language, the same placeholders, no key defined twice,
// Arabic right to left, the responder's templates and emergency numbers in every language, every
// category of the contract named, and every audit action the server writes (contract/audit.ts) named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../../contract/audit.js';
import { CATEGORIES } from '../../../contract/categories.js';
import { catalogueProblems } from '../../shared/i18n/catalogue-check.js';
import { languageOfTag } from '../../shared/i18n/languages.js';
import { CATALOGUES, LOCALES, directionOf, isLocale, translator, type MessageKey } from './index.js';
import { auditActionKey, categoryKey, categoryName, type CategoryUse } from './record-keys.js';

describe('console catalogues', () => {
  it('have the same keys and placeholders in every language', () => {
    expect(catalogueProblems(CATALOGUES, 'sv')).toEqual([]);
    expect(LOCALES.map((l) => l.id)).toEqual(Object.keys(CATALOGUES));
  });

  it('define no key twice in a catalogue file (a second one would silently win)', () => {
    for (const { id } of LOCALES) {
      const keys = [...readFileSync(new URL(`./${id}.ts`, import.meta.url), 'utf8').matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i), id).toEqual([]);
      expect(keys.length, id).toBe(Object.keys(CATALOGUES.sv).length);
    }
  });

  it('formats placeholders and picks the direction', () => {
    expect(translator('sv')('load', { load: 1, capacity: 3 })).toBe('1 av 3 samtal');
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('sv')).toBe('ltr');
    expect(isLocale('ar')).toBe(true);
    expect(isLocale('xx')).toBe(false);
  });

  it('has team templates and the emergency numbers in every language', () => {
    const templates: MessageKey[] = ['templateGreeting', 'templateAnonymous', 'templateCallback', 'templateHelpToLeave', 'templateThanks'];
    for (const { id } of LOCALES) {
      const t = translator(id);
      for (const key of templates) expect(t(key, { name: 'Alice' }).trim(), `${id} ${key}`).not.toBe('');
      expect(t('templateGreeting', { name: 'Alice' })).toContain('Alice');
      for (const number of ['112', '114 14', '116 111']) expect(t('emergencySnippet')).toContain(number);
    }
    const ids = LOCALES.map((l) => l.id);
    expect(languageOfTag(ids, 'ar-SE', 'sv')).toBe('ar');
    expect(languageOfTag(ids, 'fi', 'sv')).toBe('sv');
  });

  it('names every audit action the server writes, and no action it does not write', () => {
    for (const action of AUDIT_ACTIONS) expect([action, auditActionKey(action)]).not.toEqual([action, 'auditActionOther']);
    const named = Object.keys(CATALOGUES.sv).filter((k) => k.startsWith('auditAction') && k !== 'auditActionOther');
    expect(named.sort()).toEqual(AUDIT_ACTIONS.map(auditActionKey).sort());
    expect(translator('sv')(auditActionKey('duty-on'))).toBe('Gick i tjänst');
  });

  it('names every category of the contract in the queue, the team mapping and the statistics, and no other', () => {
    const uses: CategoryUse[] = ['queue', 'mapping', 'stats'];
    const expected = CATEGORIES.flatMap((c) => uses.map((use) => categoryKey(c, use)));
    const named = Object.keys(CATALOGUES.sv).filter((k) => /^category[A-Z]/.test(k));
    expect(named.sort()).toEqual([...expected].sort());
    const t = translator('sv');
    expect([categoryName(t, 'chat'), categoryName(t, 'callback', 'mapping'), categoryName(t, 'parent', 'stats')]).toEqual(['Ung person', 'Bli uppringd', 'Förälder']);
    // A category this build does not know (a newer server's) stays as the server wrote it.
    expect(categoryName(t, 'retired')).toBe('retired');
  });
});
