// The embed snippet for host pages (used by the admin console): the loader pinned by Subresource
// Integrity, with the organisation root key and the source tag. Pure.
import { LANGUAGE_INFO, isLanguageId, type LanguageId } from './i18n/languages.js';

export interface EmbedSnippetInput {
  /** Service origin, e.g. "https://utvag.example.se" (no path). */
  readonly origin: string;
  /** Organisation root public key, base64url (43 characters). */
  readonly rootPublicKey: string;
  /** SRI of dist/public/loader.js as recorded by the build (widget-manifest.json → loader.integrity). */
  readonly loaderIntegrity: string;
  /** Source tag for aggregated statistics: 1–40 of a-z, 0-9, "-". */
  readonly source?: string;
  /** Language the widget opens in (the source's), unless the visitor picks another. */
  readonly language?: LanguageId;
  /** Text of the button the loader adds. */
  readonly label?: string;
  /** https URL quick exit leaves for (default: a weather site). */
  readonly exitUrl?: string;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Returns the exact `<script>` tag to paste. Throws Error for an origin that is not http(s) without
 * a path, a root key that is not 43 base64url characters, an integrity that is not sha256/384/512,
 * a bad source tag or language, or a non-https exit URL.
 */
export function embedSnippet(input: EmbedSnippetInput): string {
  const url = new URL(input.origin);
  if (!/^https?:$/.test(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new Error('origin must be http(s)://host[:port]');
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.rootPublicKey)) throw new Error('root public key must be 43 base64url characters');
  if (!/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(input.loaderIntegrity)) throw new Error('integrity must be an SRI hash');
  if (input.source !== undefined && !/^[a-z0-9-]{1,40}$/.test(input.source)) throw new Error('source: 1–40 of a-z, 0-9, -');
  if (input.exitUrl !== undefined && !/^https:\/\//.test(input.exitUrl)) throw new Error('exit URL must be https');
  const attrs: Array<[string, string]> = [
    ['src', `${url.origin}/loader.js`],
    ['integrity', input.loaderIntegrity],
    ['crossorigin', 'anonymous'],
    ['data-root-key', input.rootPublicKey],
  ];
  if (input.source !== undefined) attrs.push(['data-source', input.source]);
  if (input.language !== undefined) {
    if (!isLanguageId(input.language)) throw new Error(`language: one of ${Object.keys(LANGUAGE_INFO).join(', ')}`);
    attrs.push(['data-lang', input.language]);
  }
  if (input.label !== undefined) attrs.push(['data-label', input.label]);
  if (input.exitUrl !== undefined) attrs.push(['data-exit-url', input.exitUrl]);
  return `<script ${attrs.map(([k, v]) => `${k}="${attr(v)}"`).join(' ')} async></script>`;
}
