// Whether the young person is still there: this instance counts each conversation's open visitor
// sockets; when the last one closes, "left at" goes to the store (visitor data with the
// conversation's TTL). A sweep marks a conversation gone once it has been left longer than the grace
// (VISITOR_GONE_AFTER_SECONDS): it leaves its team's queue (no longer raises anyone's place nor is
// served first) and its responder's load, and the console may close it. A message left while nobody
// was on duty ("Skriv ändå") stays queued: the young person comes back for the answer with the code.
// A visitor socket that says hello again (a reload with the code) brings it back where it was.
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { ConversationId, ConversationRecord, Store, TeamId } from '../store/ports.js';

const COLLECTION = 'visitor-presence';

const MarkSchema = z.object({
  /** When the last visitor socket closed (ms), or null while one is open. */
  leftAt: z.number().nullable(),
  /** Marked gone by the sweep: out of the queue and of its responder's load. */
  gone: z.boolean(),
  /** Opened while nobody was on duty: a message left to be answered later, never a ghost while it waits. */
  message: z.boolean(),
});
type Mark = z.infer<typeof MarkSchema>;

export interface VisitorPresenceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly graceMs: number;
  /** How long a mark lives (the conversation's idle TTL): never longer than what it describes. */
  readonly ttlMs: number;
  /** The queue score of a record (danger first, then its time in the queue): it comes back in its place. */
  readonly queueScore: (record: ConversationRecord) => number;
}

export type VisitorPresence = ReturnType<typeof createVisitorPresence>;

export function createVisitorPresence(deps: VisitorPresenceDeps) {
  const { store, clock } = deps;
  const open = new Map<ConversationId, number>();

  const read = async (id: ConversationId): Promise<Mark | null> => {
    const raw = await store.expiring.get(COLLECTION, id);
    if (raw === null) return null;
    const parsed = MarkSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  };
  const write = (id: ConversationId, mark: Mark) => store.expiring.put(COLLECTION, id, JSON.stringify(mark), deps.ttlMs);

  /** Takes a gone conversation back into its queue, in its old place (an active one counts again by itself; its console is told). */
  async function comeBack(id: ConversationId): Promise<void> {
    const record = await store.conversations.get(id);
    if (record?.status === 'active') await store.events.toTeam(record.team, { t: 'presence', c: id, category: record.category, gone: false });
    if (record?.status !== 'waiting') return;
    await store.queues.add(record.team, id, deps.queueScore(record));
    await store.events.toTeam(record.team, { t: 'queued', c: id, category: record.category, danger: record.danger });
  }

  /** Marks it gone: out of its team's queue; an active one stops counting in its responder's load (routing asks isGone). */
  async function markGone(id: ConversationId, mark: Mark): Promise<boolean> {
    const record = await store.conversations.get(id);
    if (record === null || record.status === 'closed') {
      await store.expiring.delete(COLLECTION, id);
      return false;
    }
    if (record.status === 'waiting' && mark.message) return false;
    await write(id, { ...mark, gone: true });
    if (record.status === 'waiting') {
      await store.queues.remove(record.team, id);
      await store.events.toTeam(record.team, { t: 'gone', c: id, category: record.category });
    } else {
      await store.events.toTeam(record.team, { t: 'presence', c: id, category: record.category, gone: true });
    }
    return true;
  }

  return {
    /** A conversation opened while nobody was on duty: its message waits for the next responder. */
    async openedAsMessage(id: ConversationId): Promise<void> {
      await write(id, { leftAt: null, gone: false, message: true });
    },

    /** A visitor socket of `id` said hello in this instance. */
    async arrived(id: ConversationId): Promise<void> {
      open.set(id, (open.get(id) ?? 0) + 1);
      const mark = await read(id);
      if (mark === null || (mark.leftAt === null && !mark.gone)) return;
      await write(id, { ...mark, leftAt: null, gone: false });
      if (mark.gone) await comeBack(id);
    },

    /** A visitor socket of `id` closed; the last one in this instance starts the grace. */
    async left(id: ConversationId): Promise<void> {
      const n = (open.get(id) ?? 1) - 1;
      if (n > 0) return void open.set(id, n);
      open.delete(id);
      const mark = await read(id);
      if (mark?.gone === true) return;
      if ((await store.conversations.get(id)) === null) return;
      await write(id, { leftAt: clock.now(), gone: false, message: mark?.message ?? false });
    },

    /** True when the young person has gone (marked by the sweep). */
    async isGone(id: ConversationId): Promise<boolean> {
      return (await read(id))?.gone === true;
    },

    /** "Delete now" or close: nothing kept. */
    async forget(id: ConversationId): Promise<void> {
      open.delete(id);
      await store.expiring.delete(COLLECTION, id);
    },

    /** Marks every conversation left longer than the grace as gone; returns how many it marked. */
    async sweep(): Promise<number> {
      const now = clock.now();
      let marked = 0;
      for (const entry of await store.expiring.list(COLLECTION)) {
        const id = entry.id as ConversationId;
        let mark: Mark;
        try {
          mark = MarkSchema.parse(JSON.parse(entry.value));
        } catch {
          continue;
        }
        if (mark.gone || mark.leftAt === null || now - mark.leftAt < deps.graceMs || open.has(id)) continue;
        if (await markGone(id, mark)) marked += 1;
      }
      return marked;
    },
  };
}
