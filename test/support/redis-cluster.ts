// Starts a real Redis Cluster for tests: 3 masters + 3 replicas from redis-server binaries
// (--cluster-enabled yes, free ports, one temp dir each), joined with `redis-cli --cluster create`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePorts } from './free-port.js';
import { REDIS_CLI_PATH, runCli, sleep, startRedisServer, waitUntil, type RedisServer } from './redis-server.js';

const execFileAsync = promisify(execFile);

export interface RedisClusterOptions {
  /** Masters; default 3 (the least `redis-cli --cluster create` accepts). */
  readonly masters?: number;
  /** Replicas per master; default 1. */
  readonly replicas?: number;
  /** cluster-node-timeout: how long a silent node takes to be marked failing. Default 1000 ms. */
  readonly nodeTimeoutMs?: number;
}

export interface ClusterNode {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly server: RedisServer;
}

export interface RedisCluster {
  /** Every node started (masters and replicas), in start order. */
  readonly nodes: readonly ClusterNode[];
  /** "127.0.0.1:<port>" of every node, for REDIS_CLUSTER_NODES. */
  readonly seeds: readonly { readonly host: string; readonly port: number }[];
  /** Runs redis-cli against one live node. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The port of the master serving `key`'s slot now, and of its replicas, as the cluster sees it. */
  ownerOf(key: string): Promise<{ readonly master: number; readonly replicas: readonly number[] }>;
  /** Kills one node (SIGKILL, a crash); its dir (nodes.conf) stays for restart(). */
  kill(port: number): Promise<void>;
  /**
   * Starts a killed node again on the same port, flags and dir: with its nodes.conf it rejoins the
   * cluster and, its slots having moved to its promoted replica, becomes that node's replica.
   * Resolves once it replicates from `newMaster` with the link up.
   */
  restart(port: number, newMaster: number, timeoutMs?: number): Promise<void>;
  /** Waits until the slot of `key` is served by a master other than `formerMaster` and the cluster is ok. */
  waitForNewOwner(key: string, formerMaster: number, timeoutMs?: number): Promise<number>;
  /** Stops every node and removes their dirs. Idempotent. */
  stop(): Promise<void>;
}


/** `CLUSTER NODES` lines of live nodes: id, port, flags, master id, slots. */
function parseNodes(text: string): Array<{ id: string; port: number; flags: string[]; masterId: string; slots: string[] }> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , , ...slots] = line.trim().split(' ');
      const port = Number(address.split('@')[0]?.split(':')[1]);
      return { id, port, flags: flags.split(','), masterId, slots };
    });
}

function slotInRanges(slot: number, ranges: readonly string[]): boolean {
  return ranges.some((range) => {
    if (range.startsWith('[')) return false; // a slot being migrated
    const [from, to = from] = range.split('-').map(Number);
    return from !== undefined && to !== undefined && slot >= from && slot <= to;
  });
}

