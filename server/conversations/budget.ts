// Per-conversation abuse budgets, enforced before every append (HTTP or WebSocket, visitor or
// responder) and shared by every instance through the store's atomic counters: bytes per hour and
// total bytes of the log. The bytes counted are the decoded ciphertext sizes.
import { createHash } from 'node:crypto';
import { ApiError, ErrorCode } from '../errors.js';
import type { ConversationId, CounterStore } from '../store/ports.js';

/** server/config.ts: CONVERSATION_BYTES_PER_HOUR, CONVERSATION_MAX_BYTES. */
export interface ConversationBudgetPolicy {
  /** Ciphertext bytes one conversation may append per hour (a fixed window from its first append in it). */
  readonly bytesPerHour: number;
  /** Ciphertext bytes one conversation's log may hold in all. */
  readonly maxBytes: number;
}

const HOUR_MS = 3_600_000;
// Counters are named by a hash of the id: the conversation id stays in the conversation's own keys.
const counterOf = (id: ConversationId) => createHash('sha256').update(`conversation-budget:${id}`).digest('base64url').slice(0, 22);
const hourKey = (id: ConversationId) => `conv-hour:${counterOf(id)}`;
const totalKey = (id: ConversationId) => `conv-total:${counterOf(id)}`;

/** Decoded size of a base64url (unpadded) body: 4 characters carry 3 bytes. */
export const decodedBytes = (body: string): number => Math.floor((body.length * 3) / 4);

export type ConversationBudget = ReturnType<typeof createConversationBudget>;

export function createConversationBudget(deps: { counters: CounterStore; policy: ConversationBudgetPolicy }) {
  const { counters, policy } = deps;
  return {
    /**
     * Spends `bytes` of the conversation's budgets, or throws conversation_rate_limited (429 with
     * Retry-After: when the hour's window ends) or conversation_too_large (409). `ttlMs`: the
     * conversation's idle TTL (the total lives as long as the log).
     */
    async spend(id: ConversationId, bytes: number, ttlMs: number): Promise<void> {
      const hour = await counters.spend(hourKey(id), bytes, policy.bytesPerHour, HOUR_MS);
      if (!hour.ok) throw new ApiError(ErrorCode.ConversationRateLimited, undefined, Math.max(1, Math.ceil(hour.resetMs / 1000)));
      const total = await counters.spend(totalKey(id), bytes, policy.maxBytes, ttlMs, true);
      if (!total.ok) throw new ApiError(ErrorCode.ConversationTooLarge);
    },
    /** Drops the conversation's counters ("delete now"). */
    async forget(id: ConversationId): Promise<void> {
      await counters.reset(hourKey(id));
      await counters.reset(totalKey(id));
    },
  };
}
