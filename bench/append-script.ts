// What the parts of the append script cost Redis: the script as shipped and variants without a part,
// each called on a Redis of its own measuring only redis-server's CPU (/proc) per call. 2,000
// conversations, 400-character bodies, every conversation's channel subscribed on the calling
// connection (as the relay does), calls pipelined BENCH_BATCH (4) at a time. Not a section of
// BENCHMARKS.md's generator: run alone with `npx tsx bench/append-script.ts` (under the heavy lock).
import { createClient } from 'redis';
import { SCRIPTS } from '../server/store/redis/scripts.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { cpuTicks, microsPer } from './proc.js';

const SHIPPED = SCRIPTS.utvagAppend.SCRIPT;

/** `script` with `part` removed; throws when the part is not there (the script changed). */
function without(script: string, part: RegExp | string): string {
  const next = script.replace(part, '');
  if (next === script) throw new Error(`part not found: ${String(part)}`);
  return next;
}

const DEDUPE_LOOKUP = /local seen = redis\.call\('HGET', KEYS\[3\], cid\)[\s\S]*?\n {2}end\nend\n/;
const DEDUPE_WRITE = "redis.call('HSET', KEYS[3], cid, id)\n";
const NO_DEDUPE = without(without(SHIPPED, DEDUPE_LOOKUP), DEDUPE_WRITE);

const body = 'A'.repeat(400);
type Args = (n: number, c: string) => string[];
const shippedArgs: Args = (n, c) => [`cid-${n.toString(36).padStart(16, '0')}`, 'visitor', '1', 'message', body, '86400000', '1000000', `conv:{${c}}:events`, '1', '300', String(2 ** 30), String(2 ** 30), String(Date.now())];
const noBudget: Args = (n, c) => [...shippedArgs(n, c).slice(0, 9), '', '', '', ''];
const noPublish: Args = (n, c) => [...shippedArgs(n, c).slice(0, 8), '0', '', '', '', ''];

const VARIANTS: ReadonlyArray<{ readonly name: string; readonly script: string; readonly args: Args }> = [
  { name: 'as shipped (dedupe hash, budgets, XADD, lazy TTL, PUBLISH)', script: SHIPPED, args: shippedArgs },
  { name: 'without the dedupe hash (no HGET, no HSET per message)', script: NO_DEDUPE, args: shippedArgs },
  { name: '… and without the byte budgets', script: NO_DEDUPE, args: noBudget },
  { name: '… and without PUBLISH', script: NO_DEDUPE, args: noPublish },
  { name: 'an empty script (EVALSHA with the same arguments, read and write)', script: "return {'ok', '1-1'}", args: shippedArgs },
];

const conversations = 2000;
const calls = Number(process.env.BENCH_CALLS ?? 40_000);
const batch = Number(process.env.BENCH_BATCH ?? 4);
const rounds = Number(process.env.BENCH_REPEATS ?? 3);

async function measure(variant: (typeof VARIANTS)[number]): Promise<number[]> {
  const redis = await startRedisServer();
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const pid = Number(/process_id:(\d+)/.exec(await redis.cli('INFO', 'server'))?.[1]);
    const ids = Array.from({ length: conversations }, (_, i) => `c${String(i).padStart(21, '0')}`);
    for (const c of ids) {
      await client.hSet(`conv:{${c}}`, { status: 'active', session: '1' });
      await client.pExpire(`conv:{${c}}`, 86_400_000);
      await client.subscribe(`conv:{${c}}:events`, () => undefined, true);
    }
    const sha = await client.scriptLoad(variant.script);
    const results: number[] = [];
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      const before = cpuTicks(pid);
      for (let i = 0; i < calls; i += batch) {
        const replies: Array<Promise<unknown>> = [];
        for (let j = 0; j < batch; j++, n++) {
          const c = ids[n % conversations] ?? '';
          replies.push(client.sendCommand(['EVALSHA', sha, '4', `conv:{${c}}`, `conv:{${c}}:log`, `conv:{${c}}:dedupe`, `conv:{${c}}:notes`, ...variant.args(n, c)]));
        }
        await Promise.all(replies);
      }
      results.push(microsPer(cpuTicks(pid) - before, calls));
    }
    return results;
  } finally {
    await client.quit();
    await redis.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
process.stdout.write(`| append script | Redis CPU µs per call (median of ${rounds} × ${calls} calls, ${batch} pipelined) | each round |\n|---|---|---|\n`);
for (const variant of VARIANTS) {
  const rs = await measure(variant);
  process.stdout.write(`| ${variant.name} | ${median(rs).toFixed(1)} | ${rs.map((r) => r.toFixed(1)).join(', ')} |\n`);
}
