// The Redis adapter of the Store port (node-redis v5) on one Redis, Sentinel or Redis Cluster: one
// command connection (per node) + one subscriber connection (per primary).
import { createEventBus } from '../../events/event-bus.js';
import { RESYNC_PAYLOAD, type EventBus, type EventPayload } from '../../events/events.js';
import { createBatchGate } from './batch-gate.js';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  ErrorReply,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
} from 'redis';
import type { Clock } from '../../clock.js';
import {
  decodeAudit,
  decodeConversation,
  decodeNote,
  decodeNotes,
  decodeLogEntry,
  decodeResponder,
  decodeSession,
  decodeTeam,
  encodeAudit,
  encodeConversation,
  encodeNote,
  encodeResponder,
  encodeSession,
  encodeTeam,
  type Flat,
} from '../codec.js';
import { StoreConflictError, StoreUnavailableError } from '../errors.js';
import { createKeys, type Keys } from './keys.js';
import type {
  AuditLog,
  ConversationId,
  ConversationStore,
  DutyStore,
  MessageLog,
  NoteStore,
  OnceStore,
  PubSub,
  QueueStore,
  ResponderId,
  SecretStore,
  SessionStore,
  RecordStore,
  ExpiringRecordStore,
  StaffStore,
  StatsStore,
  Store,
  TeamRecord,
} from '../ports.js';
import { QUEUE_TTL_MS } from '../ports.js';
import { connectRedis, type Fanout, type PubSubTransport, type RedisAuth, type RedisCommands, type RedisTopology } from './connect.js';
import { createRedisCallbacks } from './redis-callbacks.js';
import { createRedisCounters, createRedisMemoryGauge } from './redis-counters.js';
import { createDurability, NO_DURABILITY, type Durability } from './durability.js';
import { parseAppendReply, parseClaimReply, parseTransferReply } from './scripts.js';

export interface RedisStoreOptions {
  /** redis:// or rediss:// URL of one Redis (shorthand for `topology: { mode: 'single', url }`). */
  readonly url?: string;
  /** One Redis, a Sentinel-managed primary or a Redis Cluster; wins over `url`. */
  readonly topology?: RedisTopology;
  /** Credentials and TLS of sentinel and cluster nodes (a URL carries its own). */
  readonly auth?: RedisAuth;
  /** How conversation events reach this instance on one Redis or Sentinel (see Fanout). Default 'channel'. */
  readonly fanout?: Fanout;
  /**
   * Replicas that must hold a message before its append resolves (WAIT, batched; see
   * durability.ts), and how long to wait for them. Default 0: acknowledged once the primary has it.
   */
  readonly waitReplicas?: number;
  readonly waitTimeoutMs?: number;
  /** Key prefix separating deployments or test runs that share one Redis (see ./keys.ts). */
  readonly prefix?: string;
  /** Accepted for symmetry with the memory adapter; Redis keeps TTLs on its own clock. */
  readonly clock?: Clock;
  /**
   * Receives connection-level errors (reconnects) and errors thrown by subscribe() handlers.
   * Commands never depend on it: each failing command rejects on its own.
   */
  readonly onError?: (error: Error) => void;
  /** How many times the first connection is tried before createRedisStore rejects. Default 5. */
  readonly connectAttempts?: number;
}

