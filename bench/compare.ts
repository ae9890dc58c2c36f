// Utväg's durable relay against two bare relays measured in the same run: the raw `ws` floor and a
// socket.io relay. Each server in its own process, the generator in another; CPU from /proc for
// exactly the measured window; three repetitions, median reported.
import { LIMITS_OFF } from '../test/support/limits-off.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCookieJar, createResponderApi, createVisitorApi } from '../client/shared/api-client.js';
import { deriveLoginKeys } from '../crypto/password.js';
import { powSolve } from '../crypto/pow.js';
import { loadSodium } from '../crypto/sodium-standard.js';
import { loadSumoSodium } from '../crypto/sodium-sumo.js';
import { freePort } from '../test/support/free-port.js';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';
import type { Job, Result } from './load-generator.js';
import { cpuTicks, cpuTicksApart, microsPer, syscalls } from './proc.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Target {
  readonly name: string;
  readonly process: ChildProcess;
  readonly job: Omit<Job, 'rate' | 'seconds' | 'bodyChars'>;
  readonly redisPid: number | null;
  stop(): Promise<void>;
}

export function spawnAndWait(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve({ child, output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

/** The built server the benches start (scripts/bench.mjs compiles it there first). */
export const SERVER_ENTRY = process.env.BENCH_SERVER_ENTRY ?? '.tmp/bench-dist/server/main.js';

/** `--cpu-prof` for the server processes when BENCH_CPU_PROF names a directory. */
export const profileArgs = (): string[] => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** One built Utväg process on `redis`; `publicUrl` of another instance makes it a peer behind the same name. */
export async function spawnUtvag(
  redis: RedisServer | null,
  options: { readonly nodeArgs?: readonly string[]; readonly publicUrl?: string; readonly entry?: string } = {},
): Promise<{ child: ChildProcess; base: string; publicUrl: string; output: () => string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? base;
  const { child, output } = await spawnAndWait(
    [...profileArgs(), ...(options.nodeArgs ?? []), options.entry ?? SERVER_ENTRY],
    {
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      // Without a Redis the server runs on its in-memory store.
      ...(redis === null ? {} : { REDIS_URL: redis.url }),
      DEMO: 'true',
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
      POW_DIFFICULTY: '8',
      ...LIMITS_OFF,
      MAX_LOG_ENTRIES: '1000000',
    },
    // The first instance on a Redis seeds the demo and prints its password; a peer just starts.
    options.publicUrl === undefined ? /password "[^"]+"/ : /Utväg is running/,
  );
  return { child, base, publicUrl, output };
}

/**
 * Opens `n` conversations through the real HTTP API (proof of work, open), 20 at a time; with a
 * login, the demo responder goes on duty and claims each. Returns them with the responder's cookie.
 */
export async function openConversations(
  base: string,
  n: number,
  login: { readonly user: string; readonly password: string } | null,
  redis: RedisServer | null = null,
): Promise<{ conversations: Array<{ c: string; token: string }>; cookie: string }> {
  const jar = createCookieJar();
  const api = createResponderApi({ baseUrl: base, cookies: jar });
  if (login !== null) {
    await loadSumoSodium();
    const params = await api.loginParams(login.user);
    await api.login(login.user, deriveLoginKeys(login.password, new Uint8Array(Buffer.from(params.salt, 'base64url')), params).authKey);
    await api.duty('unga', true);
    // One demo responder holds every conversation of the run: past the API's capacity limit (20),
    // so the bench writes the responder's capacity record (routing.ts) into Redis directly.
    if (redis !== null) await redis.cli('HSET', 'records:{duty-capacity}', `r-${login.user}`, String(n + 10));
  }
  const visitors = createVisitorApi({ baseUrl: base });
  const conversations: Array<{ c: string; token: string }> = [];
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, async () => {
        const opened = await visitors.open({ category: 'chat', language: 'sv' }, async (c, d) => powSolve(c, d));
        if (login !== null) await api.claim(opened.id);
        return { c: opened.id, token: opened.token };
      }),
    );
    conversations.push(...batch);
    if (login !== null && i % 400 === 0) await api.heartbeat();
  }
  return { conversations, cookie: jar.get() ?? '' };
}

