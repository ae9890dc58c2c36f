// Composition root of the responder console: resolves the pinned root key (or refuses to start),
// makes the API client, the Argon2id worker deriver and the store, renders the app, and only then
// lets libsodium load (on the first interaction; the login screen needs no crypto).
import { render } from 'preact';
import { fromBase64url, loadSumoSodium } from '../../crypto/api-sumo.js';
import { createResponderApi } from '../shared/api-client.js';
import { rootPinFromDocument } from '../shared/root-pin.js';
import { App } from './App.js';
import { RootRefused } from './screens/RootRefused.js';
import { ConsoleContext } from './context.js';
import { createWorkerDeriver } from './crypto/password.js';
import { isLocale, type Locale } from './i18n/index.js';
import { createConsoleStore } from './state/console-store.js';
import './styles.css';

const IDLE_MS = 10 * 60_000;


function initialLocale(win: Window): Locale {
  const saved = win.localStorage.getItem('utvag.console.locale');
  return isLocale(saved) ? saved : 'sv';
}

async function main(win: Window): Promise<void> {
  const root = win.document.getElementById('app');
  if (root === null) throw new Error('#app missing');
  // The root every certificate is checked against: the build's pin, or a demo page's (shown as a
  // demo); a real deployment's page cannot supply one (client/shared/root-pin.ts).
  const pin = rootPinFromDocument(win.document, import.meta.env.VITE_UTVAG_ROOT_KEY);
  if (pin.kind === 'refused') {
    root.textContent = '';
    render(<RootRefused reason={pin.reason} />, root);
    return;
  }
  const store = createConsoleStore({
    window: win,
    api: createResponderApi({ baseUrl: '' }),
    derive: createWorkerDeriver(),
    rootPublicKey: fromBase64url(pin.key),
    idleMs: IDLE_MS,
    locale: initialLocale(win),
  });
  root.textContent = '';
  render(
    <ConsoleContext.Provider value={store}>
      <App window={win} demo={pin.kind === 'demo'} />
    </ConsoleContext.Provider>,
    root,
  );
  // libsodium (sumo, ~180 KB compressed) is not needed to show the login screen: it is fetched when
  // the responder starts to use the page (and by the deriver at the latest, client/console/crypto/password.ts).
  const warm = () => void loadSumoSodium();
  for (const type of ['focusin', 'pointerdown', 'keydown'] as const) win.addEventListener(type, warm, { once: true, passive: true });
}

void main(window);
