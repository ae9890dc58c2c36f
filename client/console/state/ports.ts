// What every console sub-store is handed instead of reaching for globals: its slice of the shared
// state, timers and a clock (so tests drive time without sleeping), and the guard that turns a failed
// call into a notice.
import type { Store } from '../../shared/store.js';
import type { MessageKey } from '../i18n/index.js';

/** The console's state as one sub-store sees it: it reads and writes only its own slice `S`. */
export type Slice<S> = Pick<Store<S>, 'get'> & { set(patch: Partial<S>): void };

/** A sentence for the live region: a catalogue key and its placeholders. */
export interface Notice {
  readonly key: MessageKey;
  readonly vars?: Record<string, string | number>;
}

/** The window's timers (ids are numbers in the browser). */
export interface Timers {
  setInterval(handler: () => void, ms: number): number;
  clearInterval(id: number): void;
  setTimeout(handler: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** Milliseconds since the epoch. */
export type Clock = () => number;

/**
 * Runs `work`; a failure becomes a notice (or ends the session when the server no longer knows it)
 * and resolves undefined instead of throwing.
 */
export type Guard = <T>(work: () => Promise<T>) => Promise<T | undefined>;
