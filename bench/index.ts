// Runs every benchmark section and writes BENCHMARKS.md with the machine, the date and the command.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

interface Section {
  readonly name: string;
  run(): Promise<string>;
}

const sections: Section[] = [
  { name: 'crypto', run: async () => (await import('./crypto.js')).runCryptoBench() },
  { name: 'relay', run: async () => (await import('./relay.js')).runRelayBench() },
  { name: 'compare', run: async () => (await import('./compare.js')).runCompareBench() },
  { name: 'idle', run: async () => (await import('./idle.js')).runIdleBench() },
  { name: 'scale', run: async () => (await import('./scale.js')).runScaleBench() },
  { name: 'widget', run: async () => (await import('./widget-size.js')).runWidgetSizeBench() },
  { name: 'wire', run: async () => (await import('./first-load.js')).runFirstLoadBench() },
  { name: 'queue', run: async () => (await import('./queue-push.js')).runQueuePushBench() },
];

/** How to run each section alone, and its knobs (environment variables), for the header. */
const SECTION_HELP = [
  '| section | what | run alone | knobs (defaults) |',
  '|---|---|---|---|',
  '| crypto | libsodium costs in Node | `npm run bench -- crypto` | — |',
  '| relay | one instance, memory store vs Redis | `npm run bench -- relay` | BENCH_CONVERSATIONS (200), BENCH_RATE (2000), BENCH_SECONDS (10) |',
  '| compare | Utväg against the floor (unparsed `ws` forwarding), a protocol-shaped `ws` relay, socket.io and a naive durable relay (`ws` + node-redis XADD + PUBLISH), same run | `npm run bench -- compare` | BENCH_CONVERSATIONS (2000), BENCH_RATES (2000,5000), BENCH_SECONDS (10), BENCH_REPEATS (3), BENCH_BODY_CHARS (400), BENCH_TARGETS (raw,socketio,durable,utvag; also utvag-memory), BENCH_UTVAG_BUILDS (`label=path/to/server/main.js [node flags];…`: other builds, or this one with other Node flags (`label=--flag`), in the same rounds), BENCH_CPU_PROF (a directory: `--cpu-prof` the servers) |',
  '| idle | memory per idle socket, Utväg vs the floor | `npm run bench -- idle` | BENCH_IDLE_SOCKETS (15000), BENCH_IDLE_TARGET (50000), BENCH_REPEATS (3) |',
  '| scale | two instances on one Redis, several generators | `npm run bench -- scale` | BENCH_CONVERSATIONS (2000), BENCH_SCALE_RATES (5000,10000,20000), BENCH_GENERATORS (2), BENCH_SECONDS (10), BENCH_REPEATS (3) |',
  '| widget | bundle sizes of the built widget, the visitor’s whole first chat, libsodium copies | `npm run bench -- widget` (after `npm run build`) | — |',
  '| wire | first load on the wire in Chromium, QR page and console | `npm run bench -- wire` (after `npm run build`) | — |',
  '| queue | queue to console: a new visitor pushed to every on-duty responder’s socket, and shown in its queue listing | `npm run bench -- queue` | BENCH_RESPONDERS (50), BENCH_ARRIVALS (20 per round), BENCH_ARRIVAL_MS (250), BENCH_REPEATS (3) |',
  '',
  '`npm run bench` compiles the server into .tmp/bench-dist first and the benches start that build. A profile of the measured window only: `BENCH_CPU_PROF=$PWD/.tmp/prof BENCH_TARGETS=utvag npm run bench -- compare`, then `npx tsx bench/profile-summary.ts .tmp/prof/<file>.cpuprofile 40 .tmp/prof/windows-<server pid>.json`.',
];

/** The "## " sections of the current BENCHMARKS.md, so a partial run keeps the others. */
function previousSections(): string[] {
  if (!existsSync('BENCHMARKS.md')) return [];
  return readFileSync('BENCHMARKS.md', 'utf8')
    .split(/\n(?=## )/)
    .slice(1)
    .map((part) => part.trim());
}

/** Previous sections in their order, each replaced by a new one with the same heading; new ones appended. */
function merge(previous: string[], fresh: string[]): string[] {
  const heading = (part: string) => part.split('\n', 1)[0] ?? '';
  const byHeading = new Map(fresh.map((part) => [heading(part), part.trim()]));
  const merged = previous.map((part) => byHeading.get(heading(part)) ?? part);
  for (const part of fresh) if (!previous.some((p) => heading(p) === heading(part))) merged.push(part.trim());
  return merged;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const parts: string[] = [];
  for (const section of sections) {
    if (only.length > 0 && !only.includes(section.name)) continue;
    process.stdout.write(`bench: ${section.name}…\n`);
    parts.push(await section.run());
  }
  const cpu = cpus();
  const header = [
    '# Benchmarks',
    '',
    `Last written ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench${only.length > 0 ? ` -- ${only.join(' ')}` : ''}\` (\`npm run bench -- <section>\` reruns one section and keeps the others; sections: ${sections.map((x) => x.name).join(', ')}).`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}.`,
    '',
    ...SECTION_HELP,
    '',
  ].join('\n');
  writeFileSync('BENCHMARKS.md', `${header}\n${merge(previousSections(), parts).join('\n\n')}\n`);
  process.stdout.write('bench: wrote BENCHMARKS.md\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
