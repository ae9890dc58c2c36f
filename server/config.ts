// Environment → typed, validated Config. Fails fast with one clear line per bad variable.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Fanout, RedisAuth, RedisHost, RedisTopology } from './store/redis/connect.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "host:port,host:port" → hosts (IPv6 in brackets: "[::1]:26379"). */
const hostList = z
  .string()
  .regex(/^\s*(\[[0-9a-fA-F:]+\]|[^\s:,[\]]+):\d{1,5}\s*(,\s*(\[[0-9a-fA-F:]+\]|[^\s:,[\]]+):\d{1,5}\s*)*$/, 'a comma-separated list of host:port')
  .transform((list): RedisHost[] =>
    list.split(',').map((item) => {
      const at = item.trim().lastIndexOf(':');
      return { host: item.trim().slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(item.trim().slice(at + 1)) };
    }),
  )
  .refine((hosts) => hosts.every((h) => h.port >= 1 && h.port <= 65535), 'ports must be 1–65535');

/** Every variable, its default and its meaning; docs/configuration.md's table mirrors this (test/docs.test.ts). */
export const ConfigSchema = z.object({
  PORT: int(0, 65535).default(8080).describe('HTTP port of the public listener'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface to bind; 0.0.0.0 in containers'),
  PUBLIC_URL: z.url().optional().describe('Origin visitors and responders use, e.g. https://utvag.example.se; default http://localhost:PORT'),
  REDIS_URL: z.url().optional().describe('redis:// or rediss:// URL; without it the in-memory store is used'),
  REDIS_URL_FILE: z.string().optional().describe('File holding REDIS_URL (a container secret); read when REDIS_URL is unset'),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9-]*$/).default('').describe('Key prefix when several deployments share one Redis'),
  REDIS_MODE: z.enum(['single', 'sentinel', 'cluster']).default('single').describe('single (REDIS_URL), sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME) or cluster (REDIS_CLUSTER_NODES)'),
  REDIS_SENTINELS: hostList.optional().describe('Sentinel mode: the Sentinels, host:port,host:port,…'),
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]+$/).optional().describe('Sentinel mode: the monitored primary\'s name (sentinel monitor <name> …)'),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional().describe('Sentinel mode: password of the Sentinels themselves, if they require one'),
  REDIS_CLUSTER_NODES: hostList.optional().describe('Cluster mode: some cluster nodes (3 or more recommended), host:port,host:port,…'),
  REDIS_USERNAME: z.string().min(1).optional().describe('Sentinel/cluster mode: ACL user of the Redis nodes (single mode: in REDIS_URL)'),
  REDIS_PASSWORD: z.string().min(1).optional().describe('Sentinel/cluster mode: password of the Redis nodes (single mode: in REDIS_URL)'),
  REDIS_PASSWORD_FILE: z.string().optional().describe('File holding REDIS_PASSWORD (a container secret); read when REDIS_PASSWORD is unset'),
  REDIS_FANOUT: z.enum(['channel', 'pattern']).default('channel').describe('Single/sentinel mode: channel (a SUBSCRIBE per conversation an instance serves) or pattern (one PSUBSCRIBE per instance for all conversations); a cluster always uses sharded channels'),
  REDIS_WAIT_REPLICAS: int(0, 8).default(0).describe('Replicas that must hold a message before it is acknowledged (WAIT, batched); 0: acknowledged once the primary has it'),
  REDIS_WAIT_TIMEOUT_MS: int(10, 60_000).default(1000).describe('How long an append waits for REDIS_WAIT_REPLICAS before it fails with 503 (the client retries; ids dedupe)'),
  REDIS_TLS: bool.default(false).describe('Sentinel/cluster mode: TLS to every node and Sentinel (single mode: a rediss:// URL)'),
  CONVERSATION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(72).describe('Idle time after which a conversation is erased'),
  CALLBACK_TTL_DAYS: z.coerce.number().positive().max(30).default(7).describe('Lifetime of an open callback request'),
  POW_DIFFICULTY: int(0, 32).default(16).describe('Proof-of-work leading zero bits required to open a conversation'),
  POW_TTL_SECONDS: int(10, 3600).default(300).describe('Validity of a proof-of-work challenge'),
  MAX_MESSAGE_BYTES: int(256, 1 << 20).default(16 * 1024).describe('Largest ciphertext of one message (bytes, decoded)'),
  MAX_BODY_BYTES: int(1024, 1 << 22).default(64 * 1024).describe('Largest HTTP request body'),
  MAX_LOG_ENTRIES: int(10, 1_000_000).default(5000).describe('Messages one conversation may hold'),
  CONVERSATION_BYTES_PER_HOUR: int(1024, 1 << 30).default(2 * 1024 * 1024).describe('Ciphertext bytes one conversation may append per hour, both sides together; past it sends are refused (429 conversation_rate_limited, Retry-After)'),
  CONVERSATION_MAX_BYTES: int(1024, 1 << 30).default(8 * 1024 * 1024).describe('Ciphertext bytes one conversation may hold in all; past it sends are refused (409 conversation_too_large)'),
  MAX_PAGE_BYTES: int(1024, 1 << 26).default(1024 * 1024).describe('Ciphertext bytes one GET …/messages page may carry besides its count limit (at least one message); continue with after=<last id>'),
  STORE_HIGH_WATER_PERCENT: int(10, 100).default(80).describe('Store memory use (Redis used_memory of maxmemory; the memory store: its estimate of MEMORY_STORE_MAX_MB) from which new conversations are refused (503 service_busy, Retry-After) so existing ones can still append'),
  STORE_MEMORY_CHECK_SECONDS: z.coerce.number().positive().max(3600).default(5).describe('How often the store memory use is read for the high-water mark (cached in between, never read per request)'),
  MEMORY_STORE_MAX_MB: int(1, 1 << 20).default(512).describe('In-memory store: the size the high-water mark compares with'),
  CONSENTS_PER_CONVERSATION: int(1, 100).default(3).describe('Identities a visitor may share from one conversation (they survive delete-now by design); past it 409 consent_limit'),
  NOTES_MAX_PER_CONVERSATION: int(1, 1000).default(50).describe('Team notes one conversation may hold; past it a note is refused (409 notes_full)'),
  NOTES_MAX_BYTES_PER_CONVERSATION: int(4096, 1 << 24).default(128 * 1024).describe('Ciphertext bytes the notes of one conversation may hold in all; past it a note is refused (409 notes_full)'),
  CONSENT_PAGE_SIZE: int(1, 500).default(50).describe('Consents in one page of the responder consent list'),
  RATE_OPEN_PER_HOUR: int(1, 1_000_000).default(20).describe('Conversations one client (salted, rotating IP hash) may open per hour'),
  RATE_REQUESTS_PER_MINUTE: int(1, 10_000_000).default(600).describe('Requests one client may make per minute'),
  WS_FRAMES_PER_SECOND: int(1, 10_000).default(20).describe('Frames one WebSocket may send per second on average; past it frames are refused (socket_rate_limited)'),
  WS_FRAME_BURST: int(1, 100_000).default(40).describe('Frames one WebSocket may send at once after being idle; a socket refused twice this many frames in a row is closed (1013)'),
  WS_CONVERSATION_FRAMES_PER_SECOND: int(1, 100_000).default(30).describe('Frames all visitor WebSockets of one conversation may send together per second on average, per instance; past it frames are refused (conversation_frame_rate_limited)'),
  WS_CONVERSATION_FRAME_BURST: int(1, 1_000_000).default(60).describe('Frames all visitor WebSockets of one conversation may send at once after being idle, per instance'),
  WS_HELLO_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(5).describe('A WebSocket that has not said hello within this many seconds is closed (1008, hello_timeout); nothing but hello is accepted first'),
  LOGIN_ATTEMPTS_PER_CLIENT: int(1, 1000).default(5).describe('Failed logins one client (salted address hash, IPv6 by /64) may make on one login per LOGIN_LOCK_MINUTES; then that client is locked out of that login (429 login_locked), nobody else'),
  LOGIN_LOCK_MINUTES: int(1, 24 * 60).default(15).describe('Window of LOGIN_ATTEMPTS_PER_CLIENT, and so the longest lock one client can earn'),
  LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR: int(1, 100_000).default(50).describe('Failed logins one login may take per hour from all clients together (the backstop against many addresses)'),
  LOGIN_ATTEMPTS_PER_CLIENT_PER_HOUR: int(1, 100_000).default(20).describe('Failed logins one client may make per hour over all logins (against spraying)'),
  SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30).describe('Responder session idle timeout'),
  PRESENCE_TTL_SECONDS: int(5, 3600).default(45).describe('A responder without heartbeat for this long leaves duty'),
  VISITOR_GONE_AFTER_SECONDS: int(1, 86_400).default(120).describe('A young person whose every socket has been closed this long (no reconnect, no resume) has gone: the conversation leaves the queue and its responder\'s load'),
  TRUST_PROXY: bool.default(false).describe('Take the client address from X-Forwarded-For (only behind your own proxy)'),
  FRAME_ANCESTORS: z.string().default('').describe('Space-separated origins allowed to embed the widget iframe'),
  QUICK_EXIT_URL: z
    .string()
    .regex(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)[:/])[^\s"'<>]*$/, 'an https URL (http only on loopback, for tests)')
    .default('https://www.smhi.se/')
    .describe('The neutral site quick exit leaves for (the /exit route redirects there)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
  STATIC_DIR: z.string().default('dist/public').describe('Built clients to serve'),
  ROOT_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'the organisation root Ed25519 public key, 32 bytes base64url')
    .optional()
    .describe('Root public key the server checks the organisation certificate against; the clients pin the same key in their build (build argument ROOT_PUBLIC_KEY) or the embed snippet, never from a page'),
  DEMO: bool.optional().describe('Seed the demo organisation, and let its pages supply its root key marked as a demo (clients built without a pin run only then); default true without REDIS_URL'),
  METRICS_PORT: int(0, 65535).default(9464).describe('Port of the Prometheus /metrics listener; 0 turns it off'),
  METRICS_HOST: z.string().min(1).default('127.0.0.1').describe('Interface of the metrics listener; never the public one'),
  SHUTDOWN_GRACE_SECONDS: int(1, 600).default(20).describe('On SIGTERM, seconds to finish in-flight work before the process exits'),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly redisUrl: string | null;
  /** Where Redis is and how to log in; null: the in-memory store. */
  readonly redis: {
    readonly topology: RedisTopology;
    readonly auth: RedisAuth;
    readonly fanout: Fanout;
    /** Replicas that must confirm each message, and for how long to wait (0: no wait). */
    readonly waitReplicas: number;
    readonly waitTimeoutMs: number;
  } | null;
  readonly redisPrefix: string;
  readonly conversationTtlMs: number;
  readonly callbackTtlMs: number;
  readonly powDifficulty: number;
  readonly powTtlMs: number;
  readonly maxMessageBytes: number;
  readonly maxBodyBytes: number;
  readonly maxLogEntries: number;
  /** Per-conversation byte budgets, spent inside each append (server/store/append-budget.ts). */
  readonly conversationBudget: { readonly bytesPerHour: number; readonly maxBytes: number };
  readonly maxPageBytes: number;
  /** The store's high-water mark for new conversations (server/conversations/high-water.ts). */
  readonly highWater: { readonly ratio: number; readonly checkMs: number; readonly retryAfterSeconds: number };
  /** In-memory store: the size the high-water mark compares with. */
  readonly memoryStoreMaxBytes: number;
  readonly consentsPerConversation: number;
  readonly consentPageSize: number;
  /** Team notes per conversation (server/routes/notes.ts). */
  readonly noteBudget: { readonly maxNotes: number; readonly maxBytes: number };
  readonly rateOpenPerHour: number;
  readonly rateRequestsPerMinute: number;
  /** Frame budget and hello deadline of one WebSocket (server/realtime/budgets.ts). */
  readonly socketBudget: { readonly framesPerSecond: number; readonly frameBurst: number; readonly helloTimeoutMs: number };
  /** Frame budget the visitor sockets of one conversation share, per instance (server/realtime/budgets.ts). */
  readonly conversationFrameBudget: { readonly framesPerSecond: number; readonly frameBurst: number };
  readonly sessionIdleMs: number;
  /** Login attempt budgets (server/enrolment/login-guard.ts). */
  readonly login: { readonly pairAttempts: number; readonly pairWindowMs: number; readonly accountAttemptsPerHour: number; readonly clientAttemptsPerHour: number };
  readonly presenceTtlMs: number;
  /** Grace after the visitor's last socket closed before the conversation counts as gone (VISITOR_GONE_AFTER_SECONDS). */
  readonly visitorGoneAfterMs: number;
  readonly trustProxy: boolean;
  readonly frameAncestors: readonly string[];
  readonly quickExitUrl: string;
  readonly logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  readonly staticDir: string;
  readonly demo: boolean;
  readonly rootPublicKey: string | null;
  /** null: no metrics listener. */
  readonly metricsPort: number | null;
  readonly metricsHost: string;
  readonly shutdownGraceMs: number;
}

