#!/usr/bin/env node
// `npm run bench`: builds, then runs bench/index.ts, which writes BENCHMARKS.md.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('npx', ['tsx', '--expose-gc', 'bench/index.ts', ...process.argv.slice(2)]);
