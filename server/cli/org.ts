// Key ceremony CLI for a real organisation (the demo needs none). Run offline for `init`; against the
// store (REDIS_URL) for the others. See deploy/RUNBOOK.md section 2.
//
//   init --out DIR              root + organisation keys: prints the root public key to pin, writes
//                               DIR/root-public-key.txt, DIR/org-bundle.json (org certificate, first
//                               revocation list, the org key sealed under ORG passphrase) and
//                               DIR/root-key.sealed.json (the root key sealed under the ROOT passphrase)
//   import DIR/org-bundle.json  publishes the bundle and the sealed org key in the store
//   invite --name N --teams a,b --roles responder,admin [--create-teams]
//                               an invitation for the first admin; prints the link path
//   certify                     certifies enrolled invitations after the fingerprint comparison, and
//                               rotates their teams' inbox keys (the same code as the admin console)
//
// Passphrases come from ORG_PASSPHRASE / ROOT_PASSPHRASE or are asked for (not echoed).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signCertification, unlockOrgKey, type StaffState } from '../../client/console/crypto/org-admin.js';
import { generateSigningKeyPair, issueOrgCert, issueRevocationList, toBase64url } from '../../crypto/index.js';
import { sealOrgSigningKey } from '../../crypto/org-key.js';
import { deriveLoginKeys, newPasswordSalt } from '../../crypto/password.js';
import { loadSodium } from '../../crypto/sodium.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';
import { systemClock, systemRandom } from '../clock.js';
import { loadConfig } from '../config.js';
import { createDirectory, OrgBundleSchema, SealedOrgKeySchema } from '../directory/directory.js';
import { holdsDemoOrgKey } from '../directory/demo-org.js';
import { createStaffAdmin } from '../directory/staff-admin.js';
import { createInvitations } from '../enrolment/invitations.js';
import { createRedisStore } from '../store/redis/redis-store.js';
import type { ResponderId, Role, Store, TeamId } from '../store/ports.js';

const DAY = 86_400_000;
/** Argon2id cost of the sealed keys: above the console's minimum (3 × 64 MiB), still fine in a browser. */
const SEAL_KDF = { opslimit: 4, memlimit: 256 * 1024 * 1024 };

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Reads a line from the terminal; `hidden` does not echo it. */
async function ask(question: string, hidden = false): Promise<string> {
  process.stdout.write(question);
  const stdin = process.stdin;
  if (hidden && stdin.isTTY) stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          if (hidden && stdin.isTTY) stdin.setRawMode(false);
          stdin.pause();
          process.stdout.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function passphrase(env: string, what: string, confirm: boolean): Promise<string> {
  const given = process.env[env];
  if (given !== undefined && given !== '') return given;
  const first = await ask(`${what}: `, true);
  if (first.length < 20) throw new Error(`${what}: at least 20 characters (a few unrelated words).`);
  if (confirm && (await ask(`${what} again: `, true)) !== first) throw new Error('The passphrases differ.');
  return first;
}

function seal(secret: Parameters<typeof sealOrgSigningKey>[1], phrase: string) {
  const salt = newPasswordSalt();
  const { authKey, wrapKey } = deriveLoginKeys(phrase, salt, SEAL_KDF);
  authKey.fill(0);
  const sealed = sealOrgSigningKey(wrapKey, secret);
  wrapKey.fill(0);
  return { orgPublicKey: toBase64url(secret.publicKey), salt: toBase64url(salt), ...SEAL_KDF, sealed: toBase64url(sealed) };
}

async function init(dir: string): Promise<void> {
  const orgPhrase = await passphrase('ORG_PASSPHRASE', 'Passphrase for the organisation key (the admins)', true);
  const rootPhrase = await passphrase('ROOT_PASSPHRASE', 'Passphrase for the root key (the key holders)', true);
  if (orgPhrase === rootPhrase) throw new Error('Use different passphrases for the root and the organisation key.');
  const now = Date.now();
  const root = generateSigningKeyPair();
  const org = generateSigningKeyPair();
  const orgCert = issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: now - 60_000, expires: now - 60_000 + 365 * DAY });
  const bundle = {
    rootPublicKey: toBase64url(root.publicKey),
    orgCert: toBase64url(orgCert),
    revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: now, serials: [] })),
    sealedOrgKey: seal(org, orgPhrase),
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'root-public-key.txt'), `${bundle.rootPublicKey}\n`, { mode: 0o644 });
  writeFileSync(join(dir, 'org-bundle.json'), `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'root-key.sealed.json'), `${JSON.stringify(seal(root, rootPhrase), null, 2)}\n`, { mode: 0o600 });
  root.secretKey.fill(0);
  org.secretKey.fill(0);
  out(`Root public key (pin it: ROOT_PUBLIC_KEY, embed snippet; write it on the signed paper):\n  ${bundle.rootPublicKey}`);
  out(`Organisation certificate valid until ${new Date(now - 60_000 + 365 * DAY).toISOString().slice(0, 10)} (set a reminder 30 days before).`);
  out(`Wrote ${join(dir, 'org-bundle.json')} (import it) and ${join(dir, 'root-key.sealed.json')} (offline only).`);
}

async function openStore(): Promise<Store> {
  const config = loadConfig(process.env);
  if (config.redis === null) {
    throw new Error('Set REDIS_URL (or REDIS_MODE with its variables): the in-memory store of a running server cannot be reached from here.');
  }
  const { topology, auth, waitReplicas, waitTimeoutMs } = config.redis;
  return createRedisStore({ topology, auth, waitReplicas, waitTimeoutMs, prefix: config.redisPrefix });
}

async function importBundle(file: string, store: Store): Promise<void> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const bundle = OrgBundleSchema.parse({ rootPublicKey: raw.rootPublicKey, orgCert: raw.orgCert, revocationList: raw.revocationList });
  const sealed = SealedOrgKeySchema.parse(raw.sealedOrgKey);
  if (await holdsDemoOrgKey(store)) throw new Error('This store holds a demo organisation: use a fresh store (or REDIS_PREFIX) with DEMO=false.');
  const directory = createDirectory(store.records);
  await directory.putOrg(bundle);
  await directory.putSealedOrgKey(sealed);
  out(`Imported. Start the servers with DEMO=false ROOT_PUBLIC_KEY=${bundle.rootPublicKey}`);
}

function flag(args: string[], name: string): string | null {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? null : (args[i + 1] ?? null);
}

async function invite(args: string[], store: Store): Promise<void> {
  const name = flag(args, 'name');
  const teams = (flag(args, 'teams') ?? '').split(',').filter((t) => t !== '');
  const roles = (flag(args, 'roles') ?? 'responder,admin').split(',') as Role[];
  if (name === null || teams.length === 0) throw new Error('invite --name "Name" --teams team-a,team-b [--roles responder,admin] [--create-teams]');
  for (const team of teams) {
    if (!/^[a-z0-9-]{1,64}$/.test(team)) throw new Error(`Team ids are a-z, 0-9 and -: ${team}`);
    if ((await store.staff.getTeam(team as TeamId)) !== null) continue;
    if (!args.includes('--create-teams')) throw new Error(`Unknown team ${team} (add --create-teams to create it; name and routing are set in the console).`);
    await store.staff.putTeam({ id: team as TeamId, name: team, categories: [], overflow: null });
  }
  const invitations = createInvitations({ records: store.records, clock: systemClock, random: systemRandom });
  const { token } = await invitations.create({ displayName: name, teams, roles, createdBy: 'ceremony-cli' });
  out(`Invitation for ${name} (valid 7 days; give it only to them): <PUBLIC_URL>/console#enrol=${token}`);
}

