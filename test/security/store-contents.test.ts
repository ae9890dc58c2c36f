// Invariants 3 and 4 against a real Redis: after a whole conversation, no key or value holds the
// visitor's address, user agent, token, or a responder's cookie or CSRF token; every visitor key has
// a TTL (queues of conversation ids too: a responder's own queue:{~<responder>} once never
// expired); and no log line holds an address, user agent, token or conversation id.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi, createVisitorApi, type Envelope } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { captureLogs, fakeCipher, newCid, seedResponder, seedTeams, solvePow, testConfig } from '../support/harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { connectWs, type WsClient } from '../support/ws-client.js';
import { freePort } from '../support/free-port.js';


const lines = (out: string) => out.split('\n').filter((l) => l !== '');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const message = (): Envelope => ({ cid: newCid(), kind: 'message', body: fakeCipher(48) });

/** Every key of the server with its type, remaining TTL (ms; -1 none) and every value it holds. */
async function dumpRedis(redis: RedisServer): Promise<Array<{ key: string; type: string; pttl: number; values: string[] }>> {
  const keys = lines(await redis.cli('--scan')).sort();
  const dump = [];
  for (const key of keys) {
    const type = await redis.cli('TYPE', key);
    const pttl = Number(await redis.cli('PTTL', key));
    let raw: string;
    switch (type) {
      case 'hash':
        raw = await redis.cli('HGETALL', key);
        break;
      case 'stream':
        raw = await redis.cli('XRANGE', key, '-', '+');
        break;
      case 'zset':
        raw = await redis.cli('ZRANGE', key, '0', '-1', 'WITHSCORES');
        break;
      case 'set':
        raw = await redis.cli('SMEMBERS', key);
        break;
      case 'string':
        raw = await redis.cli('GET', key);
        break;
      case 'list':
        raw = await redis.cli('LRANGE', key, '0', '-1');
        break;
      default:
        throw new Error(`unexpected type ${type} of ${key}`);
    }
    dump.push({ key, type, pttl, values: lines(raw) });
  }
  return dump;
}

/** Loopback spellings a leaked client address would take. */
const ADDRESS_PATTERNS = [/127\.0\.0\.1/, /(?<![0-9A-Za-z:])::1(?![0-9A-Za-z:])/, /::ffff:/i, /localhost/i];

