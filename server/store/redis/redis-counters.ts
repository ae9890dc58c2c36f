// The Redis CounterStore (one Lua script: check, add and expire at once) and MemoryGauge (INFO
// memory of every primary: the fullest one counts).
import type { Keys } from './keys.js';
import type { CounterStore, MemoryGauge } from '../ports.js';
import type { RedisCommands } from './connect.js';

/**
 * KEYS: counter · ARGV: amount, limit, ttl ms, slide (1/0) → {ok 1/0, value, ms until reset}.
 * A fixed window keeps its TTL (KEEPTTL); a sliding one restarts it on every successful spend.
 */
export const SPEND = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
local pttl = redis.call('PTTL', KEYS[1])
local amount = tonumber(ARGV[1])
if value + amount > tonumber(ARGV[2]) then
  if pttl < 0 then pttl = 0 end
  return {0, value, pttl}
end
value = value + amount
if pttl > 0 and ARGV[4] ~= '1' then
  redis.call('SET', KEYS[1], value, 'KEEPTTL')
  return {1, value, pttl}
end
redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
return {1, value, tonumber(ARGV[3])}`;

/** The argument list of SPEND (a pure function: what is sent is tested without Redis). */
export function spendArguments(amount: number, limit: number, ttlMs: number, slide: boolean): string[] {
  return [String(amount), String(limit), String(Math.max(1, Math.ceil(ttlMs))), slide ? '1' : '0'];
}

export function createRedisCounters(client: RedisCommands, keys: Keys, run: <T>(operation: string, work: () => Promise<T>) => Promise<T>): CounterStore {
  return {
    spend: (name, amount, limit, ttlMs, slide = false) =>
      run('counters.spend', async () => {
        const reply = (await client.eval(SPEND, { keys: [keys.counter(name)], arguments: spendArguments(amount, limit, ttlMs, slide) })) as number[];
        return { ok: reply[0] === 1, value: Number(reply[1]), resetMs: Number(reply[2]) };
      }),
    reset: (name) =>
      run('counters.reset', async () => {
        await client.del(keys.counter(name));
      }),
  };
}

/** `used_memory` and `maxmemory` of one `INFO memory` text; maxBytes null when maxmemory is 0. */
export function parseMemoryInfo(info: string): { usedBytes: number; maxBytes: number | null } {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  const used = field('used_memory');
  const max = field('maxmemory');
  return { usedBytes: Number.isFinite(used) ? used : 0, maxBytes: Number.isFinite(max) && max > 0 ? max : null };
}

export function createRedisMemoryGauge(memoryInfo: () => Promise<string[]>, run: <T>(operation: string, work: () => Promise<T>) => Promise<T>): MemoryGauge {
  return {
    usage: () =>
      run('memory.usage', async () => {
        const nodes = (await memoryInfo()).map(parseMemoryInfo);
        // The fullest primary decides: it is the one that starts refusing writes first.
        const ratio = (n: { usedBytes: number; maxBytes: number | null }) => (n.maxBytes === null ? 0 : n.usedBytes / n.maxBytes);
        return nodes.reduce((a, b) => (ratio(b) > ratio(a) ? b : a), nodes[0] ?? { usedBytes: 0, maxBytes: null });
      }),
  };
}
