// The languages Utväg speaks, each described once: its own name, writing direction and the BCP 47
// tag for dates and numbers. The clients offer a catalogue per language (client/shared/i18n); the
// server takes the ids for what is stored per language (a source's language, a team's
// out-of-hours texts). Adding a language: a line here and its catalogue in each client (docs/i18n.md).

export interface Language {
  /** The language's name in itself (the language picker shows it). */
  readonly name: string;
  readonly dir: 'ltr' | 'rtl';
  /** BCP 47 tag for Intl (dates, numbers, plural rules). */
  readonly tag: string;
}

export const LANGUAGE_INFO = {
  sv: { name: 'Svenska', dir: 'ltr', tag: 'sv-SE' },
  en: { name: 'English', dir: 'ltr', tag: 'en-GB' },
  ar: { name: 'العربية', dir: 'rtl', tag: 'ar' },
} as const satisfies Record<string, Language>;

export type LanguageId = keyof typeof LANGUAGE_INFO;

/** Every language id, in the picker's order (a non-empty tuple, as z.enum takes it). */
export const LANGUAGE_IDS = Object.keys(LANGUAGE_INFO) as [LanguageId, ...LanguageId[]];

/** The first language: the fallback for anything unknown. */
export const FIRST_LANGUAGE: LanguageId = 'sv';

export const isLanguageId = (x: unknown): x is LanguageId => typeof x === 'string' && Object.hasOwn(LANGUAGE_INFO, x);
