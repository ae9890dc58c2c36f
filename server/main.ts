// Composition root of the server process: reads the config, makes the process-wide parts (logger,
// metrics, store, demo organisation, HTTP server) and handles signals; createApp (app.ts) builds the
// request-side services from them.
import { randomBytes } from 'node:crypto';
import { loadSodium } from '../crypto/sodium-standard.js';
import { loadSumoSodium } from '../crypto/sodium-sumo.js';
import { deriveLoginKeys } from '../crypto/password.js';
import { systemClock, systemRandom } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { DEMO_DUTY_HOURS, DEMO_SOURCE, seedDemo, type DemoLogin } from './demo.js';
import { REGION_DUTY_HOURS, REGION_SOURCES, seedDemoRegion } from './demo-region.js';
import { createDirectory } from './directory/directory.js';
import { enrolDemoResponder, ensureDemoOrg, refreshDemoOrg } from './directory/demo-org.js';
import { createLogger } from './logger.js';
import { createMetrics, instrumentStore, startMetricsServer, type MetricsServer } from './metrics/index.js';
import { startBackgroundJob } from './jobs/background-job.js';
import { startHousekeeping } from './retention/purge.js';
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

  const rawStore: Store =
    config.redis === null
      ? createMemoryStore({ maxBytes: config.memoryStoreMaxBytes })
      : await createRedisStore({ ...config.redis, prefix: config.redisPrefix });
  const observed = createMetrics({ clock: systemClock });
  observed.observeQueues(rawStore);
  const store = instrumentStore(rawStore, observed.metrics);
  const secret = Buffer.from(await store.secrets.getOrCreate('server', randomBytes(32).toString('base64url')), 'base64url');

  let demoLogin = null;
  let regionLogins: DemoLogin[] = [];
  let rootPublicKey = config.rootPublicKey;
  if (config.demo) {
    // Argon2id for the demo password, as the console does it in the browser.
    await loadSumoSodium();
    const demoDeps = { store, directory: createDirectory(store.records), clock: systemClock, random: systemRandom };
    rootPublicKey ??= await ensureDemoOrg(demoDeps);
    demoLogin = await seedDemo(store, async (password, salt, params) => deriveLoginKeys(password, salt, params), systemRandom, 'demo', { dutyHours: DEMO_DUTY_HOURS });
    if (demoLogin !== null) await enrolDemoResponder(demoDeps, demoLogin.responder, demoLogin.wrapKey);
    // A region beside it: two municipalities with their own keys, and the regional team they overflow to.
    regionLogins = await seedDemoRegion(demoDeps, async (password, salt, params) => deriveLoginKeys(password, salt, params), { dutyHours: REGION_DUTY_HOURS });
    await refreshDemoOrg(demoDeps);
    startBackgroundJob({ name: 'demo refresh', intervalMs: 3_600_000, runAtStart: false, logger, run: () => refreshDemoOrg(demoDeps) });
  }

  const server = await startServer({
    config,
    store,
    clock: systemClock,
    random: systemRandom,
    logger,
    secret: new Uint8Array(secret),
    metrics: observed.metrics,
    rootPublicKey,
  });
  logger.info({ port: server.port, store: config.redis === null ? 'memory' : `redis-${config.redis.topology.mode}` }, 'listening');
  // Retention purge and the count of queue entries whose conversation expired unclaimed (every 10 minutes).
  const stopHousekeeping = startHousekeeping({
    store,
    clock: systemClock,
    random: systemRandom,
    logger,
    intervalMs: 600_000,
    sealedLifetimeMs: Math.max(config.conversationTtlMs, config.callbackTtlMs),
    callbackTtlMs: config.callbackTtlMs,
  });
  let metricsServer: MetricsServer | null = null;
  if (config.metricsPort !== null) {
    try {
      metricsServer = await startMetricsServer({ registry: observed.registry, host: config.metricsHost, port: config.metricsPort });
      logger.info({ port: metricsServer.port, host: config.metricsHost }, 'metrics listening');
    } catch (error) {
      // Metrics are for operators; a taken port must not keep a crisis service from answering.
      logger.error({ err: (error as { code?: string }).code ?? 'unknown', port: config.metricsPort }, 'metrics listener not started');
    }
  }
  const origin = config.publicUrl;
  process.stdout.write(
    [
      '',
      `  Utväg is running on ${config.redis === null ? 'the in-memory store (data is lost on restart)' : `Redis (${config.redis.topology.mode})`}.`,
      `  Visitor widget:     ${origin}/c/${DEMO_SOURCE}`,
      `  Responder console:  ${origin}/console`,
      `  API description:    ${origin}/api/openapi.json`,
      ...(demoLogin === null ? [] : [`  Demo responder:     login "${demoLogin.login}", password "${demoLogin.password}"`]),
      ...(regionLogins.length === 0
        ? []
        : [
            '  Demo region (each organisation sees only its own staff, chats and statistics):',
            ...regionLogins.map((l) => {
              const source = REGION_SOURCES.find((s) => s.org === l.responder.org);
              const page = source === undefined ? 'takes the municipalities’ overflow (nights, or when full)' : `widget ${origin}/c/${source.tag}`;
              return `    ${l.responder.displayName.replace(' (demo)', '').padEnd(17)} login "${l.login}", password "${l.password}"; ${page}`;
            }),
          ]),
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.shutdownGraceMs;
    logger.info({ signal, graceMs }, 'shutting down');
    // Whatever still hangs when the grace period is over is cut off: the orchestrator's own kill
    // (terminationGracePeriodSeconds, stop_grace_period) must come later than this.
    setTimeout(() => {
      logger.warn({ graceMs }, 'grace period over; exiting with work unfinished');
      process.exit(1);
    }, graceMs).unref();
    // Readiness false and sockets closed with 1012 at once; HTTP requests in flight (appends
    // included) may finish until shortly before the grace period ends, then the store connection
    // closes after its pending replies.
    stopHousekeeping();
    await server.stop(Math.max(graceMs - 1_000, graceMs / 2));
    await store.close();
    await metricsServer?.close();
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
