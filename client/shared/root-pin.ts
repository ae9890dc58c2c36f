// Which organisation root key a client trusts, and when it must refuse to start. The server may serve
// the page, so nothing the page carries can replace a pin: a build pins the root (VITE_UTVAG_ROOT_KEY,
// the Containerfile's build argument), or the host page's embed snippet does (passed by the SRI-pinned
// loader into its own iframe document). Only a page marked as a demo may supply a root, and the client
// then says on screen that it is a demo.

/** A root public key: 32 bytes as 43 base64url characters. */
const ROOT_KEY = /^[A-Za-z0-9_-]{43}$/;

/** Where the trusted root comes from, or why there is none. */
export type RootPin =
  /** Pinned by the build or by the host page's snippet: the normal, production case. */
  | { readonly kind: 'pinned'; readonly key: string; readonly source: 'build' | 'snippet' }
  /** Supplied by a page marked as a demo (server-made keys): usable, always shown as a demo. */
  | { readonly kind: 'demo'; readonly key: string }
  /**
   * Refused. `unpinned`: the build pins no root and the page is not a demo; `mismatch`: the page or
   * snippet offers a root other than the one the build pins (a changed page, or a wrong snippet).
   */
  | { readonly kind: 'refused'; readonly reason: 'unpinned' | 'mismatch' };

export interface RootPinInput {
  /** The build-time pin (import.meta.env.VITE_UTVAG_ROOT_KEY), if any. */
  readonly built: string | undefined | null;
  /** The snippet's key as the loader wrote it into its iframe document (null outside that document). */
  readonly snippet: string | null;
  /** The key the served page carries (`<meta name="utvag-root-key">`), if any. */
  readonly page: string | null;
  /** The served page says it is a demo (`<meta name="utvag-demo" content="1">`). */
  readonly pageIsDemo: boolean;
}

const usable = (key: string | null | undefined): key is string => typeof key === 'string' && ROOT_KEY.test(key);

/**
 * Resolves the trusted root. A build pin wins and any other offered key that differs refuses
 * (`mismatch`); without a build pin the snippet's key is the pin; without either, only a demo page's
 * key is accepted (as `demo`); anything else refuses (`unpinned`). Pure: tests call it directly.
 */
export function resolveRootPin(input: RootPinInput): RootPin {
  const offered = [input.snippet, input.page].filter((k): k is string => typeof k === 'string' && k !== '');
  if (usable(input.built)) {
    if (offered.some((k) => k !== input.built)) return { kind: 'refused', reason: 'mismatch' };
    return { kind: 'pinned', key: input.built, source: 'build' };
  }
  if (usable(input.snippet)) {
    if (input.page !== null && input.page !== '' && input.page !== input.snippet) return { kind: 'refused', reason: 'mismatch' };
    return { kind: 'pinned', key: input.snippet, source: 'snippet' };
  }
  if (input.pageIsDemo && usable(input.page)) return { kind: 'demo', key: input.page };
  return { kind: 'refused', reason: 'unpinned' };
}

/** Reads the page's offers from `doc`; the snippet's key only inside the loader's srcdoc iframe. */
export function rootPinFromDocument(doc: Document, built: string | undefined | null): RootPin {
  const meta = (name: string) => doc.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;
  // The loader writes its iframe's document itself (about:srcdoc, opaque origin); a page the server
  // serves has an http(s) URL, so a server cannot pass its key off as the snippet's.
  const inLoaderFrame = doc.location?.href === 'about:srcdoc';
  return resolveRootPin({
    built,
    snippet: inLoaderFrame ? meta('utvag-loader-root-key') : null,
    page: meta('utvag-root-key'),
    pageIsDemo: meta('utvag-demo') === '1',
  });
}
