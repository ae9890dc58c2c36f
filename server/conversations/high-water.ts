// The store's high-water mark: past it, new conversations are refused (503 service_busy with
// Retry-After) while existing ones keep the room left to append. The gauge is read at most once per
// interval, never per request.
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { MemoryGauge } from '../store/ports.js';

/** server/config.ts: STORE_HIGH_WATER_PERCENT, STORE_MEMORY_CHECK_SECONDS. */
export interface HighWaterPolicy {
  /** Fraction of the store's maximum memory (0–1) from which new conversations are refused. */
  readonly ratio: number;
  /** How long one reading of the gauge is used, in ms. */
  readonly checkMs: number;
  /** Retry-After of the refusal, in seconds. */
  readonly retryAfterSeconds: number;
}

export type HighWater = ReturnType<typeof createHighWater>;

export function createHighWater(deps: { gauge: MemoryGauge; clock: Clock; policy: HighWaterPolicy }) {
  const { gauge, clock, policy } = deps;
  let readAt = -Infinity;
  let above = false;
  let reading: Promise<void> | null = null;
  const read = async () => {
    try {
      const { usedBytes, maxBytes } = await gauge.usage();
      above = maxBytes !== null && usedBytes >= maxBytes * policy.ratio;
    } catch {
      // A store that cannot say how full it is cannot take the conversation either: the open
      // fails on its own with store_unavailable, so the mark need not guess.
      above = false;
    }
    readAt = clock.now();
  };
  return {
    /** Throws service_busy while the store is above the mark (as last read). */
    async admitNewConversation(): Promise<void> {
      if (clock.now() - readAt >= policy.checkMs) {
        reading ??= read().finally(() => {
          reading = null;
        });
        await reading;
      }
      if (above) throw new ApiError(ErrorCode.ServiceBusy, undefined, policy.retryAfterSeconds);
    },
  };
}
