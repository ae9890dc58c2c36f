// Callback requests: the list (each request's time window opened with the team inbox keys), taking
// one (which reveals its number, note and verification word to this responder only), and its outcome.
import { isCryptoError } from '../../../crypto/console.js';
import type { LogEntry } from '../../shared/api-client.js';
import { openSealedCallback, type InboxKeys } from './open-sealed.js';
import type { Guard, Slice } from './ports.js';

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

export interface CallbacksState {
  readonly callbacks: readonly CallbackView[];
}

export interface CallbackItem {
  readonly id: string;
  readonly team: string;
  readonly language: string;
  readonly waitingMs: number;
  readonly attempts: number;
  /** The sealed request, null when the log holds none. */
  readonly intake: LogEntry | null;
}

export interface CallbacksApi {
  callbacks(): Promise<{ items: readonly CallbackItem[] }>;
  claim(id: string): Promise<unknown>;
  callbackDone(id: string): Promise<unknown>;
  callbackNotReached(id: string): Promise<unknown>;
}

export interface CallbacksDeps {
  readonly state: Slice<CallbacksState>;
  readonly api: CallbacksApi;
  /** The responder's team inbox keys; null while locked. */
  readonly inbox: () => InboxKeys | null;
  readonly guard: Guard;
}

export type CallbacksStore = ReturnType<typeof createCallbacksStore>;

export function createCallbacksStore(deps: CallbacksDeps) {
  const { state, api, guard } = deps;

  /** Reads the list; a request taken here stays shown. Throws the API's error (the caller guards). */
  const refresh = async () => {
    const { items } = await api.callbacks();
    const inbox = deps.inbox();
    const held = state.get().callbacks.filter((c) => c.revealed !== null && !items.some((i) => i.id === c.id));
    const views: CallbackView[] = items.map((i) => {
      let timeWindow: string | null = null;
      if (inbox !== null && i.intake !== null) {
        try {
          timeWindow = openSealedCallback(inbox, i.id, i.intake.body).callback.timeWindow;
        } catch (error) {
          if (!isCryptoError(error)) throw error;
        }
      }
      return { id: i.id, team: i.team, language: i.language, waitingMs: i.waitingMs, attempts: i.attempts, timeWindow, revealed: null };
    });
    state.set({ callbacks: [...held, ...views] });
  };

  const drop = (id: string) => state.set({ callbacks: state.get().callbacks.filter((c) => c.id !== id) });

  return {
    refresh,

    /** Takes the request and opens it: number, note and verification word, for this responder only. */
    async reveal(id: string) {
      await guard(async () => {
        const { items } = await api.callbacks();
        const intake = items.find((i) => i.id === id)?.intake ?? null;
        await api.claim(id);
        const inbox = deps.inbox();
        if (intake === null || inbox === null) return;
        const { callback } = openSealedCallback(inbox, id, intake.body);
        const { phone, note, verificationWord, timeWindow } = callback;
        state.set({ callbacks: state.get().callbacks.map((c) => (c.id === id ? { ...c, timeWindow, revealed: { phone, note, verificationWord } } : c)) });
      });
    },

    async done(id: string) {
      await guard(async () => {
        await api.callbackDone(id);
        drop(id);
      });
    },

    async notReached(id: string) {
      await guard(async () => {
        await api.callbackNotReached(id);
        drop(id);
        await refresh();
      });
    },

    /** The lock or the end of the session: numbers leave memory. */
    clear() {
      state.set({ callbacks: [] });
    },
  };
}
