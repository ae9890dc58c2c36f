// The Redis CallbackStore: each record a JSON string at `callback:{id}` with the callback TTL, replaced
// by one Lua script that compares the revision (one key, one slot); each list a sorted set in its own
// slot. A list entry is added before the record moves and removed after, so a crash between leaves an
// extra entry (pruned on read), never a record missing from its list.
import { decodeCallback, encodeCallback, listOwner, listScore, listsMinus, sameList } from '../callback-codec.js';
import { StoreConflictError } from '../errors.js';
import type { Keys } from './keys.js';
import { QUEUE_TTL_MS, callbackListsOf, type CallbackList, type CallbackStore, type ConversationId } from '../ports.js';
import type { RedisCommands } from './connect.js';

/** KEYS: record · ARGV: expected rev, new JSON → 1 when replaced (expiry kept), 0 when gone or changed. */
export const CALLBACK_REPLACE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if cjson.decode(current).rev ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`;

export function createRedisCallbacks(client: RedisCommands, keys: Keys, run: <T>(operation: string, work: () => Promise<T>) => Promise<T>): CallbackStore {
  const listKey = (list: CallbackList) => keys.callbackList(list.kind, listOwner(list));
  const enlist = async (list: CallbackList, id: string, now: number) => {
    await client.multi().zAdd(listKey(list), { score: now, value: id }).pExpire(listKey(list), QUEUE_TTL_MS).exec();
  };
  const read = async (id: ConversationId) => {
    const text = await client.get(keys.callback(id));
    return text === null ? null : decodeCallback(text);
  };
  return {
    create: (record, ttlMs) =>
      run('callbacks.create', async () => {
        for (const list of callbackListsOf(record)) await enlist(list, record.id, listScore(record));
        const ok = await client.set(keys.callback(record.id), encodeCallback(record), { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) } });
        if (ok !== 'OK') throw new StoreConflictError('callback exists');
      }),
    get: (id) => run('callbacks.get', () => read(id)),
    replace: (expected, next) =>
      run('callbacks.replace', async () => {
        const stored = { ...next, id: expected.id, rev: expected.rev + 1 };
        const from = callbackListsOf(expected);
        const to = callbackListsOf(stored);
        for (const list of listsMinus(to, from)) await enlist(list, expected.id, listScore(stored));
        const reply = await client.eval(CALLBACK_REPLACE, { keys: [keys.callback(expected.id)], arguments: [String(expected.rev), encodeCallback(stored)] });
        if (reply !== 1) return null;
        for (const list of listsMinus(from, to)) await client.zRem(listKey(list), expected.id);
        return stored;
      }),
    erase: (id) =>
      run('callbacks.erase', async () => {
        await client.del(keys.callback(id));
      }),
    list: (list, limit) =>
      run('callbacks.list', async () => {
        if (limit <= 0) return [];
        const key = listKey(list);
        const out = [];
        // Read in steps so stale entries do not shorten the answer.
        let start = 0;
        while (out.length < limit) {
          const ids = await client.zRange(key, start, start + limit - 1);
          if (ids.length === 0) break;
          start += ids.length;
          const stale: string[] = [];
          for (const id of ids) {
            const record = await read(id as ConversationId);
            if (record === null || !callbackListsOf(record).some((l) => sameList(l, list))) stale.push(id);
            else if (out.length < limit) out.push(record);
          }
          if (stale.length > 0) {
            await client.zRem(key, stale);
            start -= stale.length;
          }
        }
        return out;
      }),
  };
}