/**
 * Starts the nodes, creates the cluster and resolves once every node reports cluster_state:ok, all
 * agree on the slot owners and every replica's link to its master is up (so a failover can succeed).
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 1;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  const count = masters * (1 + replicas);
  const nodes: ClusterNode[] = [];
  const alive = new Set<number>();

  const stop = async () => {
    await Promise.all(nodes.map((n) => n.server.stop()));
    alive.clear();
  };

  try {
    // The cluster bus port defaults to port + 10000, which may be taken or out of range: pick it.
    const busPorts = await freePorts(count);
    const started = await Promise.all(
      busPorts.map((busPort) =>
        startRedisServer({
          args: [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', 'nodes.conf',
            '--cluster-port', String(busPort),
            '--cluster-node-timeout', String(nodeTimeoutMs),
            // A replica takes over however stale it is (tests kill masters on purpose).
            '--cluster-replica-validity-factor', '0',
            // Slots whose master is down fail; the others keep answering meanwhile.
            '--cluster-require-full-coverage', 'no',
            '--appendonly', 'no',
            // A replica's first full sync starts at once instead of after 5 s.
            '--repl-diskless-sync-delay', '0',
          ],
        }),
      ),
    );
    for (const server of started) {
      nodes.push({ host: '127.0.0.1', port: server.port, server });
      alive.add(server.port);
    }
    await execFileAsync(REDIS_CLI_PATH, [
      '--cluster', 'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas', String(replicas),
      '--cluster-yes',
    ]);
    await waitUntil(async () => {
      for (const port of alive) {
        if (!(await runCli(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) return false;
      }
      const views = await Promise.all([...alive].map((port) => runCli(port, ['CLUSTER', 'NODES'])));
      const ownerKey = (text: string) =>
        parseNodes(text)
          .filter((n) => n.flags.includes('master') && n.slots.length > 0)
          .map((n) => `${n.port}:${n.slots.join(',')}`)
          .sort()
          .join('|');
      if (new Set(views.map(ownerKey)).size !== 1) return false;
      if (parseNodes(views[0]!).filter((n) => n.flags.includes('slave')).length !== masters * replicas) return false;
      for (const node of parseNodes(views[0]!).filter((n) => n.flags.includes('slave'))) {
        if (!(await runCli(node.port, ['INFO', 'replication'])).includes('master_link_status:up')) return false;
      }
      return true;
    }, 30_000, 'the cluster to become ready');
  } catch (error) {
    await stop();
    throw error;
  }

  const anyAlive = () => {
    const port = [...alive][0];
    if (port === undefined) throw new Error('no cluster node is alive');
    return port;
  };

  const ownerOf = async (key: string) => {
    const port = anyAlive();
    const slot = Number(await runCli(port, ['CLUSTER', 'KEYSLOT', key]));
    const view = parseNodes(await runCli(port, ['CLUSTER', 'NODES'])).filter((n) => !n.flags.includes('fail'));
    const master = view.find((n) => n.flags.includes('master') && slotInRanges(slot, n.slots));
    if (master === undefined) throw new Error(`no master serves slot ${slot}`);
    return { master: master.port, replicas: view.filter((n) => n.masterId === master.id).map((n) => n.port) };
  };

  return {
    nodes,
    seeds: nodes.map((n) => ({ host: n.host, port: n.port })),
    cli: (port, ...args) => runCli(port, args),
    ownerOf,
    async kill(port) {
      const node = nodes.find((n) => n.port === port);
      if (node === undefined) throw new Error(`no node on port ${port}`);
      const pid = Number(/process_id:(\d+)/.exec(await runCli(port, ['INFO', 'server']))?.[1]);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process id for the node on ${port}`);
      alive.delete(port);
      process.kill(pid, 'SIGKILL');
      await waitUntil(async () => {
        try {
          await runCli(port, ['PING']);
          return false;
        } catch {
          return true;
        }
      }, 5_000, `the node on ${port} to die`);
    },
    async restart(port, newMaster, timeoutMs = 20_000) {
      const node = nodes.find((n) => n.port === port);
      if (node === undefined) throw new Error(`no node on port ${port}`);
      await node.server.restart();
      alive.add(port);
      await waitUntil(async () => {
        const info = await runCli(port, ['INFO', 'replication']);
        return info.includes('role:slave') && info.includes(`master_port:${newMaster}`) && info.includes('master_link_status:up');
      }, timeoutMs, `the node on ${port} to rejoin as a replica of ${newMaster}`);
    },
    async waitForNewOwner(key, formerMaster, timeoutMs = 20_000) {
      let owner = formerMaster;
      await waitUntil(async () => {
        for (const port of alive) {
          if (!(await runCli(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) return false;
        }
        owner = (await ownerOf(key)).master;
        return owner !== formerMaster && alive.has(owner);
      }, timeoutMs, `a new master for ${key}`);
      return owner;
    },
    stop,
  };
}

