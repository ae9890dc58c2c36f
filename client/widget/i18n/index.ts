/// <reference types="vite/types/importMeta.d.ts" />
// The widget's catalogues, one file per language beside this one (sv.ts is the first and defines the
// keys), on the shared machinery of client/shared/i18n (languages, placeholders, plurals). Adding a
// language: its line in the shared registry and its catalogue file here (docs/i18n.md).
import { cataloguesFrom, directionOf, isLanguageId, offered } from '../../shared/i18n/languages.js';
import type { Messages } from './sv.js';

export { fill, plural, type Plural } from '../../shared/i18n/format.js';
export type { Messages };

/** Every catalogue of the widget, by language: the files named for a language of the registry. */
export const CATALOGUES = cataloguesFrom<Messages>(import.meta.glob('./[a-z][a-z].ts', { eager: true }));
export type Lang = keyof typeof CATALOGUES;
/** The languages the widget offers, in the picker's order. */
export const LANGUAGES: readonly Lang[] = offered<Lang>(CATALOGUES);
export const isRtl = (lang: Lang) => directionOf(lang) === 'rtl';
export const isLang = (x: unknown): x is Lang => isLanguageId(x) && Object.hasOwn(CATALOGUES, x);

/** A human sentence for an API error code (or network / crypto / unknown). */
export function errorText(messages: Messages, code: string): string {
  return (messages.errors as Record<string, string>)[code] ?? messages.errors.unknown;
}
