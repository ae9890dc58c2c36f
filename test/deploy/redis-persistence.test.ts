// deploy/redis.conf with the production ACL layout keeps everything across a restart: plain writes,
// MULTI/EXEC transactions and Lua scripts (the store's atomic steps). A restricted-but-enabled
// default user would silently drop transactions on AOF replay (the replay runs as the default
// user; redis/redis#14541); the shipped ACL keeps it "off" with full rights, and this test holds it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_DIR, startDeployRedis, type DeployRedis } from './deploy-redis.js';

describe('Redis from deploy/ across a restart (AOF)', () => {
  let redis: DeployRedis;
  let client: ReturnType<typeof createClient>;

  beforeAll(async () => {
    redis = await startDeployRedis();
    client = createClient({ url: redis.appUrl });
    client.on('error', () => undefined);
    await client.connect();
  });

  afterAll(async () => {
    if (client?.isOpen) await client.close();
    await redis?.stop();
  });

  it('refuses anonymous access and anything dangerous for the app user', async () => {
    // RESP2: node-redis 6 says HELLO 3 first, which an anonymous client is refused already; this
    // probe plays the plain command an unauthenticated client would try.
    const anonymous = createClient({ url: `redis://127.0.0.1:${redis.port}`, RESP: 2 });
    anonymous.on('error', () => undefined);
    await anonymous.connect();
    await expect(anonymous.get('x')).rejects.toThrow(/NOAUTH/);
    await anonymous.close();
    for (const command of [['FLUSHALL'], ['CONFIG', 'GET', 'maxmemory'], ['KEYS', '*'], ['ACL', 'LIST'], ['SHUTDOWN']]) {
      await expect(client.sendCommand(command), command.join(' ')).rejects.toThrow(/NOPERM/);
    }
    expect(await redis.ping()).toBe('PONG');
  });

  it('keeps plain writes, transactions and script effects', async () => {
    await client.set('plain', 'v');
    await client.multi().hSet('team:x', { name: 'X' }).sAdd('teams', 'x').exec();
    await client.eval("redis.call('XADD', KEYS[1], '*', 'body', ARGV[1]); return redis.call('PEXPIRE', KEYS[1], 600000)", { keys: ['log'], arguments: ['cipher'] });
    await redis.restart();
    expect(await client.get('plain')).toBe('v');
    expect(await client.sMembers('teams')).toEqual(['x']);
    expect(await client.hGetAll('team:x')).toEqual({ name: 'X' });
    expect(((await client.xRange('log', '-', '+')) ?? []).map((e) => e.message.body)).toEqual(['cipher']);
    expect(await client.pTTL('log')).toBeGreaterThan(500_000);
  });

  it('the shipped ACL never restricts the default user, only switches it off', async () => {
    const acl = await readFile(join(DEPLOY_DIR, 'redis-users.acl.example'), 'utf8');
    const line = acl.split('\n').find((l) => l.startsWith('user default '));
    expect(line).toBe('user default off ~* &* +@all');
  });
});
