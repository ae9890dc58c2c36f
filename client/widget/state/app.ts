// The widget's controller: screens, language, live availability, and the actions the screens call.
// Created once in main.tsx with everything from the environment injected (window, storage, pins).
import { CATEGORIES, type Category } from '../../../contract/categories.js';
import { CATALOGUES, isLang, isRtl, type Lang, type Messages } from '../i18n/index.js';
import { errorCode, type WidgetApi } from './api.js';
import type { TeamNotice } from '../notice.js';
import { openConversation, requestCallback, resumeConversation, verifiedTeam, type Conversation } from './conversation.js';
import type { Crypto } from './crypto.js';
import { createStore, type Store } from './store.js';
import type { PowSolver } from '../../shared/api-client.js';
import { createExitKeys } from './exit-keys.js';

export type Screen = 'home' | 'start' | 'offhours' | 'chat' | 'callback' | 'callback-done' | 'resume' | 'deleted';
/** `notice`: the team's hours, whether it is open by them, its own closed-text. */
export type Status = { staffed: boolean; onDuty: number; waiting: number; team: string; notice?: TeamNotice | null } | 'error' | null;

export interface AppState {
  readonly lang: Lang;
  readonly screen: Screen;
  readonly startCategory: 'chat' | 'parent';
  readonly status: Readonly<Record<Category, Status>>;
  readonly conversation: Conversation | null;
  readonly callbackDone: { readonly word: string; readonly id: string; readonly token: string; readonly deleted: boolean } | null;
  readonly busy: boolean;
  /** Error code of the last failed action (see i18n errors), or null. */
  readonly error: string | null;
  readonly neutral: boolean;
  readonly verificationWord: string | null;
  /** Raised on each screen change so the screen focuses its heading. */
  readonly screenSerial: number;
  /** Who answers (a region's organisation, as the pinned root certified its name), shown before the visitor writes. */
  readonly answeredBy: string | null;
}

export interface AppEnvironment {
  readonly window: Window;
  readonly api: WidgetApi;
  readonly loadCrypto: () => Promise<Crypto>;
  readonly solve: PowSolver;
  readonly rootPublicKey: string | null;
  /** The root came from a demo page (not pinned): the widget says so on every screen. */
  readonly demo?: boolean;
  readonly wsUrl: string;
  readonly baseUrl: string;
  readonly source: string;
  /** Language of the source the page was opened through (the /c/<tag> page says), or null. */
  readonly sourceLanguage?: Lang | null;
  /** sessionStorage when the page may use it (not in an opaque-origin iframe), else null. */
  readonly storage: Storage | null;
  /** Where quick exit goes from inside a frame (location.replace); at top level the server's /exit redirects. */
  readonly exitUrl: string;
  /** Inside the loader's iframe: quick exit also asks the host page to leave. */
  readonly embedded: boolean;
}

const PREFS = 'utvag.prefs';
const APP_ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M4 8h7M8 5l3 3-3 3" stroke="#fff" stroke-width="2" fill="none"/></svg>')}`;
const NEUTRAL_ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6" fill="#888"/></svg>')}`;

export type App = ReturnType<typeof createApp>;

