// A tiny in-process key space with Redis semantics (hashes, streams, sorted sets, sets, strings,
// millisecond TTLs, pub/sub), so the in-memory adapter behaves like the Redis one key for key.
import type { Clock } from '../../clock.js';
import type { Flat } from '../codec.js';
import { compareMessageIds } from '../codec.js';

type Value =
  | { readonly type: 'string'; value: string }
  | { readonly type: 'hash'; value: Map<string, string> }
  | { readonly type: 'stream'; value: Array<{ id: string; fields: Flat }>; lastMs: number; lastSeq: number }
  | { readonly type: 'zset'; value: Map<string, number> }
  | { readonly type: 'set'; value: Set<string> };

interface Slot {
  data: Value;
  expiresAt: number | null;
}

export class WrongTypeError extends Error {
  constructor(key: string) {
    super(`key ${key} holds another type`);
    this.name = 'WrongTypeError';
  }
}

/** Key space with lazy expiry on access plus a periodic sweep of expired keys. */
export class MemoryDb {
  private readonly slots = new Map<string, Slot>();
  private readonly channels = new Map<string, Set<(payload: string) => void>>();

  constructor(private readonly clock: Clock) {}

  private live(key: string): Slot | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt !== null && slot.expiresAt <= this.clock.now()) {
      this.slots.delete(key);
      return undefined;
    }
    return slot;
  }

  private typed<T extends Value['type']>(key: string, type: T): Extract<Value, { type: T }> | undefined {
    const slot = this.live(key);
    if (slot === undefined) return undefined;
    if (slot.data.type !== type) throw new WrongTypeError(key);
    return slot.data as Extract<Value, { type: T }>;
  }

  private create<T extends Value>(key: string, data: T): T {
    this.slots.set(key, { data, expiresAt: null });
    return data;
  }

  /** Drops every expired key; returns how many. */
  sweep(): number {
    const now = this.clock.now();
    let n = 0;
    for (const [key, slot] of this.slots) {
      if (slot.expiresAt !== null && slot.expiresAt <= now) {
        this.slots.delete(key);
        n += 1;
      }
    }
    return n;
  }

  exists(key: string): boolean {
    return this.live(key) !== undefined;
  }

  del(...keys: string[]): void {
    for (const key of keys) this.slots.delete(key);
  }

  /** Sets a TTL; false when the key does not exist. */
  pexpire(key: string, ttlMs: number): boolean {
    const slot = this.live(key);
    if (slot === undefined) return false;
    slot.expiresAt = this.clock.now() + ttlMs;
    return true;
  }

  /** Remaining TTL in ms; -1 without TTL, -2 when absent (as PTTL). */
  pttl(key: string): number {
    const slot = this.live(key);
    if (slot === undefined) return -2;
    return slot.expiresAt === null ? -1 : slot.expiresAt - this.clock.now();
  }

  keys(): string[] {
    return [...this.slots.keys()].filter((k) => this.live(k) !== undefined);
  }

  // strings
  get(key: string): string | null {
    return this.typed(key, 'string')?.value ?? null;
  }

  set(key: string, value: string, ttlMs?: number): void {
    this.slots.set(key, { data: { type: 'string', value }, expiresAt: ttlMs === undefined ? null : this.clock.now() + ttlMs });
  }

  /** SET NX (PX): true when it was set. */
  setNx(key: string, value: string, ttlMs?: number): boolean {
    if (this.live(key) !== undefined) return false;
    this.set(key, value, ttlMs);
    return true;
  }

  // hashes
  hgetall(key: string): Flat | null {
    const hash = this.typed(key, 'hash');
    return hash === undefined ? null : Object.fromEntries(hash.value);
  }

  hget(key: string, field: string): string | null {
    return this.typed(key, 'hash')?.value.get(field) ?? null;
  }

  hset(key: string, fields: Flat): void {
    const hash = this.typed(key, 'hash') ?? this.create(key, { type: 'hash', value: new Map() });
    for (const [k, v] of Object.entries(fields)) hash.value.set(k, v);
  }

  hdel(key: string, field: string): void {
    const hash = this.typed(key, 'hash');
    if (hash === undefined) return;
    hash.value.delete(field);
    if (hash.value.size === 0) this.slots.delete(key);
  }

  hincrby(key: string, field: string, by: number): number {
    const hash = this.typed(key, 'hash') ?? this.create(key, { type: 'hash', value: new Map() });
    const next = Number(hash.value.get(field) ?? '0') + by;
    hash.value.set(field, String(next));
    return next;
  }

  // streams
  xadd(key: string, fields: Flat): string {
    const stream =
      this.typed(key, 'stream') ?? this.create(key, { type: 'stream', value: [], lastMs: 0, lastSeq: -1 });
    const now = this.clock.now();
    const ms = Math.max(now, stream.lastMs);
    const seq = ms === stream.lastMs ? stream.lastSeq + 1 : 0;
    stream.lastMs = ms;
    stream.lastSeq = seq;
    const id = `${ms}-${seq}`;
    stream.value.push({ id, fields: { ...fields } });
    return id;
  }

  /** Deletes the entries with these ids; returns how many there were. */
  xdel(key: string, ids: readonly string[]): number {
    const stream = this.typed(key, 'stream');
    if (stream === undefined) return 0;
    const drop = new Set(ids);
    const before = stream.value.length;
    stream.value = stream.value.filter((e) => !drop.has(e.id));
    return before - stream.value.length;
  }

  xlen(key: string): number {
    return this.typed(key, 'stream')?.value.length ?? 0;
  }

  /** Entries with id strictly greater than `after` (null: all), at most `count`. */
  xrangeAfter(key: string, after: string | null, count: number): Array<{ id: string; fields: Flat }> {
    const stream = this.typed(key, 'stream');
    if (stream === undefined) return [];
    const out: Array<{ id: string; fields: Flat }> = [];
    for (const entry of stream.value) {
      if (after !== null && compareMessageIds(entry.id, after) <= 0) continue;
      out.push({ id: entry.id, fields: { ...entry.fields } });
      if (out.length >= count) break;
    }
    return out;
  }

  /** The entry with exactly this id, or null. */
  xget(key: string, id: string): { id: string; fields: Flat } | null {
    const entry = this.typed(key, 'stream')?.value.find((e) => e.id === id);
    return entry === undefined ? null : { id: entry.id, fields: { ...entry.fields } };
  }

  /** Newest first, at most `count`. */
  xrevrange(key: string, count: number): Array<{ id: string; fields: Flat }> {
    const stream = this.typed(key, 'stream');
    if (stream === undefined) return [];
    return stream.value.slice(-count).reverse().map((e) => ({ id: e.id, fields: { ...e.fields } }));
  }

  // sorted sets
  zadd(key: string, member: string, score: number): void {
    const zset = this.typed(key, 'zset') ?? this.create(key, { type: 'zset', value: new Map() });
    zset.value.set(member, score);
  }

  zrem(key: string, member: string): boolean {
    const zset = this.typed(key, 'zset');
    if (zset === undefined) return false;
    const removed = zset.value.delete(member);
    if (zset.value.size === 0) this.slots.delete(key);
    return removed;
  }

  /** Members ordered by (score, member) ascending, as ZRANGE WITHSCORES. */
  zrange(key: string): Array<{ member: string; score: number }> {
    const zset = this.typed(key, 'zset');
    if (zset === undefined) return [];
    return [...zset.value]
      .map(([member, score]) => ({ member, score }))
      .sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  }

  // sets
  sadd(key: string, member: string): void {
    const set = this.typed(key, 'set') ?? this.create(key, { type: 'set', value: new Set() });
    set.value.add(member);
  }

  srem(key: string, member: string): void {
    const set = this.typed(key, 'set');
    if (set === undefined) return;
    set.value.delete(member);
    if (set.value.size === 0) this.slots.delete(key);
  }

  smembers(key: string): string[] {
    return [...(this.typed(key, 'set')?.value ?? [])];
  }

  // pub/sub: delivery is asynchronous, like a message arriving over a socket
  publish(channel: string, payload: string): number {
    const handlers = this.channels.get(channel);
    if (handlers === undefined) return 0;
    for (const handler of handlers) queueMicrotask(() => handler(payload));
    return handlers.size;
  }

  subscribe(channel: string, handler: (payload: string) => void): () => void {
    let handlers = this.channels.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.channels.set(channel, handlers);
    }
    handlers.add(handler);
    return () => {
      const set = this.channels.get(channel);
      if (set === undefined) return;
      set.delete(handler);
      if (set.size === 0) this.channels.delete(channel);
    };
  }

  /**
   * Estimated bytes held by live keys: two per character of every key, member, field and value
   * (JavaScript strings are UTF-16), plus a fixed overhead per key and per entry. Walks the whole
   * key space: callers cache it (see the high-water mark).
   */
  approximateBytes(): number {
    const KEY = 96;
    const ENTRY = 48;
    let bytes = 0;
    for (const key of this.keys()) {
      const data = (this.slots.get(key) as Slot).data;
      bytes += KEY + 2 * key.length;
      switch (data.type) {
        case 'string':
          bytes += 2 * data.value.length;
          break;
        case 'hash':
          for (const [f, v] of data.value) bytes += ENTRY + 2 * (f.length + v.length);
          break;
        case 'stream':
          for (const e of data.value) {
            bytes += ENTRY + 2 * e.id.length;
            for (const [f, v] of Object.entries(e.fields)) bytes += ENTRY + 2 * (f.length + v.length);
          }
          break;
        case 'zset':
          for (const m of data.value.keys()) bytes += ENTRY + 2 * m.length;
          break;
        case 'set':
          for (const m of data.value) bytes += ENTRY + 2 * m.length;
          break;
      }
    }
    return bytes;
  }
}
