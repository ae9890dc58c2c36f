// The in-memory CallbackStore: each record a JSON string with its TTL in MemoryDb, each list a sorted
// set (score = when the entry was added) that expires QUEUE_TTL_MS after its last add. Every call runs
// synchronously, so a replace is atomic.
import { decodeCallback, encodeCallback, listOwner, listScore, listsMinus, sameList } from '../callback-codec.js';
import { StoreConflictError } from '../errors.js';
import type { Keys } from '../redis/keys.js';
import { QUEUE_TTL_MS, callbackListsOf, type CallbackList, type CallbackStore, type ConversationId } from '../ports.js';
import type { MemoryDb } from './memory-db.js';

export function createMemoryCallbacks(db: MemoryDb, keys: Keys): CallbackStore {
  const listKey = (list: CallbackList) => keys.callbackList(list.kind, listOwner(list));
  const enlist = (list: CallbackList, id: string, score: number) => {
    db.zadd(listKey(list), id, score);
    db.pexpire(listKey(list), QUEUE_TTL_MS);
  };
  const read = (id: string) => {
    const text = db.get(keys.callback(id as ConversationId));
    return text === null ? null : decodeCallback(text);
  };
  return {
    async create(record, ttlMs) {
      const key = keys.callback(record.id);
      if (db.exists(key)) throw new StoreConflictError('callback exists');
      db.set(key, encodeCallback(record), ttlMs);
      for (const list of callbackListsOf(record)) enlist(list, record.id, listScore(record));
    },
    async get(id) {
      return read(id);
    },
    async replace(expected, next) {
      const key = keys.callback(expected.id);
      const current = read(expected.id);
      if (current === null || current.rev !== expected.rev) return null;
      const stored = { ...next, id: expected.id, rev: expected.rev + 1 };
      db.set(key, encodeCallback(stored), Math.max(1, db.pttl(key)));
      const from = callbackListsOf(current);
      const to = callbackListsOf(stored);
      for (const list of listsMinus(from, to)) db.zrem(listKey(list), expected.id);
      for (const list of listsMinus(to, from)) enlist(list, expected.id, listScore(stored));
      return stored;
    },
    async erase(id) {
      db.del(keys.callback(id));
    },
    async list(list, limit) {
      const key = listKey(list);
      const out = [];
      for (const { member } of db.zrange(key)) {
        if (out.length >= limit) break;
        const record = read(member);
        if (record === null || !callbackListsOf(record).some((l) => sameList(l, list))) db.zrem(key, member);
        else out.push(record);
      }
      return out;
    },
  };
}
