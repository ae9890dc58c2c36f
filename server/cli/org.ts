// The organisation key's tool, run on an admin's machine (never in a page the server serves; the
// demo needs none). `init` runs offline; the others against the store (REDIS_URL). See
// deploy/RUNBOOK.md section 2.
//
//   init --out DIR              root + organisation keys: prints the root public key to pin, writes
//                               DIR/root-public-key.txt, DIR/org-bundle.json (org certificate, first
//                               revocation list, the org key sealed under the ORG passphrase),
//                               DIR/ledger.json (the empty certificate ledger, signed) and
//                               DIR/root-key.sealed.json (the root key sealed under the ROOT passphrase)
//   import DIR/org-bundle.json [--org ID]
//                               publishes the bundle, the sealed org key and the ledger in the store;
//                               a bundle of `add-org` goes to the organisation its certificate names
//   invite --name N --teams a,b --roles responder,admin [--create-teams] [--org ID]
//                               an invitation for the first admin; prints the link path
//   sign [--ledger FILE] [--adopt] [--org ID]
//                               everything awaiting the organisation key, in one batch: enrolments
//                               (fingerprint shown), changes, deactivations, renewals, team inbox
//                               keys, the revocation list; each checked against the ledger and the
//                               pinned root; one confirmation (server/cli/org-sign.ts)
//   ledger [--ledger FILE] [--org ID]
//                               prints the ledger's head and entries
//   status [--org ID]           the organisation certificate (a warning when it ends within 14 days or
//                               is revoked), the revocation list's age, what awaits signing
//
// A region (docs/regional.md): `--org ID` names the organisation (default: the deployment's first).
// Each organisation has its own key, passphrase, ledger (default org-keys/ID/ledger.json) and list
// of what awaits it; `sign --org ID` signs only that organisation's staff and teams.
//
// The root key's operations (the two key holders; server/cli/org-root.ts), with the sealed root key
// from --root-key FILE, ROOT_KEY_FILE or org-keys/root-key.sealed.json:
//   add-org --org ID --name NAME [--out DIR] [--days 90]
//                               offline: a new organisation key for one more organisation of the region
//                               (a municipality, the regional body), sealed under ITS admins' ORG
//                               passphrase, and the root's certificate naming it (version 2: id and the
//                               name visitors are shown); writes DIR (default org-keys/ID)/org-bundle.json
//                               and DIR/ledger.json, carried to that organisation's admin, who imports them
//   renew-org-cert [--bundle FILE] [--days 90]
//                               re-signs the organisation certificate for the same organisation key
//   revoke-org [--bundle FILE]  signs the root's revocation of the current organisation certificate
//   In a region, --org ID names the organisation (renew, revoke, publish-org, status; default the first).
//   With --bundle (the air-gapped laptop: org-bundle.json on the stick) the file is updated in place,
//   to be carried to an admin who runs `publish-org FILE`; without it (REDIS_URL) it is published at once.
//   publish-org FILE            publishes the root-signed certificate / revocation of FILE after
//                               checking it against the pinned root
//
// Passphrases come from ORG_PASSPHRASE / ROOT_PASSPHRASE or are asked for (not echoed); the root
// public key from ROOT_PUBLIC_KEY or asked for; the ledger file from --ledger, ORG_LEDGER, or
// org-keys/ledger.json.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  fromBase64url,
  generateSigningKeyPair,
  parseOrgCert,
  parseRevocationList,
  issueOrgCert,
  issueOrgRevocation,
  issueRevocationList,
  MAX_VALIDITY_MS,
  toBase64url,
  type Ed25519PublicKey,
} from '../../crypto/index.js';
import { bytesEqual } from '../../crypto/encoding.js';
import { ledgerHeadId, startLedger, type Ledger } from '../../crypto/ledger.js';
import { freshSerial, unlockOrgKey, wipeOrgSigner } from '../../crypto/org-admin.js';
import { openOrgSigningKey, sealOrgSigningKey } from '../../crypto/org-key.js';
import { deriveLoginKeys, newPasswordSalt } from '../../crypto/password.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';
import { systemClock, systemRandom } from '../clock.js';
import { loadConfig } from '../config.js';
import { createDirectory, OrgBundleSchema, SealedOrgKeySchema } from '../directory/directory.js';
import { holdsDemoOrgKey } from '../directory/demo-org.js';
import { createOrgPending } from '../directory/org-pending.js';
import { createStaffAdmin } from '../staff/staff-admin.js';
import { createInvitations } from '../enrolment/invitations.js';
import { createRedisStore } from '../store/redis/redis-store.js';
import type { Role, Store, TeamId } from '../store/ports.js';
import { RENEW_ORG_CERT_WITHIN_MS } from '../directory/org-pending.js';
import { DEFAULT_ORG, ORG_ID, createOrganisations, orgOf } from '../directory/organisations.js';
import type { OrgId } from '../store/ports.js';
import { loadLedger, saveLedger } from './ledger-file.js';
import { checkPublication, describeOrgCert, grouped, orgCertState, planOrgCertRenewal, planOrgRevocation, RootToolRefusal, type OrgCertState } from './org-root.js';
import { assertSignerOrg, signPending } from './org-sign.js';
import { createPrompt } from './prompt.js';
import { createAuditWriter } from '../routes/audit-writer.js';

