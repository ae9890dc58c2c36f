// The in-memory CounterStore and MemoryGauge: counters as string keys with a TTL in MemoryDb (each
// call runs synchronously, so it is atomic), memory as MemoryDb's own estimate against a cap.
import type { Keys } from '../redis/keys.js';
import type { CounterStore, MemoryGauge } from '../ports.js';
import type { MemoryDb } from './memory-db.js';

export function createMemoryCounters(db: MemoryDb, keys: Keys): CounterStore {
  return {
    async spend(name, amount, limit, ttlMs, slide = false) {
      const key = keys.counter(name);
      const current = Number(db.get(key) ?? '0');
      const ttl = db.pttl(key);
      if (current + amount > limit) return { ok: false, value: current, resetMs: Math.max(0, ttl) };
      const value = current + amount;
      const keep = !slide && ttl > 0;
      db.set(key, String(value), keep ? ttl : ttlMs);
      return { ok: true, value, resetMs: keep ? ttl : ttlMs };
    },
    async reset(name) {
      db.del(keys.counter(name));
    },
  };
}

/** `maxBytes`: the cap the high-water mark compares with (MEMORY_STORE_MAX_MB); null: unbounded. */
export function createMemoryGauge(db: MemoryDb, maxBytes: number | null): MemoryGauge {
  return {
    async usage() {
      return { usedBytes: db.approximateBytes(), maxBytes };
    },
  };
}