export function createApp(env: AppEnvironment) {
  const win = env.window;
  const prefs = readPrefs(env.storage);
  // The visitor's choice in this tab, else the poster's language, else Swedish; the picker changes it
  // (the browser's language is not used: one fewer signal).
  const initialLang: Lang = prefs.lang ?? env.sourceLanguage ?? 'sv';
  const store: Store<AppState> = createStore<AppState>({
    lang: initialLang,
    screen: 'home',
    startCategory: 'chat',
    status: Object.fromEntries(CATEGORIES.map((c) => [c, null])) as Record<Category, Status>,
    conversation: null,
    callbackDone: null,
    busy: false,
    error: null,
    neutral: prefs.neutral ?? false,
    verificationWord: null,
    screenSerial: 0,
    answeredBy: null,
  });
  const messages = (): Messages => CATALOGUES[store.get().lang];

  const savePrefs = () => {
    try {
      env.storage?.setItem(PREFS, JSON.stringify({ lang: store.get().lang, neutral: store.get().neutral }));
    } catch {
      // Storage full or refused: preferences just do not survive a reload.
    }
  };

  const applyDocument = () => {
    const { lang, neutral } = store.get();
    const doc = win.document;
    doc.documentElement.lang = lang;
    doc.documentElement.dir = isRtl(lang) ? 'rtl' : 'ltr';
    doc.title = neutral ? messages().neutralTabTitle : messages().appName;
    let icon = doc.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (icon === null) {
      icon = doc.createElement('link');
      icon.rel = 'icon';
      doc.head.appendChild(icon);
    }
    icon.href = neutral ? NEUTRAL_ICON : APP_ICON;
  };

  const go = (screen: Screen) => store.set((s) => ({ screen, error: null, busy: false, screenSerial: s.screenSerial + 1 }));

  const fail = (error: unknown) => store.set({ busy: false, error: errorCode(error) });

  const deps = async () => {
    const crypto = await env.loadCrypto();
    if (env.rootPublicKey === null) throw Object.assign(new Error('no pinned root key'), { code: 'UntrustedKey' });
    return { api: env.api, crypto, solve: env.solve, rootPublicKey: env.rootPublicKey, wsUrl: env.wsUrl, source: env.source, language: store.get().lang };
  };

  const refreshStatus = async (category: Category) => {
    try {
      const s = await env.api.status(category, env.source);
      // Asked every time: the first screen shows the team's opening hours, not only its closed-text.
      const notice = await env.api.notice(s.team).catch(() => null);
      store.set((st) => ({ status: { ...st.status, [category]: { staffed: s.staffed, onDuty: s.onDuty, waiting: s.waiting, team: s.team, notice } } }));
    } catch {
      store.set((st) => ({ status: { ...st.status, [category]: 'error' } }));
    }
  };

  // Who answers, said before the visitor writes. The name comes from the verified organisation
  // certificate, never from the server's word; a later ask (the danger box ticked again) wins.
  let asked = 0;
  const sayWhoAnswers = async (danger: boolean) => {
    const serial = ++asked;
    store.set({ answeredBy: null });
    const category = store.get().startCategory;
    try {
      const s = danger ? await env.api.status(category, env.source, true) : store.get().status[category];
      if (s === null || s === 'error') return;
      const name = (await verifiedTeam(await deps(), s.team)).anchor.org.organisation?.name ?? null;
      if (serial === asked) store.set({ answeredBy: name });
    } catch {
      // Not verified: nothing is said; sending verifies again and says why it cannot.
    }
  };

  const toStart = async () => {
    go('start');
    await sayWhoAnswers(false);
  };

  const attach = (conversation: Conversation) => {
    store.get().conversation?.stop();
    store.set({ conversation });
    go('chat');
  };

  const app = {
    store,
    messages,
    demo: env.demo ?? false,
    start() {
      applyDocument();
      void refreshStatus('chat');
      void refreshStatus('parent');
      void refreshStatus('callback');
      const timer = win.setInterval(() => {
        if (store.get().screen === 'home' || store.get().screen === 'offhours') {
          void refreshStatus('chat');
          void refreshStatus('parent');
        }
      }, 20_000);
      // Shift three times leaves from anywhere; Escape only before a conversation has started.
      const onKey = createExitKeys({ exit: () => app.quickExit(), escapeAllowed: () => store.get().conversation === null, now: () => Date.now() });
      win.document.addEventListener('keydown', onKey);
      // Start loading crypto at once, in parallel with the first screen.
      void env.loadCrypto().catch(() => undefined);
      return () => {
        win.clearInterval(timer);
        win.document.removeEventListener('keydown', onKey);
      };
    },
    setLang(lang: Lang) {
      store.set({ lang });
      applyDocument();
      savePrefs();
    },
    setNeutral(neutral: boolean) {
      store.set({ neutral });
      applyDocument();
      savePrefs();
    },
    go,
    home() {
      const c = store.get().conversation;
      if (c !== null && c.view.get().phase !== 'erased' && c.view.get().phase !== 'closed') return go('chat');
      go('home');
      void refreshStatus('chat');
      void refreshStatus('parent');
    },
    /** The three first choices. Chat and parent go to the out-of-hours screen when nobody is on duty. */
    choose(choice: 'chat' | 'parent' | 'callback') {
      if (choice === 'callback') return app.openCallback();
      store.set({ startCategory: choice });
      const s = store.get().status[choice];
      if (s !== null && s !== 'error' && !s.staffed) go('offhours');
      else void toStart();
    },
    writeAnyway() {
      void toStart();
    },
    /** The "I am in danger" box changed: in danger, an organisation without a specialist team may route elsewhere; say who answers then. */
    markDanger(danger: boolean) {
      void sayWhoAnswers(danger);
    },
    openCallback() {
      go('callback');
      store.set({ verificationWord: null });
      void env
        .loadCrypto()
        .then((c) => store.set({ verificationWord: c.generateVerificationWord() }))
        .catch(fail);
    },
    async startChat(text: string, danger: boolean) {
      store.set({ busy: true, error: null });
      try {
        const conversation = await openConversation(await deps(), { category: store.get().startCategory, text, danger });
        attach(conversation);
      } catch (error) {
        fail(error);
      }
    },
    async submitCallback(details: { phone: string; timeWindow: string; language: string; note: string }) {
      const word = store.get().verificationWord;
      if (word === null) return;
      store.set({ busy: true, error: null });
      try {
        const done = await requestCallback(await deps(), { ...details, verificationWord: word });
        store.set({ callbackDone: { word, id: done.id, token: done.token, deleted: false } });
        go('callback-done');
      } catch (error) {
        fail(error);
      }
    },
    async deleteCallback() {
      const done = store.get().callbackDone;
      if (done === null) return;
      store.set({ busy: true });
      try {
        await env.api.erase(done.id, done.token);
        store.set({ callbackDone: null });
        go('deleted');
      } catch (error) {
        fail(error);
      }
    },
    async resume(code: string) {
      store.set({ busy: true, error: null });
      try {
        attach(await resumeConversation(await deps(), code));
      } catch (error) {
        const code = (error as { code?: string }).code;
        store.set({ busy: false, error: code === 'BadResumeCode' ? 'bad_resume_code' : code === 'not_found' || code === 'Tampered' ? 'resume_not_found' : errorCode(error) });
      }
    },
    async erase() {
      const c = store.get().conversation;
      if (c === null) return;
      store.set({ busy: true });
      try {
        await c.erase();
        store.set({ conversation: null });
        go('deleted');
      } catch (error) {
        fail(error);
      }
    },
    /** Leaves at once for a neutral site, drops what the widget kept, so Back does not return. */
    quickExit() {
      try {
        env.storage?.clear();
      } catch {
        // Nothing stored, or storage refused: nothing to clear.
      }
      store.get().conversation?.stop();
      if (!env.embedded) {
        // A top-level navigation through the server's /exit, whose answer makes the browser drop the
        // service origin's storage, cache and service workers (Clear-Site-Data, which Chromium
        // honours on navigations, not on a credential-less fetch) and redirects to the neutral site;
        // replace() keeps this page out of the history.
        win.location.replace(`${env.baseUrl}/exit`);
        return;
      }
      // The loader's host page leaves too. Its origin is unknown to this opaque-origin frame, hence
      // "*"; the message carries nothing but the request to leave.
      win.parent.postMessage({ type: 'utvag:quick-exit' }, '*');
      win.location.replace(env.exitUrl);
    },
  };
  return app;
}

function readPrefs(storage: Storage | null): { lang?: Lang; neutral?: boolean } {
  try {
    const raw = storage?.getItem(PREFS);
    if (raw === null || raw === undefined) return {};
    const parsed = JSON.parse(raw) as { lang?: unknown; neutral?: unknown };
    return { lang: isLang(parsed.lang) ? parsed.lang : undefined, neutral: parsed.neutral === true };
  } catch {
    return {};
  }
}