const DAY = 86_400_000;
/** Argon2id cost of the sealed keys: above the console's minimum (3 × 64 MiB), still fine in a browser. */
const SEAL_KDF = { opslimit: 4, memlimit: 256 * 1024 * 1024 };

const out = (line: string) => process.stdout.write(`${line}\n`);
const prompt = createPrompt();

async function passphrase(env: string, what: string, confirm: boolean): Promise<string> {
  const given = process.env[env];
  if (given !== undefined && given !== '') return given;
  const first = await prompt.ask(`${what}: `, { hidden: true });
  if (first.length < 20) throw new Error(`${what}: at least 20 characters (a few unrelated words).`);
  if (confirm && (await prompt.ask(`${what} again: `, { hidden: true })) !== first) throw new Error('The passphrases differ.');
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
  const orgCert = issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: now - 60_000, expires: now - 60_000 + 90 * DAY });
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
  const ledger = startLedger(org, new Date(now));
  writeFileSync(join(dir, 'ledger.json'), `${JSON.stringify({ head: ledgerHeadId(ledger), savedAt: new Date(now).toISOString(), ledger: toBase64url(ledger.wire) }, null, 2)}\n`, { mode: 0o600 });
  root.secretKey.fill(0);
  org.secretKey.fill(0);
  out(`Root public key (pin it: ROOT_PUBLIC_KEY, embed snippet; write it on the signed paper):\n  ${bundle.rootPublicKey}`);
  out(`Organisation key (write it in the key log; the root's renewal shows it for comparison):\n  ${toBase64url(org.publicKey)}`);
  out(`Organisation certificate valid until ${new Date(now - 60_000 + 90 * DAY).toISOString().slice(0, 10)}: the root key holders renew it every quarter (npm run org -- renew-org-cert; deploy/RUNBOOK.md section 2).`);
  out(`Wrote ${join(dir, 'org-bundle.json')} (import it), ${join(dir, 'ledger.json')} (the certificate ledger: keep it on the admins' machine, back it up) and ${join(dir, 'root-key.sealed.json')} (offline only).`);
}

/**
 * `add-org`: the root key holders certify one more organisation of the region, offline. A new
 * organisation key, sealed under that organisation's admins' passphrase; the root's certificate
 * naming it (id and the name visitors are shown); its first revocation list and an empty ledger.
 */