/** The demo responder's login a first instance printed. */
export function demoLogin(output: string): { user: string; password: string } {
  const m = /login "([^"]+)", password "([^"]+)"/.exec(output);
  return { user: m?.[1] ?? '', password: m?.[2] ?? '' };
}

export async function redisPidOf(redis: RedisServer): Promise<number> {
  return Number(/process_id:(\d+)/.exec(await redis.cli('INFO', 'server'))?.[1]);
}

async function startUtvag(
  conversations: number,
  redis: RedisServer | null,
  build?: { readonly label: string; readonly entry: string; readonly nodeArgs: readonly string[] },
): Promise<Target> {
  const { child, base, output } = await spawnUtvag(redis, build === undefined ? {} : { entry: build.entry, nodeArgs: build.nodeArgs });
  const opened = await openConversations(base, conversations, demoLogin(output()), redis);
  return {
    name: build !== undefined ? `Utväg (Redis store), ${build.label}` : redis === null ? UTVAG_MEMORY : UTVAG_REDIS,
    process: child,
    job: { kind: 'utvag', url: `ws://127.0.0.1:${new URL(base).port}/api/v1/ws`, conversations: opened.conversations, cookie: opened.cookie, origin: base },
    redisPid: redis === null ? null : await redisPidOf(redis),
    async stop() {
      await stopChild(child);
    },
  };
}

/** SIGTERM first (a profiled process writes its profile on a clean exit), SIGKILL after 10 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(process.env.BENCH_CPU_PROF ? 'SIGINT' : 'SIGKILL');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Row names; FLOOR is what every ratio is against. */
export const FLOOR = 'floor: `ws`, rooms in a Map, the received string forwarded unparsed';
const PROTOCOL_SHAPED = '`ws` relay, protocol-shaped (parses each frame, ack + rebuilt msg)';
const SOCKETIO = 'socket.io 4 relay, in memory';
const DURABLE = 'naive durable relay: `ws` + node-redis, XADD (MAXLEN ~) + PUBLISH pipelined, ack after the XADD';
const UTVAG_REDIS = 'Utväg (Redis store)';
const UTVAG_MEMORY = 'Utväg (in-memory store)';

/** `speaks`: which of the load generator's client kinds talks to it (the durable relay speaks the protocol-shaped relay's frames). */
const BASELINES = {
  floor: { name: FLOOR, file: 'bench/baselines/floor-relay.ts', scheme: 'ws', speaks: 'floor' },
  raw: { name: PROTOCOL_SHAPED, file: 'bench/baselines/raw-ws-relay.ts', scheme: 'ws', speaks: 'raw' },
  socketio: { name: SOCKETIO, file: 'bench/baselines/socketio-relay.ts', scheme: 'http', speaks: 'socketio' },
  durable: { name: DURABLE, file: 'bench/baselines/durable-relay.ts', scheme: 'ws', speaks: 'raw' },
} as const;

/** A baseline's process; `redis` (its own) for the one that stores, whose CPU is then counted too. */
async function startBaseline(kind: keyof typeof BASELINES, conversations: number, redis: RedisServer | null = null): Promise<Target> {
  const port = await freePort();
  const baseline = BASELINES[kind];
  const { child } = await spawnAndWait(
    [...profileArgs(), '--import', 'tsx', baseline.file],
    { PORT: String(port), ...(redis === null ? {} : { REDIS_URL: redis.url }) },
    /listening/,
  );
  const convs = Array.from({ length: conversations }, (_, i) => ({ c: `room-${i}` }));
  return {
    name: baseline.name,
    process: child,
    job: { kind: baseline.speaks, url: `${baseline.scheme}://127.0.0.1:${port}`, conversations: convs },
    redisPid: redis === null ? null : await redisPidOf(redis),
    async stop() {
      await stopChild(child);
    },
  };
}

/**
 * Appends a measured window (monotonic µs, the clock of `--cpu-prof` timestamps) to
 * <BENCH_CPU_PROF>/windows-<pid>.json, so bench/profile-summary.ts can count only those samples.
 */
function recordWindow(target: Target, from: bigint, to: bigint): void {
  const file = join(process.env.BENCH_CPU_PROF ?? '.', `windows-${target.process.pid}.json`);
  const windows = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Array<[number, number]>) : [];
  windows.push([Number(from), Number(to)]);
  writeFileSync(file, JSON.stringify(windows));
}

interface Measured extends Result {
  readonly serverUsPerMsg: number;
  readonly redisUsPerMsg: number | null;
  /** The server's read and write system calls per message sent. */
  readonly readsPerMsg: number;
  readonly writesPerMsg: number;
  /** The part of serverUsPerMsg spent in the kernel (system time). */
  readonly serverSystemUsPerMsg: number;
}

