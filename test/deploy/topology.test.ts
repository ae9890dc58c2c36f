// The production topology on one machine: redis-server from deploy/redis.conf (AOF on, ACL user),
// two app instances from the production build installed with `npm ci --omit=dev` into a temporary
// directory (a missing runtime dependency fails here), and Caddy from Debian with deploy/Caddyfile in
// front. A visitor and a responder talk through Caddy over WebSockets while one instance gets
// SIGTERM mid-stream (rolling restart) and Redis is restarted: no message lost, none duplicated,
// both sides carry on.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi, createVisitorApi, type Envelope, type LogEntry } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import type { ConversationId, Store } from '../../server/store/ports.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import { fakeCipher, newCid, seedResponder, seedTeams, solvePow, TEST_ENV } from '../support/harness.js';
import { connectWs, WsFrameError, type WsClient } from '../support/ws-client.js';
import { DEPLOY_DIR, labelValues, sample, startDeployRedis, type DeployRedis } from './deploy-redis.js';
import { freePorts } from '../support/free-port.js';

const execFileAsync = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
const CADDY = process.env.CADDY_PATH ?? '/usr/bin/caddy';
const GRACE_SECONDS = 5;
/** Messages each side sends; the pace keeps the stream going across both disruptions. */
const PER_SIDE = 150;
const PACE_MS = 15;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Proc {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Proc {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d: Buffer) => {
    out = (out + d.toString()).slice(-4_000_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, diagnostics: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${diagnostics()}`);
    await sleep(50);
  }
}

const ok = async (url: string) => (await fetch(url)).status === 200;

/** Status and encoding headers as they come off the socket (fetch would decode and drop them). */
function rawGet(url: string, acceptEncoding: string): Promise<{ status: number; encoding?: string; vary?: string; etag?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], vary: res.headers.vary, etag: res.headers.etag }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('production topology: Caddy → two instances → Redis (AOF)', () => {
  let redis: DeployRedis;
  let installDir = '';
  let caddyHome = '';
  let seedStore: Store;
  let caddy: Proc;
  const apps = new Map<string, { proc: Proc; port: number; metricsPort: number }>();
  /** Every instance process ever started (the restarted one included), for the log checks. */
  const allApps: Proc[] = [];
  const clients: WsClient[] = [];
  let caddyUrl = '';
  let origin = '';
  const timings: Record<string, number> = {};

  function startApp(name: string, port: number, metricsPort: number): Proc {
    const proc = startProcess(process.execPath, ['dist/server/main.js'], {
      cwd: installDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: origin,
        REDIS_URL: redis.appUrl,
        TRUST_PROXY: 'true',
        METRICS_HOST: '127.0.0.1',
        METRICS_PORT: String(metricsPort),
        SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
        // The test configuration (info logs, no demo, easy proof of work, abuse budgets lifted).
        ...TEST_ENV,
        STATIC_DIR: 'dist/public',
      },
    });
    apps.set(name, { proc, port, metricsPort });
    allApps.push(proc);
    return proc;
  }

  const appReady = (name: string) => {
    const app = apps.get(name)!;
    return waitUntil(`${name} /readyz`, () => ok(`http://127.0.0.1:${app.port}/readyz`), 20_000, () => app.proc.output());
  };

  beforeAll(async () => {
    const started = Date.now();
    if (!existsSync(CADDY)) throw new Error(`${CADDY} is missing: scripts/test.sh installs caddy with apt-get`);
    if (!existsSync(join(REPO, 'dist/server/main.js')) || !existsSync(join(REPO, 'dist/public'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    }
    await loadSodium();

    // The production install: package files and the build only, runtime dependencies only.
    installDir = await mkdtemp(join(tmpdir(), 'utvag-prod-'));
    await cp(join(REPO, 'package.json'), join(installDir, 'package.json'));
    await cp(join(REPO, 'package-lock.json'), join(installDir, 'package-lock.json'));
    await cp(join(REPO, 'dist'), join(installDir, 'dist'), { recursive: true });
    const install = execFileAsync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: installDir,
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: 120_000,
    });
    redis = await startDeployRedis(['--appendonly', 'yes', '--appendfsync', 'everysec']);
    await install;
    timings.installMs = Date.now() - started;
    expect(existsSync(join(installDir, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(installDir, 'node_modules/prom-client'))).toBe(true);

    // Staff data as an admin would create it (the app's ACL user).
    seedStore = await createRedisStore({ url: redis.appUrl });
    await seedTeams(seedStore);

    const [caddyPort, portA, portB, metricsA, metricsB] = await freePorts(5);
    caddyUrl = `http://127.0.0.1:${caddyPort}`;
    origin = caddyUrl;
    startApp('a', portA!, metricsA!);
    startApp('b', portB!, metricsB!);
    await Promise.all([appReady('a'), appReady('b')]);

    caddyHome = await mkdtemp(join(tmpdir(), 'utvag-caddy-'));
    caddy = startProcess(CADDY, ['run', '--config', join(DEPLOY_DIR, 'Caddyfile'), '--adapter', 'caddyfile'], {
      cwd: caddyHome,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: caddyHome,
        XDG_DATA_HOME: caddyHome,
        XDG_CONFIG_HOME: caddyHome,
        UTVAG_SITE: caddyUrl,
        UTVAG_UPSTREAMS: `127.0.0.1:${portA} 127.0.0.1:${portB}`,
      },
    });
    await waitUntil('caddy', () => ok(`${caddyUrl}/readyz`), 20_000, () => caddy.output());
    timings.setupMs = Date.now() - started;
  }, 150_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const { proc } of apps.values()) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    if (caddy !== undefined && caddy.child.exitCode === null) caddy.child.kill('SIGKILL');
    await seedStore?.close().catch(() => undefined);
    await redis?.stop();
    if (installDir !== '') await rm(installDir, { recursive: true, force: true });
    if (caddyHome !== '') await rm(caddyHome, { recursive: true, force: true });
    // Numbers for the report: `DEBUG_TOPOLOGY=1 npx vitest run test/deploy/topology.test.ts`.
    if (process.env.DEBUG_TOPOLOGY === '1') process.stderr.write(`topology timings: ${JSON.stringify(timings)}\n`);
  });

  it('compresses API answers (encode zstd gzip) and passes the precompressed assets through', async () => {
    // The widget's crypto chunk (crypto/visitor.ts and libsodium): the largest file a visitor downloads.
    const asset = (await readdir(join(installDir, 'dist/public/assets'))).find((f) => /^visitor-.*\.js$/.test(f));
    const api = await rawGet(`${caddyUrl}/api/openapi.json`, 'zstd, gzip');
    expect(api.encoding).toBe('zstd');
    const js = await rawGet(`${caddyUrl}/assets/${asset}`, 'zstd, br, gzip');
    expect([js.status, js.encoding, js.vary]).toEqual([200, 'br', 'Accept-Encoding']);
    expect(js.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it('loses and duplicates nothing across a rolling restart and a Redis restart', async () => {
    const started = Date.now();
    const anna = await seedResponder(seedStore, 'anna');
    const intake: Envelope = { cid: newCid(), kind: 'intake', body: fakeCipher(96) };
    const opened = await createVisitorApi({ baseUrl: caddyUrl }).open({ category: 'chat', language: 'sv', intake }, solvePow);
    const c = opened.id;
    const jar = createCookieJar();
    const api = createResponderApi({ baseUrl: caddyUrl, cookies: jar });
    await api.login(anna.login, anna.authKey);
    await api.duty('unga', true);
    expect((await api.claim(c)).status).toBe('active');

    const visitor = await connectWs(caddyUrl);
    const responder = await connectWs(caddyUrl, { cookie: jar.get(), origin });
    clients.push(visitor, responder);
    await visitor.helloVisitor(c, opened.token, null);
    await responder.helloResponder();
    await responder.sub(c, null);

    const stats = { reconnects: 0, retries: 0, duplicatesAcked: 0, closeCodes: [] as number[] };
    /** Reconnects through Caddy (to whichever instance it picks) until the hello succeeds. */
    const reconnect = async (client: WsClient) => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await client.reconnect(caddyUrl);
          stats.reconnects += 1;
          return;
        } catch (error) {
          if (attempt > 100) throw error;
          await sleep(100);
        }
      }
    };
    /** What the widget and the console do: resend with the same cid until acknowledged. */
    const sendReliably = async (client: WsClient, envelope: Envelope) => {
      for (let attempt = 0; ; attempt += 1) {
        if (attempt > 200) throw new Error(`message ${envelope.cid} never acknowledged`);
        if (client.socket.readyState !== client.socket.OPEN) {
          const info = await client.closed();
          stats.closeCodes.push(info.code);
          await reconnect(client);
        }
        try {
          const ack = await client.send(c, envelope);
          if (ack.dup) stats.duplicatesAcked += 1;
          return;
        } catch (error) {
          stats.retries += 1;
          if (error instanceof WsFrameError && error.code !== 'store_unavailable') {
            // A refusal other than "try again" means state was lost (e.g. Redis came back empty).
            const record = await seedStore.conversations.get(c as ConversationId).catch((e: unknown) => String(e));
            throw new Error(`${error.message} after ${Date.now() - started} ms; conversation now: ${JSON.stringify(record)}`);
          }
          await sleep(100);
        }
      }
    };
    const fromVisitor = Array.from({ length: PER_SIDE }, () => newCid());
    const fromResponder = Array.from({ length: PER_SIDE }, () => newCid());
    const sendAll = async (client: WsClient, cids: readonly string[]) => {
      for (const cid of cids) {
        await sendReliably(client, { cid, kind: 'message', body: fakeCipher(48) });
        await sleep(PACE_MS);
      }
    };
    const sending = Promise.all([sendAll(visitor, fromVisitor), sendAll(responder, fromResponder)]);
    const sent = (client: WsClient, from: 'visitor' | 'responder') => client.messages(c).filter((e) => e.from === from).length;

    // 1. Rolling restart: SIGTERM the instance that holds sockets, mid-stream, then start it again.
    await waitUntil('30 messages each way', async () => sent(visitor, 'responder') >= 30 && sent(responder, 'visitor') >= 30, 30_000);
    const socketsOn = async (name: string) => sample(await (await fetch(`http://127.0.0.1:${apps.get(name)!.metricsPort}/metrics`)).text(), 'utvag_websockets_open') ?? 0;
    const victim = (await socketsOn('a')) > 0 ? 'a' : 'b';
    expect(await socketsOn(victim)).toBeGreaterThan(0);
    const { proc: victimProc, port: victimPort, metricsPort: victimMetrics } = apps.get(victim)!;
    const termAt = Date.now();
    victimProc.child.kill('SIGTERM');
    const exit = await victimProc.exited;
    timings.sigtermExitMs = Date.now() - termAt;
    expect(exit, victimProc.output()).toEqual({ code: 0, signal: null });
    expect(timings.sigtermExitMs).toBeLessThan(GRACE_SECONDS * 1000);
    const duringRestart = sent(visitor, 'responder');
    startApp(victim, victimPort, victimMetrics);
    await appReady(victim);

    // 2. Redis restarts (SIGTERM: the AOF is flushed; the same config and dir on start).
    // What a timeout here prints: who reconnected how often, what each side has, the instances' last lines.
    const progress = () =>
      `${JSON.stringify({ victim, duringRestart, visitorHasFromResponder: sent(visitor, 'responder'), responderHasFromVisitor: sent(responder, 'visitor'), stats })}\n` +
      [...apps].map(([name, app]) => `--- ${name}\n${app.proc.output().slice(-3_000)}`).join('\n');
    await waitUntil('more messages after the rolling restart', async () => sent(visitor, 'responder') >= duringRestart + 30, 30_000, progress);
    const redisAt = Date.now();
    await redis.restart();
    timings.redisRestartMs = Date.now() - redisAt;
    const messagesAtRedisRestart = sent(visitor, 'responder') + sent(responder, 'visitor');

    await sending;
    timings.conversationMs = Date.now() - started;

    // Both sides end up with everything: reconnect whoever lost the socket last (it resumes).
    for (const client of [visitor, responder]) if (client.socket.readyState !== client.socket.OPEN) await reconnect(client);
    const total = 1 + 2 * PER_SIDE;
    await visitor.waitForMessages(c, total, 15_000);
    await responder.waitForMessages(c, total, 15_000);
    await sleep(300);

    const log: LogEntry[] = (await seedStore.log.after(c as ConversationId, null, 10_000)) as LogEntry[];
    const ids = (entries: readonly LogEntry[]) => entries.map((e) => e.id);
    const cids = (entries: readonly LogEntry[], from: string) => entries.filter((e) => e.from === from && e.kind === 'message').map((e) => e.cid);
    // Stored once each, in the order each side sent them.
    expect(log).toHaveLength(total);
    expect(cids(log, 'visitor')).toEqual(fromVisitor);
    expect(cids(log, 'responder')).toEqual(fromResponder);
    // Each side received exactly the log: nothing lost, nothing twice, in order.
    expect(ids(visitor.messages(c))).toEqual(ids(log));
    expect(ids(responder.messages(c))).toEqual(ids(log));
    // The restart really happened mid-stream and the sockets were told to go elsewhere.
    expect(stats.closeCodes).toContain(1012);
    expect(messagesAtRedisRestart).toBeLessThan(2 * PER_SIDE);
    // Both continue: one more exchange after everything.
    await sendReliably(visitor, { cid: newCid(), kind: 'message', body: fakeCipher(48) });
    await sendReliably(responder, { cid: newCid(), kind: 'message', body: fakeCipher(48) });
    await visitor.waitForMessages(c, total + 2, 10_000);
    await responder.waitForMessages(c, total + 2, 10_000);

    // The instances' metrics counted the relay and name no visitor.
    let relayed = 0;
    for (const { metricsPort } of apps.values()) {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      relayed += (sample(text, 'utvag_messages_relayed_total', { from: 'visitor', kind: 'message' }) ?? 0) + (sample(text, 'utvag_messages_relayed_total', { from: 'responder', kind: 'message' }) ?? 0);
      for (const value of labelValues(text)) for (const secret of [c, opened.token, '127.0.0.1']) expect(value).not.toContain(secret);
    }
    expect(relayed).toBeGreaterThan(0);

    // The instances' JSON logs: one line per request, none naming the conversation, token or messages.
    const logs = allApps.map((p) => p.output()).join('\n');
    expect(logs.match(/"msg":"request"/g)?.length ?? 0).toBeGreaterThan(5);
    for (const secret of [c, opened.token, intake.cid, ...fromVisitor, ...fromResponder, jar.get()!.split('=')[1]!]) {
      expect(logs.includes(secret), 'a visitor identifier in the logs').toBe(false);
    }
    expect(logs).not.toMatch(/"level":(50|60)/);
    Object.assign(timings, { ...stats, closeCodes: stats.closeCodes.length, messages: total + 2, testMs: Date.now() - started });
  }, 90_000);
});
