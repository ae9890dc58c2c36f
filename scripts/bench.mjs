#!/usr/bin/env node
// `npm run bench [-- <section>...]`: compiles the server into .tmp/bench-dist (the benches start that
// build, so a stale or half-written dist/ of another build cannot skew them), then runs bench/index.ts,
// which writes BENCHMARKS.md. Sections: crypto, relay, compare, idle, scale, widget, wire, queue (see BENCHMARKS.md).
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const sections = process.argv.slice(2);
const needsServer = sections.length === 0 || sections.some((s) => ['relay', 'compare', 'idle', 'scale', 'queue'].includes(s));
if (needsServer) {
  // tsc emits even when a type error elsewhere fails the check; the benches need the JavaScript only.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', '.tmp/bench-dist'], { stdio: 'inherit' });
}
run('npx', ['tsx', '--expose-gc', 'bench/index.ts', ...sections]);
