// Callback requests: the lists (waiting in my teams, held by me, done by me, and for a supervisor the
// team's held ones), taking one, its outcome, and the number — opened in this browser only for the
// responder who holds it. On first sight of a held request (taken here or auto-assigned) the console
// opens the team-sealed copy and re-seals it to this responder's own key and to each supervisor of the
// team whose certificate verifies; the server then deletes the team-sealed copy. A supervisor sees a
// number only by the reveal action, which the server audits before it hands the sealed copy over.
import {
  conversationIdFromString,
  fromBase64url,
  isCryptoError,
  openResealedCallback,
  resealCallback,
  toBase64url,
  verifyResponderCert,
  type CallbackDetails,
  type X25519PublicKey,
} from '../../../crypto/api-sumo.js';
import type { CallbackLists, CallbackView, SealedCallback } from '../../../contract/rest.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import { latestRead } from './latest-read.js';
import { openSealedCallback } from './open-sealed.js';
import type { Guard, Slice } from './ports.js';

/** One callback as the server lists it (never a number), and the lists: contract/rest.ts. */
export type CallbackItem = CallbackView;
export type { CallbackLists };

/** What the request says, opened here. */
export type CallbackNumber = Pick<CallbackDetails, 'phone' | 'timeWindow' | 'note' | 'verificationWord'>;

export interface CallbacksState {
  /** null until first read (the screen then says nothing rather than "none"). */
  readonly callbacks: CallbackLists | null;
  /** Numbers opened in this tab, by callback id: held by me, or revealed to me as supervisor. Memory only. */
  readonly callbackNumbers: Readonly<Record<string, CallbackNumber | 'unreadable'>>;
}

export interface CallbacksApi {
  callbackLists(): Promise<CallbackLists>;
  callbackClaim(id: string): Promise<unknown>;
  callbackSealed(id: string): Promise<SealedCallback>;
  callbackReseal(id: string, copies: { own: string; supervisors: Record<string, string> }): Promise<unknown>;
  callbackReveal(id: string): Promise<SealedCallback>;
  callbackDone(id: string): Promise<unknown>;
  callbackNotReached(id: string): Promise<unknown>;
  /** Certified colleagues (their certificates are verified here before anything is sealed to them). */
  colleagues(): Promise<{ responders: ReadonlyArray<{ id: string; cert: string }> }>;
}

export interface CallbacksDeps {
  readonly state: Slice<CallbacksState>;
  readonly api: CallbacksApi;
  /** The unlocked keys; null while locked. */
  readonly keys: () => UnlockedKeys | null;
  readonly guard: Guard;
  readonly now: () => number;
}

export type CallbacksStore = ReturnType<typeof createCallbacksStore>;

export function createCallbacksStore(deps: CallbacksDeps) {
  const { state, api, guard } = deps;

  const remember = (id: string, value: CallbackNumber | 'unreadable') =>
    state.set({ callbackNumbers: { ...state.get().callbackNumbers, [id]: value } });

  const numberOf = (c: CallbackDetails): CallbackNumber => ({ phone: c.phone, timeWindow: c.timeWindow, note: c.note, verificationWord: c.verificationWord });

  /** X25519 keys of the team's supervisors whose certificates verify against the pinned chain. */
  async function supervisorsOf(team: string, keys: UnlockedKeys): Promise<Array<{ id: string; boxPublicKey: X25519PublicKey }>> {
    const { responders } = await api.colleagues();
    const out = [];
    for (const r of responders) {
      try {
        const cert = verifyResponderCert(keys.anchor, fromBase64url(r.cert), { now: new Date(deps.now()), team, role: 'supervisor' });
        if (cert.id === r.id && cert.id !== keys.identity.cert.id) out.push({ id: cert.id, boxPublicKey: cert.boxPublicKey });
      } catch (error) {
        if (!isCryptoError(error)) throw error;
      }
    }
    return out;
  }

  /** Opens a held request; the first time (team-sealed) re-seals it to me and the supervisors. */
  async function open(item: CallbackItem, keys: UnlockedKeys): Promise<void> {
    const id = conversationIdFromString(item.id);
    const { kind, sealed } = await api.callbackSealed(item.id);
    try {
      if (kind === 'own') {
        remember(item.id, numberOf(openResealedCallback(fromBase64url(sealed), id, keys.boxKeyPair)));
        return;
      }
      // A supervisor taking over a request whose holder left opens the copy sealed to them.
      const callback = kind === 'supervisor' ? openResealedCallback(fromBase64url(sealed), id, keys.boxKeyPair) : openSealedCallback(keys.inbox, item.id, sealed).callback;
      const seal = (recipient: X25519PublicKey) => toBase64url(resealCallback({ conversationId: id, callback, recipient }));
      const supervisors: Record<string, string> = {};
      for (const s of await supervisorsOf(item.team, keys)) supervisors[s.id] = seal(s.boxPublicKey);
      await api.callbackReseal(item.id, { own: seal(keys.boxKeyPair.publicKey), supervisors });
      remember(item.id, numberOf(callback));
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      remember(item.id, 'unreadable');
    }
  }

  /**
   * Reads the lists and opens every held request not yet opened here; an answer older than one
   * already shown is dropped (latest-read.ts). Throws the API's error (the caller guards).
   */
  const refresh = latestRead(() => api.callbackLists(), async (lists) => {
    // Numbers leave memory with their callback (done, erased, or no longer mine).
    const keep = new Set([...lists.mine, ...lists.team].map((c) => c.id));
    const numbers = Object.fromEntries(Object.entries(state.get().callbackNumbers).filter(([id]) => keep.has(id)));
    state.set({ callbacks: lists, callbackNumbers: numbers });
    const keys = deps.keys();
    if (keys === null) return;
    for (const item of lists.mine) if (numbers[item.id] === undefined) await open(item, keys);
  });

  return {
    refresh,

    /** "Ta och visa": takes a waiting request; it moves to my list with its number. */
    async take(id: string) {
      await guard(async () => {
        await api.callbackClaim(id);
        await refresh();
      });
    },

    async done(id: string) {
      await guard(async () => {
        await api.callbackDone(id);
        await refresh();
      });
    },

    /** "Nådde inte": one more attempt; it stays mine (its number is sealed to me), to try again. */
    async notReached(id: string) {
      await guard(async () => {
        await api.callbackNotReached(id);
        await refresh();
      });
    },

    /** A supervisor's explicit, audited look at a number someone else holds. */
    async reveal(id: string) {
      await guard(async () => {
        const keys = deps.keys();
        if (keys === null) return;
        const { kind, sealed } = await api.callbackReveal(id);
        try {
          const callback =
            kind === 'supervisor'
              ? openResealedCallback(fromBase64url(sealed), conversationIdFromString(id), keys.boxKeyPair)
              : openSealedCallback(keys.inbox, id, sealed).callback;
          remember(id, numberOf(callback));
        } catch (error) {
          if (!isCryptoError(error)) throw error;
          remember(id, 'unreadable');
        }
      });
    },

    /** The lock or the end of the session: numbers leave memory. */
    clear() {
      state.set({ callbacks: null, callbackNumbers: {} });
    },
  };
}
