// The widget's catalogues, one per language (sv.ts is the first and defines the keys), on the shared
// machinery of client/shared/i18n (languages, placeholders, plurals). Adding a language: its
// catalogue file and one entry in CATALOGUES (docs/i18n.md).
import { directionOf, isLanguageId, offered } from '../../shared/i18n/languages.js';
import { ar } from './ar.js';
import { en } from './en.js';
import { sv, type Messages } from './sv.js';

export { fill, plural, type Plural } from '../../shared/i18n/format.js';
export type { Messages };

/** Every catalogue of the widget, by language. */
export const CATALOGUES = { sv, en, ar } satisfies Record<string, Messages>;
export type Lang = keyof typeof CATALOGUES;
/** The languages the widget offers, in the picker's order. */
export const LANGUAGES: readonly Lang[] = offered<Lang>(CATALOGUES);
export const isRtl = (lang: Lang) => directionOf(lang) === 'rtl';
export const isLang = (x: unknown): x is Lang => isLanguageId(x) && Object.hasOwn(CATALOGUES, x);

/** A human sentence for an API error code (or network / crypto / unknown). */
export function errorText(messages: Messages, code: string): string {
  return (messages.errors as Record<string, string>)[code] ?? messages.errors.unknown;
}