async function addOrg(args: string[]): Promise<void> {
  const id = flag(args, 'org');
  const name = flag(args, 'name');
  if (id === null || name === null) throw new Error('add-org --org ID --name "Name visitors see" [--out DIR] [--days 90] [--root-key FILE]');
  if (!ORG_ID.test(id) || id === DEFAULT_ORG) throw new Error(`The organisation id is a-z, 0-9 and - (at most 40), not "${DEFAULT_ORG}" (the first organisation's, made by init): ${id}`);
  if (name.trim().length === 0 || name.length > 80) throw new Error('The name is 1 to 80 characters.');
  const days = Number(flag(args, 'days') ?? '90');
  if (!Number.isInteger(days) || days < 1 || days * DAY > MAX_VALIDITY_MS.org) throw new Error(`--days is 1 to ${MAX_VALIDITY_MS.org / DAY}.`);
  const dir = flag(args, 'out') ?? join('org-keys', id);
  if (existsSync(join(dir, 'org-bundle.json'))) throw new Error(`${join(dir, 'org-bundle.json')} exists: one key per organisation (renew its certificate with renew-org-cert --bundle).`);
  const root = await pinnedRoot();
  const orgPhrase = await passphrase('ORG_PASSPHRASE', `Passphrase for the organisation key of ${name} (its admins)`, true);
  const org = generateSigningKeyPair();
  const now = Date.now();
  // Random serials: the root's revocation names serials, and each organisation's must be its own.
  const serial = freshSerial(new Set());
  const fields = { serial, organisation: { id, name }, publicKey: org.publicKey, notBefore: now - 60_000, expires: now - 60_000 + days * DAY };
  out(`Organisation ${name} (${id}): new organisation key ${grouped(org.publicKey)}`);
  out(`To sign with the root key (1): its certificate, serial ${serial}, valid ${new Date(fields.notBefore).toISOString().slice(0, 10)} – ${new Date(fields.expires).toISOString().slice(0, 10)} (${days} days).`);
  if (!(await confirmed('Certify with the root key? Type "yes" to sign: '))) {
    org.secretKey.fill(0);
    out('Nothing signed.');
    process.exitCode = 1;
    return;
  }
  const rootKey = await openRootKey(args, root);
  let orgCert: Uint8Array;
  try {
    orgCert = issueOrgCert(rootKey.secretKey, fields);
  } finally {
    rootKey.secretKey.fill(0);
  }
  const bundle = {
    rootPublicKey: toBase64url(root),
    organisation: { id, name },
    orgCert: toBase64url(orgCert),
    revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: now, serials: [] })),
    sealedOrgKey: seal(org, orgPhrase),
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'org-bundle.json'), `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
  const ledger = startLedger(org, new Date(now));
  writeFileSync(join(dir, 'ledger.json'), `${JSON.stringify({ head: ledgerHeadId(ledger), savedAt: new Date(now).toISOString(), ledger: toBase64url(ledger.wire) }, null, 2)}\n`, { mode: 0o600 });
  org.secretKey.fill(0);
  out(`Organisation key of ${name} (write it in the key log): ${toBase64url(org.publicKey)}`);
  out(`Wrote ${join(dir, 'org-bundle.json')} and ${join(dir, 'ledger.json')}: carry them to an admin of ${name}, who imports them (npm run org -- import ${join(dir, 'org-bundle.json')}).`);
}

async function openStore(): Promise<Store> {
  const config = loadConfig(process.env);
  if (config.redis === null) {
    throw new Error('Set REDIS_URL (or REDIS_MODE with its variables): the in-memory store of a running server cannot be reached from here.');
  }
  const { topology, auth, waitReplicas, waitTimeoutMs } = config.redis;
  return createRedisStore({ topology, auth, waitReplicas, waitTimeoutMs, prefix: config.redisPrefix });
}

async function importBundle(file: string, args: string[], store: Store): Promise<void> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const bundle = OrgBundleSchema.parse({ rootPublicKey: raw.rootPublicKey, orgCert: raw.orgCert, revocationList: raw.revocationList });
  const sealed = SealedOrgKeySchema.parse(raw.sealedOrgKey);
  if (await holdsDemoOrgKey(store)) throw new Error('This store holds a demo organisation: use a fresh store (or REDIS_PREFIX) with DEMO=false.');
  // The organisation is the one the root named in the certificate (version 1: the first one).
  const cert = parseOrgCert(fromBase64url(bundle.orgCert)).value;
  const orgId = (cert.organisation?.id ?? DEFAULT_ORG) as OrgId;
  const asked = flag(args, 'org');
  if (asked !== null && asked !== orgId) throw new Error(`${file} holds the root's certificate for ${orgId === DEFAULT_ORG ? 'the first organisation' : orgId}, not ${asked}. Nothing imported.`);
  if (!bytesEqual(fromBase64url(sealed.orgPublicKey), cert.publicKey)) throw new Error(`${file}: the sealed organisation key is not the certified one. Nothing imported.`);
  const directory = createDirectory(store.records);
  await directory.putOrg(bundle, orgId);
  await directory.putSealedOrgKey(sealed, orgId);
  if (cert.organisation != null && orgId !== DEFAULT_ORG) {
    const registry = createOrganisations(store.records);
    const known = await registry.get(orgId);
    await registry.put({ id: orgId, name: known?.name ?? cert.organisation.name, acceptsOverflowFrom: known?.acceptsOverflowFrom ?? [], asksOverflowTo: known?.asksOverflowTo ?? [] });
  }
  const ledgerFile = join(dirname(file), 'ledger.json');
  if (existsSync(ledgerFile)) {
    const { ledger } = await loadLedger(ledgerFile, store.records, cert.publicKey, orgId);
    if (ledger !== null) await saveLedger(ledgerFile, store.records, ledger, orgId);
  }
  if (orgId === DEFAULT_ORG) out(`Imported. Start the servers with DEMO=false ROOT_PUBLIC_KEY=${bundle.rootPublicKey}`);
  else out(`Imported organisation ${orgId} (${cert.organisation?.name ?? ''}). Its first admin: npm run org -- invite --org ${orgId} --name "Name" --teams TEAM --create-teams`);
}

