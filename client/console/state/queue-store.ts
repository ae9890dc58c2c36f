// The waiting queue as the responder sees it: each conversation's first message opened once with the
// team inbox keys, transfers marked, callbacks left to their own screen, and an alert when someone new
// arrives (if the responder asked for one).
import { isCryptoError, type OpenedIntake } from '../../../crypto/api-sumo.js';
import type { Category, QueueItem } from '../../shared/api-client.js';
import { latestRead } from './latest-read.js';
import { openSealedIntake, type InboxKeys } from './open-sealed.js';
import type { Slice } from './ports.js';

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
  /** Handed over from another organisation (the young person accepted), not by a colleague. */
  readonly fromOrganisation: boolean;
}

export interface QueueState {
  readonly queue: readonly QueueView[];
  /** The responder asked for a sound and a notification when someone new arrives. */
  readonly notify: boolean;
}

export interface QueueApi {
  queue(): Promise<{ items: readonly QueueItem[] }>;
}

/** The sound and system notification for a new arrival (arrival-alert.ts). */
export interface ArrivalAlert {
  /** Asks the browser for permission to notify, if it has not been asked. */
  permit(): Promise<void>;
  ring(): void;
}

export interface QueueDeps {
  readonly state: Slice<QueueState>;
  readonly api: QueueApi;
  /** The responder's team inbox keys; null while locked. */
  readonly inbox: () => InboxKeys | null;
  readonly alert: ArrivalAlert;
}

export type QueueStore = ReturnType<typeof createQueueStore>;

export function createQueueStore(deps: QueueDeps) {
  const { state, api } = deps;
  /** Each waiting conversation's intake, opened once (null: none, or it does not open here). */
  const opened = new Map<string, OpenedIntake | null>();
  /** Conversations this session has seen in the queue (a new one rings the alert). */
  const seen = new Set<string>();

  const open = (item: QueueItem): OpenedIntake | null => {
    const inbox = deps.inbox();
    if (inbox === null || item.intake === null || item.intake.kind !== 'intake') return null;
    try {
      return openSealedIntake(inbox, item.id, item.intake.body, item.team);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return null;
    }
  };

  return {
    /** Reads the queue (an answer older than one already shown is dropped); throws the API's error (the caller guards). */
    refresh: latestRead(
      () => api.queue(),
      ({ items }) => {
        const fresh: QueueView[] = [];
        let arrived = false;
        for (const item of items) {
          if (item.category === 'callback') continue;
          if (!opened.has(item.id)) opened.set(item.id, open(item));
          if (!seen.has(item.id)) {
            seen.add(item.id);
            arrived = true;
          }
          const { id, team, category, language, source, danger, waitingMs } = item;
          fresh.push({ id, team, category, language, source, danger, waitingMs, firstMessage: opened.get(item.id)?.text ?? null, transferred: (item.session ?? 0) > 0, fromOrganisation: item.fromOrganisation === true });
        }
        for (const id of opened.keys()) if (!items.some((i) => i.id === id)) opened.delete(id);
        state.set({ queue: fresh });
        if (arrived && state.get().notify) deps.alert.ring();
      },
    ),

    find: (id: string): QueueView | undefined => state.get().queue.find((q) => q.id === id),

    /** Drops a card (claimed here). */
    remove(id: string) {
      state.set({ queue: state.get().queue.filter((q) => q.id !== id) });
    },

    async setNotify(on: boolean) {
      if (on) await deps.alert.permit();
      state.set({ notify: on });
    },

    /** The lock: first messages leave memory and the screen. */
    wipe() {
      opened.clear();
      state.set({ queue: [] });
    },

    /** The session ended: the next one rings for everyone waiting. */
    forget() {
      opened.clear();
      seen.clear();
      state.set({ queue: [] });
    },
  };
}