async function certify(store: Store): Promise<void> {
  const directory = createDirectory(store.records);
  const invitations = createInvitations({ records: store.records, clock: systemClock, random: systemRandom });
  const pending = (await invitations.list()).filter((i) => i.state === 'enrolled');
  if (pending.length === 0) {
    out('Nobody is waiting for certification.');
    return;
  }
  const org = await directory.getOrg();
  const sealed = await directory.getSealedOrgKey();
  if (org === null || sealed === null) throw new Error('Import the organisation bundle first.');
  const rootPublicKey = process.env.ROOT_PUBLIC_KEY ?? (await ask(`Root public key (from the signed paper): `));
  const phrase = await passphrase('ORG_PASSPHRASE', 'Passphrase for the organisation key', false);
  const derive = async (p: string, salt: Uint8Array, params: { opslimit: number; memlimit: number }) => deriveLoginKeys(p, salt, params);
  const signer = await unlockOrgKey({ sealed, passphrase: phrase, derive, rootPublicKey: Buffer.from(rootPublicKey.trim(), 'base64url'), orgCert: org.orgCert, now: new Date() });
  // Certification never touches conversations; the staff logic is shared with the console's routes.
  const staff = createStaffAdmin({ store, directory, clock: systemClock, random: systemRandom, conversations: undefined as never, rootPublicKey: rootPublicKey.trim(), disconnect: async () => undefined });
  try {
    for (const inv of pending) {
      if (inv.responder === null || inv.signPublicKey === null || inv.boxPublicKey === null || inv.wrappedKeys === null) continue;
      const typed = await ask(`${inv.displayName} (${inv.login}): the fingerprint they read from their screen: `);
      const current = (await staff.orgState()) as StaffState['org'];
      const state: StaffState = { org: { ...current, teams: [...current.teams] }, responders: (await staff.list()).map((r) => ({ ...r })) };
      let signed;
      try {
        signed = await signCertification(signer, state, { responder: inv.responder, displayName: inv.displayName, teams: inv.teams, roles: inv.roles, signPublicKey: inv.signPublicKey, boxPublicKey: inv.boxPublicKey }, typed, new Date());
      } catch {
        out('  The fingerprint does not match these keys: not certified.');
        continue;
      }
      const responder = await store.staff.getResponder(inv.responder as ResponderId);
      if (responder === null || signed.cert === undefined) continue;
      const active = { ...responder, active: true };
      await store.staff.putResponder(active);
      await directory.putResponderKeys({ responder: responder.id, cert: signed.cert, wrappedKeys: inv.wrappedKeys });
      await staff.admit(active, signed);
      await invitations.put({ ...inv, state: 'certified', wrappedKeys: null });
      await store.audit.append({ at: Date.now(), actor: 'ceremony-cli' as ResponderId, action: 'certify', ref: '' });
      out(`  Certified ${inv.displayName}; inbox keys of ${inv.teams.join(', ')} rotated.`);
    }
  } finally {
    signer.keyPair.secretKey.fill(0);
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  await loadSodium();
  await loadSumoSodium();
  if (command === 'init') return init(flag(args, 'out') ?? 'org-keys');
  if (command !== 'import' && command !== 'invite' && command !== 'certify') {
    out('usage: org init --out DIR | import FILE | invite --name N --teams a,b [--roles r,a] [--create-teams] | certify');
    process.exitCode = 2;
    return;
  }
  const store = await openStore();
  try {
    if (command === 'import') await importBundle(args[0] ?? 'org-keys/org-bundle.json', store);
    else if (command === 'invite') await invite(args, store);
    else await certify(store);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`org: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
