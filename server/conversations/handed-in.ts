// A conversation handed over from another organisation and not yet claimed there: the receiving
// team's first claim counts as a first claim in its statistics (each organisation counts it once).
import type { ConversationId, ExpiringRecordStore, TeamId } from '../store/ports.js';

/** Conversations handed in and not claimed yet: conversation id → receiving team. */
const HANDED_IN = 'handover-in';

/** Marks `id` as handed in to `team` (kept as long as the conversation can live idle). */
export async function markHandedIn(expiring: ExpiringRecordStore, id: ConversationId, team: TeamId, ttlMs: number): Promise<void> {
  await expiring.put(HANDED_IN, id, team, ttlMs);
}

/** Whether `id` waits in `team` handed in from another organisation (the queue says so to the team). */
export async function isHandedIn(expiring: ExpiringRecordStore, id: ConversationId, team: TeamId): Promise<boolean> {
  return (await expiring.get(HANDED_IN, id)) === team;
}

/**
 * Whether the receiving team's claim of `id` is the first claim in its organisation (it was handed in
 * and nobody there claimed it yet); clears the mark. Statistics count the conversation once per
 * organisation: opened and claimed where it was answered first, opened (handed in) and claimed in
 * the receiving one.
 */
export async function takeHandedIn(expiring: ExpiringRecordStore, id: ConversationId, team: TeamId): Promise<boolean> {
  const mark = await expiring.get(HANDED_IN, id);
  if (mark === null) return false;
  await expiring.delete(HANDED_IN, id);
  return mark === team;
}

