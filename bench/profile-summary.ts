// Summarises a `--cpu-prof` profile: the functions with the most self time, and self time by package
// or project directory. Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [windows.json]
// With a windows file (written by bench/compare.ts under BENCH_CPU_PROF), only samples taken inside
// the measured windows count.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
}

/** Where a script belongs: an npm package, a project directory, or node's own code. */
function area(url: string): string {
  if (url === '') return '(native / VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1] ?? url;
  if (url.startsWith('node:')) return 'node core';
  const own = /(server\/[^/]+|crypto)\//.exec(url);
  return own?.[1] ?? url;
}

export function summarise(profile: Profile, top = 25, windows: ReadonlyArray<readonly [number, number]> = []): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (windows.length > 0 && !windows.some(([from, to]) => at >= from && at <= to)) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)?.callFrame;
    if (f === undefined) continue;
    const file = f.url.replace(/^file:\/\/.*?\/(node_modules|server|crypto)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'}  ${file}:${f.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    areas.set(area(f.url), (areas.get(area(f.url)) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${pct(us)}  ${k}`);
  return [`total sampled ${(total / 1e6).toFixed(2)} s`, '', 'self time by area:', ...rows(areas, 15), '', 'top functions by self time:', ...rows(fns, top)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const profile = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Profile;
  const windows = process.argv[4] === undefined ? [] : (JSON.parse(readFileSync(process.argv[4], 'utf8')) as Array<[number, number]>);
  process.stdout.write(`${summarise(profile, Number(process.argv[3] ?? 25), windows)}\n`);
}
