// The console's catalogues and a formatter: Swedish first, English and Arabic (right to left).
import { ar } from './ar.js';
import { en } from './en.js';
import { AREAS } from './areas/index.js';
import { sv } from './sv.js';

export type Locale = 'sv' | 'en' | 'ar';
type Union<T> = (T extends unknown ? (x: T) => void : never) extends (x: infer I) => void ? I : never;
/** The base catalogue (sv.ts) and every area (areas/): one flat key space. */
export type Messages = typeof sv & Union<(typeof AREAS)[number]['sv']>;
export type MessageKey = keyof Messages;
export const LOCALES: ReadonlyArray<{ id: Locale; name: string }> = [
  { id: 'sv', name: 'Svenska' },
  { id: 'en', name: 'English' },
  { id: 'ar', name: 'العربية' },
];
const merge = (base: Record<string, string>, locale: Locale) => Object.assign({}, base, ...AREAS.map((a) => a[locale])) as Messages;
/** Every catalogue by locale (the areas merged in). */
export const CATALOGUES: Record<Locale, Messages> = { sv: merge(sv, 'sv'), en: merge(en, 'en'), ar: merge(ar, 'ar') };

export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (locale === 'ar' ? 'rtl' : 'ltr');

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for `locale`: replaces {name} placeholders with `vars`. */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, vars) => catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}
