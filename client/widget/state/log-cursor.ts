// Where the visitor is in the conversation's log: entries arrive twice (socket and HTTP catch-up) and
// an acknowledgement stands in for our own entry, so each id is taken once, in log order.

/** Orders stream ids "<ms>-<seq>": negative, zero or positive like a comparator. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

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
      if (last !== null && compareIds(id, last) <= 0) return false;
      last = id;
      return true;
    },
  };
}
