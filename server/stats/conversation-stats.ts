// What the statistics read from the store besides events: how long a chat was (its message count at
// close), and which queue entries belong to conversations that expired before anyone took them.
//
// Expiry: a waiting conversation's keys vanish with their TTL, but its queue entry stays until
// someone prunes it. An entry whose conversation is gone and that no close or "delete now" removed
// was abandoned by expiry. Exactly one remover of an entry is told it removed it (QueueStore.remove),
// so a close, a delete and a sweep racing each other count it once between them. The record is gone
// by then, so only the team is known: category and source count as "unknown" (keeping a copy of
// them would be a per-conversation row outliving the conversation).
import type { ConversationId, MessageLog, MessageId, Store, TeamId } from '../store/ports.js';
import type { StatsCounter } from './counter.js';
import { UNKNOWN } from './fields.js';

const PAGE = 500;

/** Intake and messages of both sides in the conversation's log (handshakes and control entries aside). */
export async function messageCount(log: MessageLog, id: ConversationId): Promise<number> {
  let count = 0;
  let after: MessageId | null = null;
  for (;;) {
    const page = await log.after(id, after, PAGE);
    count += page.filter((e) => e.kind === 'message' || e.kind === 'intake').length;
    if (page.length < PAGE) return count;
    after = page[page.length - 1]?.id ?? null;
  }
}

/** Removes a queue entry whose conversation is gone and counts it as expired if this removal took it. */
export async function countExpiredEntry(store: Store, stats: StatsCounter, team: TeamId, id: ConversationId): Promise<boolean> {
  if (!(await store.queues.remove(team, id))) return false;
  await stats.abandoned({ team, category: UNKNOWN, source: UNKNOWN }, 'expired');
  return true;
}

/** Sweeps every team's queue for entries of expired conversations; returns how many it counted. */
export async function sweepExpiredQueueEntries(store: Store, stats: StatsCounter, limitPerTeam = 10_000): Promise<number> {
  let counted = 0;
  for (const team of await store.staff.listTeams()) {
    for (const entry of await store.queues.list(team.id, limitPerTeam)) {
      if ((await store.conversations.get(entry.id)) === null && (await countExpiredEntry(store, stats, team.id, entry.id))) counted += 1;
    }
  }
  return counted;
}
