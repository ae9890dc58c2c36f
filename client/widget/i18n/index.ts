// Catalogues, the language list and the formatting helpers (placeholders, plurals via Intl.PluralRules).
import { ar } from './ar.js';
import { en } from './en.js';
import { sv, type Messages, type Plural } from './sv.js';

export type { Messages, Plural };
export const LANGUAGES = ['sv', 'en', 'ar'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const CATALOGUES: Record<Lang, Messages> = { sv, en, ar };
export const isRtl = (lang: Lang) => lang === 'ar';
export const isLang = (x: unknown): x is Lang => typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);

/** Replaces {name} placeholders. */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

const rules = new Map<Lang, Intl.PluralRules>();
/** Chooses the plural form of `n` for `lang` and fills {n} (numbers in the language's digits). */
export function plural(lang: Lang, forms: Plural, n: number, params: Record<string, string | number> = {}): string {
  let rule = rules.get(lang);
  if (rule === undefined) {
    rule = new Intl.PluralRules(lang);
    rules.set(lang, rule);
  }
  const category = rule.select(n);
  const text = forms[category] ?? forms.other;
  return fill(text, { n: new Intl.NumberFormat(lang).format(n), ...params });
}

/** A human sentence for an API error code (or network / crypto / unknown). */
export function errorText(messages: Messages, code: string): string {
  return (messages.errors as Record<string, string>)[code] ?? messages.errors.unknown;
}