/** A value as an error message may show it: secrets masked, credentials in URLs cut out. */
function shown(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return value;
  if (name === 'REDIS_PASSWORD' || name === 'REDIS_SENTINEL_PASSWORD') return '***';
  if (name.startsWith('REDIS_URL')) return value.replace(/\/\/[^@/]*@/, '//***@');
  return value;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable and why. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  env = withSecretFile(withRedisUrlFile(env), 'REDIS_PASSWORD');
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${issue.path.join('.')}=${JSON.stringify(shown(name, known[name]))}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const redis = redisFrom(e);
  if (typeof redis === 'string') throw new ConfigError([redis]);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    redisUrl: e.REDIS_URL ?? null,
    redis,
    redisPrefix: e.REDIS_PREFIX,
    conversationTtlMs: Math.round(e.CONVERSATION_TTL_HOURS * 3_600_000),
    callbackTtlMs: Math.round(e.CALLBACK_TTL_DAYS * 86_400_000),
    powDifficulty: e.POW_DIFFICULTY,
    powTtlMs: e.POW_TTL_SECONDS * 1000,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxLogEntries: e.MAX_LOG_ENTRIES,
    conversationBudget: { bytesPerHour: e.CONVERSATION_BYTES_PER_HOUR, maxBytes: e.CONVERSATION_MAX_BYTES },
    maxPageBytes: e.MAX_PAGE_BYTES,
    highWater: { ratio: e.STORE_HIGH_WATER_PERCENT / 100, checkMs: Math.round(e.STORE_MEMORY_CHECK_SECONDS * 1000), retryAfterSeconds: 60 },
    memoryStoreMaxBytes: e.MEMORY_STORE_MAX_MB * 1024 * 1024,
    consentsPerConversation: e.CONSENTS_PER_CONVERSATION,
    consentPageSize: e.CONSENT_PAGE_SIZE,
    noteBudget: { maxNotes: e.NOTES_MAX_PER_CONVERSATION, maxBytes: e.NOTES_MAX_BYTES_PER_CONVERSATION },
    rateOpenPerHour: e.RATE_OPEN_PER_HOUR,
    rateRequestsPerMinute: e.RATE_REQUESTS_PER_MINUTE,
    socketBudget: { framesPerSecond: e.WS_FRAMES_PER_SECOND, frameBurst: e.WS_FRAME_BURST, helloTimeoutMs: Math.round(e.WS_HELLO_TIMEOUT_SECONDS * 1000) },
    conversationFrameBudget: { framesPerSecond: e.WS_CONVERSATION_FRAMES_PER_SECOND, frameBurst: e.WS_CONVERSATION_FRAME_BURST },
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    login: {
      pairAttempts: e.LOGIN_ATTEMPTS_PER_CLIENT,
      pairWindowMs: e.LOGIN_LOCK_MINUTES * 60_000,
      accountAttemptsPerHour: e.LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR,
      clientAttemptsPerHour: e.LOGIN_ATTEMPTS_PER_CLIENT_PER_HOUR,
    },
    presenceTtlMs: e.PRESENCE_TTL_SECONDS * 1000,
    visitorGoneAfterMs: e.VISITOR_GONE_AFTER_SECONDS * 1000,
    trustProxy: e.TRUST_PROXY,
    frameAncestors: e.FRAME_ANCESTORS.split(/\s+/).filter((s) => s !== ''),
    quickExitUrl: e.QUICK_EXIT_URL,
    logLevel: e.LOG_LEVEL,
    staticDir: e.STATIC_DIR,
    demo: e.DEMO ?? redis === null,
    rootPublicKey: e.ROOT_PUBLIC_KEY ?? null,
    metricsPort: e.METRICS_PORT === 0 ? null : e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
  };
}

