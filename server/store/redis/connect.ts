// Connects node-redis to one Redis, to the primary a set of Sentinels names, or to a Redis Cluster, and
// gives the Store one command API and one pub/sub transport for all three.
import { ClientClosedError, createClient, createCluster, createSentinel, type RedisClientOptions } from 'redis';
import { randomBytes } from 'node:crypto';
import type { EventPayload } from '../../events/events.js';
import { scriptsFor, type Scripts } from './scripts.js';

export interface RedisHost {
  readonly host: string;
  readonly port: number;
}

/** Where Redis is: one server (URL), a Sentinel-managed primary, or a Redis Cluster. */
export type RedisTopology =
  | { readonly mode: 'single'; readonly url: string }
  | { readonly mode: 'sentinel'; readonly name: string; readonly sentinels: readonly RedisHost[] }
  | { readonly mode: 'cluster'; readonly nodes: readonly RedisHost[] };

export type RedisMode = RedisTopology['mode'];

/** Credentials and TLS for sentinel and cluster mode (a single server takes them from its URL). */
export interface RedisAuth {
  /** ACL user of the data nodes. */
  readonly username?: string;
  readonly password?: string;
  /** TLS to every node (and to the Sentinels). */
  readonly tls?: boolean;
  /** Password of the Sentinels themselves, when they require one (`requirepass` in sentinel.conf). */
  readonly sentinelPassword?: string;
}

/**
 * node-redis 6 gives every command a 5 s timeout by default, an AbortSignal.timeout and its listener
 * per command (a DOMException, a timer: about 5 % of the relay's CPU per message in the profile).
 * On one Redis the store keeps node-redis 5's behaviour: no per-command timer; a command fails fast
 * while the connection is down (disableOfflineQueue) and the WAIT of durable acks has its own timeout.
 * Sentinel and Cluster keep node-redis's default (their failover handling was tested with it).
 */
const NO_COMMAND_TIMEOUT = { timeout: 0 } as const;

function typedClient(options: RedisClientOptions) {
  return createClient({ ...options, scripts: scriptsFor('single') as Scripts });
}

/**
 * The command API the Store uses. A cluster or Sentinel client is typed as a single-server client:
 * the Store calls only keyed commands (routed by their first key), single-slot scripts and
 * single-slot MULTI, which behave alike on all three.
 */
export type RedisCommands = ReturnType<typeof typedClient>;

/** How the Store's PubSub reaches Redis: plain PUBLISH/SUBSCRIBE, or sharded on a cluster. */
export interface PubSubTransport {
  publish(channel: string, payload: string): Promise<void>;
  /** Resolves once Redis acknowledged the subscription. */
  subscribe(channel: string, listener: (message: EventPayload) => void): Promise<void>;
  unsubscribe(channel: string, listener: (message: EventPayload) => void): Promise<void>;
  /**
   * `callback` runs after the subscriptions were interrupted (reconnect, failover) and are live
   * again: messages published meanwhile may have been missed.
   */
  onResubscribed(callback: () => void): void;
  /**
   * `callback` runs when the subscriptions were interrupted; onResubscribed's callbacks always follow
   * once they are live again. Until then a message that arrives (on a channel already renewed) may
   * come after ones that were missed, so it must not move a reader's last id past them.
   */
  onInterrupted(callback: () => void): void;
}

export interface RedisConnection {
  readonly mode: RedisMode;
  readonly commands: RedisCommands;
  readonly pubsub: PubSubTransport;
  /** Resolves when every primary answers. */
  ping(): Promise<void>;
  /** The `INFO memory` text of every primary. */
  memoryInfo(): Promise<string[]>;
  /** "host:port" of the primary serving `slot` now (one Redis or Sentinel: always "primary"). */
  masterOf(slot: number): string;
  close(): Promise<void>;
  /** Tears the connections down without waiting for replies (failed start). */
  destroy(): void;
}

