// The console's state and actions: login and key unlock, duty and heartbeat, the queue (decrypted
// first messages), chats (one ChatEngine each), callbacks, consents, admin, idle lock and logout.
// Created once in main.tsx and handed to components through context. Secrets stay in this closure.
import {
  CryptoErrorCode,
  fromBase64url,
  isCryptoError,
  loadSumoSodium,
  openStateSnapshot,
  openLocalSecret,
  verifyResponderCert,
  type OpenedIntake,
  type VerifiedResponderCert,
} from '../../../crypto/console.js';
import { ApiRequestError, type Category, type LogEntry, type QueueItem, type createResponderApi } from '../../shared/api-client.js';
import type { DeriveKeys } from '../crypto/password.js';
import { unlockKeys, wipeKeys, type KeyBundle, type UnlockedKeys } from '../crypto/keys.js';
import type { Locale, MessageKey } from '../i18n/index.js';
import { createChatEngine, resumePskPurpose, type ChatEngine, type ChatPhase } from './chat-engine.js';
import { createChatArchive, wipeChatArchive, type ArchivedLine, type ChatArchive } from './chat-archive.js';
import { openSealedCallback, openSealedConsent, openSealedIntake } from './open-sealed.js';
import { createResponderSocket, type ResponderSocket, type ServerFrame } from './socket.js';

export type ResponderApi = ReturnType<typeof createResponderApi>;
/** Pages of the consent list read at most (CONSENT_PAGE_SIZE each on the server). */
const MAX_CONSENT_PAGES = 20;

export type Tab = 'work' | 'callbacks' | 'consents' | 'admin';

export interface Me {
  readonly id: string;
  readonly displayName: string;
  readonly teams: readonly string[];
  readonly roles: readonly string[];
}

export interface DutyTeam {
  readonly team: string;
  readonly name: string;
  readonly onDuty: boolean;
  readonly inHours: boolean;
  readonly colleaguesOnDuty: number;
  readonly waiting: number;
}
export interface DutyStatus {
  readonly teams: readonly DutyTeam[];
  readonly capacity: number;
  readonly load: number;
  readonly heartbeatMs?: number;
}

export interface QueueView {
  readonly id: string;
  readonly team: string;
  readonly category: Category;
  readonly language: string;
  readonly source: string;
  readonly danger: boolean;
  readonly waitingMs: number;
  /** Decrypted first message; null when there is none (a transfer) or it does not open. */
  readonly firstMessage: string | null;
  readonly transferred: boolean;
}

export type ChatLine = ArchivedLine;

export interface ChatView {
  readonly id: string;
  readonly team: string;
  readonly category: Category;
  readonly language: string;
  readonly source: string;
  readonly danger: boolean;
  /** 'elsewhere': another tab of this browser owns the conversation. */
  readonly phase: ChatPhase | 'elsewhere';
  readonly lines: readonly ChatLine[];
  readonly unread: number;
  readonly typing: boolean;
  readonly safetyCode: string | null;
}

export interface CallbackView {
  readonly id: string;
  readonly team: string;
  readonly language: string;
  readonly waitingMs: number;
  readonly attempts: number;
  readonly timeWindow: string | null;
  /** Shown only after this responder took it. */
  readonly revealed: { phone: string; note: string; verificationWord: string } | null;
}

export interface ConsentView {
  readonly id: string;
  readonly team: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly retentionDays: number;
  /** The decrypted identity, field by field (labels come from the catalogues), or null when it does not open. */
  readonly identity: ReadonlyArray<{ readonly field: string; readonly value: string }> | null;
  readonly version: string | null;
}

export interface Colleague {
  readonly id: string;
  readonly displayName: string;
  readonly teams: readonly string[];
  readonly cert: string;
  readonly onDuty: readonly string[];
}

export interface ConsoleState {
  readonly phase: 'login' | 'locked' | 'ready' | 'enrol';
  readonly locale: Locale;
  readonly tab: Tab;
  readonly me: Me | null;
  readonly duty: DutyStatus | null;
  readonly queue: readonly QueueView[];
  readonly chats: readonly ChatView[];
  readonly activeChat: string | null;
  readonly callbacks: readonly CallbackView[];
  readonly consents: readonly ConsentView[];
  readonly colleagues: { teams: ReadonlyArray<{ id: string; name: string; specialist: boolean }>; responders: readonly Colleague[] } | null;
  /** A sentence for the live region (key + vars). */
  readonly notice: { key: MessageKey; vars?: Record<string, string | number> } | null;
  readonly busy: boolean;
  readonly notify: boolean;
}

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

