// The responder's session: login (keys derived in the Worker, only the auth key sent), the unlocked
// keys and this tab's sealed chat archive, the idle lock and its expiry, logout, and the guard that
// turns a failed call into a notice or ends the session the server no longer knows. The other
// sub-stores read the keys from here; what they hold is started, sealed and dropped through `hooks`.
import { CryptoErrorCode, fromBase64url, isCryptoError } from '../../../crypto/api-sumo.js';
import { ApiRequestError } from '../../../contract/errors.js';
import type { ResponderKeys } from '../../../contract/rest.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import type { DeriveKeys } from '../crypto/password.js';
import type { Locale } from '../i18n/index.js';
import type { ChatArchive } from './chat-archive.js';
import { errorNotice } from './error-notice.js';
import type { Clock, Guard, Notice, Slice, Timers } from './ports.js';

export type Tab = 'work' | 'callbacks' | 'consents' | 'admin';

export interface Me {
  readonly id: string;
  readonly displayName: string;
  readonly teams: readonly string[];
  readonly roles: readonly string[];
}

export interface SessionState {
  readonly phase: 'login' | 'locked' | 'ready' | 'enrol';
  readonly locale: Locale;
  readonly tab: Tab;
  readonly me: Me | null;
  /** A sentence for the live region (key + vars). */
  readonly notice: Notice | null;
  readonly busy: boolean;
}

export interface SessionApi {
  loginParams(name: string): Promise<{ salt: string; opslimit: number; memlimit: number }>;
  /** Logs in with the derived auth key; the API client keeps the CSRF token. */
  login(name: string, authKey: Uint8Array, totp?: string): Promise<Me>;
  /** The responder's wrapped keys and certificates; ApiRequestError not_found before enrolment. */
  keyBundle(): Promise<ResponderKeys>;
  me(): Promise<unknown>;
  logout(): Promise<void>;
}

/** What the rest of the console does at the session's turns (console-store.ts wires them). */
export interface SessionHooks {
  /** Keys unlocked, phase ready: start the loops; after an unlock, bring the chats back. */
  started(how: 'login' | 'unlock'): void | Promise<void>;
  /** The keys are about to be wiped (lock, end): stop the loops, seal and drop every chat session. */
  wiping(): void;
  /** Locked: every decrypted text (chat lines, first messages, callbacks, consents) leaves the state. */
  locked(): void;
  /**
   * The session ended: every other slice back to empty. 'local' (logout, lock expired) also wipes
   * this tab's sealed chat copies; 'server' (expired, replaced by another tab) keeps them for the
   * next login here.
   */
  ended(how: 'local' | 'server'): void;
}

