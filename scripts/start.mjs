#!/usr/bin/env node
// `npm start`: builds the clients and the server when their sources are newer than the build, then
// runs the server (in-memory store and demo organisation unless REDIS_URL is set).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) t = Math.max(t, newest(p));
    else t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
};
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const sources = Math.max(newest('client'), newest('contract'), newest('crypto'), newest('server'), mtime('vite.config.ts'), mtime('package.json'));
if (mtime('dist/public/widget/index.html') < sources || mtime('dist/server/main.js') < sources) {
  process.stdout.write('Building clients and server…\n');
  run('npx', ['vite', 'build', '--logLevel', 'warn']);
  run('npx', ['tsc', '-p', 'tsconfig.build.json']);
}

const child = spawn(process.execPath, ['dist/server/main.js'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
