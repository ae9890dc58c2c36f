// A real (non-demo) organisation for tests: root and organisation keys made here as the ceremony CLI
// does, the organisation key stored only sealed under a passphrase, responders certified with it and
// recorded in the admins' ledger file, a real redis-server, and a server that holds no organisation
// key: every change is signed by running `npm run org sign` (runOrg: a spawned CLI with piped stdin).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import {
  appendToLedger,
  ledgerKeyDigest,
  startLedger,
  type Ledger,
} from '../../../crypto/ledger.js';
import { sealOrgSigningKey } from '../../../crypto/org-key.js';
import { deriveLoginKeys, wrapPrivateKeys } from '../../../crypto/password.js';
import { loadSodium } from '../../../crypto/sodium-standard.js';
import { loadSumoSodium } from '../../../crypto/sodium-sumo.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { DEMO_TEAMS } from '../../../server/demo.js';
import { createDirectory, type Directory } from '../../../server/directory/directory.js';
import { DEFAULT_KDF, authKeyHash } from '../../../server/routes/responder.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { loadLedger, saveLedger } from '../../../server/cli/ledger-file.js';
import { createRedisStore } from '../../../server/store/redis/redis-store.js';
import type { ResponderId, Role, Store, TeamId } from '../../../server/store/ports.js';
import { freePort } from '../../support/free-port.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
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
  /** The real redis-server behind the store (a hostile test writes to it directly). */
  readonly redis: RedisServer;
  /** The admins' ledger file on "their machine". */
  readonly ledgerFile: string;
  /** The root key sealed as `npm run org init` seals it (root-key.sealed.json), and its passphrase. */
  readonly rootKeyFile: string;
  readonly rootPassphrase: string;
  /** The organisation key (the test plays the admin who seeded the staff; never the server's). */
  readonly orgPublicKey: Uint8Array;
  /** Adds a certified responder (recorded in the ledger; its keys sealed to every team it is in: a new epoch each). */
  addResponder(login: string, teams: readonly string[], roles?: Role[], options?: { certDays?: number; unrecorded?: boolean }): Promise<TestResponder>;
  /** The ledger as the admin's tool would load it. */
  ledger(): Promise<Ledger>;
  /** Runs `npm run org <args>` against the store with `input` on stdin (answers, e.g. "yes\n"). */
  runOrg(args: readonly string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** Starts a server for a real organisation on a free port; the test keeps the org key to seed staff. */
export async function startRealOrgServer(options: { orgCertDays?: number } = {}): Promise<RealOrg> {
  await loadSodium();
  await loadSumoSodium();
  const redis = await startRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'utvag-admin-'));
  const ledgerFile = join(dir, 'ledger.json');
  const store = await createRedisStore({ url: redis.url });
  const directory = createDirectory(store.records);
  for (const team of DEMO_TEAMS) await store.staff.putTeam(team);
  const now = Date.now();
  const root = generateSigningKeyPair();
  const org: SigningKeyPair = generateSigningKeyPair();
  const orgCert = issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: now - 60_000, expires: now + (options.orgCertDays ?? 80) * DAY });
  const rootPublicKey = toBase64url(root.publicKey);
  // The root key as the ceremony keeps it (org.ts init's seal()): for the root's own commands.
  const rootPassphrase = `bergsrot ${randomBytes(4).toString('hex')} ekollon`;
  const rootKeyFile = join(dir, 'root-key.sealed.json');
  const rootSalt = systemRandom(16);
  const rootWrap = deriveLoginKeys(rootPassphrase, rootSalt, TEST_ORG_KDF).wrapKey;
  await writeFile(rootKeyFile, JSON.stringify({ orgPublicKey: rootPublicKey, salt: toBase64url(rootSalt), ...TEST_ORG_KDF, sealed: toBase64url(sealOrgSigningKey(rootWrap, root)) }), { mode: 0o600 });
  rootWrap.fill(0);
  root.secretKey.fill(0);
  await directory.putOrg({ rootPublicKey, orgCert: toBase64url(orgCert), revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: now, serials: [] })) });
  const passphrase = `kvarnsten ${randomBytes(4).toString('hex')} solvarv`;
  const salt = systemRandom(16);
  const { wrapKey } = deriveLoginKeys(passphrase, salt, TEST_ORG_KDF);
  await directory.putSealedOrgKey({ orgPublicKey: toBase64url(org.publicKey), salt: toBase64url(salt), ...TEST_ORG_KDF, sealed: toBase64url(sealOrgSigningKey(wrapKey, org)) });
  wrapKey.fill(0);
  let ledger = startLedger(org, new Date(now));
  const record = async (entries: Parameters<typeof appendToLedger>[1]) => {
    ledger = appendToLedger(ledger, entries, org, new Date());
    await saveLedger(ledgerFile, store.records, ledger);
  };
  await record([]);

  const boxKeys = new Map<string, Uint8Array>();
  let serial = 100;
  const rotate = async (team: string) => {
    const current = await directory.currentTeamKey(team as TeamId);
    const epoch = (current?.epoch ?? 0) + 1;
    const inbox = generateBoxKeyPair();
    const t = Date.now() - 60_000;
    const fields = { serial: (serial += 1), team, epoch, boxPublicKey: inbox.publicKey, notBefore: t, expires: t + 7 * DAY };
    const cert = issueTeamCert(org.secretKey, fields);
    await record([{ kind: 'team', at: Date.now(), serial: fields.serial, team, epoch, boxKey: ledgerKeyDigest(inbox.publicKey), notBefore: t, expires: fields.expires }]);
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
  // (DEMO only changes the pages here; nothing is seeded, the server still holds no organisation key,
  // so it signs nothing: every change goes through `npm run org sign`).
  const config = testConfig({ PORT: String(port), PUBLIC_URL: url, STATIC_DIR: 'dist/public', DEMO: 'true' });
  const captured = captureLogs();
  const server: RunningServer = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: captured.logger(config.logLevel), secret: new Uint8Array(randomBytes(32)), rootPublicKey });

  return {
    url,
    store,
    directory,
    rootPublicKey,
    passphrase,
    redis,
    ledgerFile,
    rootKeyFile,
    rootPassphrase,
    orgPublicKey: org.publicKey,
    async ledger() {
      const loaded = await loadLedger(ledgerFile, store.records, org.publicKey);
      if (loaded.ledger === null) throw new Error('no ledger');
      return loaded.ledger;
    },
    runOrg: (args, input) => runOrgCli(args, input, { REDIS_URL: redis.url, ROOT_PUBLIC_KEY: rootPublicKey, ORG_PASSPHRASE: passphrase, ORG_LEDGER: ledgerFile, ROOT_PASSPHRASE: rootPassphrase, ROOT_KEY_FILE: rootKeyFile }),
    async addResponder(login, teams, roles = ['responder'], options = {}) {
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
      const fields = { serial: (serial += 1), id, displayName: `Handläggare ${login}`, teams: [...teams], roles: [...roles], signPublicKey: sign.publicKey, boxPublicKey: box.publicKey, notBefore: t, expires: t + (options.certDays ?? 30) * DAY };
      const cert = issueResponderCert(org.secretKey, fields);
      // `unrecorded`: certified before the ledger existed (an organisation set up with an older release).
      if (options.unrecorded !== true) await record([{ kind: 'responder', at: Date.now(), serial: fields.serial, responder: id, signKey: ledgerKeyDigest(sign.publicKey), boxKey: ledgerKeyDigest(box.publicKey), teams: fields.teams, roles: fields.roles, notBefore: t, expires: fields.expires }]);
      await directory.putResponderKeys({ responder: id, cert: toBase64url(cert), wrappedKeys: toBase64url(wrapPrivateKeys(derived.wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey })) });
      boxKeys.set(id, box.publicKey);
      for (const team of teams) await rotate(team);
      return { id, login, password, authKey: derived.authKey, totpSecret: null };
    },
    async stop() {
      org.secretKey.fill(0);
      await server.stop(2000);
      await store.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `npm run org <args>` as a child process (tsx), `input` piped to stdin; resolves when it exits. */
export function runOrgCli(args: readonly string[], input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/org.ts', ...args], { env: { ...process.env, ...env, DEMO: 'false' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
