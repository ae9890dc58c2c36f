// The languages the clients speak (described once, in contract/languages.ts) and what the clients
// do with them: directions, Intl tags, the picker's order, catalogues. A client offers the ones it
// has a catalogue for.

import { FIRST_LANGUAGE, isLanguageId, LANGUAGE_IDS, LANGUAGE_INFO, type Language, type LanguageId } from '../../../contract/languages.js';

export { FIRST_LANGUAGE, isLanguageId, LANGUAGE_IDS, LANGUAGE_INFO, type Language, type LanguageId };

export const directionOf = (id: LanguageId): 'ltr' | 'rtl' => LANGUAGE_INFO[id].dir;

/** The tag for Intl.DateTimeFormat / NumberFormat in language `id`. */
export const intlTag = (id: LanguageId): string => LANGUAGE_INFO[id].tag;

/** The ids of `catalogues` in the order of LANGUAGE_INFO (the picker's order). */
export function offered<L extends LanguageId>(catalogues: Readonly<Record<L, unknown>>): readonly L[] {
  return LANGUAGE_IDS.filter((id): id is L => Object.hasOwn(catalogues, id));
}

/** The offered language a BCP 47 tag ("ar-SE", "en") asks for; `fallback` when none matches. */
export function languageOfTag<L extends LanguageId>(ids: readonly L[], tag: string, fallback: L): L {
  const primary = tag.toLowerCase().split('-')[0];
  return ids.find((id) => id === primary) ?? fallback;
}

/** Language `id`'s name in itself. */
export const languageName = (id: LanguageId): string => LANGUAGE_INFO[id].name;

/** Language `id`'s name in language `uiLanguage` ("Arabiska" in Swedish), capitalised as a label; its own name where Intl has none. */
export function languageNameIn(id: LanguageId, uiLanguage: LanguageId): string {
  try {
    const name = new Intl.DisplayNames([intlTag(uiLanguage)], { type: 'language' }).of(id);
    if (name !== undefined && name !== id) return name.charAt(0).toLocaleUpperCase(intlTag(uiLanguage)) + name.slice(1);
  } catch {
    // No Intl.DisplayNames here: fall through.
  }
  return languageName(id);
}

/**
 * A client's catalogues, one per registered language, from its catalogue files: the client's
 * `import.meta.glob('./[a-z][a-z].ts', { eager: true })`, where `so.ts` exports `so`. A registered
 * language without its file stops the client here, so every test of that client names it; a file of
 * no registered language is left out.
 */
export function cataloguesFrom<M>(files: Readonly<Record<string, unknown>>): Record<LanguageId, M> {
  const catalogues: Partial<Record<LanguageId, M>> = {};
  for (const id of LANGUAGE_IDS) {
    const catalogue = (files[`./${id}.ts`] as Readonly<Record<string, M>> | undefined)?.[id];
    if (catalogue === undefined) throw new Error(`Language ${id} has no catalogue: ${id}.ts exporting ${id}`);
    catalogues[id] = catalogue;
  }
  return catalogues as Record<LanguageId, M>;
}
