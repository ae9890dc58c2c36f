// Filling a catalogue string: {name} placeholders, and plural forms chosen by Intl.PluralRules with the
// number written in the language's own digits.
import { intlTag, type LanguageId } from './languages.js';

/** A plural entry: one string per Intl.PluralRules category the language needs; `other` always. */
export interface Plural {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export type Params = Readonly<Record<string, string | number | undefined>>;

/** Replaces each {name} with params[name]; a placeholder without a value stays as written. */
export function fill(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined ? whole : String(value);
  });
}

const rules = new Map<LanguageId, Intl.PluralRules>();
const numbers = new Map<LanguageId, Intl.NumberFormat>();

/** `n` written for language `lang` (its digits and grouping). */
export function formatNumber(lang: LanguageId, n: number): string {
  let format = numbers.get(lang);
  if (format === undefined) {
    format = new Intl.NumberFormat(intlTag(lang));
    numbers.set(lang, format);
  }
  return format.format(n);
}

/** Chooses the plural form of `n` for `lang` and fills {n} (in the language's digits) and `params`. */
export function plural(lang: LanguageId, forms: Plural, n: number, params: Params = {}): string {
  let rule = rules.get(lang);
  if (rule === undefined) {
    rule = new Intl.PluralRules(intlTag(lang));
    rules.set(lang, rule);
  }
  const text = forms[rule.select(n)] ?? forms.other;
  return fill(text, { n: formatNumber(lang, n), ...params });
}