export interface ConnectOptions {
  readonly topology: RedisTopology;
  readonly auth?: RedisAuth;
  /** How many times the first connection is tried (single mode). */
  readonly connectAttempts: number;
  /** How long sentinel and cluster mode may take to connect. Default 10 s. */
  readonly connectTimeoutMs?: number;
  readonly onError: (error: Error) => void;
  /**
   * One Redis or Sentinel only: a glob with one `*` naming the channels (every conversation's) that
   * one PSUBSCRIBE per instance carries instead of a SUBSCRIBE per channel; see `Fanout`.
   */
  readonly patternFanout?: string;
}

/**
 * How conversation events reach an instance on one Redis or Sentinel. 'channel': a SUBSCRIBE per
 * conversation the instance has sockets for (Redis sends each instance only what it needs; every
 * socket that opens or closes a conversation costs a round trip). 'pattern': one PSUBSCRIBE per
 * instance (no round trip per socket, fewer Redis objects with many idle sockets; every instance
 * receives every conversation's events, which costs little with two or three instances). A
 * cluster always uses sharded channels (SSUBSCRIBE), which no pattern can span.
 */
export type Fanout = 'channel' | 'pattern';

/** Routes the channels `pattern` matches through one pattern subscription, the others through `base`. */
function withPatternFanout(
  base: PubSubTransport,
  pattern: string,
  pSubscribe: (pattern: string, listener: (message: string, channel: string) => void) => Promise<unknown>,
): PubSubTransport {
  const [head = '', tail = ''] = pattern.split('*');
  const matches = (channel: string) => channel.length >= head.length + tail.length && channel.startsWith(head) && channel.endsWith(tail);
  const local = new Map<string, (message: EventPayload) => void>();
  let live: Promise<void> | null = null;
  const ensure = () =>
    (live ??= pSubscribe(pattern, (message, channel) => local.get(channel)?.(message)).then(
      () => undefined,
      (error: unknown) => {
        live = null;
        throw error;
      },
    ));
  return {
    publish: (channel, payload) => base.publish(channel, payload),
    subscribe: async (channel, listener) => {
      if (!matches(channel)) return base.subscribe(channel, listener);
      local.set(channel, listener);
      try {
        await ensure();
      } catch (error) {
        if (local.get(channel) === listener) local.delete(channel);
        throw error;
      }
    },
    unsubscribe: async (channel, listener) => {
      if (!matches(channel)) return base.unsubscribe(channel, listener);
      if (local.get(channel) === listener) local.delete(channel);
    },
    onResubscribed: (cb) => base.onResubscribed(cb),
    onInterrupted: (cb) => base.onInterrupted(cb),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** node-redis re-sends SUBSCRIBE on reconnect before 'ready'; wait a little before replaying. */
const RESYNC_DELAY_MS = 100;
const backoff = (retries: number) => Math.min(50 * 2 ** retries, 2_000);
const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** Connects to `options.topology`; rejects when it cannot (the caller maps that to StoreUnavailableError). */
export async function connectRedis(options: ConnectOptions): Promise<RedisConnection> {
  switch (options.topology.mode) {
    case 'single':
      return connectSingle(options.topology.url, options);
    case 'sentinel':
      return connectSentinel(options.topology, options);
    case 'cluster':
      return connectCluster(options.topology, options);
  }
}

/** Rejects after `ms`, running `onTimeout` (e.g. destroy the half-open client). */
async function within<T>(ms: number, what: string, run: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onTimeout();
          const error = new Error(`${what}: no answer within ${ms} ms`) as Error & { code: string };
          error.code = 'ETIMEDOUT';
          reject(error);
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function connectSingle(url: string, options: ConnectOptions): Promise<RedisConnection> {
  let everReady = false;
  const client = typedClient({
    url,
    commandOptions: NO_COMMAND_TIMEOUT,
    // Fail fast while reconnecting: the app answers 503 with a retry hint instead of hanging.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (!everReady && retries + 1 >= options.connectAttempts) return cause;
        return backoff(retries);
      },
    },
  });
  client.on('ready', () => {
    everReady = true;
  });
  // One connection carries commands and pub/sub: with RESP3 (node-redis 6's default) Redis pushes
  // published messages on the connection that subscribed, between replies. An append's reply and
  // the event it published then come in one write from Redis and one read here, instead of a write
  // and a read on each of two connections (the largest part of Redis's and the relay's CPU per message).
  const subscriber = client;
  // Without an 'error' listener an EventEmitter throws; the errors also reach the failing command.
  client.on('error', options.onError);
  try {
    await client.connect();
    await Promise.all(Object.values(scriptsFor('single')).map((script) => client.scriptLoad(script.SCRIPT)));
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw error;
  }

  const callbacks: Array<() => void> = [];
  const interruptions: Array<() => void> = [];
  subscriber.on('reconnecting', () => interruptions.forEach((cb) => cb()));
  let readyBefore = subscriber.isReady;
  subscriber.on('ready', () => {
    if (!readyBefore) {
      readyBefore = true;
      return;
    }
    setTimeout(() => callbacks.forEach((cb) => cb()), RESYNC_DELAY_MS).unref();
  });

  const transport: PubSubTransport = {
    publish: async (channel, payload) => {
      await client.publish(channel, payload);
    },
    // As bytes: node-redis reads a published message as a Buffer; a string listener would have it
    // decoded for every message, and the sockets' writes encode it again (events.ts EventPayload).
    subscribe: (channel, listener) => subscriber.subscribe(channel, listener, true),
    unsubscribe: async (channel, listener) => {
      if (subscriber.isOpen) await subscriber.unsubscribe(channel, listener, true);
    },
    onResubscribed: (cb) => callbacks.push(cb),
    onInterrupted: (cb) => interruptions.push(cb),
  };
  return {
    mode: 'single',
    commands: client,
    masterOf: () => 'primary',
    pubsub:
      options.patternFanout === undefined
        ? transport
        : withPatternFanout(transport, options.patternFanout, (pattern, listener) => subscriber.pSubscribe(pattern, listener)),
    ping: async () => {
      await client.ping();
    },
    memoryInfo: async () => [await client.info('memory')],
    close: async () => {
      if (client.isOpen) await client.close();
    },
    destroy: () => {
      if (client.isOpen) client.destroy();
    },
  };
}

function nodeOptions(auth: RedisAuth | undefined) {
  return {
    ...(auth?.username === undefined ? {} : { username: auth.username }),
    ...(auth?.password === undefined ? {} : { password: auth.password }),
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number) => backoff(retries),
      ...(auth?.tls === true ? { tls: true as const } : {}),
    },
  };
}