async function measure(target: Target, rate: number, seconds: number, bodyChars: number, dir: string): Promise<Measured> {
  const jobFile = join(dir, `${target.job.kind}-${rate}.json`);
  const job: Job = { ...target.job, rate, seconds, bodyChars };
  writeFileSync(jobFile, JSON.stringify(job));
  const gen = spawn(process.execPath, ['--import', 'tsx', 'bench/load-generator.ts', jobFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let t0 = { server: 0, redis: 0, io: { reads: 0, writes: 0 }, system: 0 };
  let t1 = { server: 0, redis: 0, io: { reads: 0, writes: 0 }, system: 0 };
  let windowStart = 0n;
  const sample = () => ({ server: cpuTicks(target.process.pid ?? 0), redis: target.redisPid === null ? 0 : cpuTicks(target.redisPid), io: syscalls(target.process.pid ?? 0), system: cpuTicksApart(target.process.pid ?? 0).system });
  await new Promise<void>((resolve, reject) => {
    gen.stdout?.on('data', (d: Buffer) => {
      const before = out;
      out += d.toString();
      if (!before.includes('start\n') && out.includes('start\n')) {
        t0 = sample();
        windowStart = process.hrtime.bigint() / 1000n;
      }
      if (!before.includes('end\n') && out.includes('end\n')) {
        t1 = sample();
        if (process.env.BENCH_CPU_PROF) recordWindow(target, windowStart, process.hrtime.bigint() / 1000n);
      }
    });
    gen.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited ${code}: ${out}`))));
  });
  const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Result;
  const us = (ticks: number) => microsPer(ticks, result.sent);
  return {
    ...result,
    serverUsPerMsg: us(t1.server - t0.server),
    redisUsPerMsg: target.redisPid === null ? null : us(t1.redis - t0.redis),
    readsPerMsg: (t1.io.reads - t0.io.reads) / result.sent,
    writesPerMsg: (t1.io.writes - t0.io.writes) / result.sent,
    serverSystemUsPerMsg: us(t1.system - t0.system),
  };
}

/** One target's medians at one rate. */
interface Row {
  readonly rate: number;
  readonly name: string;
  readonly cpu: number;
  readonly redisCpu: number | null;
  readonly p50: number;
  readonly p99: number;
  readonly reads: number;
  readonly writes: number;
  readonly delivered: string;
}

/** Medians of the runs of each target at each rate (rounds interleaved: floor, others, floor, …). */
export async function measureCompare(): Promise<{ rows: Row[]; conversations: number; seconds: number; repeats: number; bodyChars: number }> {
  const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 2000);
  const rates = (process.env.BENCH_RATES ?? '2000,5000').split(',').map(Number);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const bodyChars = Number(process.env.BENCH_BODY_CHARS ?? 400);
  const dir = mkdtempSync(join(tmpdir(), 'utvag-bench-'));
  const redis = await startRedisServer();
  const extraRedis: RedisServer[] = [];
  const targets: Target[] = [];
  const rows: Row[] = [];
  try {
    // BENCH_TARGETS narrows the run (e.g. to profile); the floor is always measured.
    const wanted = (process.env.BENCH_TARGETS ?? 'raw,socketio,durable,utvag').split(',');
    targets.push(await startBaseline('floor', conversations));
    if (wanted.includes('raw')) targets.push(await startBaseline('raw', conversations));
    if (wanted.includes('socketio')) targets.push(await startBaseline('socketio', conversations));
    if (wanted.includes('durable')) {
      const own = await startRedisServer();
      extraRedis.push(own);
      targets.push(await startBaseline('durable', conversations, own));
    }
    if (wanted.includes('utvag')) targets.push(await startUtvag(conversations, redis));
    if (wanted.includes('utvag-memory')) targets.push(await startUtvag(conversations, null));
    // BENCH_UTVAG_BUILDS="label=path/to/server/main.js;…": other builds (e.g. earlier commits), each
    // on a Redis of its own, measured in the same rounds (before/after rows of one run). Words after
    // the path are Node flags for that process ("label=path --max-semi-space-size=32"); without a
    // path it is this build ("label=--max-semi-space-size=32").
    for (const spec of (process.env.BENCH_UTVAG_BUILDS ?? '').split(';').filter((x) => x !== '')) {
      const [label = spec, rest = ''] = spec.split(/=(.*)/s);
      const words = rest.split(/\s+/).filter((w) => w !== '');
      const path = words[0] !== undefined && !words[0].startsWith('-') ? (words.shift() ?? '') : '';
      const nodeArgs = words;
      const own = await startRedisServer();
      extraRedis.push(own);
      targets.push(await startUtvag(conversations, own, { label, entry: path === '' ? SERVER_ENTRY : path, nodeArgs }));
    }
    for (const rate of rates) {
      const byTarget = new Map<string, Measured[]>();
      for (let r = 0; r < repeats; r++) {
        for (const target of targets) {
          const m = await measure(target, rate, seconds, bodyChars, dir);
          byTarget.set(target.name, [...(byTarget.get(target.name) ?? []), m]);
          process.stdout.write(`  ${rate} msg/s round ${r + 1}: ${target.name}: ${m.serverUsPerMsg.toFixed(1)} µs/msg (system ${m.serverSystemUsPerMsg.toFixed(1)})${m.redisUsPerMsg === null ? '' : ` + Redis ${m.redisUsPerMsg.toFixed(1)}`}, p99 ${m.p99.toFixed(1)} ms, ${m.readsPerMsg.toFixed(2)} reads + ${m.writesPerMsg.toFixed(2)} writes per msg, ${m.delivered}/${m.sent}\n`);
        }
      }
      for (const target of targets) {
        const ms = byTarget.get(target.name) ?? [];
        rows.push({
          rate,
          name: target.name,
          cpu: median(ms.map((m) => m.serverUsPerMsg)),
          redisCpu: target.redisPid === null ? null : median(ms.map((m) => m.redisUsPerMsg ?? 0)),
          p50: median(ms.map((m) => m.p50)),
          p99: median(ms.map((m) => m.p99)),
          reads: median(ms.map((m) => m.readsPerMsg)),
          writes: median(ms.map((m) => m.writesPerMsg)),
          delivered: ms
            .map((m) => {
              const errs = Object.entries(m.errors ?? {}).map(([code, n]) => `${n} ${code}`);
              return `${m.delivered}/${m.sent}${m.duplicates > 0 ? ` (+${m.duplicates} dup)` : ''}${errs.length > 0 ? ` [${errs.join(', ')}]` : ''}`;
            })
            .join(', '),
        });
      }
    }
  } finally {
    for (const t of targets) await t.stop();
    await redis.stop();
    for (const r of extraRedis) await r.stop();
  }
  return { rows, conversations, seconds, repeats, bodyChars };
}

/** The 1-minute load average of the machine, for the section's text (others share it). */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Markdown section: CPU per message and latency, every relay against the floor of the same run. */
export async function runCompareBench(): Promise<string> {
  await loadSodium();
  const loadBefore = loadAverage();
  const started = new Date().toISOString().slice(11, 16);
  const { rows, conversations, seconds, repeats, bodyChars } = await measureCompare();
  const ended = new Date().toISOString().slice(11, 16);
  const floorOf = (rate: number) => rows.find((r) => r.rate === rate && r.name === FLOOR);
  const x = (n: number) => `${n.toFixed(2)}×`;
  const table = rows.map((r) => {
    const floor = floorOf(r.rate);
    const floorCpu = floor?.cpu ?? Number.NaN;
    const total = r.cpu + (r.redisCpu ?? 0);
    return `| ${r.rate} | ${r.name} | ${r.cpu.toFixed(1)} | ${x(r.cpu / floorCpu)} | ${r.redisCpu === null ? '—' : r.redisCpu.toFixed(1)} | ${total.toFixed(1)} | ${x(total / floorCpu)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${x(r.p99 / (floor?.p99 ?? Number.NaN))} | ${r.reads.toFixed(2)} + ${r.writes.toFixed(2)} | ${r.delivered} |`;
  });
  return [
    '## Durable relay against bare relays',
    '',
    `${conversations} conversations, two WebSockets each (Utväg: a real visitor and a real responder), open-loop rates below for ${seconds} s, alternating directions, ${bodyChars}-character bodies; each server in its own process, the generator in another (\`bench/load-generator.ts\`). Rounds are interleaved (floor, then each relay, ${repeats} times), medians reported. CPU is user + system time of the server process (and of redis-server) from /proc during the measured window, divided by messages sent, and the server's read and write system calls (/proc/<pid>/io, a writev is one) per message; **every ratio is against the floor of the same run** (the floor forwards the received string to the room unparsed: no ack, no id, no storage). Utväg stores every message in a Redis Stream (or its in-memory store) before acknowledging it; the sender gets an ack carrying the message's id in the message's place in its stream, not a copy of the message. Run ${started}–${ended} UTC; load average before the run ${loadBefore} (2 cores, shared with other work).`,
    '',
    '| msg/s | relay | server CPU µs/msg | × floor | Redis CPU µs/msg | server + Redis µs/msg | × floor | p50 ms | p99 ms | p99 × floor | server system calls per msg (read + write) | delivered (each run) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...table,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCompareBench().then((md) => process.stdout.write(`${md}\n`));
}
