// The console's frame: language and direction, header with navigation, the live region for notices,
// and the screen of the current phase and tab.
import { useEffect } from 'preact/hooks';
import { useConsole } from './context.js';
import { LOCALES, directionOf, type Locale } from './i18n/index.js';
import { lazyScreen } from './lazy-screen.js';
import { Callbacks } from './screens/Callbacks.js';
import { Consents } from './screens/Consents.js';
import { Locked, Login } from './screens/Login.js';
import { Workspace } from './screens/Workspace.js';
import type { Tab } from './state/console-store.js';

// Fetched when first shown: the login screen's first load carries neither.
const Admin = lazyScreen(() => import('./screens/Admin.js').then((m) => m.Admin));
const Enrol = lazyScreen(() => import('./screens/Enrol.js').then((m) => m.Enrol));

export function App(props: { window: Window; demo?: boolean }) {
  const { store, state, t } = useConsole();
  const win = props.window;

  useEffect(() => {
    const html = win.document.documentElement;
    html.lang = state.locale;
    html.dir = directionOf(state.locale);
    win.localStorage.setItem('utvag.console.locale', state.locale);
  }, [state.locale]);

  // The tab's title carries the unread count ("(3) Utväg – konsol"), so a responder on another tab sees it.
  const unread = state.phase === 'ready' ? state.chats.reduce((n, c) => n + c.unread, 0) : 0;
  useEffect(() => {
    win.document.title = unread > 0 ? t('titleUnread', { n: unread, title: t('appTitle') }) : t('appTitle');
  }, [state.locale, unread]);

  // An invitation link: /console#enrol=<token>. The token stays in the fragment (never sent in a URL).
  const enrolToken = /^#enrol=([A-Za-z0-9_-]{43})$/.exec(win.location.hash)?.[1] ?? null;
  useEffect(() => {
    if (enrolToken !== null && state.phase === 'login') store.startEnrolment();
  }, [enrolToken]);

  const tabs: Array<{ id: Tab; label: string }> = [
    { id: 'work', label: t('navWork') },
    { id: 'callbacks', label: t('navCallbacks') },
    { id: 'consents', label: t('navConsents') },
  ];
  if (store.mayAdminister(state.me)) tabs.push({ id: 'admin', label: t('navAdmin') });

  return (
    <>
      <a class="skip" href="#main">
        {t('skipToMain')}
      </a>
      <header class="top">
        <p class="brand">Utväg</p>
        {state.phase === 'ready' && (
          <nav aria-label={t('appTitle')}>
            <ul class="tabs">
              {tabs.map((tab) => (
                <li key={tab.id}>
                  <button type="button" aria-current={state.tab === tab.id ? 'page' : undefined} onClick={() => store.setTab(tab.id)}>
                    {tab.label}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="top-actions">
          <label>
            {t('language')}{' '}
            <select value={state.locale} onChange={(e) => store.setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}>
              {LOCALES.map((l) => (
                <option key={l.id} value={l.id} lang={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          {state.phase === 'ready' && (
            <>
              <span class="who">{state.me?.displayName}</span>
              <button type="button" onClick={() => store.lock()}>
                {t('lockNow')}
              </button>
              <button type="button" onClick={() => void store.logout()}>
                {t('logout')}
              </button>
            </>
          )}
        </div>
        {props.demo === true && (
          <p class="demo-banner" role="note">
            {t('demoBanner')}
          </p>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <div class="notice" role="status" aria-live="polite">
          {state.notice !== null ? t(state.notice.key, state.notice.vars) : ''}
        </div>
        {state.phase === 'login' && <Login />}
        {state.phase === 'enrol' && enrolToken !== null && <Enrol token={enrolToken} window={win} />}
        {state.phase === 'locked' && <Locked />}
        {state.phase === 'ready' && state.tab === 'work' && <Workspace />}
        {state.phase === 'ready' && state.tab === 'callbacks' && <Callbacks />}
        {state.phase === 'ready' && state.tab === 'consents' && <Consents window={win} />}
        {state.phase === 'ready' && state.tab === 'admin' && <Admin window={win} />}
      </main>
    </>
  );
}
