// QR codes of a source's public link (qrcode): SVG for print shops and posters, PNG for documents.
// Error correction Q (a quarter of the code may be dirty, torn or covered by tape) and the standard
// quiet zone of four modules.
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'Q', margin: 4, color: { dark: '#000000', light: '#ffffff' } } as const;
/** PNG edge in pixels: about 8.5 cm at 300 dpi, sharp on an A4 poster. */
export const QR_PNG_WIDTH = 1000;

/** The link a source's QR code encodes: the public origin and /c/<tag>. */
export function sourceUrl(publicOrigin: string, tag: string): string {
  return `${publicOrigin}/c/${tag}`;
}

/** A standalone SVG document (scalable, black on white). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...OPTIONS, type: 'svg' });
}

/** A PNG of QR_PNG_WIDTH × QR_PNG_WIDTH pixels. */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...OPTIONS, type: 'png', width: QR_PNG_WIDTH });
}
