/// <reference types="vite/types/importMeta.d.ts" />
// The console's catalogues, one file per language beside this one (sv.ts is the first and defines the
// keys), on the shared machinery of client/shared/i18n (languages, placeholders). Adding a language:
// its line in the shared registry and its catalogue file here (docs/i18n.md).
import { fill, type Params } from '../../shared/i18n/format.js';
import { cataloguesFrom, isLanguageId, languageName, offered } from '../../shared/i18n/languages.js';
import type { Messages } from './sv.js';

export type { Messages };
export type MessageKey = keyof Messages;

/** Every catalogue of the console, by language: the files named for a language of the registry. */
export const CATALOGUES = cataloguesFrom<Messages>(import.meta.glob('./[a-z][a-z].ts', { eager: true }));
export type Locale = keyof typeof CATALOGUES;

/** The languages the console offers, in the picker's order, with their names in themselves. */
export const LOCALES: ReadonlyArray<{ id: Locale; name: string }> = offered<Locale>(CATALOGUES).map((id) => ({ id, name: languageName(id) }));
export const isLocale = (x: unknown): x is Locale => isLanguageId(x) && Object.hasOwn(CATALOGUES, x);
export { directionOf, intlTag } from '../../shared/i18n/languages.js';

export type Translate = (key: MessageKey, vars?: Params) => string;

/** A translator for `locale`: replaces {name} placeholders with `vars`. */
export function translator(locale: Locale): Translate {
  const catalogue: Messages = CATALOGUES[locale];
  return (key, vars) => fill(catalogue[key], vars);
}
