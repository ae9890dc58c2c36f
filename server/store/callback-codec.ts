// Pure conversion between a callback record and the JSON string both adapters store (one string key
// per record, so Redis replaces it atomically with one script on one key).
import { z } from 'zod';
import type { CallbackList, CallbackRecord, ConversationId, ResponderId, TeamId } from './ports.js';

const Stored = z.object({
  id: z.string(),
  team: z.string(),
  language: z.string(),
  source: z.string(),
  state: z.enum(['waiting', 'claimed', 'done']),
  claimer: z.string().nullable(),
  autoAssigned: z.boolean(),
  createdAt: z.number(),
  claimedAt: z.number().nullable(),
  doneAt: z.number().nullable(),
  attempts: z.array(z.object({ at: z.number(), by: z.string() })),
  teamSealed: z.string().nullable(),
  claimerSealed: z.string().nullable(),
  supervisorSealed: z.record(z.string(), z.string()),
  rev: z.number().int(),
});

export function encodeCallback(record: CallbackRecord): string {
  return JSON.stringify(record);
}

/** Parses a stored record; a record that does not match throws (a corrupt store is not papered over). */
export function decodeCallback(text: string): CallbackRecord {
  const r = Stored.parse(JSON.parse(text));
  return {
    ...r,
    id: r.id as ConversationId,
    team: r.team as TeamId,
    claimer: r.claimer as ResponderId | null,
    attempts: r.attempts.map((a) => ({ at: a.at, by: a.by as ResponderId })),
  };
}

/** The owner part of a list's key: the team or the responder. */
export function listOwner(list: CallbackList): string {
  return list.kind === 'waiting' || list.kind === 'held' ? list.team : list.responder;
}

/** The lists of `a` that are not in `b`. */
export function listsMinus(a: readonly CallbackList[], b: readonly CallbackList[]): CallbackList[] {
  return a.filter((x) => !b.some((y) => sameList(x, y)));
}

/** A record's place in its list: waiting by creation, held by claim, called by when it was done. */
export function listScore(record: CallbackRecord): number {
  if (record.state === 'claimed') return record.claimedAt ?? record.createdAt;
  if (record.state === 'done') return record.doneAt ?? record.createdAt;
  return record.createdAt;
}

/** True when `a` and `b` name the same list. */
export function sameList(a: CallbackList, b: CallbackList): boolean {
  return a.kind === b.kind && listOwner(a) === listOwner(b);
}
