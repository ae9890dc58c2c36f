// A real (non-demo) organisation for tests: root and organisation keys made here as the ceremony CLI
// does, the organisation key stored only sealed under a passphrase, responders certified with it, and
// a server that holds no organisation key (every change must be signed in an admin's browser).
import { randomBytes } from 'node:crypto';
import {
  generateBoxKeyPair,
  generateSigningKeyPair,
  issueOrgCert,
  issueResponderCert,
  issueRevocationList,
  issueTeamCert,
  sealTeamInboxKey,
  toBase64url,
  type SigningKeyPair,
} from '../../../crypto/index.js';
import { sealOrgSigningKey } from '../../../crypto/org-key.js';
import { deriveLoginKeys, wrapPrivateKeys } from '../../../crypto/password.js';
import { loadSodium } from '../../../crypto/sodium.js';
import { loadSumoSodium } from '../../../crypto/sodium-sumo.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { DEMO_TEAMS } from '../../../server/demo.js';
import { createDirectory, type Directory } from '../../../server/directory/directory.js';
import { DEFAULT_KDF, authKeyHash } from '../../../server/routes/responder.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { createMemoryStore } from '../../../server/store/memory/memory-store.js';
import type { ResponderId, Role, Store, TeamId } from '../../../server/store/ports.js';
import { freePort } from '../../support/free-port.js';
import { captureLogs, testConfig } from '../../support/harness.js';
import type { TestResponder } from './support.js';

const DAY = 86_400_000;
/** Argon2id cost of the sealed organisation key in tests (the client minimum; the CLI uses more). */
export const TEST_ORG_KDF = { opslimit: 3, memlimit: 64 * 1024 * 1024 };

export interface RealOrg {
  readonly url: string;
  readonly store: Store;
  readonly directory: Directory;
  readonly rootPublicKey: string;
  readonly passphrase: string;
  /** Adds a certified responder (its keys sealed to every team it is in: a new epoch each). */
  addResponder(login: string, teams: readonly string[], roles?: Role[]): Promise<TestResponder>;
  stop(): Promise<void>;
}

/** Starts a server for a real organisation on a free port; the test keeps the org key to seed staff. */
export async function startRealOrgServer(): Promise<RealOrg> {
  await loadSodium();
  await loadSumoSodium();
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  const directory = createDirectory(store.records);
  for (const team of DEMO_TEAMS) await store.staff.putTeam(team);
  const now = Date.now();
  const root = generateSigningKeyPair();
  const org: SigningKeyPair = generateSigningKeyPair();
  const orgCert = issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: now - 60_000, expires: now + 300 * DAY });
  const rootPublicKey = toBase64url(root.publicKey);
  root.secretKey.fill(0);
  await directory.putOrg({ rootPublicKey, orgCert: toBase64url(orgCert), revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: now, serials: [] })) });
  const passphrase = `kvarnsten ${randomBytes(4).toString('hex')} solvarv`;
  const salt = systemRandom(16);
  const { wrapKey } = deriveLoginKeys(passphrase, salt, TEST_ORG_KDF);
  await directory.putSealedOrgKey({ orgPublicKey: toBase64url(org.publicKey), salt: toBase64url(salt), ...TEST_ORG_KDF, sealed: toBase64url(sealOrgSigningKey(wrapKey, org)) });
  wrapKey.fill(0);

  const boxKeys = new Map<string, Uint8Array>();
  let serial = 100;
  const rotate = async (team: string) => {
    const current = await directory.currentTeamKey(team as TeamId);
    const epoch = (current?.epoch ?? 0) + 1;
    const inbox = generateBoxKeyPair();
    const t = Date.now() - 60_000;
    const cert = issueTeamCert(org.secretKey, { serial: (serial += 1), team, epoch, boxPublicKey: inbox.publicKey, notBefore: t, expires: t + 7 * DAY });
    const deliveries: Record<string, string> = {};
    for (const [id, box] of boxKeys) {
      const r = await store.staff.getResponder(id as ResponderId);
      if (r?.active === true && r.teams.includes(team as TeamId)) deliveries[id] = toBase64url(sealTeamInboxKey({ team, epoch, secretKey: inbox.secretKey }, box as never));
    }
    await directory.putTeamKey({ team, epoch, cert: toBase64url(cert), deliveries, createdAt: Date.now() });
  };

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The test build pins no root and this root is made per run: the pages supply it, marked as a demo
  // (DEMO only changes the pages here; nothing is seeded, the server still holds no organisation key).
  const config = testConfig({ PORT: String(port), PUBLIC_URL: url, STATIC_DIR: 'dist/public', DEMO: 'true' });
  const captured = captureLogs();
  const server: RunningServer = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: captured.logger(config.logLevel), secret: new Uint8Array(randomBytes(32)), rootPublicKey });

  return {
    url,
    store,
    directory,
    rootPublicKey,
    passphrase,
    async addResponder(login, teams, roles = ['responder']) {
      const password = `pw-${login}-${randomBytes(6).toString('base64url')}`;
      const pwSalt = new Uint8Array(randomBytes(16));
      const derived = deriveLoginKeys(password, pwSalt, DEFAULT_KDF);
      const id = `r-${login}` as ResponderId;
      const sign = generateSigningKeyPair();
      const box = generateBoxKeyPair();
      await store.staff.putResponder({
        id,
        login,
        displayName: `Handläggare ${login}`,
        teams: teams as TeamId[],
        roles,
        salt: Buffer.from(pwSalt).toString('base64url'),
        opslimit: DEFAULT_KDF.opslimit,
        memlimit: DEFAULT_KDF.memlimit,
        authHash: authKeyHash(derived.authKey),
        active: true,
      });
      const t = Date.now() - 60_000;
      const cert = issueResponderCert(org.secretKey, { serial: (serial += 1), id, displayName: `Handläggare ${login}`, teams: [...teams], roles: [...roles], signPublicKey: sign.publicKey, boxPublicKey: box.publicKey, notBefore: t, expires: t + 30 * DAY });
      await directory.putResponderKeys({ responder: id, cert: toBase64url(cert), wrappedKeys: toBase64url(wrapPrivateKeys(derived.wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey })) });
      boxKeys.set(id, box.publicKey);
      for (const team of teams) await rotate(team);
      return { id, login, password, authKey: derived.authKey, totpSecret: null };
    },
    async stop() {
      org.secretKey.fill(0);
      await server.stop(2000);
      await store.close();
    },
  };
}
