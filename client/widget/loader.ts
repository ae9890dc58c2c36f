// The embed script a municipality pastes into its site (≤ 3 KB gzip, stable name /loader.js, pinned by
// the snippet's integrity hash). It adds a button that opens the widget in a sandboxed iframe
// (allow-scripts allow-forms: an opaque origin the host page's scripts cannot read) whose document it
// writes itself, so every widget script and style it loads is pinned by an integrity hash recorded at
// build time. Host page → widget: nothing but the pinned root key, the source tag and its language.

/** Filled in by the build (vite.config.ts): the widget's files with their SRI hashes. */
declare const __UTVAG_WIDGET__: {
  readonly entry: { readonly file: string; readonly integrity: string };
  readonly css: ReadonlyArray<{ readonly file: string; readonly integrity: string }>;
  readonly preload: ReadonlyArray<{ readonly file: string; readonly integrity: string }>;
};

/** Messages the widget frame may post to the loader (typed map; anything else is ignored). */
interface FrameMessages {
  'utvag:quick-exit': Record<string, never>;
  'utvag:close': Record<string, never>;
}

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (script === null) return;
  const origin = new URL(script.src).origin;
  const data = script.dataset;
  const rootKey = /^[A-Za-z0-9_-]{43}$/.test(data.rootKey ?? '') ? (data.rootKey as string) : '';
  const source = /^[a-z0-9-]{1,40}$/.test(data.source ?? '') ? (data.source as string) : 'web';
  const lang = /^[a-z]{2,3}$/.test(data.lang ?? '') ? (data.lang as string) : ''; // the widget keeps it if it has that catalogue
  const exitUrl = /^https:\/\//.test(data.exitUrl ?? '') ? (data.exitUrl as string) : 'https://www.smhi.se/';
  const label = data.label ?? 'Prata med socialtjänsten';
  const w = __UTVAG_WIDGET__;
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const url = (file: string) => esc(`${origin}/${file}`);
  const ws = origin.replace(/^http/, 'ws');

  // The frame's document: a CSP of its own (added to whatever the host page enforces), the pinned
  // key, and each file with its integrity hash; module preloads pin the lazily imported chunks too.
  const doc = [
    '<!doctype html><html lang="sv"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${esc(origin)} 'wasm-unsafe-eval'; style-src ${esc(origin)}; connect-src ${esc(origin)} ${esc(ws)}; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">',
    `<meta name="utvag-loader-root-key" content="${esc(rootKey)}"><meta name="utvag-source" content="${esc(source)}"><meta name="utvag-source-lang" content="${lang}"><meta name="utvag-exit-url" content="${esc(exitUrl)}">`,
    ...w.css.map((c) => `<link rel="stylesheet" href="${url(c.file)}" integrity="${c.integrity}" crossorigin="anonymous">`),
    ...w.preload.map((p) => `<link rel="modulepreload" href="${url(p.file)}" integrity="${p.integrity}" crossorigin="anonymous">`),
    `<script type="module" src="${url(w.entry.file)}" integrity="${w.entry.integrity}" crossorigin="anonymous"></script>`,
    '<title>Utväg</title></head><body><div id="app"></div></body></html>',
  ].join('');

  let frame: HTMLIFrameElement | null = null;
  let overlay: HTMLDivElement | null = null;
  let opener: HTMLButtonElement | null = null;

  const close = () => {
    overlay?.remove();
    overlay = null;
    frame = null;
    opener?.focus();
  };
  const leave = () => location.replace(exitUrl);

  addEventListener('message', (event: MessageEvent<{ type?: keyof FrameMessages }>) => {
    // The frame's origin is opaque ("null"): recognise it by its window instead.
    if (frame === null || event.source !== frame.contentWindow) return;
    if (event.data?.type === 'utvag:quick-exit') leave();
    if (event.data?.type === 'utvag:close') close();
  });
  addEventListener('keydown', (event) => {
    if (overlay !== null && event.key === 'Escape') leave();
  });

  const open = () => {
    if (overlay !== null) return;
    overlay = document.createElement('div');
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-label', 'Utväg');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.4);display:flex;justify-content:flex-end';
    const panel = document.createElement('div');
    panel.style.cssText = 'position:relative;width:100%;max-width:28rem;height:100%;background:#fff';
    const x = document.createElement('button');
    x.type = 'button';
    x.textContent = '×';
    x.setAttribute('aria-label', 'Stäng / Close');
    x.style.cssText = 'position:absolute;top:.25rem;left:-2.75rem;width:2.5rem;height:2.5rem;font-size:1.5rem;border:0;border-radius:50%;background:#fff;color:#1a1a1a;cursor:pointer';
    x.onclick = close;
    frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts allow-forms');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.setAttribute('allow', '');
    frame.title = 'Utväg';
    frame.srcdoc = doc;
    frame.style.cssText = 'border:0;width:100%;height:100%';
    panel.append(x, frame);
    overlay.append(panel);
    document.body.append(overlay);
    frame.focus();
  };

  opener = document.createElement('button');
  opener.type = 'button';
  opener.textContent = label;
  opener.style.cssText = 'position:fixed;bottom:1rem;right:1rem;z-index:2147483646;padding:.75rem 1.1rem;border:0;border-radius:2rem;background:#0b5cad;color:#fff;font:600 1rem system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)';
  opener.onclick = open;
  const mount = () => document.body.append(opener as HTMLButtonElement);
  if (document.body === null) addEventListener('DOMContentLoaded', mount);
  else mount();
})();
