// A source as the admin API returns it, and the paths of its QR code images.
import type { LanguageId } from '../../../shared/i18n/languages.js';
import type { WeeklyHours } from '../../../shared/opening-hours.js';

export interface SourceRow {
  readonly tag: string;
  readonly label: string;
  readonly team: string | null;
  /** The widget's language for visitors from this source; null: the visitor's browser decides. */
  readonly language: LanguageId | null;
  readonly createdAt: number;
  readonly active: boolean;
  /** The public link its QR code encodes. */
  readonly url: string;
  /** Weekly opening hours of the team its chats go to (Europe/Stockholm), or null when it keeps none. */
  readonly hours?: WeeklyHours | null;
}

/** Download path of the source's QR code (the server makes it; the session cookie authorises). */
export const qrPath = (tag: string, ext: 'svg' | 'png') => `/api/v1/admin/sources/${tag}/qr.${ext}`;
