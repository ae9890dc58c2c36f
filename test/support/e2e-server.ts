// A real server on a free port for browser tests: the built clients (npm run build), an in-memory
// store (or a given one), the demo organisation with a known responder password, the pinned root key.
import { randomBytes } from 'node:crypto';
import { deriveLoginKeys } from '../../crypto/password.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { seedDemo } from '../../server/demo.js';
import { createDirectory } from '../../server/directory/directory.js';
import { enrolDemoResponder, ensureDemoOrg, refreshDemoOrg } from '../../server/directory/demo-org.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import type { Store } from '../../server/store/ports.js';
import { createSources } from '../../server/sources/index.js';
import { freePort } from './free-port.js';
import { captureLogs, testConfig } from './harness.js';


export interface E2eServer {
  readonly url: string;
  readonly server: RunningServer;
  readonly store: Store;
  /** Demo responder login and password (Argon2id in the console derives the keys from it). */
  readonly login: string;
  readonly password: string;
  readonly rootPublicKey: string;
  readonly logs: string[];
  stop(): Promise<void>;
}

/**
 * Starts the server as `npm start` does, on 127.0.0.1 and a free port, serving `dist/public`
 * (run `npm run build` first; `npm test` does). `env` overrides the test configuration; `sources`
 * are registered as outreach sources.
 */
export async function startE2eServer(options: { env?: Record<string, string>; store?: Store; sources?: readonly string[] } = {}): Promise<E2eServer> {
  await loadSodium();
  await loadSumoSodium();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The demo organisation: the pages supply its root, marked as a demo (the test build pins none).
  const config = testConfig({ PORT: String(port), PUBLIC_URL: url, STATIC_DIR: 'dist/public', DEMO: 'true', ...options.env });
  const store = options.store ?? createMemoryStore({ sweepIntervalMs: 0 });
  const deps = { store, directory: createDirectory(store.records), clock: systemClock, random: systemRandom };
  const rootPublicKey = await ensureDemoOrg(deps);
  const demo = await seedDemo(store, async (p, s, params) => deriveLoginKeys(p, s, params), systemRandom);
  if (demo === null) throw new Error('demo responder exists already in this store');
  await enrolDemoResponder(deps, demo.responder, demo.wrapKey);
  await refreshDemoOrg(deps);
  // Outreach sources the test opens conversations through: only registered tags are counted by name.
  const sources = createSources({ records: store.records, clock: systemClock });
  for (const tag of options.sources ?? []) await sources.create({ tag, label: tag, team: null, language: null });
  const captured = captureLogs();
  const server = await startServer({
    config,
    store,
    clock: systemClock,
    random: systemRandom,
    logger: captured.logger(config.logLevel),
    secret: new Uint8Array(randomBytes(32)),
    rootPublicKey,
  });
  return {
    url,
    server,
    store,
    login: demo.login,
    password: demo.password,
    rootPublicKey,
    logs: captured.lines,
    async stop() {
      await server.stop(2000);
      await store.close();
    },
  };
}