type ParsedEnv = z.infer<typeof ConfigSchema>;

/** The Redis topology the variables describe, null for the in-memory store, or a problem to report. */
function redisFrom(e: ParsedEnv): Config['redis'] | string {
  const auth: RedisAuth = {
    ...(e.REDIS_USERNAME === undefined ? {} : { username: e.REDIS_USERNAME }),
    ...(e.REDIS_PASSWORD === undefined ? {} : { password: e.REDIS_PASSWORD }),
    ...(e.REDIS_SENTINEL_PASSWORD === undefined ? {} : { sentinelPassword: e.REDIS_SENTINEL_PASSWORD }),
    tls: e.REDIS_TLS,
  };
  const wait = { waitReplicas: e.REDIS_WAIT_REPLICAS, waitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS };
  const stray = (names: ReadonlyArray<keyof ParsedEnv>) => names.filter((n) => e[n] !== undefined);
  switch (e.REDIS_MODE) {
    case 'single': {
      const misplaced = stray(['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD', 'REDIS_CLUSTER_NODES', 'REDIS_USERNAME', 'REDIS_PASSWORD']);
      if (misplaced.length > 0) return `${misplaced.join(', ')}: only used with REDIS_MODE=sentinel or cluster (single mode takes credentials in REDIS_URL)`;
      return e.REDIS_URL === undefined ? null : { topology: { mode: 'single', url: e.REDIS_URL }, auth: {}, fanout: e.REDIS_FANOUT, ...wait };
    }
    case 'sentinel': {
      const misplaced = stray(['REDIS_URL', 'REDIS_CLUSTER_NODES']);
      if (misplaced.length > 0) return `${misplaced.join(', ')}: not used with REDIS_MODE=sentinel (set REDIS_SENTINELS and REDIS_SENTINEL_NAME)`;
      if (e.REDIS_SENTINELS === undefined || e.REDIS_SENTINEL_NAME === undefined) {
        return 'REDIS_MODE=sentinel: needs REDIS_SENTINELS (host:port,…) and REDIS_SENTINEL_NAME';
      }
      return { topology: { mode: 'sentinel', name: e.REDIS_SENTINEL_NAME, sentinels: e.REDIS_SENTINELS }, auth, fanout: e.REDIS_FANOUT, ...wait };
    }
    case 'cluster': {
      const misplaced = stray(['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD']);
      if (misplaced.length > 0) return `${misplaced.join(', ')}: not used with REDIS_MODE=cluster (set REDIS_CLUSTER_NODES)`;
      if (e.REDIS_CLUSTER_NODES === undefined) return 'REDIS_MODE=cluster: needs REDIS_CLUSTER_NODES (host:port,…)';
      if (e.REDIS_FANOUT === 'pattern') return 'REDIS_FANOUT=pattern: not available with REDIS_MODE=cluster (sharded pub/sub has no patterns)';
      return { topology: { mode: 'cluster', nodes: e.REDIS_CLUSTER_NODES }, auth, fanout: 'channel', ...wait };
    }
  }
}

/** `name` from the file `${name}_FILE` names, when `name` itself is unset (secrets as files). */
function withSecretFile(env: Record<string, string | undefined>, name: string): Record<string, string | undefined> {
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '' || (env[name] !== undefined && env[name] !== '')) return env;
  try {
    return { ...env, [name]: readFileSync(file, 'utf8').trim() };
  } catch (error) {
    throw new ConfigError([`${name}_FILE=${JSON.stringify(file)}: cannot read (${(error as { code?: string }).code ?? 'error'})`]);
  }
}

/** REDIS_URL from the file REDIS_URL_FILE names, when REDIS_URL itself is unset (secrets as files). */
function withRedisUrlFile(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const file = env.REDIS_URL_FILE;
  if (file === undefined || file === '' || (env.REDIS_URL !== undefined && env.REDIS_URL !== '')) return env;
  try {
    return { ...env, REDIS_URL: readFileSync(file, 'utf8').trim() };
  } catch (error) {
    throw new ConfigError([`REDIS_URL_FILE=${JSON.stringify(file)}: cannot read (${(error as { code?: string }).code ?? 'error'})`]);
  }
}
