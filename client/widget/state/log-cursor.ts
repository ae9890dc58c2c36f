// Where the visitor is in the conversation's log: entries arrive twice (socket and HTTP catch-up) and
// an acknowledgement stands in for our own entry, so each id is taken once, in log order. Ids are
// opaque here: the contract orders them.
import { compareMessageIds } from '../../../contract/ids.js';

export interface LogCursor {
  /** The last id taken (asked for after a reconnect); null before any. */
  readonly last: string | null;
  /** Takes `id` when it is after the last one; false for an entry already handled. */
  take(id: string): boolean;
}

export function createLogCursor(start: string | null): LogCursor {
  let last = start;
  return {
    get last() {
      return last;
    },
    take(id) {
      if (last !== null && compareMessageIds(id, last) <= 0) return false;
      last = id;
      return true;
    },
  };
}
