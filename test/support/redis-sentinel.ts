// Starts a real Sentinel setup for tests: a primary, one replica and 3 Sentinels (quorum 2) with short
// down-after and failover timeouts, all from redis-server binaries on free ports in temp dirs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { kill, REDIS_SERVER_PATH, runCli, sleep, startRedisServer, waitUntil, type RedisServer } from './redis-server.js';


export interface RedisSentinelOptions {
  /** The monitored master's name (REDIS_SENTINEL_NAME). Default "utvag". */
  readonly name?: string;
  /** down-after-milliseconds: how long a silent primary takes to be considered down. Default 1000. */
  readonly downAfterMs?: number;
  /** failover-timeout. Default 3000. */
  readonly failoverTimeoutMs?: number;
}

export interface RedisSentinelSetup {
  readonly name: string;
  /** host:port of every Sentinel, for REDIS_SENTINELS. */
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  /** The data nodes (primary first at start); a failover swaps their roles. */
  readonly servers: readonly RedisServer[];
  /** The port of the primary the Sentinels announce now. */
  primaryPort(): Promise<number>;
  /**
   * Kills the current primary (SIGKILL, a crash; its dir stays for restart()) and waits until the
   * Sentinels announce another.
   */
  killPrimary(timeoutMs?: number): Promise<{ readonly former: number; readonly current: number }>;
  /**
   * Starts a killed server again on the same port, flags and dir; the Sentinels turn it into a
   * replica of the current primary. Resolves once it replicates from `primary` with the link up.
   */
  restart(port: number, primary: number, timeoutMs?: number): Promise<void>;
  /** Runs redis-cli against a Sentinel. */
  sentinelCli(...args: string[]): Promise<string>;
  /** Stops everything and removes the temp dirs. Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});



interface SentinelProcess {
  readonly port: number;
  readonly dir: string;
  readonly child: ChildProcess;
}

async function startSentinel(name: string, primaryPort: number, options: Required<Omit<RedisSentinelOptions, 'name'>>): Promise<SentinelProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'utvag-sentinel-'));
  const port = await freePort();
  const conf = join(dir, 'sentinel.conf');
  // Sentinel rewrites its config file as it learns the topology, so each one gets its own.
  await writeFile(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs}`,
      `sentinel failover-timeout ${name} ${options.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'),
  );
  const child = spawn(REDIS_SERVER_PATH, [conf, '--sentinel'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => running.delete(child));
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`sentinel exited:\n${output}`);
      return (await runCli(port, ['PING'])) === 'PONG';
    }, 10_000, `sentinel on ${port}`);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { port, dir, child };
}


/**
 * Starts primary + replica + 3 Sentinels and resolves once the replica is in sync and every Sentinel
 * knows the replica and the two other Sentinels (so a failover can be authorised at once).
 */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelSetup> {
  const name = options.name ?? 'utvag';
  const timing = { downAfterMs: options.downAfterMs ?? 1_000, failoverTimeoutMs: options.failoverTimeoutMs ?? 3_000 };
  const servers: RedisServer[] = [];
  const sentinels: SentinelProcess[] = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(sentinels.map((s) => kill(s.child)));
    await Promise.all(sentinels.map((s) => rm(s.dir, { recursive: true, force: true })));
    await Promise.all(servers.map((s) => s.stop()));
  };

  try {
    // No 5 s wait (repl-diskless-sync-delay) before a replica's full sync, on either side of a failover.
    const fastSync = ['--repl-diskless-sync-delay', '0'];
    const primary = await startRedisServer({ args: fastSync });
    servers.push(primary);
    const replica = await startRedisServer({ args: [...fastSync, '--replicaof', '127.0.0.1', String(primary.port)] });
    servers.push(replica);
    await waitUntil(async () => (await replica.cli('INFO', 'replication')).includes('master_link_status:up'), 10_000, 'the replica to sync');
    sentinels.push(...(await Promise.all([0, 1, 2].map(() => startSentinel(name, primary.port, timing)))));
    await waitUntil(
      async () => {
        for (const s of sentinels) {
          const replicas = await runCli(s.port, ['SENTINEL', 'REPLICAS', name]);
          const others = await runCli(s.port, ['SENTINEL', 'SENTINELS', name]);
          if (!replicas.includes(String(replica.port))) return false;
          if (sentinels.some((o) => o !== s && !others.includes(String(o.port)))) return false;
        }
        return true;
      },
      20_000,
      'the Sentinels to discover the replica and each other',
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const anySentinel = () => sentinels[0]!.port;
  const primaryPort = async () => Number((await runCli(anySentinel(), ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name])).split('\n')[1]);

  return {
    name,
    sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    servers,
    primaryPort,
    sentinelCli: (...args) => runCli(anySentinel(), args),
    async killPrimary(timeoutMs = 20_000) {
      const former = await primaryPort();
      const server = servers.find((s) => s.port === former);
      if (server === undefined) throw new Error(`no server on the primary's port ${former}`);
      const pid = Number(/process_id:(\d+)/.exec(await server.cli('INFO', 'server'))?.[1]);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process id for the primary on ${former}`);
      process.kill(pid, 'SIGKILL');
      let current = former;
      await waitUntil(
        async () => {
          current = await primaryPort();
          if (current === former) return false;
          // Promoted and answering as a primary.
          const next = servers.find((s) => s.port === current);
          return next !== undefined && (await next.cli('INFO', 'replication')).includes('role:master');
        },
        timeoutMs,
        'the Sentinels to promote the replica',
      );
      return { former, current };
    },
    async restart(port, primary, timeoutMs = 30_000) {
      const server = servers.find((s) => s.port === port);
      if (server === undefined) throw new Error(`no server on port ${port}`);
      await server.restart();
      await waitUntil(
        async () => {
          const info = await server.cli('INFO', 'replication');
          return info.includes('role:slave') && info.includes(`master_port:${primary}`) && info.includes('master_link_status:up');
        },
        timeoutMs,
        `the server on ${port} to rejoin as a replica of ${primary}`,
      );
    },
    stop,
  };
}