function flag(args: string[], name: string): string | null {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? null : (args[i + 1] ?? null);
}

async function invite(args: string[], store: Store): Promise<void> {
  const name = flag(args, 'name');
  const teams = (flag(args, 'teams') ?? '').split(',').filter((t) => t !== '');
  const roles = (flag(args, 'roles') ?? 'responder,admin').split(',') as Role[];
  if (name === null || teams.length === 0) throw new Error('invite --name "Name" --teams team-a,team-b [--roles responder,admin] [--create-teams] [--org ID]');
  const orgId = orgIdOf(args);
  if (orgId !== DEFAULT_ORG && (await createDirectory(store.records).getOrg(orgId)) === null) throw new Error(`Import the organisation bundle of ${orgId} first.`);
  for (const team of teams) {
    if (!/^[a-z0-9-]{1,64}$/.test(team)) throw new Error(`Team ids are a-z, 0-9 and -: ${team}`);
    const existing = await store.staff.getTeam(team as TeamId);
    // A team of another organisation is not this organisation's to staff.
    if (existing !== null && orgOf(existing) !== orgId) throw new Error(`Team ${team} belongs to another organisation.`);
    if (existing !== null) continue;
    if (!args.includes('--create-teams')) throw new Error(`Unknown team ${team} (add --create-teams to create it; name and routing are set in the console).`);
    await store.staff.putTeam({ id: team as TeamId, name: team, categories: [], overflow: null, ...(orgId === DEFAULT_ORG ? {} : { org: orgId }) });
  }
  const invitations = createInvitations({ records: store.records, clock: systemClock, random: systemRandom });
  const { token } = await invitations.create({ displayName: name, teams, roles, createdBy: 'ceremony-cli', ...(orgId === DEFAULT_ORG ? {} : { org: orgId }) });
  out(`Invitation for ${name} (valid 7 days; give it only to them): <PUBLIC_URL>/console#enrol=${token}`);
}

/** The ledger file: --ledger, ORG_LEDGER, or org-keys/ledger.json (the first organisation) / org-keys/ID/ledger.json. */
const ledgerPath = (args: string[]) => {
  const orgId = orgIdOf(args);
  return flag(args, 'ledger') ?? process.env.ORG_LEDGER ?? (orgId === DEFAULT_ORG ? 'org-keys/ledger.json' : `org-keys/${orgId}/ledger.json`);
};

