// A source as the admin API returns it, and the paths of its QR code images.

export interface SourceRow {
  readonly tag: string;
  readonly label: string;
  readonly team: string | null;
  readonly language: 'sv' | 'en' | 'ar' | null;
  readonly createdAt: number;
  readonly active: boolean;
  /** The public link its QR code encodes. */
  readonly url: string;
}

/** Download path of the source's QR code (the server makes it; the session cookie authorises). */
export const qrPath = (tag: string, ext: 'svg' | 'png') => `/api/v1/admin/sources/${tag}/qr.${ext}`;
