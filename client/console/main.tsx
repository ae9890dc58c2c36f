// Composition root of the responder console: reads the pinned root key, makes the API client, the
// Argon2id worker deriver and the store, and renders the app.
import { render } from 'preact';
import { fromBase64url, loadSumoSodium } from '../../crypto/console.js';
import { createResponderApi } from '../shared/api-client.js';
import { App } from './App.js';
import { ConsoleContext } from './context.js';
import { createWorkerDeriver } from './crypto/password.js';
import type { Locale } from './i18n/index.js';
import { createConsoleStore } from './state/console-store.js';
import './styles.css';

const IDLE_MS = 10 * 60_000;

function pinnedRootKey(doc: Document): Uint8Array | null {
  const content = doc.querySelector('meta[name="utvag-root-key"]')?.getAttribute('content') ?? '';
  try {
    return content === '' ? null : fromBase64url(content);
  } catch {
    return null;
  }
}

function initialLocale(win: Window): Locale {
  const saved = win.localStorage.getItem('utvag.console.locale');
  return saved === 'en' || saved === 'ar' || saved === 'sv' ? saved : 'sv';
}

async function main(win: Window): Promise<void> {
  await loadSumoSodium();
  const store = createConsoleStore({
    window: win,
    api: createResponderApi({ baseUrl: '' }),
    derive: createWorkerDeriver(),
    rootPublicKey: pinnedRootKey(win.document),
    idleMs: IDLE_MS,
    locale: initialLocale(win),
  });
  const root = win.document.getElementById('app');
  if (root === null) throw new Error('#app missing');
  root.textContent = '';
  render(
    <ConsoleContext.Provider value={store}>
      <App window={win} />
    </ConsoleContext.Provider>,
    root,
  );
}

void main(window);