/**
 * After an interruption, runs `callbacks` once the pub/sub connection demonstrably works again: a
 * fresh probe channel is subscribed through it (which waits for the reconnection and its
 * re-subscriptions) and dropped. Interruptions while a round runs start another round after it.
 */
function resubscribeWatcher(probe: (channel: string) => Promise<void>, isOpen: () => boolean) {
  const callbacks: Array<() => void> = [];
  let running = false;
  let again = false;
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        for (let attempt = 0; isOpen(); attempt += 1) {
          try {
            await probe(`utvag-probe:${randomBytes(8).toString('hex')}`);
            break;
          } catch {
            await sleep(backoff(attempt));
          }
        }
        if (!isOpen()) return;
        await sleep(RESYNC_DELAY_MS);
        for (const cb of callbacks) cb();
      } while (again);
    } finally {
      running = false;
    }
  };
  return {
    callbacks,
    interrupted: () => {
      if (running) again = true;
      else void run();
    },
  };
}

async function connectSentinel(
  topology: Extract<RedisTopology, { mode: 'sentinel' }>,
  options: ConnectOptions,
): Promise<RedisConnection> {
  const auth = options.auth;
  const sentinel = createSentinel({
    name: topology.name,
    sentinelRootNodes: topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
    nodeClientOptions: nodeOptions(auth),
    sentinelClientOptions: {
      ...(auth?.sentinelPassword === undefined ? {} : { password: auth.sentinelPassword }),
      socket: { connectTimeout: 5_000, ...(auth?.tls === true ? { tls: true as const } : {}) },
    },
    scripts: scriptsFor('sentinel'),
    // Topology changes arrive through the Sentinels' pub/sub at once; the scan is a safety net.
    scanInterval: 5_000,
  });
  let open = true;
  const noop = () => undefined;
  const watcher = resubscribeWatcher(
    async (channel) => {
      await tracked(sentinel.subscribe(channel, noop));
      await tracked(sentinel.unsubscribe(channel, noop));
    },
    () => open,
  );
  sentinel.on('error', (error: unknown) => {
    options.onError(asError(error));
    watcher.interrupted();
  });
  sentinel.on('client-error', (event: { error: Error }) => {
    options.onError(event.error);
    watcher.interrupted();
  });
  sentinel.on('topology-change', (event: { type: string }) => {
    if (event.type === 'MASTER_CHANGE') watcher.interrupted();
  });
  // Closing tears the pub/sub connection down without waiting for its replies: let (un)subscribes
  // in flight (a socket closing right before) finish first.
  const inflight = new Set<Promise<unknown>>();
  const tracked = <T>(run: Promise<T>): Promise<T> => {
    inflight.add(run);
    void run.catch(noop).finally(() => inflight.delete(run));
    return run;
  };
  const close = async () => {
    open = false;
    await Promise.allSettled([...inflight]);
    await sentinel.close();
  };
  try {
    await within(options.connectTimeoutMs ?? 10_000, 'sentinel connect', sentinel.connect(), () => void sentinel.destroy());
  } catch (error) {
    open = false;
    void sentinel.destroy().catch(noop);
    throw error;
  }
  const transport: PubSubTransport = {
    publish: async (channel, payload) => {
      await sentinel.publish(channel, payload);
    },
    subscribe: async (channel, listener) => {
      await tracked(sentinel.subscribe(channel, listener));
    },
    unsubscribe: async (channel, listener) => {
      if (open) await tracked(sentinel.unsubscribe(channel, listener as Parameters<typeof sentinel.unsubscribe>[1]));
    },
    onResubscribed: (cb) => watcher.callbacks.push(cb),
    // Not signalled: the Sentinel client reports errors of every node it knows (a dead old primary's
    // reconnect attempts go on for as long as it is down), so an interruption here is not followed by
    // a resync in bounded time, and holding live messages back until then would stall delivery.
    // The pub/sub proxy renews all channels at once on a master change; the window in which a live
    // message can overtake a missed one is the RESYNC_DELAY_MS before the replay.
    onInterrupted: () => undefined,
  };
  return {
    mode: 'sentinel',
    commands: sentinel as unknown as RedisCommands,
    masterOf: () => 'primary',
    pubsub:
      options.patternFanout === undefined
        ? transport
        : withPatternFanout(transport, options.patternFanout, (pattern, listener) => tracked(sentinel.pSubscribe(pattern, listener))),
    ping: async () => {
      await sentinel.ping();
    },
    memoryInfo: async () => [await (sentinel as unknown as RedisCommands).info('memory')],
    close,
    destroy: () => {
      open = false;
      void sentinel.destroy().catch(noop);
    },
  };
}

