// /metrics after a real conversation over sockets: the expected series are there, no label value
// identifies a visitor (conversation id, token, client message id, address), and the metrics are
// served only on their own listener, not on the public port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi, createVisitorApi, type Envelope } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { createMetrics, instrumentStore, startMetricsServer, type MetricsServer } from '../../server/metrics/index.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import { captureLogs, fakeCipher, newCid, seedResponder, seedTeams, solvePow, testConfig } from '../support/harness.js';
import { connectWs, type WsClient } from '../support/ws-client.js';
import { labelValues, sample } from './deploy-redis.js';
import { freePorts } from '../support/free-port.js';

describe('metrics after a conversation', () => {
  let server: RunningServer;
  let metricsServer: MetricsServer;
  const clients: WsClient[] = [];
  /** Everything that identifies the visitor or the conversation; none may appear in a label. */
  const secrets: string[] = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

  beforeAll(async () => {
    await loadSodium();
    const [port] = await freePorts(1);
    const publicUrl = `http://127.0.0.1:${port}`;
    const config = testConfig({ PORT: String(port), PUBLIC_URL: publicUrl, METRICS_PORT: '0' });
    const raw = createMemoryStore({ sweepIntervalMs: 0 });
    const observed = createMetrics({ clock: systemClock });
    observed.observeQueues(raw);
    const store = instrumentStore(raw, observed.metrics);
    await seedTeams(store);
    const anna = await seedResponder(store, 'anna');
    server = await startServer({
      config,
      store,
      clock: systemClock,
      random: systemRandom,
      logger: captureLogs().logger('warn'),
      secret: new Uint8Array(randomBytes(32)),
      metrics: observed.metrics,
    });
    metricsServer = await startMetricsServer({ registry: observed.registry, host: '127.0.0.1', port: 0 });

    // One conversation: intake, claim, ten messages each way over WebSockets.
    const visitorApi = createVisitorApi({ baseUrl: server.url });
    const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(96) };
    const opened = await visitorApi.open({ category: 'chat', language: 'sv', source: 'poster-42', intake }, solvePow);
    secrets.push(opened.id, opened.token, intake.cid);
    const jar = createCookieJar();
    const responderApi = createResponderApi({ baseUrl: server.url, cookies: jar });
    await responderApi.login(anna.login, anna.authKey);
    await responderApi.duty('unga', true);
    await responderApi.claim(opened.id);
    await expect(responderApi.claim(opened.id)).rejects.toMatchObject({ code: 'already_claimed' });
    secrets.push(jar.get() ?? 'no-cookie');

    const visitor = await connectWs(server.url);
    const responder = await connectWs(server.url, { cookie: jar.get(), origin: new URL(publicUrl).origin });
    clients.push(visitor, responder);
    await visitor.helloVisitor(opened.id, opened.token);
    await responder.helloResponder();
    await responder.sub(opened.id, null);
    for (let i = 0; i < 10; i += 1) {
      const a = newCid();
      const b = newCid();
      secrets.push(a, b);
      await visitor.send(opened.id, { cid: a, kind: 'message', body: fakeCipher(48) });
      await responder.send(opened.id, { cid: b, kind: 'message', body: fakeCipher(48) });
    }
    // A duplicate (same cid again) is acknowledged but not counted as relayed.
    await visitor.send(opened.id, { cid: secrets.at(-2)!, kind: 'message', body: fakeCipher(48) });
    // An error answered over the socket and one over HTTP.
    const invalid = visitor.waitFor((f) => f.t === 'error', 'an error frame');
    visitor.sendRaw('{"t":"nope"}');
    expect(await invalid).toMatchObject({ code: 'invalid_request' });
    await expect(visitorApi.get(opened.id, 'not-the-token')).rejects.toMatchObject({ status: 401 });

    // A second visitor is left waiting in the queue.
    const waiting = await visitorApi.open({ category: 'chat', language: 'ar' }, solvePow);
    secrets.push(waiting.id, waiting.token);
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server?.stop(500);
    await metricsServer?.close();
  });

  const scrape = async () => {
    const response = await fetch(metricsServer.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('has the expected series', async () => {
    const text = await scrape();
    expect(sample(text, 'utvag_messages_relayed_total', { from: 'visitor', kind: 'message' })).toBe(10);
    expect(sample(text, 'utvag_messages_relayed_total', { from: 'responder', kind: 'message' })).toBe(10);
    expect(sample(text, 'utvag_messages_relayed_total', { from: 'visitor', kind: 'intake' })).toBe(1);
    expect(sample(text, 'utvag_claims_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'utvag_claims_total', { outcome: 'taken' })).toBe(1);
    expect(sample(text, 'utvag_websockets_open')).toBe(2);
    expect(sample(text, 'utvag_queue_length', { team: 'unga' })).toBe(1);
    expect(sample(text, 'utvag_queue_oldest_wait_seconds', { team: 'unga' })).toBeGreaterThan(0);
    expect(sample(text, 'utvag_queue_length', { team: 'foraldrar' })).toBe(0);
    expect(sample(text, 'utvag_errors_total', { code: 'unauthorized', transport: 'http' })).toBe(1);
    expect(sample(text, 'utvag_errors_total', { transport: 'ws' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'utvag_store_operation_seconds_count', { operation: 'log.append', outcome: 'ok' })).toBe(22);
    expect(sample(text, 'utvag_store_operation_seconds_bucket', { operation: 'conversations.claim', le: '+Inf' })).toBe(2);
    expect(sample(text, 'utvag_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'utvag_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'utvag_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('carries no label value that identifies a visitor or a conversation', async () => {
    const text = await scrape();
    const values = labelValues(text);
    expect(values.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(values.filter((v) => v === secret || v.includes(secret)), secret).toEqual([]);
      expect(text.includes(secret), secret).toBe(false);
    }
    // Every label is from a fixed, small set: a new label name needs a look at what it could carry.
    const names = new Set([...text.matchAll(/[{,]([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1]));
    expect([...names].sort()).toEqual(
      expect.arrayContaining(['code', 'from', 'kind', 'le', 'operation', 'outcome', 'team', 'transport']),
    );
    const allowed = new Set(['code', 'from', 'kind', 'le', 'operation', 'outcome', 'team', 'transport', 'quantile', 'space', 'type', 'version', 'major', 'minor', 'patch', 'kind']);
    for (const name of names) expect(allowed.has(name!), `label ${name}`).toBe(true);
    // The source tag feeds only the daily aggregated statistics, not the metrics.
    expect(values).not.toContain('poster-42');
  });

  it('is not served on the public port, and the metrics port serves nothing else', async () => {
    const onPublic = await fetch(`${server.url}/metrics`);
    expect(onPublic.status).toBe(404);
    expect(await onPublic.text()).not.toContain('utvag_');
    const other = await fetch(metricsServer.url.replace('/metrics', '/api/v1/status?category=chat'));
    expect(other.status).toBe(404);
    expect(new URL(metricsServer.url).hostname).toBe('127.0.0.1');
    expect(metricsServer.port).not.toBe(server.port);
  });

  it('counts sockets down when they close', async () => {
    await Promise.all(clients.map((c) => c.close()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sample(await scrape(), 'utvag_websockets_open')).toBe(0);
  });
});

describe('deploy configuration', () => {
  it('binds to 127.0.0.1:9464 by default, 0 turns the listener off, and the shutdown grace is configurable', () => {
    const defaults = testConfig();
    expect(defaults.metricsHost).toBe('127.0.0.1');
    expect(defaults.metricsPort).toBe(9464);
    expect(testConfig({ METRICS_PORT: '0' }).metricsPort).toBeNull();
    expect(defaults.shutdownGraceMs).toBe(20_000);
    expect(testConfig({ SHUTDOWN_GRACE_SECONDS: '5' }).shutdownGraceMs).toBe(5_000);
    expect(() => testConfig({ SHUTDOWN_GRACE_SECONDS: '0' })).toThrow(/SHUTDOWN_GRACE_SECONDS/);
  });

  it('reads REDIS_URL from REDIS_URL_FILE (a container secret) and names an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utvag-secret-'));
    try {
      writeFileSync(join(dir, 'redis-url'), 'redis://utvag:s3cret@redis:6379\n');
      expect(testConfig({ REDIS_URL_FILE: join(dir, 'redis-url') }).redisUrl).toBe('redis://utvag:s3cret@redis:6379');
      // REDIS_URL itself wins when both are set.
      expect(testConfig({ REDIS_URL_FILE: join(dir, 'redis-url'), REDIS_URL: 'redis://127.0.0.1:1' }).redisUrl).toBe('redis://127.0.0.1:1');
      expect(() => testConfig({ REDIS_URL_FILE: join(dir, 'missing') })).toThrow(/REDIS_URL_FILE=.*ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