/**
 * The organisation key of `orgId`, unlocked after its certificate verified against the pinned root
 * and named that organisation (the server cannot hand one organisation's key out as another's).
 */
async function unlock(store: Store, orgId: OrgId) {
  const directory = createDirectory(store.records);
  const org = await directory.getOrg(orgId);
  const sealed = await directory.getSealedOrgKey(orgId);
  if (org === null || sealed === null) throw new Error(`Import the organisation bundle first${orgId === DEFAULT_ORG ? '' : ` (organisation ${orgId})`}.`);
  const root = (process.env.ROOT_PUBLIC_KEY ?? (await prompt.ask('Root public key (from the signed paper): '))).trim();
  const phrase = await passphrase('ORG_PASSPHRASE', 'Passphrase for the organisation key', false);
  const derive = async (p: string, salt: Uint8Array, params: { opslimit: number; memlimit: number }) => deriveLoginKeys(p, salt, params);
  const signer = await unlockOrgKey({
    sealed: { salt: fromBase64url(sealed.salt), opslimit: sealed.opslimit, memlimit: sealed.memlimit, sealed: fromBase64url(sealed.sealed) },
    passphrase: phrase,
    derive,
    rootPublicKey: fromBase64url(root) as Ed25519PublicKey,
    orgCert: fromBase64url(org.orgCert),
    now: new Date(),
  });
  try {
    assertSignerOrg(signer, orgId);
  } catch (error) {
    wipeOrgSigner(signer);
    throw error;
  }
  return { signer, directory, root };
}

async function ledgerOf(args: string[], store: Store, orgPublicKey: Ed25519PublicKey): Promise<Ledger | null> {
  const { ledger, notes } = await loadLedger(ledgerPath(args), store.records, orgPublicKey, orgIdOf(args));
  for (const note of notes) out(note);
  return ledger;
}

async function sign(args: string[], store: Store): Promise<void> {
  if (await holdsDemoOrgKey(store)) throw new Error('This store holds a demo organisation (DEMO=true signs on the server): nothing to do here.');
  const orgId = orgIdOf(args);
  const { signer, directory, root } = await unlock(store, orgId);
  try {
    const org = await directory.getOrg(orgId);
    if (org !== null) for (const line of orgCertWarnings(orgCertState(fromBase64url(root) as Ed25519PublicKey, { orgCert: fromBase64url(org.orgCert), orgRevocation: b64OrNull(org.orgRevocation) }), Date.now())) out(line);
    let ledger = await ledgerOf(args, store, signer.org.publicKey);
    if (ledger === null) {
      out(`No ledger yet: starting an empty one at ${ledgerPath(args)}. Certificates issued before it are renewed only after --adopt (compare their fingerprints).`);
      ledger = startLedger(signer.keyPair, new Date());
      await saveLedger(ledgerPath(args), store.records, ledger, orgId);
    }
    const invitations = createInvitations({ records: store.records, clock: systemClock, random: systemRandom });
    const pending = createOrgPending({ store, directory, invitations, clock: systemClock });
    // The account side of every change already happened on the server; this only signs and uploads.
    const staff = createStaffAdmin({ store, directory, clock: systemClock, random: systemRandom, conversations: undefined as never, rootPublicKey: root, disconnect: async () => undefined, demo: false, pending });
    const result = await signPending({
      store,
      directory,
      staff,
      pending,
      invitations,
      signer,
      ledger,
      saveLedger: (l) => saveLedger(ledgerPath(args), store.records, l, orgId),
      clock: systemClock,
      out,
      audit: createAuditWriter({ store, clock: systemClock, secret: Buffer.from(await store.secrets.getOrCreate('server', randomBytes(32).toString('base64url')), 'base64url') }),
      confirm: async (question) => /^(y|yes|j|ja)$/i.test((await prompt.ask(question)).trim()),
      adopt: args.includes('--adopt'),
      org: orgId,
    });
    if (result.refused > 0 || result.failed > 0) process.exitCode = 3;
  } finally {
    wipeOrgSigner(signer);
  }
}

