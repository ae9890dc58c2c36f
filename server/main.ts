// Composition root: config, logger, store, demo organisation, server, signals. Nothing else creates objects.
import { randomBytes } from 'node:crypto';
import { loadSodium } from '../crypto/sodium.js';
import { loadSumoSodium } from '../crypto/sodium-sumo.js';
import { deriveLoginKeys } from '../crypto/password.js';
import { systemClock, systemRandom } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemo } from './demo.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { createMemoryStore } from './store/memory/memory-store.js';
import { createRedisStore } from './store/redis/redis-store.js';
import type { Store } from './store/ports.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  await loadSodium();

  const store: Store =
    config.redisUrl === null
      ? createMemoryStore()
      : await createRedisStore({ url: config.redisUrl, prefix: config.redisPrefix });
  const secret = Buffer.from(await store.secrets.getOrCreate('server', randomBytes(32).toString('base64url')), 'base64url');

  let demoLogin = null;
  if (config.demo) {
    // Argon2id for the demo password, as the console does it in the browser.
    await loadSumoSodium();
    demoLogin = await seedDemo(store, async (password, salt, params) => deriveLoginKeys(password, salt, params).authKey, systemRandom);
  }

  const server = await startServer({ config, store, clock: systemClock, random: systemRandom, logger, secret: new Uint8Array(secret) });
  logger.info({ port: server.port, store: config.redisUrl === null ? 'memory' : 'redis' }, 'listening');
  const origin = config.publicUrl;
  process.stdout.write(
    [
      '',
      `  Utväg is running on ${config.redisUrl === null ? 'the in-memory store (data is lost on restart)' : 'Redis'}.`,
      `  Visitor widget:     ${origin}/c/demo`,
      `  Responder console:  ${origin}/console`,
      `  API description:    ${origin}/api/openapi.json`,
      ...(demoLogin === null ? [] : [`  Demo responder:     login "${demoLogin.login}", password "${demoLogin.password}"`]),
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.stop(10_000);
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
