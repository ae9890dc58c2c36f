// Reads every key of a Redis (type, TTL, value) into plain JSON and writes it back: the upgrade test
// keeps a store written by an older version of the code as a fixture and loads it into a fresh Redis.
import { createClient } from 'redis';

/** One key as stored: its type, its remaining TTL in ms (-1: none) and its value. */
export type DumpedKey =
  | { readonly key: string; readonly type: 'string'; readonly pttl: number; readonly value: string }
  | { readonly key: string; readonly type: 'hash'; readonly pttl: number; readonly value: Record<string, string> }
  | { readonly key: string; readonly type: 'set'; readonly pttl: number; readonly value: string[] }
  | { readonly key: string; readonly type: 'list'; readonly pttl: number; readonly value: string[] }
  | { readonly key: string; readonly type: 'zset'; readonly pttl: number; readonly value: Array<{ score: number; value: string }> }
  | { readonly key: string; readonly type: 'stream'; readonly pttl: number; readonly value: Array<{ id: string; fields: Record<string, string> }> };

/** Every key of the Redis at `url`, sorted by name. */
export async function dumpRedis(url: string): Promise<DumpedKey[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    const out: DumpedKey[] = [];
    for (const key of (await client.keys('*')).sort()) {
      const type = await client.type(key);
      const pttl = Number(await client.pTTL(key));
      if (type === 'string') out.push({ key, type, pttl, value: (await client.get(key)) ?? '' });
      else if (type === 'hash') out.push({ key, type, pttl, value: await client.hGetAll(key) });
      else if (type === 'set') out.push({ key, type, pttl, value: (await client.sMembers(key)).sort() });
      else if (type === 'list') out.push({ key, type, pttl, value: await client.lRange(key, 0, -1) });
      else if (type === 'zset') out.push({ key, type, pttl, value: await client.zRangeWithScores(key, 0, -1) });
      else if (type === 'stream') out.push({ key, type, pttl, value: ((await client.xRange(key, '-', '+')) ?? []).map((e) => ({ id: e.id, fields: { ...(e.message ?? {}) } })) });
      else throw new Error(`cannot dump ${key} of type ${type}`);
    }
    return out;
  } finally {
    await client.quit();
  }
}

/** Writes `keys` into the Redis at `url` (TTLs kept as remaining time from now). */
export async function loadRedis(url: string, keys: readonly DumpedKey[]): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for (const k of keys) {
      if (k.type === 'string') await client.set(k.key, k.value);
      else if (k.type === 'hash') await client.hSet(k.key, k.value);
      else if (k.type === 'set') await client.sAdd(k.key, k.value);
      else if (k.type === 'list') await client.rPush(k.key, k.value);
      else if (k.type === 'zset') await client.zAdd(k.key, k.value);
      else for (const e of k.value) await client.xAdd(k.key, e.id, e.fields);
      if (k.pttl > 0) await client.pExpire(k.key, k.pttl);
    }
  } finally {
    await client.quit();
  }
}
