// The console's state and actions, composed from one sub-store per idea: session (login, keys, idle
// lock), duty, queue, chats, callbacks, consents and admin. This file only wires them: one shared
// state the screens render, the ports each sub-store is given, the lists kept current (pushed over the
// socket, read every 2 s only while it is down: live-lists.ts), and what happens to
// each at the session's turns. Created once in main.tsx and handed to components through context.
import { loadSumoSodium, toBase64url } from '../../../crypto/api-sumo.js';
import { createStore } from '../../shared/store.js';
import { unlockKeys, wipeKeys } from '../crypto/keys.js';
import type { DeriveKeys } from '../crypto/password.js';
import { translator, type Locale } from '../i18n/index.js';
import { createAdminStore } from './admin-store.js';
import { createArrivalAlert } from './arrival-alert.js';
import { createCallbacksStore, type CallbacksState } from './callbacks-store.js';
import { createChatArchive, wipeChatArchive } from './chat-archive.js';
import { restoreChatEngine } from './chat-engine.js';
import { createChatsStore, type ChatsState, type TransferTarget } from './chats-store.js';
import { createConsentsStore, type ConsentsState } from './consents-store.js';
import { createConsoleApi, type ResponderApi } from './console-api.js';
import { createDutyStore, type DutyState } from './duty-store.js';
import { createQueueStore, type QueueState } from './queue-store.js';
import { createNotesStore } from './notes-store.js';
import { createSessionStore, type SessionState, type Tab } from './session-store.js';
import { createLiveLists } from './live-lists.js';
import { createResponderSocket } from './socket.js';
import { createTabLocks } from './tab-locks.js';

export type { CallbackItem, CallbackLists, CallbackNumber } from './callbacks-store.js';
export type { ChatLine, ChatView, Colleague } from './chats-store.js';
export type { ConsentView } from './consents-store.js';
export type { ResponderApi } from './console-api.js';
export type { DutyStatus, DutyTeam } from './duty-store.js';
export type { QueueView } from './queue-store.js';
export type { Me, Tab } from './session-store.js';

/** Everything the screens render: each sub-store's slice. */
export type ConsoleState = SessionState & DutyState & QueueState & ChatsState & CallbacksState & ConsentsState;

export interface ConsoleDeps {
  readonly window: Window;
  readonly api: ResponderApi;
  readonly derive: DeriveKeys;
  /** Pinned root public key (from the page); null: the console refuses to unlock keys. */
  readonly rootPublicKey: Uint8Array | null;
  /** Lock after this long without input, ms. */
  readonly idleMs: number;
  /** A lock that lasts this long ends the session and wipes the chats' local copies, ms (default 30 min). */
  readonly lockWipeMs?: number;
  readonly locale: Locale;
}

/** How often the console reads duty, queue, assignments (and callbacks on their tab) while its socket is down, ms. */
const POLL_MS = 2000;

export type ConsoleStore = ReturnType<typeof createConsoleStore>;

