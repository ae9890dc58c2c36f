// Prometheus metrics (prom-client) on a registry of their own: hooks the app and the store call, and
// gauges read at scrape time. No label carries anything per visitor: only bounded, staff-defined or
// protocol-defined values (team ids, error codes, store operation names, sender, envelope kind).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../clock.js';
import type { ConversationId, Store, TeamId } from '../store/ports.js';

export type ClaimOutcome = 'ok' | 'taken' | 'gone' | 'closed';
/** How a store operation ended: answered, refused/unreachable (503), or anything else. */
export type StoreOutcome = 'ok' | 'unavailable' | 'error';

/**
 * What the server reports. Every hook is cheap and synchronous; the app takes it as a dependency
 * (`noopMetrics` when none is given), so tests and embedded use need no registry.
 */
export interface Metrics {
  /** A message was stored and fanned out (duplicates by client id are not counted). */
  messageRelayed(from: 'visitor' | 'responder', kind: string): void;
  claim(outcome: ClaimOutcome): void;
  /** An error answered to a client, by its stable code (server/errors.ts). */
  error(code: string, transport: 'http' | 'ws'): void;
  /** One store call: operation name ("log.append"), duration in seconds, outcome. */
  storeOperation(operation: string, seconds: number, outcome: StoreOutcome): void;
  socketOpened(): void;
  socketClosed(): void;
}

export const noopMetrics: Metrics = {
  messageRelayed: () => undefined,
  claim: () => undefined,
  error: () => undefined,
  storeOperation: () => undefined,
  socketOpened: () => undefined,
  socketClosed: () => undefined,
};

export interface MetricsRegistry {
  readonly metrics: Metrics;
  readonly registry: Registry;
  /**
   * Reads queue length and oldest wait per team from `store` at each scrape. The store passed
   * here should be the raw one, so scrapes do not show up in the store latency histogram.
   */
  observeQueues(store: Store): void;
}

/** Seconds; store calls are sub-millisecond on a local Redis and seconds when it struggles. */
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Mirrors the queue score of conversations/service.ts: danger entries sort this far earlier. */
const DANGER_OFFSET = 1e13;
/** Queue entries inspected per team and scrape for the oldest wait (stale ids are skipped). */
const OLDEST_SCAN = 20;

export interface CreateMetricsOptions {
  readonly clock: Clock;
  /** Metric name prefix. Default "utvag_". */
  readonly prefix?: string;
  /** Node process metrics (event-loop lag, heap, GC, CPU). Default true. */
  readonly processMetrics?: boolean;
}

/** A fresh registry with every Utväg series; nothing global is touched. */
export function createMetrics(options: CreateMetricsOptions): MetricsRegistry {
  const p = options.prefix ?? 'utvag_';
  const registry = new Registry();
  const registers = [registry];

  const relayed = new Counter({
    name: `${p}messages_relayed_total`,
    help: 'Messages stored and fanned out, by sender and envelope kind',
    labelNames: ['from', 'kind'] as const,
    registers,
  });
  const claims = new Counter({ name: `${p}claims_total`, help: 'Claim attempts by outcome', labelNames: ['outcome'] as const, registers });
  const errors = new Counter({
    name: `${p}errors_total`,
    help: 'Errors answered to clients, by error code and transport',
    labelNames: ['code', 'transport'] as const,
    registers,
  });
  const storeSeconds = new Histogram({
    name: `${p}store_operation_seconds`,
    help: 'Latency of store operations, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: STORE_BUCKETS,
    registers,
  });
  const sockets = new Gauge({ name: `${p}websockets_open`, help: 'Open WebSocket connections on this instance', registers });

  let queueStore: Store | null = null;
  // Both queue gauges are read from one pass over the store per scrape (the registry collects
  // its metrics concurrently, so each gauge awaits the same pass).
  let collecting: Promise<void> | null = null;
  const collectOnce = async () => {
    if (queueStore === null) return;
    collecting ??= collectQueues(queueStore).finally(() => {
      collecting = null;
    });
    await collecting;
  };
  const queueLength = new Gauge({
    name: `${p}queue_length`,
    help: 'Conversations waiting in a team queue',
    labelNames: ['team'] as const,
    registers,
    collect: collectOnce,
  });
  const oldestWait = new Gauge({
    name: `${p}queue_oldest_wait_seconds`,
    help: 'How long the longest-waiting conversation of a team queue has waited',
    labelNames: ['team'] as const,
    registers,
    collect: collectOnce,
  });
  const scrapeErrors = new Counter({
    name: `${p}metrics_collect_errors_total`,
    help: 'Scrapes in which the queue gauges could not be read from the store',
    registers,
  });

  async function collectQueues(store: Store): Promise<void> {
    try {
      const teams = await store.staff.listTeams();
      queueLength.reset();
      oldestWait.reset();
      const now = options.clock.now();
      for (const team of teams) {
        queueLength.set({ team: team.id }, await store.queues.size(team.id));
        oldestWait.set({ team: team.id }, (await oldestQueuedAt(store, team.id, now)) / 1000);
      }
    } catch {
      // A store that cannot answer must not fail the whole scrape: the other series still matter.
      scrapeErrors.inc();
    }
  }

  /** Milliseconds the oldest live waiting entry has waited, 0 when the queue is empty. */
  async function oldestQueuedAt(store: Store, team: TeamId, now: number): Promise<number> {
    let oldest = now;
    for (const entry of await store.queues.list(team, OLDEST_SCAN)) {
      const record = await store.conversations.get(entry.id as ConversationId);
      if (record === null || record.status !== 'waiting') continue;
      const queuedAt = entry.score < 0 ? entry.score + DANGER_OFFSET : entry.score;
      oldest = Math.min(oldest, queuedAt);
    }
    return Math.max(0, now - oldest);
  }

  // The per-message series (a store call, a relayed message) by their label values, looked up once:
  // prom-client would hash the labels object on every observation.
  const storeChildren = new Map<string, ReturnType<typeof storeSeconds.labels>>();
  const storeChild = (operation: string, outcome: StoreOutcome) => {
    const key = `${operation} ${outcome}`;
    let child = storeChildren.get(key);
    if (child === undefined) storeChildren.set(key, (child = storeSeconds.labels({ operation, outcome })));
    return child;
  };
  const relayedChildren = new Map<string, ReturnType<typeof relayed.labels>>();
  const relayedChild = (from: string, kind: string) => {
    const key = `${from} ${kind}`;
    let child = relayedChildren.get(key);
    if (child === undefined) relayedChildren.set(key, (child = relayed.labels({ from, kind })));
    return child;
  };

  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: p });

  return {
    registry,
    observeQueues(store) {
      queueStore = store;
    },
    metrics: {
      messageRelayed: (from, kind) => relayedChild(from, kind).inc(),
      claim: (outcome) => claims.inc({ outcome }),
      error: (code, transport) => errors.inc({ code, transport }),
      storeOperation: (operation, seconds, outcome) => storeChild(operation, outcome).observe(seconds),
      socketOpened: () => sockets.inc(),
      socketClosed: () => sockets.dec(),
    },
  };
}