async function connectCluster(topology: Extract<RedisTopology, { mode: 'cluster' }>, options: ConnectOptions): Promise<RedisConnection> {
  if (options.patternFanout !== undefined) throw new Error('pattern fan-out is not available on a cluster (sharded pub/sub has no patterns)');
  const cluster = createCluster({
    rootNodes: topology.nodes.map((n) => ({ socket: { host: n.host, port: n.port } })),
    defaults: nodeOptions(options.auth),
    scripts: scriptsFor('cluster'),
  });
  let open = true;
  const listeners = new Map<string, (message: EventPayload) => void>();
  const callbacks: Array<() => void> = [];
  const interruptions: Array<() => void> = [];

  // node-redis refreshes the slot map only on MOVED/ASK: a master that dies answers neither, so on
  // any node trouble the topology is re-read until every master in it answers again (its replica
  // promoted, or it came back), then every sharded subscription is renewed on the slot's current
  // master and listeners replay what they may have missed.
  let healing = false;
  let healAgain = false;
  const allMastersReady = () => cluster.masters.length > 0 && cluster.masters.every((m) => m.client?.isReady === true);
  const heal = async () => {
    for (const cb of interruptions) cb();
    if (healing) {
      healAgain = true;
      return;
    }
    healing = true;
    try {
      do {
        healAgain = false;
        for (let attempt = 0; open; attempt += 1) {
          await sleep(Math.min(100 * 2 ** attempt, 1_000));
          if (!open) return;
          const live = cluster.masters.find((m) => m.client?.isReady === true)?.client;
          try {
            if (live !== undefined) await cluster._slots.rediscover(live as never);
            if (!allMastersReady()) continue;
            for (const [channel, listener] of listeners) await cluster.sSubscribe(channel, listener);
            break;
          } catch (error) {
            options.onError(asError(error));
          }
        }
        if (!open) return;
        for (const cb of callbacks) cb();
      } while (healAgain);
    } finally {
      healing = false;
    }
  };
  cluster.on('error', (error: unknown) => options.onError(asError(error)));
  cluster.on('node-error', (error: unknown) => {
    options.onError(asError(error));
    void heal();
  });
  cluster.on('node-reconnecting', () => void heal());
  cluster.on('sharded-shannel-moved-error', (error: unknown) => {
    options.onError(asError(error));
    void heal();
  });

  try {
    await within(options.connectTimeoutMs ?? 10_000, 'cluster connect', cluster.connect(), () => cluster.destroy());
  } catch (error) {
    open = false;
    if (cluster.isOpen) cluster.destroy();
    throw error;
  }
  return {
    mode: 'cluster',
    commands: cluster as unknown as RedisCommands,
    masterOf: (slot) => cluster.slots[slot]?.master.address ?? 'unknown',
    pubsub: {
      publish: async (channel, payload) => {
        await cluster.sPublish(channel, payload);
      },
      subscribe: async (channel, listener) => {
        listeners.set(channel, listener);
        try {
          await cluster.sSubscribe(channel, listener);
        } catch (error) {
          if (listeners.get(channel) === listener) listeners.delete(channel);
          throw error;
        }
      },
      unsubscribe: async (channel, listener) => {
        if (listeners.get(channel) === listener) listeners.delete(channel);
        if (!open) return;
        try {
          await cluster.sUnsubscribe(channel, listener);
        } catch (error) {
          // node-redis closes a shard's subscriber once its last channel goes; an unsubscribe racing
          // with that finds it closed, and a closed connection holds no subscription: done.
          if (!(error instanceof ClientClosedError)) throw error;
        }
      },
      onResubscribed: (cb) => callbacks.push(cb),
      onInterrupted: (cb) => interruptions.push(cb),
    },
    ping: async () => {
      await Promise.all(cluster.masters.map(async (m) => (await cluster.nodeClient(m)).ping()));
    },
    memoryInfo: async () => Promise.all(cluster.masters.map(async (m) => (await cluster.nodeClient(m)).info('memory'))),
    close: async () => {
      open = false;
      await cluster.close();
    },
    destroy: () => {
      open = false;
      cluster.destroy();
    },
  };
}
