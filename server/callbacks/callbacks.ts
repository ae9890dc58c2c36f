// Callback requests: conversations of category "callback" whose sealed intake holds the number, time
// window and verification word (opened only in the responder's browser). Done erases everything at
// once; "not reached" puts it back in the team's queue with one more attempt counted.
import type { ConversationService } from '../conversations/service.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { StatsCounter } from '../stats/counter.js';
import type { ConversationId, ConversationRecord, ResponderRecord, Store, TeamId } from '../store/ports.js';

/**
 * Attempts are kept in a sorted set of the queue port (score = attempts) under a key no team can
 * have; entries go with their conversation (pruned when it is gone), so they expire with it.
 */
const ATTEMPTS = '~callback-attempts' as TeamId;

export function createCallbacks(deps: { store: Store; conversations: ConversationService; stats?: StatsCounter }) {
  const { store, conversations } = deps;

  async function attemptsById(): Promise<Map<string, number>> {
    const entries = await store.queues.list(ATTEMPTS, 10_000);
    const map = new Map<string, number>();
    for (const e of entries) {
      if ((await store.conversations.get(e.id)) === null) await store.queues.remove(ATTEMPTS, e.id);
      else map.set(e.id, e.score);
    }
    return map;
  }

  const requireCallback = async (id: ConversationId, responder: ResponderRecord): Promise<ConversationRecord> => {
    const record = await conversations.asResponder(id, responder);
    if (record.category !== 'callback') throw new ApiError(ErrorCode.InvalidRequest, 'Not a callback request.');
    if (record.assignee !== responder.id) throw new ApiError(ErrorCode.NotAssignee);
    return record;
  };

  return {
    /** Callback requests waiting in `offeredTeams` (the teams the responder is on duty in), with attempts. */
    async list(offeredTeams: readonly TeamId[]) {
      const attempts = await attemptsById();
      const items: Array<{ record: ConversationRecord; intake: Awaited<ReturnType<typeof conversations.history>>[number] | null; attempts: number }> = [];
      for (const team of offeredTeams) {
        for (const { record, intake } of await conversations.queue(team)) {
          if (record.category === 'callback') items.push({ record, intake, attempts: attempts.get(record.id) ?? 0 });
        }
      }
      return items;
    },
    /** Done: the number is erased with the whole request. */
    async done(id: ConversationId, responder: ResponderRecord): Promise<void> {
      const record = await requireCallback(id, responder);
      await conversations.erase(record);
      await store.queues.remove(ATTEMPTS, id);
      await deps.stats?.callbackDone(record);
    },
    /** Not reached: back to the team queue, attempts + 1; returns the new count. */
    async notReached(id: ConversationId, responder: ResponderRecord): Promise<number> {
      const record = await requireCallback(id, responder);
      const attempts = ((await attemptsById()).get(id) ?? 0) + 1;
      await conversations.transfer(id, responder, { kind: 'team', team: record.team }, false);
      await store.queues.add(ATTEMPTS, id, attempts);
      await deps.stats?.callbackNotReached(record);
      return attempts;
    },
    attemptsById,
  };
}
export type Callbacks = ReturnType<typeof createCallbacks>;
