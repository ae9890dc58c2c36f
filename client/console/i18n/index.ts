// The console's catalogues and a formatter: Swedish first, English and Arabic (right to left).
import { ar } from './ar.js';
import { en } from './en.js';
import { sv, type Messages } from './sv.js';

export type Locale = 'sv' | 'en' | 'ar';
export type MessageKey = keyof Messages;
export const LOCALES: ReadonlyArray<{ id: Locale; name: string }> = [
  { id: 'sv', name: 'Svenska' },
  { id: 'en', name: 'English' },
  { id: 'ar', name: 'العربية' },
];
const CATALOGUES: Record<Locale, Messages> = { sv, en, ar };

export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (locale === 'ar' ? 'rtl' : 'ltr');

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for `locale`: replaces {name} placeholders with `vars`. */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, vars) => catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}
