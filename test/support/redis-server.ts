// Starts a real redis-server for tests: free 127.0.0.1 port, fresh temp dir, no persistence by default.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
export const REDIS_CLI_PATH = process.env.REDIS_CLI_PATH ?? '/usr/bin/redis-cli';

export interface RedisServerOptions {
  /** A redis.conf to start from; `args` and the harness's own flags override it. */
  readonly configFile?: string;
  /** Extra command-line flags, e.g. ['--maxmemory', '2mb']. */
  readonly args?: readonly string[];
}

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The server's working directory (removed by stop()). */
  readonly dir: string;
  /** Kills the server, waits for it to exit and removes its dir. Idempotent. */
  stop(): Promise<void>;
  /** Shuts it down (SIGTERM) and starts it again on the same port and dir; data survives only with persistence on. */
  restart(): Promise<void>;
  /** Runs redis-cli against it; resolves with stdout (trailing newline removed), rejects on failure. */
  cli(...args: string[]): Promise<string>;
}

const START_TIMEOUT_MS = 10_000;

// Servers still running when the test process exits (a crash, a missing stop()) are killed with it,
// so no redis-server outlives its test run.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});


export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `redis-cli` against 127.0.0.1:`port`; its output without the last newline. */
export async function runCli(port: number, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(REDIS_CLI_PATH, ['-h', '127.0.0.1', '-p', String(port), ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.replace(/\n$/, '');
}

/** Spawns the server and resolves once it answers PING; rejects (and kills it) when it does not. */
async function spawnServer(port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  const argv = [
    ...(options.configFile === undefined ? [] : [options.configFile]),
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--daemonize', 'no',
    '--save', '',
    '--appendonly', 'no',
    '--logfile', '',
    ...(options.args ?? []),
  ];
  const child = spawn(REDIS_SERVER_PATH, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let spawnError: Error | null = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child);
  });
  child.once('error', (error) => {
    spawnError = error;
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError !== null) throw new Error(`redis-server failed to start: ${String(spawnError)}`);
    if (exited !== null) {
      const { code, signal } = exited;
      throw new Error(`redis-server exited (code ${code}, signal ${signal}) before answering PING:\n${output}`);
    }
    try {
      if ((await runCli(port, ['PING'])) === 'PONG') return child;
    } catch {
      // Not listening yet: retry until the deadline (the failure is reported below if it persists).
    }
    if (Date.now() > deadline) {
      await kill(child);
      throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(25);
  }
}

/**
 * Polls `check` every 50 ms until it resolves true; throws after `timeoutMs` naming `what` and the
 * last error `check` threw.
 */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === null ? '' : `: ${String(lastError)}`}`);
    await sleep(50);
  }
}

/** SIGTERM lets redis-server save (when persistence is on); SIGKILL is a crash. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/**
 * Starts one redis-server (never a mock) on a free port in a new temp dir with persistence off
 * (`--save '' --appendonly no`, overridable through `args`). Retries with another port when the
 * chosen one was taken in between. Throws when the binary is missing or the server does not start.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'utvag-redis-'));
  let port = 0;
  let child: ChildProcess | null = null;
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 5 && child === null; attempt += 1) {
    port = await freePort();
    try {
      child = await spawnServer(port, dir, options);
    } catch (error) {
      lastError = error;
    }
  }
  if (child === null) {
    await rm(dir, { recursive: true, force: true });
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  let current: ChildProcess | null = child;
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (current !== null) await kill(current);
      current = null;
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      if (stopped) throw new Error('redis-server was stopped');
      if (current !== null) await kill(current, 'SIGTERM');
      current = null;
      current = await spawnServer(port, dir, options);
    },
    cli: (...args: string[]) => runCli(port, args),
  };
}
