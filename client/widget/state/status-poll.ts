// While waiting: the queue position, whether anyone is on duty and has room, every few seconds; and
// when the conversation was taken but no handshake came over the socket (a lost live event), the log
// is read over HTTP from the last id.
import type { LogEntry } from '../../shared/api-client.js';
import type { WidgetApi } from './api.js';
import type { ViewStore } from './conversation-view.js';

/** How often the status is read while waiting, ms. */
export const STATUS_POLL_MS = 5000;

export interface StatusPollDeps {
  readonly api: Pick<WidgetApi, 'get' | 'messages'>;
  readonly conversation: { readonly id: string; readonly token: string };
  readonly view: ViewStore;
  /** A handshake is still awaited. */
  readonly awaiting: () => boolean;
  readonly lastId: () => string | null;
  /** Handles a log entry read over HTTP (the same path as the socket's). */
  readonly onEntry: (entry: LogEntry) => void;
  readonly timers?: Pick<typeof globalThis, 'setInterval' | 'clearInterval'>;
}

export interface StatusPoll {
  /** Reads once now (resolves after the catch-up, if any); failures are skipped. */
  pollOnce(): Promise<void>;
  /** Reads now and every STATUS_POLL_MS. */
  start(): void;
  stop(): void;
}

export function createStatusPoll(deps: StatusPollDeps): StatusPoll {
  const timers = deps.timers ?? globalThis;
  const { id, token } = deps.conversation;
  let loop: ReturnType<typeof setInterval> | null = null;

  const pollOnce = async () => {
    try {
      const state = await deps.api.get(id, token);
      const v = deps.view.get();
      if (v.phase === 'waiting') {
        deps.view.set({ queuePosition: state.queuePosition, staffed: state.staffed ?? v.staffed, room: state.room ?? v.room, danger: state.danger });
      }
      // Taken but no handshake seen yet (a lost live event): catch up over HTTP.
      if (state.status !== 'waiting' && deps.awaiting()) {
        for (const e of (await deps.api.messages(id, token, deps.lastId())).messages) deps.onEntry(e);
      }
    } catch {
      // The socket reports what matters (erased, closed); a failed poll only skips one update.
    }
  };
  const stop = () => {
    if (loop !== null) timers.clearInterval(loop);
    loop = null;
  };
  return {
    pollOnce,
    start() {
      stop();
      void pollOnce();
      loop = timers.setInterval(() => void pollOnce(), STATUS_POLL_MS);
    },
    stop,
  };
}