async function showLedger(args: string[], store: Store): Promise<void> {
  const org = await createDirectory(store.records).getOrg(orgIdOf(args));
  if (org === null) throw new Error('Import the organisation bundle first.');
  const ledger = await ledgerOf(args, store, parseOrgCert(fromBase64url(org.orgCert)).value.publicKey);
  if (ledger === null) {
    out('No ledger.');
    return;
  }
  for (const e of ledger.entries) {
    const when = new Date(e.at).toISOString().slice(0, 16).replace('T', ' ');
    if (e.kind === 'responder') out(`${when}  issued   ${e.serial}  ${e.responder}  teams ${e.teams.join(',')}  roles ${e.roles.join(',')}  until ${new Date(e.expires).toISOString().slice(0, 10)}`);
    else if (e.kind === 'team') out(`${when}  team key ${e.serial}  ${e.team} epoch ${e.epoch}  until ${new Date(e.expires).toISOString().slice(0, 10)}`);
    else out(`${when}  revoked  ${e.serial}  ${e.subject}`);
  }
  out(`Head: ${ledgerHeadId(ledger)}`);
}

/** `--org ID`: which organisation of a region (default: the deployment's first). */
const orgIdOf = (args: string[]) => (flag(args, 'org') ?? DEFAULT_ORG) as OrgId;
const pinnedRoot = async () => fromBase64url((process.env.ROOT_PUBLIC_KEY ?? (await prompt.ask('Root public key (from the signed paper): '))).trim()) as Ed25519PublicKey;
const b64OrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? fromBase64url(value) : null);
const confirmed = async (question: string) => /^(y|yes|j|ja)$/i.test((await prompt.ask(question)).trim());

/** Warnings about the organisation certificate (status, sign): ends within 14 days, expired, revoked. */
function orgCertWarnings(state: OrgCertState, now: number): string[] {
  if (state.revoked) return [`WARNING: organisation certificate ${state.cert.serial} is revoked by the root: every widget refuses this organisation until the key holders certify a new organisation key (deploy/RUNBOOK.md section 9).`];
  const ends = new Date(state.cert.expires).toISOString().slice(0, 16).replace('T', ' ');
  if (state.cert.expires <= now) return [`WARNING: the organisation certificate expired on ${ends} UTC: every widget refuses this organisation. The root key holders renew it now: npm run org -- renew-org-cert (deploy/RUNBOOK.md section 2).`];
  if (state.cert.expires - now < RENEW_ORG_CERT_WITHIN_MS) {
    return [`WARNING: the organisation certificate ends on ${ends} UTC (in ${Math.ceil((state.cert.expires - now) / DAY)} day(s)); after that every widget refuses this organisation. The root key holders renew it: npm run org -- renew-org-cert (deploy/RUNBOOK.md section 2).`];
  }
  return [];
}

/**
 * The current organisation certificate and root revocation: from `--bundle FILE` (offline, the
 * air-gapped laptop) or from the store; `publish` writes the signed result back to the same place.
 */
async function rootSource(args: string[]) {
  const file = flag(args, 'bundle');
  if (file !== null) {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const orgCert = b64OrNull(raw.orgCert);
    if (orgCert === null) throw new Error(`${file} holds no organisation certificate (use the org-bundle.json of the ceremony).`);
    return {
      current: { orgCert, orgRevocation: b64OrNull(raw.orgRevocation) },
      publish: async (signed: { orgCert?: Uint8Array; orgRevocation?: Uint8Array }) => {
        const next = { ...raw, ...(signed.orgCert === undefined ? {} : { orgCert: toBase64url(signed.orgCert) }), ...(signed.orgRevocation === undefined ? {} : { orgRevocation: toBase64url(signed.orgRevocation) }) };
        writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
        out(`Wrote ${file}. Carry it (read-only stick) to an admin, who publishes it: npm run org -- publish-org ${file}`);
      },
      close: async () => undefined,
    };
  }
  const store = await openStore();
  if (await holdsDemoOrgKey(store)) {
    await store.close();
    throw new Error('This store holds a demo organisation (DEMO=true renews its own certificate): nothing to do here.');
  }
  const directory = createDirectory(store.records);
  const orgId = orgIdOf(args);
  const org = await directory.getOrg(orgId);
  if (org === null) {
    await store.close();
    throw new Error(`Import the organisation bundle first (organisation ${orgId}).`);
  }
  return {
    current: { orgCert: fromBase64url(org.orgCert), orgRevocation: b64OrNull(org.orgRevocation) },
    publish: (signed: { orgCert?: Uint8Array; orgRevocation?: Uint8Array }) => publishRootSigned(store, orgId, { orgCert: signed.orgCert ?? null, orgRevocation: signed.orgRevocation ?? null }, fromBase64url(org.rootPublicKey) as Ed25519PublicKey),
    close: () => store.close(),
  };
}

