// Composition root of the visitor widget: resolves the pinned root key (or refuses to start), the source tag and the service
// origin from the page, creates the API, the crypto loader and the controller, and renders.
// Runs as a full page (/c/<source>, /widget) or inside the loader's sandboxed iframe (opaque origin).
import { SOCKET_PATH } from '../../contract/frames.js';
import { render } from 'preact';
import { App } from './App.js';
import { createWidgetApi } from './state/api.js';
import { createApp } from './state/app.js';
import { createCryptoLoader } from './state/crypto.js';
import { createPowSolver } from './state/pow.js';
import { isLang } from './i18n/index.js';
import { RootRefused } from './RootRefused.js';
import { rootPinFromDocument } from '../shared/root-pin.js';
import './styles.css';

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;

function sourceTag(): string {
  const fromPath = /^\/c\/([a-z0-9-]{1,40})$/.exec(location.pathname)?.[1];
  const fromLoader = meta('utvag-source');
  const tag = fromPath ?? fromLoader ?? new URLSearchParams(location.hash.slice(1)).get('source') ?? 'direct';
  return /^[a-z0-9-]{1,40}$/.test(tag) ? tag : 'direct';
}

/** sessionStorage, or null where using it throws (opaque-origin iframe) — state then stays in memory. */
function tabStorage(): Storage | null {
  try {
    const s = window.sessionStorage;
    s.getItem('utvag.prefs');
    return s;
  } catch {
    return null;
  }
}

// The service origin is where this module was loaded from (in the loader's srcdoc iframe the
// document has no usable origin of its own).
const baseUrl = new URL(import.meta.url).origin;
// The root every key is checked against: the build's pin, else the embed snippet's (via the loader),
// else only a demo page's; never a key a real deployment's page offers (client/shared/root-pin.ts).
const pin = rootPinFromDocument(document, import.meta.env.VITE_UTVAG_ROOT_KEY);
const wsUrl = `${baseUrl.replace(/^http/, 'ws')}${SOCKET_PATH}`;
const loadCrypto = createCryptoLoader();
const exitUrl = meta('utvag-exit-url') ?? 'https://www.smhi.se/';
const app = createApp({
  window,
  api: createWidgetApi(baseUrl),
  loadCrypto,
  solve: createPowSolver(loadCrypto),
  rootPublicKey: pin.kind === 'refused' ? null : pin.key,
  demo: pin.kind === 'demo',
  wsUrl,
  baseUrl,
  source: sourceTag(),
  sourceLanguage: ((l) => (isLang(l) ? l : null))(meta('utvag-source-lang')),
  storage: tabStorage(),
  exitUrl: /^https:\/\//.test(exitUrl) || /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(exitUrl) ? exitUrl : 'https://www.smhi.se/',
  embedded: window.parent !== window,
});

const root = document.getElementById('app');
if (root !== null) {
  root.textContent = '';
  render(pin.kind === 'refused' ? <RootRefused reason={pin.reason} /> : <App app={app} />, root);
}
