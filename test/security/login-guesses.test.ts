// Issue 14 §4, played against a real server on a real redis-server: parallel password guesses are
// counted before they are evaluated (every login_failed answer is one evaluation), one client's
// burst locks only that client out (an IPv6 client by its /64), and a missing second factor is
// answered the same whether the password was right or not.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { createTotp } from '../../server/enrolment/totp.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { freePort } from '../support/free-port.js';
import { captureLogs, seedResponder, seedTeams, testConfig, type SeededResponder } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let redis: RedisServer;
let store: Store;
let server: RunningServer;
let base = '';

beforeAll(async () => {
  await loadSodium();
  redis = await startRedisServer();
  store = await createRedisStore({ url: redis.url, prefix: `login-${randomBytes(4).toString('hex')}` });
  await seedTeams(store);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Behind "our proxy": X-Forwarded-For names the client, so the test can be many clients.
  const config = testConfig({ PORT: String(port), PUBLIC_URL: base, TRUST_PROXY: 'true' });
  server = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: captureLogs().logger('warn'), secret: new Uint8Array(randomBytes(32)) });
}, 30_000);

afterAll(async () => {
  await server?.stop(200);
  await store?.close();
  await redis?.stop();
});

/** One login request from `client` (an address): the error code, or 'ok'. */
async function login(from: string, name: string, authKey: Uint8Array, totp?: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/responder/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ login: name, authKey: Buffer.from(authKey).toString('base64url'), ...(totp === undefined ? {} : { totp }) }),
  });
  if (response.ok) return 'ok';
  return ((await response.json()) as { error: { code: string } }).error.code;
}

const wrongKey = () => new Uint8Array(randomBytes(32));
const count = (codes: readonly string[]) => codes.reduce<Record<string, number>>((n, c) => ({ ...n, [c]: (n[c] ?? 0) + 1 }), {});

describe('login guesses against a real server and Redis', () => {
  let anna: SeededResponder;

  beforeAll(async () => {
    anna = await seedResponder(store, 'anna-guess');
  });

  it('evaluates only the budget of 25 parallel guesses from one client; the rest are locked unseen', async () => {
    const codes = await Promise.all(Array.from({ length: 25 }, () => login('203.0.113.5', anna.login, wrongKey())));
    // Each login_failed is a password evaluated; read-then-write let all 25 through.
    expect(count(codes)).toEqual({ login_failed: 5, login_locked: 20 });
    // Locked for this client: even the right key is not evaluated from here …
    expect(await login('203.0.113.5', anna.login, anna.authKey)).toBe('login_locked');
    // … while the responder logs in from anywhere else.
    expect(await login('198.51.100.20', anna.login, anna.authKey)).toBe('ok');
  });

  it('counts an IPv6 client by its /64: new addresses in it buy no new guesses', async () => {
    const bo = await seedResponder(store, 'bo-guess');
    const codes = await Promise.all(Array.from({ length: 25 }, (_, i) => login(`2001:db8:77:1::${(i + 1).toString(16)}`, bo.login, wrongKey())));
    expect(count(codes)).toEqual({ login_failed: 5, login_locked: 20 });
    expect(await login('2001:db8:77:2::1', bo.login, bo.authKey)).toBe('ok');
  });

  it('stops a login guessed from many clients at the slower backstop', async () => {
    const cia = await seedResponder(store, 'cia-guess');
    const codes: string[] = [];
    // 60 clients, 5 guesses each, in parallel per round: 300 guesses, at most the hourly 50 evaluated.
    for (let round = 0; round < 5; round += 1) {
      codes.push(...(await Promise.all(Array.from({ length: 60 }, (_, i) => login(`192.0.2.${i + 1}`, cia.login, wrongKey())))));
    }
    expect(count(codes).login_failed).toBe(50);
  });

  it('asks for the second factor before the password is evaluated: the answer is the same for a right and a wrong password', async () => {
    const dora = await seedResponder(store, 'dora-guess');
    const totp = createTotp({ records: store.records, once: store.once, clock: systemClock });
    const { secret } = await totp.begin(dora.id, dora.login);
    const { TOTP, Secret } = await import('otpauth');
    const code = () => new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();
    expect(await totp.confirm(dora.id, code())).toBe(true);
    expect(await login('203.0.113.40', dora.login, dora.authKey)).toBe('totp_required');
    expect(await login('203.0.113.40', dora.login, wrongKey())).toBe('totp_required');
    expect(await login('203.0.113.40', 'nobody-at-all', wrongKey())).toBe('totp_required');
    // Not evaluated, so not counted either: the budget is whole for the real attempt.
    expect(await login('203.0.113.40', dora.login, wrongKey(), '000000')).toBe('login_failed');
  });
});
