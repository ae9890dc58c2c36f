// The in-memory Store adapter: the embedded default. Same key layout (the Redis adapter's key names,
// redis/keys.ts) and semantics as Redis, built on MemoryDb, which emulates the
// Redis commands used; every operation's body runs synchronously, which makes it atomic.
import { systemClock, type Clock } from '../../clock.js';
import {
  decodeAudit,
  decodeConversation,
  decodeLogEntry,
  decodeNote,
  decodeNotes,
  decodeResponder,
  decodeSession,
  decodeTeam,
  encodeAudit,
  encodeConversation,
  encodeLogFields,
  encodeNote,
  NOTE_COUNT_FIELDS,
  encodeResponder,
  encodeSession,
  encodeTeam,
} from '../codec.js';
import { StoreConflictError } from '../errors.js';
import { createKeys } from '../redis/keys.js';
import { createEventBus } from '../../events/event-bus.js';
import { encodeEvent, type ConversationEvent } from '../../events/events.js';
import type {
  ConversationId,
  ConversationRecord,
  ResponderId,
  Store,
  TeamId,
} from '../ports.js';
import { QUEUE_TTL_MS } from '../ports.js';
import { BUDGET_FIELDS, readBudgetFields, spendBudget } from '../append-budget.js';
import { createMemoryCallbacks } from './memory-callbacks.js';
import { createMemoryCounters, createMemoryGauge } from './memory-counters.js';
import { MemoryDb } from './memory-db.js';

export interface MemoryStoreOptions {
  readonly clock?: Clock;
  readonly prefix?: string;
  /** Interval of the expired-key sweep in ms; 0 disables it (tests). Default 60 s. */
  readonly sweepIntervalMs?: number;
  /** The most bytes the store should hold (the high-water mark compares with it); default unbounded. */
  readonly maxBytes?: number | null;
}

export interface MemoryStore extends Store {
  /** The key space, for tests that inspect what is stored. */
  readonly db: MemoryDb;
}

