// The Redis parts of the configuration: REDIS_MODE picks one Redis, Sentinel or Cluster, with clear
// errors for missing or misplaced variables and no password in any message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('Redis configuration', () => {
  it('uses the in-memory store without Redis variables, one Redis with REDIS_URL', () => {
    expect(loadConfig({}).redis).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({
      topology: { mode: 'single', url: 'redis://127.0.0.1:6379' },
      auth: {},
      fanout: 'channel',
      waitReplicas: 0,
      waitTimeoutMs: 1000,
    });
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_FANOUT: 'pattern' }).redis?.fanout).toBe('pattern');
  });

  it('reads a Sentinel setup with credentials and TLS; the demo stays off', () => {
    const config = loadConfig({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 'sentinel-a:26379, sentinel-b:26379,[::1]:26380',
      REDIS_SENTINEL_NAME: 'utvag',
      REDIS_USERNAME: 'utvag',
      REDIS_PASSWORD: 's3cret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-s3cret',
      REDIS_TLS: 'true',
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '250',
    });
    expect(config.redis).toEqual({
      topology: {
        mode: 'sentinel',
        name: 'utvag',
        sentinels: [
          { host: 'sentinel-a', port: 26379 },
          { host: 'sentinel-b', port: 26379 },
          { host: '::1', port: 26380 },
        ],
      },
      auth: { username: 'utvag', password: 's3cret', sentinelPassword: 'sentinel-s3cret', tls: true },
      fanout: 'channel',
      waitReplicas: 1,
      waitTimeoutMs: 250,
    });
    expect(config.demo).toBe(false);
  });

  it('reads cluster nodes and the password from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utvag-config-'));
    try {
      writeFileSync(join(dir, 'pw'), 'from-file\n');
      const config = loadConfig({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1:6379', REDIS_PASSWORD_FILE: join(dir, 'pw') });
      expect(config.redis).toEqual({
        topology: { mode: 'cluster', nodes: [{ host: 'redis-0', port: 6379 }, { host: 'redis-1', port: 6379 }] },
        auth: { password: 'from-file', tls: false },
        fanout: 'channel',
        waitReplicas: 0,
        waitTimeoutMs: 1000,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names what is missing, misplaced or malformed, and never shows a password', () => {
    expect(problems({ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 'a:26379' })).toContain('needs REDIS_SENTINELS (host:port,…) and REDIS_SENTINEL_NAME');
    expect(problems({ REDIS_MODE: 'cluster' })).toContain('needs REDIS_CLUSTER_NODES');
    expect(problems({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:1', REDIS_FANOUT: 'pattern' })).toContain('REDIS_FANOUT=pattern');
    expect(problems({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:1', REDIS_URL: 'redis://x:1' })).toContain('REDIS_URL: not used with REDIS_MODE=cluster');
    expect(problems({ REDIS_URL: 'redis://x:1', REDIS_CLUSTER_NODES: 'a:1' })).toContain('REDIS_CLUSTER_NODES: only used with REDIS_MODE=sentinel or cluster');
    expect(problems({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:6379,b' })).toContain('REDIS_CLUSTER_NODES');
    expect(problems({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:70000' })).toContain('ports must be 1–65535');
    expect(problems({ REDIS_MODE: 'galaxy' })).toContain('REDIS_MODE');
    const message = problems({ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'bad name!', REDIS_PASSWORD: 'hunter2-secret' });
    expect(message).toContain('REDIS_SENTINEL_NAME');
    expect(message).not.toContain('hunter2-secret');
  });
});
