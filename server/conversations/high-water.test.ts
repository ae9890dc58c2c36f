// The high-water mark over the in-memory store (the embedded default): its own byte count against
// its cap, read at most once per interval.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { isApiError } from '../errors.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createHighWater } from './high-water.js';

describe('high-water mark', () => {
  it('refuses new conversations once the memory store passes the mark, reading its size once per interval', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({ clock, sweepIntervalMs: 0, maxBytes: 1_000_000 });
    let reads = 0;
    const gauge = { usage: () => ((reads += 1), store.memory.usage()) };
    const mark = createHighWater({ gauge, clock, policy: { ratio: 0.8, checkMs: 5_000, retryAfterSeconds: 60 } });
    await expect(mark.admitNewConversation()).resolves.toBeUndefined();
    // 850 kB of strings (two bytes a character).
    for (let i = 0; i < 85; i += 1) await store.records.put('filler', String(i), 'x'.repeat(5_000));
    await expect(mark.admitNewConversation()).resolves.toBeUndefined(); // the cached reading
    expect(reads).toBe(1);
    clock.advance(5_000);
    const refused = await mark.admitNewConversation().catch((e: unknown) => e);
    expect(isApiError(refused, 'service_busy') && refused.status === 503 && refused.retryAfter === 60).toBe(true);
    expect(reads).toBe(2);
    for (let i = 0; i < 85; i += 1) await store.records.delete('filler', String(i));
    clock.advance(5_000);
    await expect(mark.admitNewConversation()).resolves.toBeUndefined();
  });

  it('never refuses when the store has no maximum (Redis without maxmemory)', async () => {
    const clock = createManualClock();
    const mark = createHighWater({ gauge: { usage: async () => ({ usedBytes: 10 ** 12, maxBytes: null }) }, clock, policy: { ratio: 0.1, checkMs: 0, retryAfterSeconds: 60 } });
    await expect(mark.admitNewConversation()).resolves.toBeUndefined();
  });
});
