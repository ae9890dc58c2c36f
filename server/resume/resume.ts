// Resume blobs: the visitor's sealed blob (crypto/resume-code.ts) stored under the hash of its lookup
// id, for as long as the conversation lives; erased with it on "delete now". The server never sees
// the resume code, the lookup id or the blob key.
import { ApiError, ErrorCode } from '../errors.js';
import type { ConversationId, ConversationRecord, ExpiringRecordStore, Store } from '../store/ports.js';

const BLOBS = 'resume';
/** conversation id → lookup hash, so "delete now" finds the blob. */
const BY_CONVERSATION = 'resume-conv';

export interface ResumeServiceDeps {
  readonly expiring: ExpiringRecordStore;
  readonly conversations: Store['conversations'];
  /** TTL of a blob: the conversation's idle TTL (refreshed whenever the visitor stores it again). */
  readonly ttlMs: (record: ConversationRecord) => number;
  readonly now: () => number;
}

export type ResumeService = ReturnType<typeof createResumeService>;

export function createResumeService(deps: ResumeServiceDeps) {
  const { expiring } = deps;

  const purge = async (conversation: string) => {
    const lookup = await expiring.get(BY_CONVERSATION, conversation);
    if (lookup !== null) await expiring.delete(BLOBS, lookup);
    await expiring.delete(BY_CONVERSATION, conversation);
  };

  return {
    /** Stores (or replaces) the conversation's blob under `lookup` (hex of the lookup hash). */
    async put(record: ConversationRecord, lookup: string, blob: string): Promise<{ expiresAt: number }> {
      const ttl = deps.ttlMs(record);
      const previous = await expiring.get(BY_CONVERSATION, record.id);
      if (previous !== null && previous !== lookup) await expiring.delete(BLOBS, previous);
      const existing = await expiring.get(BLOBS, lookup);
      if (existing !== null && (JSON.parse(existing) as { c: string }).c !== record.id) throw new ApiError(ErrorCode.ConversationExists, 'This resume code is taken; draw a new one.');
      await expiring.put(BLOBS, lookup, JSON.stringify({ c: record.id, blob }), ttl);
      await expiring.put(BY_CONVERSATION, record.id, lookup, ttl);
      return { expiresAt: deps.now() + ttl };
    },

    /** The blob and its conversation; NotFound when absent, expired or its conversation is gone. */
    async get(lookup: string): Promise<{ conversation: string; blob: string }> {
      const value = await expiring.get(BLOBS, lookup);
      if (value === null) throw new ApiError(ErrorCode.NotFound, 'No conversation for this code.');
      const { c, blob } = JSON.parse(value) as { c: string; blob: string };
      if ((await deps.conversations.get(c as ConversationId)) === null) {
        await purge(c);
        throw new ApiError(ErrorCode.NotFound, 'No conversation for this code.');
      }
      return { conversation: c, blob };
    },

    /** Erases the conversation's blob (delete now, or the visitor dropping the code). Idempotent. */
    purge,
  };
}