/** Redis error replies that mean "the store cannot take this now", not "the request is wrong". */
const UNAVAILABLE_REPLIES = ['OOM', 'LOADING', 'BUSY', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'CLUSTERDOWN', 'NOREPLICAS'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** Plain errors of the Sentinel and cluster clients that mean "no primary to talk to right now". */
const UNAVAILABLE_MESSAGES = ['no valid master node', 'Cluster closed'];

/**
 * True when `error` means the store is down or refusing writes: an OOM/LOADING/... reply (also as
 * the cause of a failed script), a closed/offline client, or a socket-level failure.
 */
export function isUnavailableError(error: unknown): boolean {
  if (error instanceof ErrorReply) {
    const message = error.message;
    // A write refused inside a Lua script arrives as "... OOM command not allowed ..." in Redis 7.
    return UNAVAILABLE_REPLIES.some((code) => message.startsWith(code) || message.includes(`${code} command not allowed`));
  }
  if (
    error instanceof ClientClosedError ||
    error instanceof ClientOfflineError ||
    error instanceof ConnectionTimeoutError ||
    error instanceof SocketClosedUnexpectedlyError ||
    error instanceof SocketTimeoutError ||
    error instanceof ReconnectStrategyError ||
    error instanceof RootNodesUnavailableError
  ) {
    return true;
  }
  if (error instanceof Error && UNAVAILABLE_MESSAGES.some((m) => error.message.includes(m))) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** Runs one store operation, turning unavailability into StoreUnavailableError; rethrows the rest. */
async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUnavailableError(error)) {
      throw new StoreUnavailableError(`store unavailable during ${operation}: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}

type RedisClient = RedisCommands;

const isEmpty = (flat: Record<string, string>) => Object.keys(flat).length === 0;

/**
 * Connects to Redis and returns the Store. Rejects with StoreUnavailableError when Redis does not
 * answer within `connectAttempts` tries. Scripts are loaded up front on one Redis (and re-sent by
 * node-redis on NOSCRIPT everywhere, e.g. after a restart or on a newly promoted primary).
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const keys = createKeys(options.prefix ?? '');
  const onError = options.onError ?? (() => undefined);
  const topology: RedisTopology | undefined = options.topology ?? (options.url === undefined ? undefined : { mode: 'single', url: options.url });
  if (topology === undefined) throw new Error('createRedisStore needs a url or a topology');
  const connect = (patternFanout: boolean) =>
    connectRedis({
      topology,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      ...(patternFanout ? { patternFanout: keys.conversationChannel('*' as ConversationId) } : {}),
      connectAttempts: options.connectAttempts ?? 5,
      onError,
    });
  const connection = await guarded('connect', () => connect(options.fanout === 'pattern'));
  let durability = NO_DURABILITY;
  if ((options.waitReplicas ?? 0) > 0) {
    try {
      const own = await guarded('connect', () => connect(false));
      durability = createDurability(own, { replicas: options.waitReplicas ?? 0, timeoutMs: options.waitTimeoutMs ?? 1_000, prefix: options.prefix ?? '' });
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }
  const client = connection.commands;
  const events = createEventBus(createRedisPubSub(connection.pubsub, onError), keys);
  return {
    conversations: createRedisConversationStore(client, keys, events),
    log: createRedisMessageLog(client, keys, durability),
    notes: createRedisNoteStore(client, keys),
    events,
    queues: createRedisQueueStore(client, keys),
    callbacks: createRedisCallbacks(client, keys, guarded),
    once: createRedisOnceStore(client, keys),
    secrets: createRedisSecretStore(client, keys),
    staff: createRedisStaffStore(client, keys),
    sessions: createRedisSessionStore(client, keys),
    duty: createRedisDutyStore(client, keys, events),
    audit: createRedisAuditLog(client, keys),
    stats: createRedisStatsStore(client, keys),
    records: createRedisRecordStore(client, keys),
    expiring: createRedisExpiringRecordStore(client, keys),
    counters: createRedisCounters(client, keys, guarded),
    memory: createRedisMemoryGauge(() => connection.memoryInfo(), guarded),
    ping: () => guarded('ping', () => connection.ping()),
    close: async () => {
      await Promise.all([connection.close(), durability.close()]);
    },
  };
}

function createRedisConversationStore(client: RedisClient, keys: Keys, events: EventBus): ConversationStore {
  const convKeys = (id: ConversationId) =>
    [keys.conversation(id), keys.log(id), keys.dedupe(id), keys.notes(id)] as const;
  return {
    create: (record, ttlMs) =>
      guarded('conversations.create', async () => {
        const reply = await client.utvagCreate(keys.conversation(record.id), ttlMs, encodeConversation(record));
        if (reply[0] === 'exists') throw new StoreConflictError(`conversation already exists`);
      }),
    get: (id) =>
      guarded('conversations.get', async () => {
        const flat = await client.hGetAll(keys.conversation(id));
        return isEmpty(flat) ? null : decodeConversation(flat);
      }),
    claim: (id, responder) =>
      guarded('conversations.claim', async () => parseClaimReply(await client.utvagClaim(keys.conversation(id), responder, keys.conversationChannel(id)))),
    transfer: (id, from, to, now) =>
      guarded('conversations.transfer', async () =>
        parseTransferReply(
          await client.utvagTransfer(
            keys.conversation(id),
            from,
            to.kind,
            to.kind === 'responder' ? to.responder : to.team,
            now,
            keys.conversationChannel(id),
          ),
        ),
      ),
    close: (id, by, outcome) =>
      guarded('conversations.close', async () =>
        parseTransferReply(await client.utvagClose(keys.conversation(id), by ?? '', outcome ?? '', keys.conversationChannel(id))),
      ),
    touch: (id, ttlMs) =>
      guarded('conversations.touch', async () => (await client.utvagTouch(convKeys(id), ttlMs)) === 1),
    erase: (id) =>
      guarded('conversations.erase', async () => {
        await client.del([...convKeys(id)]);
        await events.toConversation(id, { t: 'erased' });
      }),
  };
}

function createRedisNoteStore(client: RedisClient, keys: Keys): NoteStore {
  return {
    add: (id, note, budget) =>
      guarded('notes.add', async () => {
        const json = encodeNote(note);
        const reply = await client.utvagNoteAdd([keys.conversation(id), keys.notes(id)], json, budget.bytes, budget.maxNotes, budget.maxBytes);
        if (reply[0] === 'ok') return { ok: true, note: decodeNote(String(reply[1]), json) };
        if (reply[0] === 'gone' || reply[0] === 'full' || reply[0] === 'too-large') return { ok: false, reason: reply[0] };
        throw new Error(`unexpected reply from the note script: ${JSON.stringify(reply[0])}`);
      }),
    list: (id) => guarded('notes.list', async () => decodeNotes(await client.hGetAll(keys.notes(id)))),
  };
}

function createRedisMessageLog(client: RedisClient, keys: Keys, durability: Durability): MessageLog {
  const durable = durability !== NO_DURABILITY;
  // Appends go to Redis in batches under load (batch-gate.ts): one write and one read per batch.
  const appends = createBatchGate();
  const appendOne = (call: { keys: Parameters<RedisClient['utvagAppend']>[0]; args: Parameters<RedisClient['utvagAppend']>[1] }) => client.utvagAppend(call.keys, call.args);
  return {
    append: (id, from, session, input, ttlMs, maxEntries, budget) =>
      guarded('log.append', async () => {
        const args = {
          budget,
          cid: input.cid,
          from,
          session,
          kind: input.kind,
          body: input.body,
          ttlMs,
          maxEntries,
          channel: keys.conversationChannel(id),
          publish: !durable,
        };
        const reply = await appends.run(appendOne, { keys: [keys.conversation(id), keys.log(id), keys.dedupe(id), keys.notes(id)] as const, args });
        const result = parseAppendReply(reply, args);
        if (!durable || !result.ok) return result;
        // A repeated cid too: its first append may not have reached the replicas (nor subscribers)
        // yet. A rejection here (timeout, failover, entry lost with a dead primary) is no ack: the
        // client sends the same cid again, which dedupes or appends it anew on the new primary.
        await durability.afterWrite({ dedupe: keys.dedupe(id), cid: input.cid, id: result.entry.id });
        // Only now may subscribers see it (nothing they receive can vanish in a failover), in log
        // order even when another instance's round confirmed a later entry first.
        await client.utvagPublishDurable([keys.log(id), keys.dedupe(id)], result.entry.id, args.channel, ttlMs);
        return result;
      }),
    after: (id, after, limit) =>
      guarded('log.after', async () => {
        if (limit <= 0) return [];
        // "(" makes the start exclusive (Redis ≥ 6.2).
        const entries = (await client.xRange(keys.log(id), after === null ? '-' : `(${after}`, '+', { COUNT: limit })) ?? [];
        return entries.map((e) => decodeLogEntry(e.id, e.message as Flat));
      }),
  };
}

interface ChannelSubscription {
  readonly handlers: Set<(payload: EventPayload) => void>;
  /** The one node-redis listener of this channel; it fans out to `handlers`. */
  readonly listener: (message: EventPayload) => void;
  /** Settles when SUBSCRIBE was acknowledged (or failed). */
  readonly ready: Promise<void>;
}



/**
 * Multiplexes every subscribe() of this store over the transport's subscriber connection(s), one
 * (S)SUBSCRIBE per channel however many handlers listen to it.
 */
export function createRedisPubSub(transport: PubSubTransport, onError: (error: Error) => void): PubSub {
  const channels = new Map<string, ChannelSubscription>();
  // Messages published while the subscriber was away (reconnect, failover) are lost to it: once
  // the subscriptions are live again every channel's handlers replay from their last id. In between,
  // live messages are held back (dropped): one arriving on a channel already renewed would move a
  // reader's last id past the missed ones, and the replay that follows delivers it anyway.
  let suspended = false;
  transport.onInterrupted(() => {
    suspended = true;
  });
  transport.onResubscribed(() => {
    suspended = false;
    for (const subscription of channels.values()) subscription.listener(RESYNC_PAYLOAD);
  });

  const open = (channel: string): ChannelSubscription => {
    const handlers = new Set<(payload: EventPayload) => void>();
    const listener = (message: EventPayload) => {
      if (suspended && message !== RESYNC_PAYLOAD) return;
      // One handler per channel and instance is the rule (the realtime hub fans out): no copy then.
      for (const handler of handlers.size === 1 ? handlers : [...handlers]) {
        try {
          handler(message);
        } catch (error) {
          // One failing handler must not starve the others; report it instead of losing it.
          onError(error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    const subscription: ChannelSubscription = { handlers, listener, ready: transport.subscribe(channel, listener) };
    subscription.ready.catch(() => {
      if (channels.get(channel) === subscription) channels.delete(channel);
    });
    channels.set(channel, subscription);
    return subscription;
  };

  return {
    publish: (channel, payload) =>
      guarded('pubsub.publish', async () => {
        await transport.publish(channel, payload);
      }),
    subscribe: (channel, handler) =>
      guarded('pubsub.subscribe', async () => {
        const subscription = channels.get(channel) ?? open(channel);
        subscription.handlers.add(handler);
        try {
          await subscription.ready;
        } catch (error) {
          subscription.handlers.delete(handler);
          throw error;
        }
        let active = true;
        return async () => {
          if (!active) return;
          active = false;
          subscription.handlers.delete(handler);
          if (subscription.handlers.size > 0 || channels.get(channel) !== subscription) return;
          channels.delete(channel);
          try {
            await transport.unsubscribe(channel, subscription.listener);
          } catch (error) {
            // The handler is gone already; a connection that failed meanwhile took the subscription
            // with it (or re-creates it for a listener with no handlers left). Report, never reject:
            // sockets closing during a failover unsubscribe without waiting.
            onError(error instanceof Error ? error : new Error(String(error)));
          }
        };
      }),
  };
}

function createRedisQueueStore(client: RedisClient, keys: Keys): QueueStore {
  return {
    add: (team, id, score) =>
      guarded('queues.add', async () => {
        await client.multi().zAdd(keys.queue(team), { score, value: id }).pExpire(keys.queue(team), QUEUE_TTL_MS).exec();
      }),
    remove: (team, id) =>
      guarded('queues.remove', async () => (await client.zRem(keys.queue(team), id)) > 0),
    list: (team, limit) =>
      guarded('queues.list', async () => {
        if (limit <= 0) return [];
        const entries = await client.zRangeWithScores(keys.queue(team), 0, limit - 1);
        return entries.map((e) => ({ id: e.value as ConversationId, score: e.score }));
      }),
    rank: (team, id) => guarded('queues.rank', async () => client.zRank(keys.queue(team), id)),
    size: (team) => guarded('queues.size', async () => client.zCard(keys.queue(team))),
  };
}

function createRedisOnceStore(client: RedisClient, keys: Keys): OnceStore {
  return {
    claimOnce: (key, ttlMs) =>
      guarded('once.claimOnce', async () => {
        const reply = await client.set(keys.once(key), '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
        return reply === 'OK';
      }),
  };
}

function createRedisSecretStore(client: RedisClient, keys: Keys): SecretStore {
  return {
    getOrCreate: (name, candidate) =>
      guarded('secrets.getOrCreate', async () => {
        const key = keys.secret(name);
        await client.set(key, candidate, { condition: 'NX' });
        const stored = await client.get(key);
        if (stored === null) throw new Error(`secret "${name}" vanished right after it was stored`);
        return stored;
      }),
  };
}

function createRedisRecordStore(client: RedisClient, keys: Keys): RecordStore {
  return {
    put: (collection, id, value) =>
      guarded('records.put', async () => {
        await client.hSet(keys.records(collection), id, value);
      }),
    get: (collection, id) => guarded('records.get', async () => (await client.hGet(keys.records(collection), id)) ?? null),
    delete: (collection, id) =>
      guarded('records.delete', async () => {
        await client.hDel(keys.records(collection), id);
      }),
    list: (collection) =>
      guarded('records.list', async () =>
        Object.entries(await client.hGetAll(keys.records(collection)))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([id, value]) => ({ id, value })),
      ),
  };
}

/** SET value PX ttl, index it by expiry (Redis clock), prune expired members, index TTL = last expiry. */
const EXPIRING_PUT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[2], last[2]) end
return 1`;

function createRedisExpiringRecordStore(client: RedisClient, keys: Keys): ExpiringRecordStore {
  return {
    put: (collection, id, value, ttlMs) =>
      guarded('expiring.put', async () => {
        await client.eval(EXPIRING_PUT, {
          keys: [keys.expiring(collection, id), keys.expiringIndex(collection)],
          arguments: [value, String(Math.max(1, Math.ceil(ttlMs))), id],
        });
      }),
    get: (collection, id) => guarded('expiring.get', async () => (await client.get(keys.expiring(collection, id))) ?? null),
    delete: (collection, id) =>
      guarded('expiring.delete', async () => {
        await client.del(keys.expiring(collection, id));
        await client.zRem(keys.expiringIndex(collection), id);
      }),
    list: (collection) =>
      guarded('expiring.list', async () => {
        const index = keys.expiringIndex(collection);
        const members = await client.zRangeWithScores(index, 0, -1);
        if (members.length === 0) return [];
        const values = await client.mGet(members.map((m) => keys.expiring(collection, m.value)));
        const live: Array<{ id: string; value: string; expiresAt: number }> = [];
        const dead: string[] = [];
        members.forEach((m, i) => {
          const value = values[i];
          if (value === null || value === undefined) dead.push(m.value);
          else live.push({ id: m.value, value, expiresAt: m.score });
        });
        if (dead.length > 0) await client.zRem(index, dead);
        return live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      }),
  };
}

/** KEYS: key · ARGV: value → deletes the key only while it still holds `value`. */
const DELETE_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

function createRedisStaffStore(client: RedisClient, keys: Keys): StaffStore {
  const getResponder = async (id: ResponderId) => {
    const flat = await client.hGetAll(keys.responder(id));
    return isEmpty(flat) ? null : decodeResponder(flat);
  };
  const getTeam = async (id: TeamRecord['id']) => {
    const flat = await client.hGetAll(keys.team(id));
    return isEmpty(flat) ? null : decodeTeam(flat);
  };
  return {
    putResponder: (record) =>
      guarded('staff.putResponder', async () => {
        // The record and its login index live in different cluster slots, so no MULTI: the index
        // first, then the record, then the old login's index if it still points here. Between the
        // steps (or after a crash) findResponderByLogin checks the record's login, so a stale
        // index entry resolves to nobody, never to someone else.
        const previousLogin = await client.hGet(keys.responder(record.id), 'login');
        await client.set(keys.responderLogin(record.login), record.id);
        await client.hSet(keys.responder(record.id), encodeResponder(record));
        if (previousLogin != null && previousLogin !== record.login) {
          await client.eval(DELETE_IF_EQUAL, { keys: [keys.responderLogin(previousLogin)], arguments: [record.id] });
        }
      }),
    getResponder: (id) => guarded('staff.getResponder', () => getResponder(id)),
    findResponderByLogin: (login) =>
      guarded('staff.findResponderByLogin', async () => {
        const id = await client.get(keys.responderLogin(login));
        if (id === null) return null;
        const record = await getResponder(id as ResponderId);
        // A stale index entry (login renamed meanwhile) must not resolve to someone else.
        return record !== null && record.login === login ? record : null;
      }),
    putTeam: (record) =>
      guarded('staff.putTeam', async () => {
        // Record first, then the index (another slot on a cluster): listTeams skips ids without a record.
        await client.hSet(keys.team(record.id), encodeTeam(record));
        await client.sAdd(keys.teamIndex(), record.id);
      }),
    getTeam: (id) => guarded('staff.getTeam', () => getTeam(id)),
    listTeams: () =>
      guarded('staff.listTeams', async () => {
        const ids = (await client.sMembers(keys.teamIndex())).sort();
        const teams = await Promise.all(ids.map((id) => getTeam(id as TeamRecord['id'])));
        return teams.filter((t): t is TeamRecord => t !== null);
      }),
  };
}

function createRedisSessionStore(client: RedisClient, keys: Keys): SessionStore {
  return {
    create: (idHash, record, ttlMs) =>
      guarded('sessions.create', async () => {
        const key = keys.session(idHash);
        await client.multi().del(key).hSet(key, encodeSession(record)).pExpire(key, ttlMs).exec();
      }),
    get: (idHash, ttlMs) =>
      guarded('sessions.get', async () => {
        const key = keys.session(idHash);
        // PEXPIRE first: if the key expires in between, HGETALL sees nothing and we answer null.
        const [, flat] = await client.multi().pExpire(key, ttlMs).hGetAll(key).exec();
        const record = flat as unknown as Record<string, string>;
        return isEmpty(record) ? null : decodeSession(record);
      }),
    delete: (idHash) =>
      guarded('sessions.delete', async () => {
        await client.del(keys.session(idHash));
      }),
  };
}

function createRedisDutyStore(client: RedisClient, keys: Keys, events: EventBus): DutyStore {
  return {
    setOnDuty: (team, responder, onDuty) =>
      guarded('duty.setOnDuty', async () => {
        const changed = onDuty ? await client.sAdd(keys.duty(team), responder) : await client.sRem(keys.duty(team), responder);
        if (changed > 0) await events.toTeam(team, { t: 'duty' });
      }),
    heartbeat: (responder, ttlMs) =>
      guarded('duty.heartbeat', async () => {
        await client.set(keys.presence(responder), '1', { expiration: { type: 'PX', value: ttlMs } });
      }),
    onDuty: (team) =>
      guarded('duty.onDuty', async () => {
        const members = (await client.sMembers(keys.duty(team))).sort() as ResponderId[];
        // Presence keys live in other slots than the duty set, so check them one by one (cluster-safe).
        const alive = await Promise.all(members.map((r) => client.exists(keys.presence(r))));
        const dead = members.filter((_, i) => alive[i] === 0);
        if (dead.length > 0) await client.sRem(keys.duty(team), dead);
        return members.filter((_, i) => alive[i] !== 0);
      }),
  };
}

/** The audit stream keeps roughly this many entries (approximate trim, cheap). */
const AUDIT_MAX_ENTRIES = 100_000;

function createRedisAuditLog(client: RedisClient, keys: Keys): AuditLog {
  return {
    append: (entry) =>
      guarded('audit.append', async () => {
        await client.xAdd(keys.audit(), '*', encodeAudit(entry), {
          TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: AUDIT_MAX_ENTRIES },
        });
      }),
    recent: (limit) =>
      guarded('audit.recent', async () => {
        if (limit <= 0) return [];
        const entries = (await client.xRevRange(keys.audit(), '+', '-', { COUNT: limit })) ?? [];
        return entries.map((e) => decodeAudit(e.message as Flat));
      }),
    purgeBefore: (at) =>
      guarded('audit.purgeBefore', async () => {
        // The whole stream in pages (it is capped, and instances' clocks may disagree a little).
        let removed = 0;
        let start = '-';
        for (;;) {
          const page = (await client.xRange(keys.audit(), start, '+', { COUNT: 500 })) ?? [];
          const old = page.filter((e) => decodeAudit(e.message as Flat).at < at).map((e) => e.id);
          if (old.length > 0) removed += await client.xDel(keys.audit(), old);
          const last = page.at(-1);
          if (last === undefined || page.length < 500) return removed;
          start = `(${last.id}`;
        }
      }),
  };
}

function createRedisStatsStore(client: RedisClient, keys: Keys): StatsStore {
  return {
    increment: (day, field, by) =>
      guarded('stats.increment', async () => {
        // The index first, so it always lists every day that has counters (retention finds them).
        await client.sAdd(keys.statsDays(), day);
        await client.hIncrBy(keys.stats(day), field, by);
      }),
    days: () => guarded('stats.days', async () => (await client.sMembers(keys.statsDays())).sort()),
    deleteDay: (day) =>
      guarded('stats.deleteDay', async () => {
        await client.del(keys.stats(day));
        await client.sRem(keys.statsDays(), day);
      }),
    day: (day) =>
      guarded('stats.day', async () => {
        const flat = await client.hGetAll(keys.stats(day));
        return Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, Number(v)]));
      }),
  };
}