/** Checks `offered` against the pinned root and the published bundle, then replaces those two fields only. */
async function publishRootSigned(store: Store, orgId: OrgId, offered: { orgCert: Uint8Array | null; orgRevocation: Uint8Array | null }, root: Ed25519PublicKey): Promise<void> {
  const directory = createDirectory(store.records);
  const org = await directory.getOrg(orgId);
  if (org === null) throw new Error(`Import the organisation bundle first (organisation ${orgId}).`);
  const checked = checkPublication(root, { orgCert: fromBase64url(org.orgCert), orgRevocation: b64OrNull(org.orgRevocation) }, offered);
  await directory.putOrg({ ...org, orgCert: toBase64url(checked.orgCert), ...(checked.orgRevocation === null ? {} : { orgRevocation: toBase64url(checked.orgRevocation) }) }, orgId);
  for (const line of checked.lines) out(`Published: ${line}`);
}

/** Opens the sealed root key after the key holders confirmed; checks it is the pinned root. */
async function openRootKey(args: string[], root: Ed25519PublicKey) {
  const file = flag(args, 'root-key') ?? process.env.ROOT_KEY_FILE ?? 'org-keys/root-key.sealed.json';
  if (!existsSync(file)) throw new Error(`No sealed root key at ${file} (--root-key FILE or ROOT_KEY_FILE: root-key.sealed.json of the ceremony).`);
  const sealed = SealedOrgKeySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (sealed.orgPublicKey !== toBase64url(root)) throw new Error(`${file} holds another root key than ROOT_PUBLIC_KEY (the signed paper). Nothing signed.`);
  const phrase = await passphrase('ROOT_PASSPHRASE', 'Passphrase for the root key (the key holders)', false);
  const { authKey, wrapKey } = deriveLoginKeys(phrase, fromBase64url(sealed.salt), { opslimit: sealed.opslimit, memlimit: sealed.memlimit });
  authKey.fill(0);
  try {
    // The root key is sealed like the organisation key (init's seal()): bound to its own public key.
    return openOrgSigningKey(wrapKey, fromBase64url(sealed.sealed), root);
  } catch {
    throw new Error('The root passphrase does not open the sealed root key. Nothing signed.');
  } finally {
    wrapKey.fill(0);
  }
}

/** `renew-org-cert` and `revoke-org`: one listing, one confirmation, the root key opened only then. */
async function rootOperation(kind: 'renew' | 'revoke', args: string[]): Promise<void> {
  const root = await pinnedRoot();
  const source = await rootSource(args);
  try {
    const now = Date.now();
    const state = orgCertState(root, source.current);
    const plan = kind === 'renew' ? planOrgCertRenewal(state, now, Number(flag(args, 'days') ?? '90')) : planOrgRevocation(state, now);
    for (const line of plan.listing) out(line);
    if (!(await confirmed(`${kind === 'renew' ? 'Renew' : 'REVOKE'} with the root key? Type "yes" to sign: `))) {
      out('Nothing signed.');
      process.exitCode = 1;
      return;
    }
    const rootKey = await openRootKey(args, root);
    let signed: { orgCert?: Uint8Array; orgRevocation?: Uint8Array };
    try {
      signed = 'next' in plan ? { orgCert: issueOrgCert(rootKey.secretKey, plan.next) } : { orgRevocation: issueOrgRevocation(rootKey.secretKey, plan.revocation) };
    } finally {
      rootKey.secretKey.fill(0);
    }
    // Checked like anything else offered for publication: signed by the pinned root, same key, newer.
    checkPublication(root, source.current, { orgCert: signed.orgCert ?? null, orgRevocation: signed.orgRevocation ?? null });
    await source.publish(signed);
  } finally {
    await source.close();
  }
}

