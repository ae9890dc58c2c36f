// One language system for both clients: they offer the same languages (a responder answers in the
// language the young person chose), every one of them described in the shared registry, and the
// doc that says how to add one names the files a new language touches.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUES as CONSOLE } from '../client/console/i18n/index.js';
import { LANGUAGE_INFO } from '../client/shared/i18n/languages.js';
import { CATALOGUES as WIDGET } from '../client/widget/i18n/index.js';

describe('languages of both clients', () => {
  it('the widget and the console speak the same languages, each in the shared registry', () => {
    expect(Object.keys(WIDGET)).toEqual(Object.keys(LANGUAGE_INFO));
    expect(Object.keys(CONSOLE)).toEqual(Object.keys(LANGUAGE_INFO));
  });

  it('docs/i18n.md names every file a new language touches', () => {
    const doc = readFileSync(new URL('../docs/i18n.md', import.meta.url), 'utf8');
    for (const path of ['client/shared/i18n/languages.ts', 'client/widget/i18n/so.ts', 'client/console/i18n/so.ts']) expect(doc).toContain(path);
  });
});
