// A closed team's own out-of-hours text: in the visitor's language, else in Swedish, else none.
// Plain text from the team's administration; screens render it as text (never as HTML).
import type { Lang } from './i18n/index.js';
import type { WeeklyHours } from '../shared/opening-hours.js';

/** What GET /api/v1/teams/{team}/notice answers. */
export interface TeamNotice {
  readonly team: string;
  /** Open now by its duty hours and holidays. */
  readonly open: boolean;
  /** Closed (or on special hours) because of a holiday today. */
  readonly holiday: boolean;
  /** By language; a language the team wrote nothing in is absent. */
  readonly text: Readonly<Partial<Record<Lang, string>>>;
  /** Weekly opening hours (Europe/Stockholm), or null when the team keeps none. */
  readonly hours?: WeeklyHours | null;
  /** While closed: when it opens next (ms since the epoch), or null. */
  readonly nextOpen?: number | null;
}

/** The text to show and the language it is in, or null when the team is open or wrote none. */
export function closedText(notice: TeamNotice | null, lang: Lang): { text: string; lang: Lang } | null {
  if (notice === null || notice.open) return null;
  const own = notice.text[lang]?.trim() ?? '';
  if (own !== '') return { text: own, lang };
  const swedish = notice.text.sv?.trim() ?? '';
  return swedish === '' ? null : { text: swedish, lang: 'sv' };
}