export interface SessionDeps {
  readonly state: Slice<SessionState>;
  readonly api: SessionApi;
  readonly derive: DeriveKeys;
  /** Pinned root public key; null: the console refuses to unlock keys. */
  readonly rootPublicKey: Uint8Array | null;
  /** Opens the wrapped keys and verifies their certificates against the root (crypto/keys.ts). */
  readonly unlockKeys: (bundle: ResponderKeys, wrapKey: Uint8Array, rootPublicKey: Uint8Array, now: Date) => Promise<UnlockedKeys>;
  readonly wipeKeys: (keys: UnlockedKeys) => void;
  /** This tab's chat archive, sealed under the keys' snapshot key. */
  readonly openArchive: (keys: UnlockedKeys) => Promise<ChatArchive>;
  /** Where input happens (keydown and pointerdown keep the session awake). */
  readonly input: Pick<EventTarget, 'addEventListener'>;
  readonly timers: Timers;
  readonly now: Clock;
  /** Lock after this long without input, ms. */
  readonly idleMs: number;
  /** A lock that lasts this long ends the session and wipes the chats' local copies, ms. */
  readonly lockWipeMs: number;
  readonly hooks: SessionHooks;
}

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(deps: SessionDeps) {
  const { state, api, hooks, timers } = deps;
  // Secrets: never in the rendered state.
  let keys: UnlockedKeys | null = null;
  let archive: ChatArchive | null = null;
  let login: { salt: Uint8Array; params: { opslimit: number; memlimit: number }; bundle: ResponderKeys } | null = null;
  let lockTimer: number | null = null;
  let idleTimer: number | null = null;
  let lastInput = deps.now();

  const activity = () => {
    lastInput = deps.now();
  };
  deps.input.addEventListener('keydown', activity, { passive: true });
  deps.input.addEventListener('pointerdown', activity, { passive: true });

  const open = async (bundle: ResponderKeys, wrapKey: Uint8Array) => {
    if (deps.rootPublicKey === null) throw new Error('no pinned root key');
    keys = await deps.unlockKeys(bundle, wrapKey, deps.rootPublicKey, new Date(deps.now()));
    archive = await deps.openArchive(keys);
  };

  const ready = async (how: 'login' | 'unlock') => {
    lastInput = deps.now();
    stopIdleWatch();
    idleTimer = timers.setInterval(() => {
      if (state.get().phase === 'ready' && deps.now() - lastInput > deps.idleMs) lock();
    }, 1000);
    await hooks.started(how);
  };
  const stopIdleWatch = () => {
    if (idleTimer !== null) timers.clearInterval(idleTimer);
    idleTimer = null;
  };
  const clearLockTimer = () => {
    if (lockTimer !== null) timers.clearTimeout(lockTimer);
    lockTimer = null;
  };

  /** Stops everything that runs and wipes the keys; the sealed copies stay. */
  const wipe = () => {
    stopIdleWatch();
    hooks.wiping();
    archive = null;
    if (keys !== null) deps.wipeKeys(keys);
    keys = null;
  };

  /** Ends the session here: keys, copies and decrypted texts gone; the login screen with `notice`. */
  const endLocally = (notice: Notice | null) => {
    wipe();
    hooks.ended('local');
    clearLockTimer();
    login = null;
    state.set({ phase: 'login', me: null, notice, busy: false });
  };

  const guard: Guard = async (work) => {
    try {
      return await work();
    } catch (error) {
      // The session ended, or a login in another tab of this browser replaced its cookie (then the
      // CSRF token of this tab no longer matches): log in again here.
      const replaced = error instanceof ApiRequestError && error.code === 'csrf_failed';
      if (error instanceof ApiRequestError && (error.status === 401 || replaced) && state.get().phase === 'ready') {
        wipe();
        hooks.ended('server');
        state.set({ phase: 'login', me: null, busy: false, notice: replaced ? { key: 'sessionReplaced' } : { key: 'sessionEnded' } });
        return undefined;
      }
      state.set({ notice: errorNotice(error) });
      return undefined;
    }
  };

  /**
   * The idle lock: keys wiped, and every decrypted text dropped from memory, not only from the
   * screen; the sealed copies bring them back on unlock. A lock that lasts lockWipeMs ends the
   * session and wipes those copies too.
   */
  const lock = () => {
    wipe();
    state.set({ phase: 'locked' });
    hooks.locked();
    clearLockTimer();
    lockTimer = timers.setTimeout(() => {
      void guard(() => api.logout()).finally(() => endLocally({ key: 'lockExpired' }));
    }, deps.lockWipeMs);
  };

  return {
    /** The unlocked keys; null while logged out or locked. */
    keys: (): UnlockedKeys | null => keys,
    /** This tab's sealed chat copies; null while logged out or locked. */
    archive: (): ChatArchive | null => archive,
    guard,
    lock,
    setLocale: (locale: Locale) => state.set({ locale }),
    setTab: (tab: Tab) => state.set({ tab }),
    clearNotice: () => state.set({ notice: null }),
    startEnrolment: () => state.set({ phase: 'enrol' }),
    endEnrolment: () => state.set({ phase: 'login' }),

    /** Derives the keys in the Worker, logs in with the auth key only, unlocks and verifies the keys. */
    async login(name: string, password: string, totp: string) {
      state.set({ busy: true, notice: null });
      try {
        const params = await api.loginParams(name);
        const salt = fromBase64url(params.salt);
        const derived = await deps.derive(password, salt, { opslimit: params.opslimit, memlimit: params.memlimit });
        let me: Me;
        try {
          me = await api.login(name, derived.authKey, totp === '' ? undefined : totp);
          derived.authKey.fill(0);
          let bundle: ResponderKeys;
          try {
            bundle = await api.keyBundle();
          } catch (error) {
            if (error instanceof ApiRequestError && error.code === 'not_found') {
              state.set({ notice: { key: 'errNoKeys' } });
              return;
            }
            throw error;
          }
          await open(bundle, derived.wrapKey);
          login = { salt, params: { opslimit: params.opslimit, memlimit: params.memlimit }, bundle };
        } finally {
          derived.authKey.fill(0);
          derived.wrapKey.fill(0);
        }
        state.set({ phase: 'ready', me, tab: 'work' });
        await ready('login');
      } catch (error) {
        state.set({ notice: errorNotice(error) });
      } finally {
        state.set({ busy: false });
      }
    },

    /** Unlocks after the idle lock: the password opens the wrapped keys again (nothing is sent). */
    async unlock(password: string) {
      state.set({ busy: true, notice: null });
      try {
        if (login === null) throw new Error('no login');
        const derived = await deps.derive(password, login.salt, login.params);
        try {
          await open(login.bundle, derived.wrapKey);
        } finally {
          derived.wrapKey.fill(0);
          derived.authKey.fill(0);
        }
        await api.me();
        clearLockTimer();
        state.set({ phase: 'ready' });
        await ready('unlock');
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 401) {
          endLocally(null);
          return;
        }
        state.set({ notice: isCryptoError(error, CryptoErrorCode.Tampered) ? { key: 'errLoginFailed' } : errorNotice(error) });
      } finally {
        state.set({ busy: false });
      }
    },

    /** Ends the session on the server and wipes every key and session from memory and this tab. */
    async logout() {
      await guard(() => api.logout());
      endLocally(null);
    },
  };
}
