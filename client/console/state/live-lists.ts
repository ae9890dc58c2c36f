// Keeps the console's lists (duty, queue, own conversations, callbacks) current: read again when the
// socket says one of the responder's teams changed it (a team frame), read every `pollMs` only while
// the socket is down, and read all once when it comes back (events may have been missed meanwhile).
// Reads of one list never overlap: a push during a read makes one more read after it.
import type { Timers } from './ports.js';
import type { TeamList } from './socket.js';

export interface LiveListsDeps {
  readonly timers: Timers;
  /** The fallback's interval while the socket is down, ms. */
  readonly pollMs: number;
  /** Reads every list. */
  readonly all: () => Promise<void>;
  /** Reads what a team frame names ('resync' reads all). */
  readonly read: Readonly<Record<Exclude<TeamList, 'resync'>, () => Promise<void>>>;
}

export type LiveLists = ReturnType<typeof createLiveLists>;

/** `run` made single-flight: a call while it runs is folded into one more run after it. */
function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await run();
    } while (again);
  };
  return () => {
    if (running !== null) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = null;
    });
    return running;
  };
}

export function createLiveLists(deps: LiveListsDeps) {
  const all = coalesced(deps.all);
  const read = {
    queue: coalesced(deps.read.queue),
    callbacks: coalesced(deps.read.callbacks),
    duty: coalesced(deps.read.duty),
    resync: all,
  } satisfies Record<TeamList, () => Promise<void>>;
  let up = false;
  let poller: number | null = null;

  return {
    /** Reads all now, then every `pollMs` while the socket is down. */
    start() {
      this.stop();
      poller = deps.timers.setInterval(() => {
        if (!up) void all();
      }, deps.pollMs);
      void all();
    },
    stop() {
      if (poller !== null) deps.timers.clearInterval(poller);
      poller = null;
      up = false;
    },
    /** The socket's state: back up reads all once; down starts the fallback reads. */
    status(isUp: boolean) {
      if (isUp && !up && poller !== null) void all();
      up = isUp;
    },
    /** A team frame: read the list it names. */
    pushed(list: TeamList): Promise<void> {
      return read[list]();
    },
    /** True while the lists follow the socket (no fallback reads). */
    get live() {
      return up;
    },
  };
}