const INITIAL = {
  me: null,
  duty: null,
  queue: [],
  chats: [],
  activeChat: null,
  callbacks: [],
  consents: [],
  colleagues: null,
  notice: null,
  busy: false,
} satisfies Partial<ConsoleState>;

export type ConsoleStore = ReturnType<typeof createConsoleStore>;

export function createConsoleStore(deps: ConsoleDeps) {
  const win = deps.window;
  const { api } = deps;
  let state: ConsoleState = { ...INITIAL, phase: 'login', locale: deps.locale, tab: 'work', notify: false };
  const listeners = new Set<() => void>();
  const set = (patch: Partial<ConsoleState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l();
  };

  // Secrets and per-session machinery: never in the rendered state.
  let keys: UnlockedKeys | null = null;
  /** The sealed local copy of each chat (under a key derived from the password); null while locked. */
  let archive: ChatArchive | null = null;
  let lockTimer: number | null = null;
  let login: { name: string; salt: Uint8Array; params: { opslimit: number; memlimit: number }; bundle: KeyBundle } | null = null;
  const engines = new Map<string, ChatEngine>();
  const openedIntakes = new Map<string, OpenedIntake | null>();
  const seenQueue = new Set<string>();
  let socket: ResponderSocket | null = null;
  let timers: number[] = [];
  let lastInput = Date.now();

  const newCid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const errorNotice = (error: unknown): ConsoleState['notice'] => {
    if (error instanceof ApiRequestError) {
      if (error.code === 'login_failed') return { key: 'errLoginFailed' };
      if (error.code === 'totp_required') return { key: 'errTotpRequired' };
      if (error.code === 'login_locked' || error.code === 'rate_limited') return { key: 'errLocked', vars: { seconds: error.retryAfter ?? 60 } };
      if (error.code === 'already_claimed') return { key: 'claimed' };
      if (error.code === 'at_capacity') return { key: 'errAtCapacity' };
    }
    if (isCryptoError(error)) return { key: 'errKeys' };
    return { key: 'errGeneric' };
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      // The session ended, or a login in another tab of this browser replaced its cookie (then the
      // CSRF token of this tab no longer matches): log in again here.
      const replaced = error instanceof ApiRequestError && error.code === 'csrf_failed';
      if (error instanceof ApiRequestError && (error.status === 401 || replaced) && state.phase === 'ready') {
        await wipe();
        set({ ...INITIAL, phase: 'login', notice: replaced ? { key: 'sessionReplaced' } : { key: 'sessionEnded' } });
        return undefined;
      }
      set({ notice: errorNotice(error) });
      return undefined;
    }
  };

  // ---------------------------------------------------------------- chats
  const updateChat = (id: string, patch: (c: ChatView) => Partial<ChatView>) => {
    set({ chats: state.chats.map((c) => (c.id === id ? { ...c, ...patch(c) } : c)) });
  };
  const addLine = (id: string, line: ChatLine) =>
    updateChat(id, (c) => ({
      lines: c.lines.some((l) => l.key === line.key) ? c.lines : [...c.lines, line],
      unread: line.from === 'visitor' && state.activeChat !== id ? c.unread + 1 : c.unread,
      typing: line.from === 'visitor' ? false : c.typing,
    }));

  /** Seals the chat's session, resume psk, last id and transcript into this tab's archive. */
  const saveSnapshot = (id: string) => {
    const chat = state.chats.find((c) => c.id === id);
    if (archive === null || chat === undefined) return;
    const engine = engines.get(id);
    archive.save(id, { snap: engine?.snapshot() ?? null, psk: engine?.resumeSnapshot() ?? null, lastId: engine?.lastId ?? lastIds.get(id) ?? null, lines: chat.lines });
  };

  const startChat = (meta: Omit<ChatView, 'phase' | 'lines' | 'unread' | 'typing' | 'safetyCode'>, restoreFromSnapshot: boolean): ChatEngine => {
    const existing = engines.get(meta.id);
    if (existing !== undefined) return existing;
    if (keys === null) throw new Error('locked');
    let restored = null;
    let restoredPsk: Uint8Array | null = null;
    let after: string | null = null;
    const stored = restoreFromSnapshot ? (archive?.load(meta.id) ?? null) : null;
    if (stored !== null && stored.snap !== null) {
      try {
        restored = openStateSnapshot(keys.snapshotKey, fromBase64url(stored.snap));
        if (stored.psk !== null) restoredPsk = openLocalSecret(keys.snapshotKey, resumePskPurpose(meta.id), fromBase64url(stored.psk));
        after = stored.lastId;
      } catch {
        restored = null;
      }
    }
    const engine = createChatEngine(
      {
        id: meta.id,
        team: meta.team,
        keys,
        post: (envelope) => api.post(meta.id, envelope),
        now: () => new Date(),
        newCid,
        emit: (event) => {
          if (event.type === 'text') addLine(meta.id, event);
          else if (event.type === 'phase') updateChat(meta.id, () => ({ phase: event.phase }));
          else if (event.type === 'safety') updateChat(meta.id, () => ({ safetyCode: event.code }));
          else if (event.type === 'resume-ready') {
            // Nothing to show; saved below so a reloaded tab can still answer a resume request.
          } else if (event.type === 'visitor-closed') addLine(meta.id, { key: `closed-${Date.now()}`, from: 'system', text: 'visitorClosed', at: Date.now() });
          else addLine(meta.id, { key: `tampered-${Date.now()}`, from: 'system', text: 'tampered', at: Date.now() });
          saveSnapshot(meta.id);
        },
      },
      restored,
      restoredPsk,
    );
    engines.set(meta.id, engine);
    if (!state.chats.some((c) => c.id === meta.id)) {
      set({ chats: [...state.chats, { ...meta, phase: engine.phase, lines: stored?.lines ?? [], unread: 0, typing: false, safetyCode: engine.safetyCode }] });
    }
    // A restored session continues after its last id; otherwise the whole log is replayed.
    lastIds.set(meta.id, after);
    return engine;
  };
  const lastIds = new Map<string, string | null>();

  /**
   * One tab owns a conversation at a time (Web Locks): a second tab would answer the same intake or
   * request twice. Resolves true when this tab holds the lock (or the browser has no Web Locks).
   */
  const tabLocks = new Map<string, () => void>();
  const ownInThisTab = (id: string): Promise<boolean> => {
    const locks = (win.navigator as Navigator & { locks?: LockManager }).locks;
    if (locks === undefined || tabLocks.has(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      void locks.request(`utvag-conversation-${id}`, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => tabLocks.set(id, release));
      });
    });
  };
  const releaseTab = (id: string) => {
    tabLocks.get(id)?.();
    tabLocks.delete(id);
  };
  /** Subscribes `id` if this tab may own it; otherwise marks the chat as open in another tab. */
  const follow = async (id: string, after: string | null) => {
    if (await ownInThisTab(id)) socket?.subscribe(id, after);
    else updateChat(id, () => ({ phase: 'elsewhere' }));
  };

  const onFrame = (frame: ServerFrame) => {
    if (!('c' in frame) || frame.c === undefined) return;
    const id = frame.c;
    const engine = engines.get(id);
    if (engine === undefined) return;
    switch (frame.t) {
      case 'msg':
        lastIds.set(id, frame.e.id);
        void engine.onEntry(frame.e).then(() => saveSnapshot(id));
        return;
      case 'subscribed':
        void engine.replayed().then(() => saveSnapshot(id));
        return;
      case 'typing':
        if (frame.from === 'visitor') {
          updateChat(id, () => ({ typing: true }));
          win.setTimeout(() => updateChat(id, () => ({ typing: false })), 4000);
        }
        return;
      case 'state':
        if (frame.status === 'closed') engine.ended();
        return;
      case 'erased':
        engine.ended();
        addLine(id, { key: `erased-${Date.now()}`, from: 'system', text: 'erased', at: Date.now() });
        return;
      case 'unsubscribed':
        if (engine.phase !== 'transferred' && engine.phase !== 'closed') engine.accessEnded();
        return;
      default:
        return;
    }
  };

  // ---------------------------------------------------------------- queue
  const openQueueItem = (item: QueueItem): { first: string | null; opened: OpenedIntake | null } => {
    if (keys === null || item.intake === null || item.intake.kind !== 'intake') return { first: null, opened: null };
    try {
      const opened = openSealedIntake(keys.inbox, item.id, item.intake.body, item.team);
      return { first: opened.text, opened };
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return { first: null, opened: null };
    }
  };

  const refreshQueue = async () => {
    const { items } = await api.queue();
    const fresh: QueueView[] = [];
    let arrived = false;
    for (const item of items) {
      if (item.category === 'callback') continue;
      if (!openedIntakes.has(item.id)) openedIntakes.set(item.id, openQueueItem(item).opened);
      const opened = openedIntakes.get(item.id) ?? null;
      if (!seenQueue.has(item.id)) {
        seenQueue.add(item.id);
        arrived = true;
      }
      fresh.push({ ...item, firstMessage: opened?.text ?? null, transferred: (item.session ?? 0) > 0 });
    }
    for (const id of openedIntakes.keys()) if (!items.some((i) => i.id === id)) openedIntakes.delete(id);
    set({ queue: fresh });
    if (arrived && state.notify) alertNewArrival();
  };

  const alertNewArrival = () => {
    try {
      const AudioCtx = (win as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
      if (AudioCtx !== undefined) {
        const ctx = new AudioCtx();
        const osc = ctx.createOscillator();
        osc.frequency.value = 660;
        osc.connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.2);
      }
      const N = (win as unknown as { Notification?: typeof Notification }).Notification;
      if (N !== undefined && N.permission === 'granted') new N('Utväg', { body: 'Ny kontakt väntar', tag: 'utvag-queue' });
    } catch {
      // Sound and notifications are a courtesy; the queue list shows the arrival anyway.
    }
  };

  const refreshAssigned = async () => {
    const { items } = await api.call<{ items: Array<{ id: string; team: string; category: Category; language: string; source: string; danger: boolean }> }>('GET', '/api/v1/responder/assigned');
    for (const item of items) {
      // Callbacks held by this responder live on the callbacks screen, not as chats.
      if (item.category === 'callback' || engines.has(item.id) || keys === null) continue;
      const { id, team, category, language, source, danger } = item;
      startChat({ id, team, category, language, source, danger }, true);
      await follow(item.id, lastIds.get(item.id) ?? null);
    }
  };

  const refreshDuty = async () => set({ duty: await api.call<DutyStatus>('GET', '/api/v1/responder/duty') });

  const refreshCallbacks = async () => {
    const { items } = await api.call<{ items: Array<{ id: string; team: string; language: string; waitingMs: number; attempts: number; intake: LogEntry | null }> }>('GET', '/api/v1/responder/callbacks');
    const held = state.callbacks.filter((c) => c.revealed !== null && !items.some((i) => i.id === c.id));
    const views: CallbackView[] = items.map((i) => {
      let timeWindow: string | null = null;
      if (keys !== null && i.intake !== null) {
        try {
          timeWindow = openSealedCallback(keys.inbox, i.id, i.intake.body).callback.timeWindow;
        } catch (error) {
          if (!isCryptoError(error)) throw error;
        }
      }
      return { id: i.id, team: i.team, language: i.language, waitingMs: i.waitingMs, attempts: i.attempts, timeWindow, revealed: null };
    });
    set({ callbacks: [...held, ...views] });
  };

  const poll = async () => {
    if (state.phase !== 'ready') return;
    await guard(async () => {
      await refreshDuty();
      await refreshQueue();
      await refreshAssigned();
      if (state.tab === 'callbacks') await refreshCallbacks();
    });
  };

  const heartbeat = async () => {
    if (state.phase !== 'ready' || !(state.duty?.teams.some((t) => t.onDuty) ?? false)) return;
    await guard(() => api.heartbeat());
  };

  const startLoops = () => {
    stopLoops();
    socket = createResponderSocket(win, onFrame, (id) => lastIds.get(id) ?? null);
    void poll();
    timers.push(win.setInterval(() => void poll(), 2000));
    let lastBeat = 0;
    timers.push(
      win.setInterval(() => {
        if (Date.now() - lastBeat < (state.duty?.heartbeatMs ?? 10_000)) return;
        lastBeat = Date.now();
        void heartbeat();
      }, 500),
    );
    timers.push(
      win.setInterval(() => {
        if (state.phase === 'ready' && Date.now() - lastInput > deps.idleMs) lock();
      }, 1000),
    );
  };
  const stopLoops = () => {
    for (const t of timers) win.clearInterval(t);
    timers = [];
    socket?.close();
    socket = null;
  };

  const activity = () => {
    lastInput = Date.now();
  };
  win.addEventListener('keydown', activity, { passive: true });
  win.addEventListener('pointerdown', activity, { passive: true });

  const wipe = async () => {
    stopLoops();
    for (const c of state.chats) saveSnapshot(c.id);
    archive = null;
    engines.clear();
    for (const id of [...tabLocks.keys()]) releaseTab(id);
    lastIds.clear();
    openedIntakes.clear();
    if (keys !== null) wipeKeys(keys);
    keys = null;
  };

  const unlockWith = async (password: string) => {
    if (login === null) throw new Error('no login');
    if (deps.rootPublicKey === null) throw new Error('no pinned root key');
    const derived = await deps.derive(password, login.salt, login.params);
    try {
      keys = await unlockKeys(login.bundle, derived.wrapKey, deps.rootPublicKey, new Date());
      archive = createChatArchive({ storage: win.sessionStorage, sodium: await loadSumoSodium(), key: keys.snapshotKey });
    } finally {
      derived.wrapKey.fill(0);
      derived.authKey.fill(0);
    }
  };

  /** Ends the local session: every key, copy and decrypted text gone; the login screen with `notice`. */
  const endLocally = async (notice: ConsoleState['notice']) => {
    await wipe();
    wipeChatArchive(win.sessionStorage);
    clearLockTimer();
    login = null;
    seenQueue.clear();
    set({ ...INITIAL, phase: 'login', notice });
  };
  const clearLockTimer = () => {
    if (lockTimer !== null) win.clearTimeout(lockTimer);
    lockTimer = null;
  };

  /**
   * The idle lock: keys wiped, and every decrypted text (chat lines, first messages, callback numbers,
   * consents) dropped from memory, not only from the screen; the sealed copies bring them back on
   * unlock. A lock that lasts lockWipeMs ends the session and wipes those copies too.
   */
  const lock = () => {
    void wipe();
    set({
      phase: 'locked',
      chats: state.chats.map((c) => ({ ...c, lines: [], typing: false })),
      queue: [],
      callbacks: [],
      consents: [],
    });
    clearLockTimer();
    lockTimer = win.setTimeout(() => {
      void guard(() => api.logout()).finally(() => void endLocally({ key: 'lockExpired' }));
    }, deps.lockWipeMs ?? 30 * 60_000);
  };

  // ---------------------------------------------------------------- actions
  return {
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setLocale: (locale: Locale) => set({ locale }),
    setTab(tab: Tab) {
      set({ tab });
      if (tab === 'callbacks') void guard(refreshCallbacks);
      if (tab === 'consents') void guard(loadConsents);
    },
    clearNotice: () => set({ notice: null }),
    startEnrolment: () => set({ phase: 'enrol' }),
    endEnrolment: () => set({ phase: 'login' }),

    /** Derives the keys in the Worker, logs in with the auth key only, unlocks and verifies the keys. */
    async login(name: string, password: string, totp: string) {
      set({ busy: true, notice: null });
      try {
        const params = await api.loginParams(name);
        const salt = fromBase64url(params.salt);
        const derived = await deps.derive(password, salt, { opslimit: params.opslimit, memlimit: params.memlimit });
        let me: Me;
        try {
          me = await api.login(name, derived.authKey, totp === '' ? undefined : totp);
        } finally {
          derived.authKey.fill(0);
        }
        let bundle: KeyBundle;
        try {
          bundle = await api.call<KeyBundle>('GET', '/api/v1/responder/keys');
        } catch (error) {
          derived.wrapKey.fill(0);
          if (error instanceof ApiRequestError && error.code === 'not_found') {
            set({ notice: { key: 'errNoKeys' } });
            return;
          }
          throw error;
        }
        if (deps.rootPublicKey === null) throw new Error('no pinned root key');
        try {
          keys = await unlockKeys(bundle, derived.wrapKey, deps.rootPublicKey, new Date());
          archive = createChatArchive({ storage: win.sessionStorage, sodium: await loadSumoSodium(), key: keys.snapshotKey });
        } finally {
          derived.wrapKey.fill(0);
        }
        login = { name, salt, params: { opslimit: params.opslimit, memlimit: params.memlimit }, bundle };
        lastInput = Date.now();
        set({ phase: 'ready', me, tab: 'work' });
        startLoops();
      } catch (error) {
        set({ notice: errorNotice(error) });
      } finally {
        set({ busy: false });
      }
    },

    /** Unlocks after the idle lock: the password opens the wrapped keys again (nothing is sent). */
    async unlock(password: string) {
      set({ busy: true, notice: null });
      try {
        await unlockWith(password);
        await api.me();
        lastInput = Date.now();
        clearLockTimer();
        const chats = state.chats;
        set({ phase: 'ready', chats: [] });
        startLoops();
        for (const c of chats) {
          if (c.phase === 'closed' || c.phase === 'transferred' || c.phase === 'lost') {
            // No session to run: its transcript only, from the sealed copy.
            set({ chats: [...state.chats, { ...c, lines: archive?.load(c.id)?.lines ?? [] }] });
            continue;
          }
          startChat(c, true);
          updateChat(c.id, () => ({ unread: c.unread }));
          await follow(c.id, lastIds.get(c.id) ?? null);
        }
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 401) {
          await endLocally(null);
          return;
        }
        set({ notice: isCryptoError(error, CryptoErrorCode.Tampered) ? { key: 'errLoginFailed' } : errorNotice(error) });
      } finally {
        set({ busy: false });
      }
    },
    lock,

    /** Ends the session on the server and wipes every key and session from memory and this tab. */
    async logout() {
      await guard(() => api.logout());
      await endLocally(null);
    },

    async setDuty(team: string, onDuty: boolean, capacity?: number) {
      await guard(async () => {
        await api.call('POST', '/api/v1/responder/duty', { team, onDuty, ...(capacity === undefined ? {} : { capacity }) });
        await refreshDuty();
        await refreshQueue();
      });
    },

    async setNotify(on: boolean) {
      if (on) {
        const N = (win as unknown as { Notification?: typeof Notification }).Notification;
        if (N !== undefined && N.permission === 'default') await N.requestPermission().catch(() => 'denied');
      }
      set({ notify: on });
    },

    /**
     * Claims a waiting conversation. The handshake follows from the replayed log: the intake is
     * answered (session 1), or a colleague's handoff waits for the visitor's session request.
     */
    async claim(id: string) {
      const item = state.queue.find((q) => q.id === id);
      if (item === undefined || keys === null) return;
      await guard(async () => {
        await api.claim(id);
        const { team, category, language, source, danger } = item;
        startChat({ id, team, category, language, source, danger }, false);
        set({ activeChat: id, queue: state.queue.filter((q) => q.id !== id) });
        await follow(id, null);
      });
    },

    openChat(id: string) {
      set({ activeChat: id });
      updateChat(id, () => ({ unread: 0 }));
    },

    async send(id: string, text: string) {
      const engine = engines.get(id);
      if (engine === undefined || text.trim() === '') return false;
      const ok = await guard(async () => {
        await engine.send(text);
        return true;
      });
      return ok === true;
    },

    typing(id: string) {
      socket?.typing(id);
    },

    async loadColleagues() {
      await guard(async () => set({ colleagues: await api.call('GET', '/api/v1/responder/colleagues') }));
    },

    /** Transfer to a colleague (pinned) or to every certified member of a team, then move it on the server. */
    async transfer(id: string, target: { toResponder: string } | { toTeam: string } | { threat: true }) {
      const engine = engines.get(id);
      const chat = state.chats.find((c) => c.id === id);
      if (engine === undefined || chat === undefined || keys === null) return;
      // Fresh: who is certified now (a colleague may have joined or been revoked since the list loaded).
      const colleagues = await guard(() => api.call<NonNullable<ConsoleState['colleagues']>>('GET', '/api/v1/responder/colleagues'));
      if (colleagues === undefined) return;
      set({ colleagues });
      const now = new Date();
      const team = 'toTeam' in target ? target.toTeam : 'threat' in target ? (colleagues.teams.find((t) => t.specialist)?.id ?? null) : null;
      const candidates = colleagues.responders.filter((r) =>
        'toResponder' in target ? r.id === target.toResponder : r.id !== state.me?.id && team !== null && r.teams.includes(team),
      );
      const certs: VerifiedResponderCert[] = [];
      for (const r of candidates) {
        try {
          // The next responder must be certified for the conversation's own team (the visitor checks it).
          certs.push(verifyResponderCert(keys.anchor, fromBase64url(r.cert), { now, team: chat.team, role: 'responder' }));
        } catch (error) {
          if (!isCryptoError(error)) throw error;
        }
      }
      await guard(async () => {
        if (certs.length === 0) throw new Error('no certified recipient');
        await engine.announceTransfer(certs);
        if ('threat' in target) await api.call('POST', `/api/v1/responder/conversations/${id}/threat`);
        else await api.transfer(id, target);
        engine.handedOver();
        socket?.unsubscribe(id);
        saveSnapshot(id);
      });
    },

    async close(id: string, outcome: string) {
      const engine = engines.get(id);
      if (engine === undefined) return;
      await guard(async () => {
        await engine.close();
        await api.close(id, outcome);
        socket?.unsubscribe(id);
        saveSnapshot(id);
      });
    },

    dismissChat(id: string) {
      archive?.remove(id);
      engines.delete(id);
      releaseTab(id);
      set({ chats: state.chats.filter((c) => c.id !== id), activeChat: state.activeChat === id ? null : state.activeChat });
    },

    // ------------------------------------------------------------ callbacks
    refreshCallbacks: () => guard(refreshCallbacks),
    async revealCallback(id: string) {
      await guard(async () => {
        const { items } = await api.call<{ items: Array<{ id: string; intake: LogEntry | null }> }>('GET', '/api/v1/responder/callbacks');
        const intake = items.find((i) => i.id === id)?.intake ?? null;
        await api.claim(id);
        if (intake === null || keys === null) return;
        const { callback } = openSealedCallback(keys.inbox, id, intake.body);
        set({ callbacks: state.callbacks.map((c) => (c.id === id ? { ...c, timeWindow: callback.timeWindow, revealed: { phone: callback.phone, note: callback.note, verificationWord: callback.verificationWord } } : c)) });
      });
    },
    async callbackDone(id: string) {
      await guard(async () => {
        await api.call('POST', `/api/v1/responder/callbacks/${id}/done`);
        set({ callbacks: state.callbacks.filter((c) => c.id !== id) });
      });
    },
    async callbackNotReached(id: string) {
      await guard(async () => {
        await api.call('POST', `/api/v1/responder/callbacks/${id}/not-reached`);
        set({ callbacks: state.callbacks.filter((c) => c.id !== id) });
        await refreshCallbacks();
      });
    },

    // ------------------------------------------------------------ consents
    async deleteConsent(id: string) {
      await guard(async () => {
        await api.call('DELETE', `/api/v1/responder/consents/${id}`);
        set({ consents: state.consents.filter((c) => c.id !== id) });
      });
    },
    async consentCopied(id: string) {
      await guard(() => api.call('POST', '/api/v1/responder/audit/consent', { consents: [id], action: 'copy' }));
    },

    // ------------------------------------------------------------ admin
    api,
    derive: deps.derive,
    rootPublicKey: deps.rootPublicKey,
  };

  async function loadConsents() {
    // The server hands the list out a page at a time (and audits each consent it hands out as viewed).
    type Page = { items: Array<{ id: string; team: string; sealed: string; retentionDays: number; createdAt: number; expiresAt: number }>; next: string | null };
    const items: Page['items'] = [];
    for (let cursor: string | null = null, pages = 0; pages < MAX_CONSENT_PAGES; pages += 1) {
      const page: Page = await api.call<Page>('GET', `/api/v1/responder/consents${cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`}`);
      items.push(...page.items);
      cursor = page.next;
      if (cursor === null) break;
    }
    const views: ConsentView[] = items.map((i) => {
      let identity: ConsentView['identity'] = null;
      let version: string | null = null;
      if (keys !== null) {
        try {
          const text = openSealedConsent(keys.inbox, i.sealed).text;
          identity = [{ field: 'text', value: text }];
          try {
            // The widget seals {v, conversation, name, phone, retentionDays}: show who, keep the version.
            const parsed = JSON.parse(text) as Record<string, unknown>;
            const v = parsed.v ?? parsed.consentVersion;
            version = typeof v === 'string' || typeof v === 'number' ? String(v) : null;
            identity = Object.entries(parsed)
              .filter(([k]) => !['v', 'consentVersion', 'conversation', 'retentionDays'].includes(k))
              .map(([k, v]) => ({ field: k, value: String(v) }));
          } catch {
            // Plain text identity.
          }
        } catch (error) {
          if (!isCryptoError(error)) throw error;
        }
      }
      return { id: i.id, team: i.team, createdAt: i.createdAt, expiresAt: i.expiresAt, retentionDays: i.retentionDays, identity, version };
    });
    set({ consents: views });
  }
}

