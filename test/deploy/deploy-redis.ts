// A real redis-server started from deploy/redis.conf and the production ACL layout, adapted only
// where a test must (port, bind, dir, logfile, aclfile path, and the app user's password hash).
// Its own launcher rather than test/support/redis-server.ts: that one probes readiness with an
// unauthenticated PING, which the production ACL ("user default off") rightly refuses.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REDIS_CLI_PATH, REDIS_SERVER_PATH } from '../support/redis-server.js';
import { freePorts } from '../support/free-port.js';

const execFileAsync = promisify(execFile);

export const DEPLOY_DIR = new URL('../../deploy/', import.meta.url).pathname;

export interface DeployRedis {
  readonly port: number;
  /** Data directory (AOF files live in its appendonlydir/). */
  readonly dir: string;
  /** redis://utvag:<password>@127.0.0.1:<port>, as the app connects. */
  readonly appUrl: string;
  /** SIGTERM (Redis flushes the AOF), then the same server starts again on the same port and dir. */
  restart(): Promise<void>;
  /** redis-cli as the ping-only "health" user (as the container health checks do). */
  ping(): Promise<string>;
  stop(): Promise<void>;
}

// Servers still running when the test process exits are killed with it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts redis-server with an adapted copy of deploy/redis.conf and an ACL file made from
 * deploy/redis-users.acl.example with a fresh app password. `args` are extra flags (they win).
 */
export async function startDeployRedis(args: readonly string[] = []): Promise<DeployRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'utvag-deploy-redis-'));
  const [port] = await freePorts(1);
  const password = randomBytes(18).toString('base64url');
  const hash = createHash('sha256').update(password).digest('hex');
  const example = await readFile(join(DEPLOY_DIR, 'redis-users.acl.example'), 'utf8');
  const acl = example.replace(/^(user utvag on )#[0-9a-f]{64}/m, `$1#${hash}`);
  if (!acl.includes(hash)) throw new Error('redis-users.acl.example has no "user utvag on #<sha256>" line');
  const aclFile = join(dir, 'users.acl');
  await writeFile(aclFile, acl, { mode: 0o600 });
  const conf = await readFile(join(DEPLOY_DIR, 'redis.conf'), 'utf8');
  const adapted = conf
    .replace(/^bind .*$/m, 'bind 127.0.0.1')
    .replace(/^port .*$/m, `port ${port}`)
    .replace(/^dir .*$/m, `dir ${dir}`)
    .replace(/^aclfile .*$/m, `aclfile ${aclFile}`);
  const configFile = join(dir, 'redis.conf');
  await writeFile(configFile, adapted);

  const ping = async () => {
    const { stdout } = await execFileAsync(REDIS_CLI_PATH, ['-h', '127.0.0.1', '-p', String(port), '--user', 'health', '--pass', 'nopass', '--no-auth-warning', 'PING']);
    return stdout.trim();
  };

  let child: ChildProcess | null = null;
  const launch = async () => {
    const proc = spawn(REDIS_SERVER_PATH, [configFile, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    let output = '';
    proc.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    proc.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    proc.once('exit', () => running.delete(proc));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}:\n${output}`);
      if ((await ping().catch(() => '')) === 'PONG') break;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not answer PING:\n${output}`);
      }
      await sleep(25);
    }
    child = proc;
  };
  const terminate = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    port: port!,
    dir,
    appUrl: `redis://utvag:${password}@127.0.0.1:${port}`,
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
    ping,
    async stop() {
      await terminate('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}


/** Every label value in a Prometheus text exposition. */
export function labelValues(exposition: string): string[] {
  const values: string[] = [];
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const labels = /\{(.*)\}/.exec(line)?.[1];
    if (labels === undefined) continue;
    for (const match of labels.matchAll(/[a-zA-Z_][a-zA-Z0-9_]*="((?:[^"\\]|\\.)*)"/g)) values.push(match[1]!);
  }
  return values;
}

/** The value of one sample, e.g. sample(text, 'utvag_claims_total', { outcome: 'ok' }); undefined when absent. */
export function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
