// A conversation's byte budgets as the append spends them: the rule once, in plain code. The memory
// adapter runs it; the Redis append script (redis/scripts.ts, APPEND) does the same steps in Lua,
// and the store contract suite holds both to it. The counts live in the conversation's own record
// (fields below), so they expire and are erased with it.
import type { AppendBudget, AppendResult } from './ports.js';

/** Fields of the conversation hash: bytes in all, bytes in the current hour, when that hour ends (ms). */
export const BUDGET_FIELDS = ['bytesTotal', 'hourBytes', 'hourEnds'] as const;

const HOUR_MS = 3_600_000;

export interface BudgetCounts {
  readonly bytesTotal: number;
  readonly hourBytes: number;
  readonly hourEnds: number;
}

/** Counts from the stored fields (absent fields count 0). */
export function readBudgetFields(values: readonly (string | null)[]): BudgetCounts {
  const n = (v: string | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
  return { bytesTotal: n(values[0]), hourBytes: n(values[1]), hourEnds: n(values[2]) };
}

/**
 * Spends `budget.bytes`: refused ('rate' until the hour ends, or 'too-large') when it does not fit,
 * else the fields to store. The hour is a fixed window opened by the first append after the last one ended.
 */
export function spendBudget(
  counts: BudgetCounts,
  budget: AppendBudget,
): { ok: true; fields: Record<(typeof BUDGET_FIELDS)[number], string> } | { ok: false; refused: AppendResult & { ok: false } } {
  let { hourBytes, hourEnds } = counts;
  if (hourEnds <= budget.now) {
    hourBytes = 0;
    hourEnds = budget.now + HOUR_MS;
  }
  if (hourBytes + budget.bytes > budget.bytesPerHour) return { ok: false, refused: { ok: false, reason: 'rate', resetMs: hourEnds - budget.now } };
  if (counts.bytesTotal + budget.bytes > budget.maxBytes) return { ok: false, refused: { ok: false, reason: 'too-large' } };
  return {
    ok: true,
    fields: { bytesTotal: String(counts.bytesTotal + budget.bytes), hourBytes: String(hourBytes + budget.bytes), hourEnds: String(hourEnds) },
  };
}
