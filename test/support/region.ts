// A demo region (server/demo-region.ts) in a test app: two municipalities and the regional night team,
// each organisation with its own key, beside the first organisation's demo teams. Logins derive their
// keys with a fast stand-in for Argon2id (the console's derivation is tested elsewhere).
import { createHash } from 'node:crypto';
import { systemRandom } from '../../server/clock.js';
import { seedDemoRegion } from '../../server/demo-region.js';
import { createDirectory } from '../../server/directory/directory.js';
import { ensureDemoOrg, refreshDemoOrg } from '../../server/directory/demo-org.js';
import type { Clock } from '../../server/clock.js';
import type { Store } from '../../server/store/ports.js';
import type { TestApp } from './harness.js';

const derived = (purpose: string, password: string) => new Uint8Array(createHash('sha256').update(`${purpose}:${password}`).digest());

/** The auth key a region login's password stands for (the fast stand-in). */
export const regionAuthKey = (password: string) => derived('auth', password);

export interface SeededRegion {
  readonly rootPublicKey: string;
  /** Password by login: huddinge, botkyrka, regionen. */
  readonly passwords: ReadonlyMap<string, string>;
}

/** Seeds the first organisation's demo keys and the region into `store`. */
export async function seedRegion(store: Store, clock: Clock): Promise<SeededRegion> {
  const deps = { store, directory: createDirectory(store.records), clock, random: systemRandom };
  const rootPublicKey = await ensureDemoOrg(deps);
  const logins = await seedDemoRegion(deps, async (password) => ({ authKey: derived('auth', password), wrapKey: derived('wrap', password) }));
  await refreshDemoOrg(deps);
  return { rootPublicKey, passwords: new Map(logins.map((l) => [l.login, l.password])) };
}

/** A responder API of test app `t` logged in as `login` of the seeded region. */
export async function loginInRegion(t: Pick<TestApp, 'responder'>, region: SeededRegion, login: string) {
  const api = t.responder();
  await api.login(login, regionAuthKey(region.passwords.get(login)!));
  return api;
}