describe('what the store and the logs keep of a visitor', () => {
  let redis: RedisServer;
  let store: Store;
  let server: RunningServer;
  const clients: WsClient[] = [];
  const captured = captureLogs();
  const prefix = `sec-${randomBytes(4).toString('hex')}`;
  const userAgent = `UtvagProbe/7.3 (distinctive-${randomBytes(6).toString('hex')})`;
  let csrfToken = '';

  /** fetch that sends the distinctive user agent and notes the CSRF token handed out at login. */
  const probeFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('user-agent', userAgent);
    const response = await fetch(input, { ...init, headers });
    if (String(input).endsWith('/api/v1/responder/login') && response.ok) {
      csrfToken = ((await response.clone().json()) as { csrfToken: string }).csrfToken;
    }
    return response;
  };

  beforeAll(async () => {
    await loadSodium();
    redis = await startRedisServer();
    const port = await freePort();
    const config = testConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'debug',
    });
    store = await createRedisStore({ url: redis.url, prefix });
    server = await startServer({
      config,
      store,
      clock: systemClock,
      random: systemRandom,
      logger: captured.logger('debug'),
      secret: new Uint8Array(randomBytes(32)),
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server?.stop(500);
    await store?.close();
    await redis?.stop();
  });

  it('keeps no address, user agent, token, cookie or CSRF token, and a TTL on every visitor key', async () => {
    await seedTeams(store);
    const anna = await seedResponder(store, 'anna');
    const origin = new URL(server.url).origin;
    const wsHeaders = { 'user-agent': userAgent };

    // Visitor: opens with a sealed intake over HTTP, then listens over WebSocket.
    const visitorApi = createVisitorApi({ baseUrl: server.url, fetch: probeFetch });
    expect((await visitorApi.status('chat')).staffed).toBe(false);
    const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(96) };
    const opened = await visitorApi.open({ category: 'chat', language: 'sv', source: 'poster-sec', intake }, solvePow);
    const c = opened.id;
    const visitor = await connectWs(server.url, { headers: wsHeaders });
    clients.push(visitor);
    await visitor.helloVisitor(c, opened.token, null);

    // Responder: logs in, goes on duty, claims, listens over WebSocket.
    const jar = createCookieJar();
    const responderApi = createResponderApi({ baseUrl: server.url, fetch: probeFetch, cookies: jar });
    await responderApi.loginParams(anna.login);
    await responderApi.login(anna.login, anna.authKey);
    const cookie = jar.get();
    expect(cookie).toMatch(/^utvag_session=[A-Za-z0-9_-]{43}$/);
    const cookieValue = cookie!.split('=')[1]!;
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await responderApi.duty('unga', true);
    await responderApi.heartbeat();
    expect((await responderApi.queue()).items.map((i) => i.id)).toContain(c);
    await responderApi.claim(c);
    const responder = await connectWs(server.url, { cookie, origin, headers: wsHeaders });
    clients.push(responder);
    await responder.helloResponder();
    await responder.sub(c, null);

    // Messages both ways, over WebSocket and over HTTP; typing too.
    for (let i = 0; i < 3; i += 1) {
      await visitor.send(c, message());
      await responder.send(c, message());
    }
    visitor.sendRaw({ t: 'typing', c });
    responder.sendRaw({ t: 'typing', c });
    await visitorApi.post(c, opened.token, message());
    await responderApi.post(c, message());
    await visitorApi.messages(c, opened.token);
    await responderApi.messages(c);
    await visitor.waitForMessages(c, 9);
    await responder.waitForMessages(c, 9);
    await responderApi.close(c, 'helped');
    await visitor.waitFor((f) => f.t === 'state' && f.status === 'closed', 'closed state', undefined, 0);
    expect((await visitorApi.get(c, opened.token)).status).toBe('closed');
    // A second conversation stays with anna: her own queue of assignments (queue:{~anna}) holds its id.
    const second = await visitorApi.open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher(96) } }, solvePow);
    await responderApi.claim(second.id);

    const dump = await dumpRedis(redis);
    const everything = dump.map((d) => [d.key, ...d.values].join('\n')).join('\n');
    expect(dump.length).toBeGreaterThan(5);
    // Nothing outside this deployment's prefix.
    expect(dump.filter((d) => !d.key.startsWith(`${prefix}:`)).map((d) => d.key)).toEqual([]);

    // Invariant 3: no address, no user agent, no secret a client holds.
    for (const pattern of ADDRESS_PATTERNS) expect(everything).not.toMatch(pattern);
    const secrets = {
      userAgent,
      userAgentProduct: userAgent.split(' ')[0]!,
      token: opened.token,
      tokenHex: Buffer.from(opened.token, 'base64url').toString('hex'),
      cookieValue,
      cookieHex: Buffer.from(cookieValue, 'base64url').toString('hex'),
      csrfToken,
      authKey: Buffer.from(anna.authKey).toString('base64url'),
    };
    for (const [name, secret] of Object.entries(secrets)) expect({ name, found: everything.includes(secret) }).toEqual({ name, found: false });

    // What is kept instead: hashes.
    const conv = dump.find((d) => d.key === `${prefix}:conv:{${c}}`);
    expect(conv?.values).toContain(sha256(opened.token));
    const session = dump.find((d) => d.key === `${prefix}:session:{${sha256(cookieValue)}}`);
    expect(session?.values).toContain(sha256(csrfToken));

    // The conversation id appears only in the conversation's own keys (the audit keeps keyed hashes).
    const elsewhere = dump.filter((d) => !d.key.startsWith(`${prefix}:conv:{${c}}`) && [d.key, ...d.values].some((v) => v.includes(c)));
    expect(elsewhere.map((d) => d.key)).toEqual([]);

    // Invariant 4: every visitor datum expires (and so do sessions, presence, single-use markers).
    const mustExpire = dump.filter((d) => /^[^:]+:(conv|session|presence|once|queue):/.test(d.key));
    expect(mustExpire.map((d) => d.key)).toEqual(
      expect.arrayContaining([
        `${prefix}:conv:{${c}}`,
        `${prefix}:conv:{${c}}:log`,
        `${prefix}:conv:{${c}}:dedupe`,
        `${prefix}:session:{${sha256(cookieValue)}}`,
        `${prefix}:presence:{${anna.id}}`,
        `${prefix}:queue:{~${anna.id}}`,
      ]),
    );
    expect(mustExpire.some((d) => d.key.startsWith(`${prefix}:once:`))).toBe(true);
    expect(mustExpire.filter((d) => !(d.pttl > 0)).map((d) => `${d.key} ${d.pttl}`)).toEqual([]);
    // Whatever has no TTL is staff data or aggregates: none of it names a conversation (queues do, and expire).
    const persistent = dump.filter((d) => d.pttl === -1).map((d) => d.key.slice(prefix.length + 1).replace(/[:{].*$/, ''));
    expect(new Set(persistent)).toEqual(new Set(persistent.filter((k) => ['responder', 'responder-login', 'team', 'teams', 'duty', 'audit', 'stats', 'secret'].includes(k))));

    // The logs: one line per request and nothing identifying.
    const log = captured.lines.join('\n');
    expect(captured.lines.length).toBeGreaterThan(10);
    for (const pattern of ADDRESS_PATTERNS) expect(log).not.toMatch(pattern);
    for (const [name, secret] of Object.entries({ ...secrets, conversationId: c })) {
      expect({ name, found: log.includes(secret) }).toEqual({ name, found: false });
    }
  });
});
