// What makes a set of catalogues complete: every language has every key of the first, no key the first
// lacks, the same {placeholders}, no empty string, and each plural entry the forms its language needs.
// Both clients' tests run it over all their catalogues, so a new language is checked the moment it
// is registered.
import { intlTag, type LanguageId } from './languages.js';

type Entry = string | Readonly<Record<string, string | undefined>>;
const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
const isPlural = (entry: Entry): entry is Readonly<Record<string, string>> =>
  typeof entry === 'object' && 'other' in entry && Object.keys(entry).every((k) => PLURAL_FORMS.has(k));

/**
 * The problems of `catalogues` measured against `first`'s catalogue, one sentence each ("en: missing
 * key x"); empty when complete. Values are strings, plural entries, or one level of named strings.
 * `notCounts`: plural-shaped entries that choose by meaning ("first" / "number {n}"), not by a
 * count's plural rules; they need only `other`.
 */
export function catalogueProblems(catalogues: Readonly<Partial<Record<LanguageId, object>>>, first: LanguageId, notCounts: readonly string[] = []): string[] {
  const problems: string[] = [];
  const base = catalogues[first] as Readonly<Record<string, Entry>> | undefined;
  if (base === undefined) return [`${first}: no catalogue`];
  for (const [lang, catalogue] of Object.entries(catalogues) as Array<[LanguageId, Readonly<Record<string, Entry>>]>) {
    const needed = new Intl.PluralRules(intlTag(lang)).resolvedOptions().pluralCategories;
    for (const key of Object.keys(catalogue)) if (!(key in base)) problems.push(`${lang}: key ${key} is not in ${first}`);
    for (const [key, expected] of Object.entries(base)) {
      const entry = catalogue[key];
      if (entry === undefined) {
        problems.push(`${lang}: missing key ${key}`);
        continue;
      }
      if (typeof expected === 'string') {
        if (typeof entry !== 'string') problems.push(`${lang}: ${key} is not a string`);
        else if (entry.trim() === '') problems.push(`${lang}: ${key} is empty`);
        else if (placeholders(entry) !== placeholders(expected)) problems.push(`${lang}: ${key} has {${placeholders(entry)}}, ${first} has {${placeholders(expected)}}`);
        continue;
      }
      if (typeof entry === 'string') {
        problems.push(`${lang}: ${key} is a string, ${first} has forms`);
        continue;
      }
      if (isPlural(expected)) {
        if (!isPlural(entry)) problems.push(`${lang}: ${key} is not a plural entry`);
        // Forms may leave out {n} ("يوم واحد"), so only their presence is checked.
        else for (const form of notCounts.includes(key) ? ['other'] : needed) if (entry[form] === undefined) problems.push(`${lang}: ${key} lacks the plural form ${form}`);
        continue;
      }
      for (const [sub, text] of Object.entries(expected)) {
        const own = entry[sub];
        if (own === undefined) problems.push(`${lang}: missing key ${key}.${sub}`);
        else if (own.trim() === '') problems.push(`${lang}: ${key}.${sub} is empty`);
        else if (placeholders(own) !== placeholders(text ?? '')) problems.push(`${lang}: ${key}.${sub} has {${placeholders(own)}}, ${first} has {${placeholders(text ?? '')}}`);
      }
      for (const sub of Object.keys(entry)) if (!(sub in expected)) problems.push(`${lang}: key ${key}.${sub} is not in ${first}`);
    }
  }
  return problems;
}