async function publishOrg(args: string[], store: Store): Promise<void> {
  const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1]?.startsWith('--')));
  if (file === undefined) throw new Error('publish-org FILE (the org-bundle.json the key holders updated)');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  await publishRootSigned(store, orgIdOf(args), { orgCert: b64OrNull(raw.orgCert), orgRevocation: b64OrNull(raw.orgRevocation) }, await pinnedRoot());
}

async function status(args: string[], store: Store): Promise<void> {
  const directory = createDirectory(store.records);
  const org = await directory.getOrg(orgIdOf(args));
  if (org === null) throw new Error(`Import the organisation bundle first (organisation ${orgIdOf(args)}).`);
  const now = Date.now();
  const state = orgCertState(await pinnedRoot(), { orgCert: fromBase64url(org.orgCert), orgRevocation: b64OrNull(org.orgRevocation) });
  for (const line of [...describeOrgCert(state, now), ...orgCertWarnings(state, now)]) out(line);
  const list = parseRevocationList(fromBase64url(org.revocationList)).value;
  out(`Revocation list issued ${new Date(list.issuedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC (${Math.floor((now - list.issuedAt) / 3_600_000)} h ago; clients refuse it after 48 h), ${list.serials.length} serial(s).`);
  if (await holdsDemoOrgKey(store)) return;
  const invitations = createInvitations({ records: store.records, clock: systemClock, random: systemRandom });
  const orgId = orgIdOf(args);
  const view = await createOrgPending({ store, directory, invitations, clock: systemClock }).view(orgId);
  const waiting = view.enrolments.length + view.changes.length + view.deactivations.length + view.renewals.length + view.teamKeys.length + (view.revocationList.due ? 1 : 0);
  out(waiting === 0 ? 'Nothing awaits the organisation key.' : `${waiting} item(s) await the organisation key: npm run org -- sign${orgId === DEFAULT_ORG ? '' : ` --org ${orgId}`}`);
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  await loadSodium();
  await loadSumoSodium();
  if (command === 'init') return init(flag(args, 'out') ?? 'org-keys');
  if (command === 'renew-org-cert' || command === 'revoke-org') return rootOperation(command === 'renew-org-cert' ? 'renew' : 'revoke', args);
  if (command === 'add-org') return addOrg(args);
  const online = ['import', 'invite', 'sign', 'certify', 'ledger', 'status', 'publish-org'];
  if (command === undefined || !online.includes(command)) {
    out('usage: org init --out DIR | import FILE [--org ID] | invite --name N --teams a,b [--roles r,a] [--create-teams] [--org ID] | sign [--ledger FILE] [--adopt] [--org ID] | ledger [--ledger FILE] [--org ID] | status [--org ID]');
    out('       root key holders: add-org --org ID --name NAME [--out DIR] [--days 90] [--root-key FILE] | renew-org-cert [--bundle FILE] [--days 90] [--root-key FILE] [--org ID] | revoke-org [same] | publish-org FILE [--org ID]');
    process.exitCode = 2;
    return;
  }
  const store = await openStore();
  try {
    if (command === 'import') await importBundle(args[0] !== undefined && !args[0].startsWith('--') ? args[0] : 'org-keys/org-bundle.json', args, store);
    else if (command === 'invite') await invite(args, store);
    else if (command === 'ledger') await showLedger(args, store);
    else if (command === 'status') await status(args, store);
    else if (command === 'publish-org') await publishOrg(args, store);
    else await sign(args, store);
  } finally {
    prompt.close();
    await store.close();
  }
}

main().finally(() => prompt.close()).catch((error: unknown) => {
  process.stderr.write(`org: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof RootToolRefusal) process.exit(3);
  process.exit(1);
});
