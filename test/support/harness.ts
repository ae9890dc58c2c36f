// Builds apps for tests: config from a test environment, an in-memory (or given) store, a manual
// clock, captured log lines, seeded teams and responders with known auth keys, typed API clients.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { powSolve } from '../../crypto/pow.js';
import { createApp } from '../../server/app.js';
import { createManualClock, systemClock, systemRandom, type Clock } from '../../server/clock.js';
import { loadConfig, type Config } from '../../server/config.js';
import { DEMO_TEAMS } from '../../server/demo.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { authKeyHash, DEFAULT_KDF } from '../../server/routes/responder.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import type { OrgId, ResponderId, Role, Store, TeamId } from '../../server/store/ports.js';
import { createCookieJar, createResponderApi, createVisitorApi, type PowSolver } from '../../client/shared/api-client.js';
import { LIMITS_OFF } from './limits-off.js';

export const TEST_ENV: Record<string, string> = {
  POW_DIFFICULTY: '4',
  ...LIMITS_OFF,
  // Every test request comes from one address: failures of many tests would add up to a spray.
  LOGIN_ATTEMPTS_PER_CLIENT_PER_HOUR: '100000',
  LOG_LEVEL: 'info',
  DEMO: 'false',
};

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env });
}

/** A log destination that keeps every line. */
export function captureLogs(): { lines: string[]; logger: (level: string) => Logger } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  return { lines, logger: (level) => createLogger(level, stream) };
}

export const solvePow: PowSolver = async (challenge, difficulty) => {
  await loadSodium();
  return powSolve(challenge, difficulty);
};

export interface SeededResponder {
  readonly id: ResponderId;
  readonly login: string;
  readonly authKey: Uint8Array;
}

/** Puts the demo teams and returns nothing; idempotent. */
export async function seedTeams(store: Store): Promise<void> {
  for (const team of DEMO_TEAMS) await store.staff.putTeam(team);
}

/** A responder with a random auth key (skipping Argon2id, which the console runs). */
export async function seedResponder(
  store: Store,
  login: string,
  teams: readonly string[] = ['unga', 'foraldrar', 'konsult'],
  roles: readonly Role[] = ['responder'],
  org?: OrgId,
): Promise<SeededResponder> {
  const authKey = new Uint8Array(randomBytes(32));
  const id = `r-${login}` as ResponderId;
  await store.staff.putResponder({
    id,
    login,
    displayName: `Responder ${login}`,
    teams: teams as TeamId[],
    roles,
    salt: randomBytes(16).toString('base64url'),
    opslimit: DEFAULT_KDF.opslimit,
    memlimit: DEFAULT_KDF.memlimit,
    authHash: authKeyHash(authKey),
    active: true,
    ...(org === undefined ? {} : { org }),
  });
  return { id, login, authKey };
}

export interface TestApp {
  readonly created: ReturnType<typeof createApp>;
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock & { advance?(ms: number): void };
  readonly logs: string[];
  /** fetch() served by app.request(), no socket. */
  readonly fetch: typeof fetch;
  /** A raw request: JSON body when given, the visitor's bearer token when given. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  visitor(): ReturnType<typeof createVisitorApi>;
  responder(): ReturnType<typeof createResponderApi>;
}

export async function createTestApp(options: { env?: Record<string, string>; store?: Store; manualClock?: boolean } = {}): Promise<TestApp> {
  await loadSodium();
  const config = testConfig(options.env);
  const clock = options.manualClock === true ? createManualClock(Date.now()) : systemClock;
  const store = options.store ?? createMemoryStore({ clock, sweepIntervalMs: 0 });
  const captured = captureLogs();
  const created = createApp({ config, store, clock, random: systemRandom, logger: captured.logger(config.logLevel), secret: new Uint8Array(randomBytes(32)) });
  await seedTeams(store);
  const doFetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    created.app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;
  return {
    created,
    store,
    config,
    clock,
    logs: captured.lines,
    fetch: doFetch,
    call: (method, path, body, token) =>
      doFetch(`http://localhost${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    visitor: () => createVisitorApi({ baseUrl: 'http://localhost', fetch: doFetch }),
    responder: () => createResponderApi({ baseUrl: 'http://localhost', fetch: doFetch, cookies: createCookieJar() }),
  };
}

/** A random client message id. */
export const newCid = () => randomBytes(12).toString('base64url');
/** A random opaque "ciphertext" body of `n` bytes. */
export const fakeCipher = (n = 64) => randomBytes(n).toString('base64url');
