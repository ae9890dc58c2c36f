// Relay benchmark: the built server in its own process (in-memory store, then Redis), N conversations
// each with a visitor and a responder socket, an open-loop message rate in both directions; measures
// end-to-end latency, exactly-once delivery, and CPU per message of the server and of redis-server.
import { LIMITS_OFF } from '../test/support/limits-off.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createCookieJar, createResponderApi, createVisitorApi } from '../client/shared/api-client.js';
import { deriveLoginKeys } from '../crypto/password.js';
import { loadSodium } from '../crypto/sodium-standard.js';
import { loadSumoSodium } from '../crypto/sodium-sumo.js';
import { powSolve } from '../crypto/pow.js';
import { freePort } from '../test/support/free-port.js';
import { cpuTicks, microsPer, percentile, rssMiB } from './proc.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { SERVER_ENTRY } from './compare.js';

interface RunResult {
  readonly store: string;
  readonly conversations: number;
  readonly offeredRate: number;
  readonly sent: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly serverCpuUsPerMsg: number;
  readonly redisCpuUsPerMsg: number | null;
  readonly serverRssMiB: number;
}


async function startServerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; login: string; password: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'warn', DEMO: 'true', POW_DIFFICULTY: '8', ...LIMITS_OFF, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/password "([^"]+)"/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /login "([^"]+)", password "([^"]+)"/.exec(out);
  return { child, base, login: m?.[1] ?? '', password: m?.[2] ?? '' };
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function waitFrame(ws: WebSocket, t: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      if ((JSON.parse(String(data)) as { t: string }).t === t) {
        ws.off('message', on);
        resolve();
      }
    };
    ws.on('message', on);
  });
}

async function runOnce(store: 'memory' | 'redis', conversations: number, rate: number, seconds: number): Promise<RunResult> {
  const redis = store === 'redis' ? await startRedisServer() : null;
  const server = await startServerProcess(redis === null ? {} : { REDIS_URL: redis.url });
  const redisPid = redis === null ? null : Number((await redis.cli('INFO', 'server')).match(/process_id:(\d+)/)?.[1]);
  try {
    await loadSumoSodium();
    const responder = createResponderApi({ baseUrl: server.base, cookies: createCookieJar() });
    const params = await responder.loginParams(server.login);
    const jar = createCookieJar();
    const api = createResponderApi({ baseUrl: server.base, cookies: jar });
    await api.login(server.login, deriveLoginKeys(server.password, new Uint8Array(Buffer.from(params.salt, 'base64url')), params).authKey);
    await api.duty('unga', true); // only responders on duty may take waiting conversations
    const visitorApi = createVisitorApi({ baseUrl: server.base });
    const wsBase = `${server.base.replace('http', 'ws')}/api/v1/ws`;

    const sentAt = new Map<string, number>();
    const seen = new Set<string>();
    const latencies: number[] = [];
    let duplicates = 0;
    const onMessage = (role: 'visitor' | 'responder') => (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { t: string; e?: { cid: string; from: string } };
      // Only receipt by the other side counts (a sender's own socket also sees its message).
      if (frame.t !== 'msg' || frame.e === undefined || frame.e.from === role) return;
      const at = sentAt.get(frame.e.cid);
      if (at === undefined) return;
      if (seen.has(frame.e.cid)) {
        duplicates += 1;
        return;
      }
      seen.add(frame.e.cid);
      latencies.push(performance.now() - at);
    };

    const pairs: Array<{ id: string; visitor: WebSocket; responder: WebSocket }> = [];
    for (let i = 0; i < conversations; i++) {
      const opened = await visitorApi.open({ category: 'chat', language: 'sv' }, async (c, d) => powSolve(c, d));
      await api.claim(opened.id);
      const visitor = await openSocket(wsBase);
      const vReady = waitFrame(visitor, 'subscribed');
      visitor.send(JSON.stringify({ t: 'hello', v: 1, c: opened.id, token: opened.token, after: null }));
      await vReady;
      const responderWs = await openSocket(wsBase, { cookie: jar.get() ?? '', origin: server.base });
      const rReady = waitFrame(responderWs, 'ready');
      responderWs.send(JSON.stringify({ t: 'hello', v: 1 }));
      await rReady;
      const subscribed = waitFrame(responderWs, 'subscribed');
      responderWs.send(JSON.stringify({ t: 'sub', c: opened.id, after: null }));
      await subscribed;
      visitor.on('message', onMessage('visitor'));
      responderWs.on('message', onMessage('responder'));
      pairs.push({ id: opened.id, visitor, responder: responderWs });
    }

    const body = randomBytes(272).toString('base64url'); // a 200-byte message padded to 256 + overhead
    const total = rate * seconds;
    const serverTicks0 = cpuTicks(server.child.pid ?? 0);
    const redisTicks0 = redisPid === null ? 0 : cpuTicks(redisPid);
    const start = performance.now();
    for (let n = 0; n < total; n++) {
      const due = start + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const pair = pairs[n % pairs.length];
      if (pair === undefined) continue;
      const cid = `b${n.toString(36).padStart(15, '0')}`;
      sentAt.set(cid, performance.now());
      const socket = n % 2 === 0 ? pair.visitor : pair.responder;
      socket.send(JSON.stringify({ t: 'send', c: pair.id, e: { cid, kind: 'message', body } }));
    }
    const drainDeadline = performance.now() + 10_000;
    while (seen.size < total && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
    const serverTicks = cpuTicks(server.child.pid ?? 0) - serverTicks0;
    const redisTicks = redisPid === null ? null : cpuTicks(redisPid) - redisTicks0;
    const rss = rssMiB(server.child.pid ?? 0);
    for (const p of pairs) {
      p.visitor.close();
      p.responder.close();
    }
    const sorted = latencies.sort((a, b) => a - b);
    const us = (ticks: number) => microsPer(ticks, total);
    return {
      store,
      conversations,
      offeredRate: rate,
      sent: total,
      delivered: seen.size,
      duplicates,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
      serverCpuUsPerMsg: us(serverTicks),
      redisCpuUsPerMsg: redisTicks === null ? null : us(redisTicks),
      serverRssMiB: rss,
    };
  } finally {
    server.child.kill('SIGKILL');
    await redis?.stop();
  }
}

/** Markdown section: one row per store at a fixed load. */
export async function runRelayBench(): Promise<string> {
  await loadSodium();
  const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 200);
  const rate = Number(process.env.BENCH_RATE ?? 2000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const rows: RunResult[] = [];
  for (const store of ['memory', 'redis'] as const) rows.push(await runOnce(store, conversations, rate, seconds));
  const f = (n: number) => n.toFixed(1);
  return [
    '## Relay (one instance, server in its own process)',
    '',
    `${conversations} conversations (a visitor and a responder WebSocket each), ${rate} messages/s offered open-loop for ${seconds} s, alternating directions, 272-character ciphertext bodies. Latency is send → receipt on the other socket. CPU from /proc (user + system) divided by messages sent.`,
    '',
    '| store | sent | delivered once | duplicates | p50 ms | p90 ms | p99 ms | max ms | server CPU µs/msg | redis CPU µs/msg | server RSS MiB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.store} | ${r.sent} | ${r.delivered} | ${r.duplicates} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p99)} | ${f(r.max)} | ${f(r.serverCpuUsPerMsg)} | ${r.redisCpuUsPerMsg === null ? '—' : f(r.redisCpuUsPerMsg)} | ${f(r.serverRssMiB)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runRelayBench().then((md) => process.stdout.write(`${md}\n`));
}
