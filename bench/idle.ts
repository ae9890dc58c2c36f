// Memory per idle socket: a server holds N subscribed, silent sockets (Utväg: a visitor each, on its
// own conversation; the floor: a socket joined to a room each). RSS and heap are read after a
// forced full GC (bench/memory-probe.mjs) before and after the sockets connect; the difference over
// N is the cost of one idle socket. Clients come from several processes (each below the fd limit).
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../crypto/sodium-standard.js';
import { freePort } from '../test/support/free-port.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { openConversations, spawnAndWait, spawnUtvag, stopChild } from './compare.js';
import type { IdleJob } from './idle-clients.js';

const PROBE = ['--expose-gc', '--import', './bench/memory-probe.mjs'];
/** Sockets per client process: well below its file descriptor limit. */
const PER_CLIENT_PROCESS = 10_000;

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

/** Asks a probed server for its memory after a full GC. */
async function probe(child: ChildProcess, output: () => string): Promise<Memory> {
  const before = output().split('\nmemory ').length;
  child.kill('SIGUSR2');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const parts = output().split('\nmemory ');
    if (parts.length > before && (parts.at(-1) ?? '').includes('\n')) return JSON.parse((parts.at(-1) ?? '').split('\n')[0] ?? '{}') as Memory;
    if (Date.now() > deadline) throw new Error('no memory report from the server');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The soft descriptor limit this process (and so its children) got. */
function fdLimit(): number {
  return Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || 0;
}

async function connectIdle(kind: 'utvag' | 'raw', url: string, conversations: IdleJob['conversations'], dir: string): Promise<ChildProcess[]> {
  const children: ChildProcess[] = [];
  const ready: Array<Promise<void>> = [];
  for (let i = 0, n = 0; i < conversations.length; i += PER_CLIENT_PROCESS, n++) {
    const file = join(dir, `idle-${kind}-${n}.json`);
    const job: IdleJob = { kind, url, conversations: conversations.slice(i, i + PER_CLIENT_PROCESS), localAddress: `127.0.0.${n + 2}` };
    writeFileSync(file, JSON.stringify(job));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/idle-clients.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`idle clients exited ${code}`)));
      }),
    );
  }
  await Promise.all(ready);
  // Let the server finish what the last hellos started before reading its memory.
  await new Promise((r) => setTimeout(r, 2_000));
  return children;
}

interface PerSocket {
  readonly rss: number;
  readonly heap: number;
  readonly baseRss: number;
}

async function measureServer(
  kind: 'utvag' | 'raw',
  n: number,
  dir: string,
): Promise<PerSocket> {
  const redis = kind === 'utvag' ? await startRedisServer() : null;
  let server: { child: ChildProcess; output: () => string } | null = null;
  let clients: ChildProcess[] = [];
  try {
    let url: string;
    let conversations: IdleJob['conversations'];
    if (redis !== null) {
      const started = await spawnUtvag(redis, { nodeArgs: PROBE });
      server = started;
      conversations = (await openConversations(started.base, n, null)).conversations;
      url = `ws://127.0.0.1:${new URL(started.base).port}/api/v1/ws`;
    } else {
      const port = await freePort();
      server = await spawnAndWait([...PROBE, '--import', 'tsx', 'bench/baselines/floor-relay.ts'], { PORT: String(port) }, /listening/);
      conversations = Array.from({ length: n }, (_, i) => ({ c: `room-${i}` }));
      url = `ws://127.0.0.1:${port}`;
    }
    const before = await probe(server.child, server.output);
    clients = await connectIdle(kind, url, conversations, dir);
    const after = await probe(server.child, server.output);
    return { rss: (after.rss - before.rss) / n, heap: (after.heapUsed - before.heapUsed) / n, baseRss: before.rss };
  } finally {
    for (const c of clients) c.kill('SIGKILL');
    if (server !== null) await stopChild(server.child);
    await redis?.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Markdown section: retained heap and RSS per idle socket, Utväg against the raw ws relay. */
export async function runIdleBench(): Promise<string> {
  await loadSodium();
  const n = Number(process.env.BENCH_IDLE_SOCKETS ?? 15_000);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const target = Number(process.env.BENCH_IDLE_TARGET ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'utvag-idle-'));
  const runs: Record<'raw' | 'utvag', PerSocket[]> = { raw: [], utvag: [] };
  for (let r = 0; r < repeats; r++) for (const kind of ['raw', 'utvag'] as const) runs[kind].push(await measureServer(kind, n, dir));
  const kib = (bytes: number) => (bytes / 1024).toFixed(2);
  const row = (name: string, ms: PerSocket[], floor: PerSocket[]) => {
    const heap = median(ms.map((m) => m.heap));
    const rss = median(ms.map((m) => m.rss));
    const base = median(ms.map((m) => m.baseRss));
    const projected = (base + target * rss) / 2 ** 20;
    return `| ${name} | ${kib(heap)} | ${(heap / median(floor.map((m) => m.heap))).toFixed(2)}× | ${kib(rss)} | ${(rss / median(floor.map((m) => m.rss))).toFixed(2)}× | ${(base / 2 ** 20).toFixed(0)} | ${projected.toFixed(0)} MiB | ${ms.map((m) => kib(m.heap)).join(', ')} |`;
  };
  return [
    '## Memory per idle socket',
    '',
    `${n} idle sockets per server, each subscribed (Utväg: a visitor socket after its hello on its own conversation, on Redis; the floor: a socket joined to a room); clients in processes of at most ${PER_CLIENT_PROCESS} sockets, each from its own 127.0.0.x address. Heap and RSS read in the server after a forced full GC (\`--expose-gc\`, bench/memory-probe.mjs), before and after the sockets connect, divided by ${n}; median of ${repeats} runs. "${target.toLocaleString('en')} sockets" projects the server's RSS without sockets plus ${target.toLocaleString('en')} × RSS per socket. A process of this run may hold \`ulimit -n\` = ${fdLimit()} descriptors${fdLimit() < target ? `, so one instance here cannot hold ${target.toLocaleString('en')} sockets: that needs \`LimitNOFILE\`/\`ulimit -n\` above ${target.toLocaleString('en')}` : ''}.`,
    '',
    `| server | heap KiB/socket | × floor | RSS KiB/socket | × floor | RSS without sockets MiB | ${target.toLocaleString('en')} sockets (projected RSS) | heap KiB/socket (each run) |`,
    '|---|---|---|---|---|---|---|---|',
    row('floor: `ws`, rooms in a Map (bench/baselines/floor-relay.ts)', runs.raw, runs.raw),
    row('Utväg (Redis)', runs.utvag, runs.raw),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runIdleBench().then((md) => process.stdout.write(`${md}\n`));
}