/** Creates an in-memory store. Data lives as long as the process. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const clock = options.clock ?? systemClock;
  const db = new MemoryDb(clock);
  const keys = createKeys(options.prefix);
  const sweepMs = options.sweepIntervalMs ?? 60_000;
  const sweeper = sweepMs > 0 ? setInterval(() => db.sweep(), sweepMs) : null;
  sweeper?.unref();

  const read = (id: ConversationId): ConversationRecord | null => {
    const flat = db.hgetall(keys.conversation(id));
    return flat === null ? null : decodeConversation(flat);
  };
  const write = (record: ConversationRecord): void => {
    db.hset(keys.conversation(record.id), encodeConversation(record));
  };
  // Published synchronously with the change (delivered a microtask later, as over a socket).
  const emit = (id: ConversationId, event: ConversationEvent): void => {
    db.publish(keys.conversationChannel(id), encodeEvent(event));
  };
  const events = createEventBus(
    {
      async publish(channel, payload) {
        db.publish(channel, payload);
      },
      async subscribe(channel, handler) {
        const off = db.subscribe(channel, handler);
        return async () => off();
      },
    },
    keys,
  );

  const store: MemoryStore = {
    db,
    conversations: {
      async create(record, ttlMs) {
        const key = keys.conversation(record.id);
        if (db.exists(key)) throw new StoreConflictError('conversation exists');
        write(record);
        db.pexpire(key, ttlMs);
      },
      async get(id) {
        return read(id);
      },
      async claim(id, responder) {
        const record = read(id);
        if (record === null) return { ok: false, reason: 'gone' };
        if (record.status === 'closed') return { ok: false, reason: 'closed' };
        if (record.status !== 'waiting') return { ok: false, reason: 'taken' };
        const next: ConversationRecord = { ...record, status: 'active', assignee: responder, session: record.session + 1 };
        write(next);
        emit(id, { t: 'state', status: next.status, session: next.session });
        return { ok: true, record: next };
      },
      async transfer(id, from, to, now) {
        const record = read(id);
        if (record === null) return { ok: false, reason: 'gone' };
        if (record.status === 'closed') return { ok: false, reason: 'closed' };
        if (record.status !== 'active' || record.assignee !== from) return { ok: false, reason: 'not-assignee' };
        const next: ConversationRecord =
          to.kind === 'responder'
            ? { ...record, assignee: to.responder, session: record.session + 1 }
            : { ...record, status: 'waiting', team: to.team, assignee: null, queuedAt: now, session: record.session + 1 };
        write(next);
        emit(id, { t: 'state', status: next.status, session: next.session });
        return { ok: true, record: next };
      },
      async close(id, by, outcome) {
        const record = read(id);
        if (record === null) return { ok: false, reason: 'gone' };
        if (record.status === 'closed') return { ok: false, reason: 'closed' };
        if (by !== null && record.assignee !== by) return { ok: false, reason: 'not-assignee' };
        const next: ConversationRecord = { ...record, status: 'closed', outcome };
        write(next);
        emit(id, { t: 'state', status: next.status, session: next.session });
        return { ok: true, record: next };
      },
      async touch(id, ttlMs) {
        if (!db.pexpire(keys.conversation(id), ttlMs)) return false;
        db.pexpire(keys.log(id), ttlMs);
        db.pexpire(keys.dedupe(id), ttlMs);
        db.pexpire(keys.notes(id), ttlMs);
        return true;
      },
      async erase(id) {
        db.del(keys.conversation(id), keys.log(id), keys.dedupe(id), keys.notes(id));
        emit(id, { t: 'erased' });
      },
    },
    log: {
      async append(id, from, session, input, ttlMs, maxEntries, budget) {
        if (!db.exists(keys.conversation(id))) return { ok: false, reason: 'gone' };
        const dedupeKey = keys.dedupe(id);
        const logKey = keys.log(id);
        const existing = db.hget(dedupeKey, input.cid);
        if (existing !== null) {
          const first = db.xget(logKey, existing);
          if (first !== null) return { ok: true, entry: decodeLogEntry(first.id, first.fields), duplicate: true };
        }
        if (db.xlen(logKey) >= maxEntries) return { ok: false, reason: 'full' };
        if (budget !== undefined) {
          const conversationKey = keys.conversation(id);
          const spent = spendBudget(readBudgetFields(BUDGET_FIELDS.map((f) => db.hget(conversationKey, f))), budget);
          if (!spent.ok) return spent.refused;
          db.hset(conversationKey, spent.fields);
        }
        const fields = encodeLogFields(from, session, input.cid, input.kind, input.body);
        const streamId = db.xadd(logKey, fields);
        db.hset(dedupeKey, { [input.cid]: streamId });
        db.pexpire(keys.conversation(id), ttlMs);
        db.pexpire(logKey, ttlMs);
        db.pexpire(dedupeKey, ttlMs);
        db.pexpire(keys.notes(id), ttlMs);
        const entry = decodeLogEntry(streamId, fields);
        emit(id, { t: 'msg', entry });
        return { ok: true, entry, duplicate: false };
      },
      async after(id, after, limit) {
        return db.xrangeAfter(keys.log(id), after, limit).map((e) => decodeLogEntry(e.id, e.fields));
      },
    },
    notes: {
      async add(id, note, budget) {
        const conversationKey = keys.conversation(id);
        const ttl = db.pttl(conversationKey);
        if (ttl === -2) return { ok: false, reason: 'gone' };
        const [count, bytes] = NOTE_COUNT_FIELDS.map((f) => Number(db.hget(conversationKey, f) ?? '0')) as [number, number];
        if (count >= budget.maxNotes) return { ok: false, reason: 'full' };
        if (bytes + budget.bytes > budget.maxBytes) return { ok: false, reason: 'too-large' };
        const place = String(count + 1);
        db.hset(conversationKey, { notesCount: place, notesBytes: String(bytes + budget.bytes) });
        const json = encodeNote(note);
        db.hset(keys.notes(id), { [place]: json });
        if (ttl > 0) db.pexpire(keys.notes(id), ttl);
        return { ok: true, note: decodeNote(place, json) };
      },
      async list(id) {
        return decodeNotes(db.hgetall(keys.notes(id)));
      },
    },
    events,
    queues: {
      async add(team, id, score) {
        db.zadd(keys.queue(team), id, score);
        db.pexpire(keys.queue(team), QUEUE_TTL_MS);
      },
      async remove(team, id) {
        return db.zrem(keys.queue(team), id);
      },
      async list(team, limit) {
        return db
          .zrange(keys.queue(team))
          .slice(0, limit)
          .map(({ member, score }) => ({ id: member as ConversationId, score }));
      },
      async rank(team, id) {
        const index = db.zrange(keys.queue(team)).findIndex((e) => e.member === id);
        return index < 0 ? null : index;
      },
      async size(team) {
        return db.zrange(keys.queue(team)).length;
      },
    },
    once: {
      async claimOnce(key, ttlMs) {
        return db.setNx(keys.once(key), '1', ttlMs);
      },
    },
    secrets: {
      async getOrCreate(name, candidate) {
        db.setNx(keys.secret(name), candidate);
        return db.get(keys.secret(name)) ?? candidate;
      },
    },
    staff: {
      async putResponder(record) {
        const previous = db.hgetall(keys.responder(record.id));
        if (previous !== null && previous.login !== record.login) db.del(keys.responderLogin(previous.login ?? ''));
        db.hset(keys.responder(record.id), encodeResponder(record));
        db.set(keys.responderLogin(record.login), record.id);
      },
      async getResponder(id) {
        const flat = db.hgetall(keys.responder(id));
        return flat === null ? null : decodeResponder(flat);
      },
      async findResponderByLogin(login) {
        const id = db.get(keys.responderLogin(login));
        if (id === null) return null;
        const flat = db.hgetall(keys.responder(id as ResponderId));
        return flat === null ? null : decodeResponder(flat);
      },
      async putTeam(record) {
        db.hset(keys.team(record.id), encodeTeam(record));
        db.sadd(keys.teamIndex(), record.id);
      },
      async getTeam(id) {
        const flat = db.hgetall(keys.team(id));
        return flat === null ? null : decodeTeam(flat);
      },
      async listTeams() {
        return db
          .smembers(keys.teamIndex())
          .sort()
          .flatMap((id) => {
            const flat = db.hgetall(keys.team(id as TeamId));
            return flat === null ? [] : [decodeTeam(flat)];
          });
      },
    },
    sessions: {
      async create(idHash, record, ttlMs) {
        db.hset(keys.session(idHash), encodeSession(record));
        db.pexpire(keys.session(idHash), ttlMs);
      },
      async get(idHash, ttlMs) {
        const flat = db.hgetall(keys.session(idHash));
        if (flat === null) return null;
        db.pexpire(keys.session(idHash), ttlMs);
        return decodeSession(flat);
      },
      async delete(idHash) {
        db.del(keys.session(idHash));
      },
    },
    duty: {
      async setOnDuty(team, responder, onDuty) {
        if (db.smembers(keys.duty(team)).includes(responder) === onDuty) return;
        if (onDuty) db.sadd(keys.duty(team), responder);
        else db.srem(keys.duty(team), responder);
        await events.toTeam(team, { t: 'duty' });
      },
      async heartbeat(responder, ttlMs) {
        db.set(keys.presence(responder), '1', ttlMs);
      },
      async onDuty(team) {
        const alive: ResponderId[] = [];
        for (const member of db.smembers(keys.duty(team))) {
          if (db.exists(keys.presence(member as ResponderId))) alive.push(member as ResponderId);
          else db.srem(keys.duty(team), member);
        }
        return alive.sort();
      },
    },
    audit: {
      async append(entry) {
        db.xadd(keys.audit(), encodeAudit(entry));
      },
      async recent(limit) {
        return db.xrevrange(keys.audit(), limit).map((e) => decodeAudit(e.fields));
      },
      async purgeBefore(at) {
        const old = db.xrangeAfter(keys.audit(), null, Number.MAX_SAFE_INTEGER).filter((e) => decodeAudit(e.fields).at < at);
        return db.xdel(keys.audit(), old.map((e) => e.id));
      },
    },
    stats: {
      async increment(day, field, by) {
        db.sadd(keys.statsDays(), day);
        db.hincrby(keys.stats(day), field, by);
      },
      async days() {
        return db.smembers(keys.statsDays()).sort();
      },
      async deleteDay(day) {
        db.del(keys.stats(day));
        db.srem(keys.statsDays(), day);
      },
      async day(day) {
        const flat = db.hgetall(keys.stats(day)) ?? {};
        return Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, Number(v)]));
      },
    },
    records: {
      async put(collection, id, value) {
        db.hset(keys.records(collection), { [id]: value });
      },
      async get(collection, id) {
        return db.hget(keys.records(collection), id);
      },
      async delete(collection, id) {
        db.hdel(keys.records(collection), id);
      },
      async list(collection) {
        return Object.entries(db.hgetall(keys.records(collection)) ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([id, value]) => ({ id, value }));
      },
    },
    expiring: {
      async put(collection, id, value, ttlMs) {
        db.set(keys.expiring(collection, id), value, ttlMs);
        const index = keys.expiringIndex(collection);
        db.zadd(index, id, clock.now() + ttlMs);
        // The index lives exactly as long as its longest-lived record (every visitor key has a TTL).
        const last = db.zrange(index).at(-1);
        if (last !== undefined) db.pexpire(index, Math.max(1, last.score - clock.now()));
      },
      async get(collection, id) {
        return db.get(keys.expiring(collection, id));
      },
      async delete(collection, id) {
        db.del(keys.expiring(collection, id));
        db.zrem(keys.expiringIndex(collection), id);
      },
      async list(collection) {
        const index = keys.expiringIndex(collection);
        const live: Array<{ id: string; value: string; expiresAt: number }> = [];
        for (const { member, score } of db.zrange(index)) {
          const value = db.get(keys.expiring(collection, member));
          if (value === null) db.zrem(index, member);
          else live.push({ id: member, value, expiresAt: score });
        }
        return live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      },
    },
    callbacks: createMemoryCallbacks(db, keys),
    counters: createMemoryCounters(db, keys),
    memory: createMemoryGauge(db, options.maxBytes ?? null),
    async ping() {},
    async close() {
      if (sweeper !== null) clearInterval(sweeper);
    },
  };
  return store;
}
