// Two Utväg instances on one Redis: every conversation's visitor on instance A and its responder on
// instance B, so every message crosses Redis (stored by one instance, delivered by the other). Several
// generator processes in step offer a total open-loop rate; measures delivery, latency and the CPU
// of each process, and what one core of the relay (both instances + Redis) carries per second.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../crypto/sodium-standard.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { demoLogin, openConversations, redisPidOf, spawnUtvag, stopChild } from './compare.js';
import type { Job, Result } from './load-generator.js';
import { CLK_TCK, cpuTicks, percentile } from './proc.js';

interface ScaleRun {
  readonly rate: number;
  readonly sent: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly p50: number;
  readonly p99: number;
  readonly seconds: number;
  /** CPU seconds during the window per process group. */
  readonly cpu: { a: number; b: number; redis: number; generators: number };
}

/** Runs the generators in step on their slices; CPU sampled from the go signal to the last "end". */
async function runOnce(
  pids: { a: number; b: number; redis: number },
  base: Omit<Job, 'rate' | 'seconds' | 'bodyChars' | 'conversations'>,
  conversations: Job['conversations'],
  rate: number,
  seconds: number,
  generators: number,
  dir: string,
): Promise<ScaleRun> {
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  const connected: Array<Promise<void>> = [];
  const finished: Array<Promise<void>> = [];
  const ended: Array<Promise<void>> = [];
  const endTicks = new Map<number, number>();
  for (let g = 0; g < generators; g++) {
    const slice = conversations.filter((_, i) => i % generators === g);
    const job: Job = { ...base, conversations: slice, rate: rate / generators, seconds, bodyChars: 400, keepLatencies: true, waitForGo: true };
    const file = join(dir, `scale-${rate}-${g}.json`);
    writeFileSync(file, JSON.stringify(job));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load-generator.ts', file], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    outputs.push('');
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if ((outputs[g] ?? '').includes(text)) {
            child.stdout?.off('data', check);
            resolve();
          }
        };
        child.stdout?.on('data', check);
      });
    child.stdout?.on('data', (d: Buffer) => (outputs[g] += d.toString()));
    connected.push(seen('connected\n'));
    // A generator exits soon after its result: read its CPU time at its own "end".
    ended.push(seen('end\n').then(() => void endTicks.set(g, cpuTicks(child.pid ?? 0))));
    finished.push(new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited ${code}`))))));
  }
  await Promise.all(connected);
  const sample = (generators: number) => ({ a: cpuTicks(pids.a), b: cpuTicks(pids.b), redis: cpuTicks(pids.redis), generators });
  const t0 = sample(children.reduce((sum, c) => sum + cpuTicks(c.pid ?? 0), 0));
  const started = performance.now();
  for (const c of children) c.stdin?.write('go\n');
  await Promise.all(ended);
  const t1 = sample([...endTicks.values()].reduce((x, y) => x + y, 0));
  const wall = (performance.now() - started) / 1000;
  await Promise.all(finished);
  const results = outputs.map((o) => JSON.parse(o.trim().split('\n').at(-1) ?? '{}') as Result);
  const latencies = results.flatMap((r) => r.latencies ?? []).sort((x, y) => x - y);
  const secs = (k: keyof typeof t0) => (t1[k] - t0[k]) / CLK_TCK;
  return {
    rate,
    sent: results.reduce((s, r) => s + r.sent, 0),
    delivered: results.reduce((s, r) => s + r.delivered, 0),
    duplicates: results.reduce((s, r) => s + r.duplicates, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    seconds: wall,
    cpu: { a: secs('a'), b: secs('b'), redis: secs('redis'), generators: secs('generators') },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Markdown section: two instances on one Redis at rising rates. */
export async function runScaleBench(): Promise<string> {
  await loadSodium();
  const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 2000);
  const rates = (process.env.BENCH_SCALE_RATES ?? '5000,10000,20000').split(',').map(Number);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const generators = Number(process.env.BENCH_GENERATORS ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'utvag-scale-'));
  const redis = await startRedisServer();
  const servers: ChildProcess[] = [];
  const rows: string[] = [];
  try {
    const a = await spawnUtvag(redis);
    servers.push(a.child);
    const b = await spawnUtvag(redis, { publicUrl: a.publicUrl });
    servers.push(b.child);
    const opened = await openConversations(a.base, conversations, demoLogin(a.output()), redis);
    const wsOf = (base: string) => `ws://127.0.0.1:${new URL(base).port}/api/v1/ws`;
    const job = { kind: 'utvag' as const, url: wsOf(a.base), responderUrl: wsOf(b.base), cookie: opened.cookie, origin: a.publicUrl };
    const pids = { a: a.child.pid ?? 0, b: b.child.pid ?? 0, redis: await redisPidOf(redis) };
    for (const rate of rates) {
      const runs: ScaleRun[] = [];
      for (let r = 0; r < repeats; r++) runs.push(await runOnce(pids, job, opened.conversations, rate, seconds, generators, dir));
      const m = (f: (run: ScaleRun) => number) => median(runs.map(f));
      // Per delivered message: above saturation what was offered but not delivered cost nothing yet.
      const us = (f: (run: ScaleRun) => number) => m((run) => (f(run) * 1e6) / Math.max(1, run.delivered));
      const relayUs = us((run) => run.cpu.a + run.cpu.b + run.cpu.redis);
      rows.push(
        `| ${rate} | ${m((run) => run.delivered / run.seconds).toFixed(0)} | ${runs.map((run) => `${run.delivered}/${run.sent}${run.duplicates > 0 ? ` (+${run.duplicates} dup)` : ''}`).join(', ')} | ${m((run) => run.p50).toFixed(1)} | ${m((run) => run.p99).toFixed(1)} | ${us((run) => run.cpu.a).toFixed(1)} | ${us((run) => run.cpu.b).toFixed(1)} | ${us((run) => run.cpu.redis).toFixed(1)} | ${us((run) => run.cpu.generators).toFixed(1)} | ${m((run) => (run.cpu.a + run.cpu.b + run.cpu.redis + run.cpu.generators) / run.seconds).toFixed(2)} | ${(1e6 / relayUs).toFixed(0)} |`,
      );
    }
  } finally {
    for (const s of servers) await stopChild(s);
    await redis.stop();
  }
  return [
    '## Two instances on one Redis',
    '',
    `${conversations} conversations; each visitor socket on instance A and its responder socket on instance B (so every message is stored by one instance and delivered by the other through Redis pub/sub); ${generators} generator processes in step, the total rate split between them, open-loop for ${seconds} s, alternating directions, 400-character bodies; median of ${repeats} runs. CPU is user + system time from /proc over the measured window (from the start signal to the last generator's end) divided by messages delivered. "Cores busy" counts everything on the machine this bench runs (A, B, Redis, generators) — on a 2-core machine above ~1.9 the machine, not the relay, is the limit. The last column is what one core spent only on the relay (A + B + Redis) carries: 10⁶ / (A + B + Redis µs per message).`,
    '',
    '| offered msg/s | delivered msg/s | delivered (each run) | p50 ms | p99 ms | A µs/msg | B µs/msg | Redis µs/msg | generators µs/msg | cores busy | msg/s per relay core |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runScaleBench().then((md) => process.stdout.write(`${md}\n`));
}
