// The /c/<tag> page: the widget page, told the language of the source it was opened through.
import type { SourceLanguage } from './sources.js';

/**
 * `html` (the built widget page) with `<meta name="utvag-source-lang">` when the source has a
 * language; the widget opens in it unless the visitor already chose one in this tab. Pure.
 */
export function withSourceLanguage(html: string, language: SourceLanguage | null): string {
  if (language === null) return html;
  return html.replace('</head>', `<meta name="utvag-source-lang" content="${language}" />\n  </head>`);
}