export function createConsoleStore(deps: ConsoleDeps) {
  const win = deps.window;
  const api = createConsoleApi(deps.api);
  const now = () => Date.now();
  const store = createStore<ConsoleState>({
    phase: 'login',
    locale: deps.locale,
    tab: 'work',
    me: null,
    notice: null,
    busy: false,
    duty: null,
    queue: [],
    // Alerts are on unless this browser's responder turned them off (a preference, not a secret).
    notify: readAlertsPreference(win),
    chats: [],
    activeChat: null,
    colleagues: null,
    callbacks: null,
    callbackNumbers: {},
    consents: [],
  });
  const state = { get: store.get, set: (patch: Partial<ConsoleState>) => store.set(patch) };

  const session = createSessionStore({
    state,
    api,
    derive: deps.derive,
    rootPublicKey: deps.rootPublicKey,
    unlockKeys,
    wipeKeys,
    openArchive: async (keys) => createChatArchive({ storage: win.sessionStorage, sodium: await loadSumoSodium(), key: keys.snapshotKey }),
    input: win,
    timers: win,
    now,
    idleMs: deps.idleMs,
    lockWipeMs: deps.lockWipeMs ?? 30 * 60_000,
    hooks: {
      async started(how) {
        if (how === 'login') {
          startLoops();
          // After the first login alerts are on: ask the browser once whether it may notify.
          if (store.get().notify) void arrivalAlert.permit();
          return;
        }
        const previous = chats.detach();
        startLoops();
        await chats.restore(previous);
      },
      wiping() {
        stopLoops();
        chats.wipe();
        queue.wipe();
      },
      locked() {
        chats.hideLines();
        queue.wipe();
        callbacks.clear();
        consents.clear();
      },
      ended(how) {
        if (how === 'local') {
          wipeChatArchive(win.sessionStorage);
          queue.forget();
        } else queue.wipe();
        duty.reset();
        chats.reset();
        callbacks.clear();
        consents.clear();
      },
    },
  });
  const { guard } = session;
  const inbox = () => session.keys()?.inbox ?? null;
  const isReady = () => store.get().phase === 'ready';

  const arrivalAlert = createArrivalAlert(win, () => translator(store.get().locale)('notifyArrival'));
  // A new message: the fixed sentence "Nytt meddelande", never its text (a notification can show on a locked screen).
  const messageAlert = createArrivalAlert(win, () => translator(store.get().locale)('alertNewMessage'), 'utvag-message');
  const queue = createQueueStore({ state, api, inbox, alert: arrivalAlert });
  const duty = createDutyStore({ state, api, guard, timers: win, now, isReady, changed: () => queue.refresh() });
  const chats = createChatsStore({
    state,
    api,
    keys: session.keys,
    archive: session.archive,
    myId: () => store.get().me?.id ?? null,
    // Team frames say which list changed; the rest is the chats'.
    connect: (onFrame, lastIdOf) =>
      createResponderSocket(
        win,
        (frame) => (frame.t === 'team' ? void lists.pushed(frame.ev) : onFrame(frame)),
        lastIdOf,
        (up) => lists.status(up),
      ),
    tabs: createTabLocks(win.navigator),
    startEngine: (engine, stored) =>
      restoreChatEngine({ ...engine, now: () => new Date(now()), newCid: () => toBase64url(crypto.getRandomValues(new Uint8Array(16))) }, stored),
    guard,
    timers: win,
    now,
    claimed: (id) => queue.remove(id),
    hidden: () => win.document.visibilityState === 'hidden',
    visitorText: (_id, unseen) => {
      if (unseen && store.get().notify) messageAlert.ring();
    },
  });
  // Back on the tab: the open chat's texts have been seen now.
  win.document.addEventListener('visibilitychange', () => {
    const active = store.get().activeChat;
    if (win.document.visibilityState === 'visible' && active !== null) chats.openChat(active);
  });
  const notes = createNotesStore({ api: deps.api, keys: session.keys, colleagues: () => store.get().colleagues?.responders ?? [], now: () => new Date(now()) });
  const callbacks = createCallbacksStore({ state, api, keys: session.keys, guard, now });
  const consents = createConsentsStore({ state, api, inbox, guard });
  const admin = createAdminStore({ api: deps.api });

  const whenReady = (read: () => Promise<unknown>) => async () => {
    if (isReady()) await guard(read);
  };
  const lists = createLiveLists({
    timers: win,
    pollMs: POLL_MS,
    all: whenReady(async () => {
      await duty.refresh();
      await queue.refresh();
      await chats.refreshAssigned();
      if (store.get().tab === 'callbacks') await callbacks.refresh();
    }),
    read: {
      // The duty panel shows how many wait; a claim or transfer may be this responder's own.
      queue: whenReady(async () => {
        await queue.refresh();
        await chats.refreshAssigned();
        await duty.refresh();
      }),
      callbacks: whenReady(async () => {
        if (store.get().tab === 'callbacks') await callbacks.refresh();
        await duty.refresh();
      }),
      duty: whenReady(() => duty.refresh()),
    },
  });
  const startLoops = () => {
    stopLoops();
    chats.connect();
    lists.start();
    duty.startHeartbeat();
  };
  const stopLoops = () => {
    lists.stop();
    duty.stopHeartbeat();
    chats.disconnect();
  };

  return {
    getState: store.get,
    subscribe: store.subscribe,

    // session
    setLocale: session.setLocale,
    setTab(tab: Tab) {
      session.setTab(tab);
      if (tab === 'callbacks') void guard(callbacks.refresh);
      if (tab === 'consents') void guard(consents.load);
    },
    clearNotice: session.clearNotice,
    startEnrolment: session.startEnrolment,
    endEnrolment: session.endEnrolment,
    login: session.login,
    unlock: session.unlock,
    lock: session.lock,
    logout: session.logout,

    // duty and queue
    setDuty: duty.setDuty,
    async setNotify(on: boolean) {
      writeAlertsPreference(win, on);
      await queue.setNotify(on);
    },

    // chats
    async claim(id: string) {
      const item = queue.find(id);
      // Gone from the queue between the card showing and the click (a colleague's claim was pushed
      // first): the same sentence as a claim the server refuses.
      if (item === undefined) return state.set({ notice: { key: 'claimed' } });
      await chats.claim(item);
    },
    openChat: chats.openChat,
    send: chats.send,
    typing: chats.typing,
    loadColleagues: chats.loadColleagues,
    transfer: (id: string, target: TransferTarget) => chats.transfer(id, target),
    offerHandover: chats.offerHandover,
    close: chats.close,
    dismissChat: chats.dismiss,
    loadNotes: notes.load,
    addNote: notes.add,

    // callbacks
    refreshCallbacks: () => guard(callbacks.refresh),
    takeCallback: callbacks.take,
    revealCallback: callbacks.reveal,
    callbackDone: callbacks.done,
    callbackNotReached: callbacks.notReached,

    // consents
    deleteConsent: consents.remove,
    consentCopied: consents.copied,

    // admin
    api: admin.api,
    mayAdminister: admin.mayAdminister,
  };
}

const ALERTS_KEY = 'utvag.console.alerts';

/** Alerts are on by default; 'off' only after the responder turned them off in this browser. */
function readAlertsPreference(win: Window): boolean {
  try {
    return win.localStorage.getItem(ALERTS_KEY) !== 'off';
  } catch {
    return true;
  }
}

function writeAlertsPreference(win: Window, on: boolean): void {
  try {
    win.localStorage.setItem(ALERTS_KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (private mode): the choice lasts for this page.
  }
}
