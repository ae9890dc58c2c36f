// The languages the clients speak, each described once: its own name, writing direction and the
// BCP 47 tag used for dates and numbers. A client offers the ones it has a catalogue for.

export interface Language {
  /** The language's name in itself (the language picker shows it). */
  readonly name: string;
  readonly dir: 'ltr' | 'rtl';
  /** BCP 47 tag for Intl (dates, numbers, plural rules). */
  readonly tag: string;
}

/** Every language the clients speak. Adding one: a line here and its catalogue in each client (docs/i18n.md). */
export const LANGUAGE_INFO = {
  sv: { name: 'Svenska', dir: 'ltr', tag: 'sv-SE' },
  en: { name: 'English', dir: 'ltr', tag: 'en-GB' },
  ar: { name: 'العربية', dir: 'rtl', tag: 'ar' },
} as const satisfies Record<string, Language>;

export type LanguageId = keyof typeof LANGUAGE_INFO;

/** The first language: the fallback for anything unknown. */
export const FIRST_LANGUAGE: LanguageId = 'sv';

export const isLanguageId = (x: unknown): x is LanguageId => typeof x === 'string' && Object.hasOwn(LANGUAGE_INFO, x);

export const directionOf = (id: LanguageId): 'ltr' | 'rtl' => LANGUAGE_INFO[id].dir;

/** The tag for Intl.DateTimeFormat / NumberFormat in language `id`. */
export const intlTag = (id: LanguageId): string => LANGUAGE_INFO[id].tag;

/** The ids of `catalogues` in the order of LANGUAGE_INFO (the picker's order). */
export function offered<L extends LanguageId>(catalogues: Readonly<Record<L, unknown>>): readonly L[] {
  return (Object.keys(LANGUAGE_INFO) as LanguageId[]).filter((id): id is L => Object.hasOwn(catalogues, id));
}

/** The offered language a BCP 47 tag ("ar-SE", "en") asks for; `fallback` when none matches. */
export function languageOfTag<L extends LanguageId>(ids: readonly L[], tag: string, fallback: L): L {
  const primary = tag.toLowerCase().split('-')[0];
  return ids.find((id) => id === primary) ?? fallback;
}

/** Language `id`'s name in itself. */
export const languageName = (id: LanguageId): string => LANGUAGE_INFO[id].name;

/**
 * A client's catalogues, one per registered language, from its catalogue files: the client's
 * `import.meta.glob('./[a-z][a-z].ts', { eager: true })`, where `so.ts` exports `so`. A registered
 * language without its file stops the client here, so every test of that client names it; a file of
 * no registered language is left out.
 */
export function cataloguesFrom<M>(files: Readonly<Record<string, unknown>>): Record<LanguageId, M> {
  const catalogues: Partial<Record<LanguageId, M>> = {};
  for (const id of Object.keys(LANGUAGE_INFO) as LanguageId[]) {
    const catalogue = (files[`./${id}.ts`] as Readonly<Record<string, M>> | undefined)?.[id];
    if (catalogue === undefined) throw new Error(`Language ${id} has no catalogue: ${id}.ts exporting ${id}`);
    catalogues[id] = catalogue;
  }
  return catalogues as Record<LanguageId, M>;
}
