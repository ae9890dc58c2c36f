// The demo organisation's keys, made and kept by the server. Only for the demo: in a real
// organisation the root key is made offline and the organisation key never leaves an admin's
// browser (see deploy/RUNBOOK.md). A demo region keeps one root and one organisation key per
// organisation (the first one's certificate names no organisation, as before regions).
import {
  generateBoxKeyPair,
  generateSigningKeyPair,
  issueOrgCert,
  issueResponderCert,
  issueRevocationList,
  parseOrgCert,
  issueTeamCert,
  parseResponderCert,
  parseRevocationList,
  parseTeamCert,
  sealTeamInboxKey,
  fromBase64url,
  toBase64url,
  type Ed25519SecretKey,
  type Random,
} from '../../crypto/index.js';
import { wrapPrivateKeys } from '../../crypto/password.js';
import type { Clock } from '../clock.js';
import type { OrgId, ResponderRecord, Store, TeamId } from '../store/ports.js';
import type { Directory, TeamKeyRecord } from './directory.js';
import { DEFAULT_ORG, createOrganisations, orgOf, orgRecordId } from './organisations.js';

const DAY = 86_400_000;
const ORG_SECRET = 'demo-org-signing-key';
const SERIALS = 'directory-serials';

export interface DemoOrgDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly random: Random;
}

/** The next certificate serial the demo organisation issues. */
export async function nextSerial(store: Store): Promise<number> {
  const current = Number((await store.records.get(SERIALS, 'next')) ?? '1');
  await store.records.put(SERIALS, 'next', String(current + 1));
  return current;
}

/** A demo organisation's signing key (the first one by default), or null when this server holds none (a real organisation). */
export async function orgSecret(store: Store, org: OrgId = DEFAULT_ORG): Promise<Ed25519SecretKey | null> {
  const stored = await store.records.get(ORG_SECRET, orgRecordId(org));
  return stored === null ? null : (fromBase64url(stored) as Ed25519SecretKey);
}

/** A demo organisation to create: its id and the name its certificate shows visitors. */
export interface DemoOrganisation {
  readonly id: OrgId;
  readonly name: string;
}

/**
 * Creates the demo organisation's key, certified by the demo root (made first if missing), and a
 * fresh revocation list unless they exist; returns the root public key (base64url) the demo pages
 * pin. Without `organisation`: the deployment's first organisation, whose certificate names none
 * (version 1, as before regions); with one: a certificate naming it, and its registry record.
 */
export async function ensureDemoOrg(deps: DemoOrgDeps, organisation: DemoOrganisation | null = null): Promise<string> {
  const { store, directory, clock, random } = deps;
  const id = organisation?.id ?? DEFAULT_ORG;
  if (organisation !== null) {
    const registry = createOrganisations(store.records);
    const known = await registry.get(id);
    await registry.put({ id, name: organisation.name, acceptsOverflowFrom: known?.acceptsOverflowFrom ?? [], asksOverflowTo: known?.asksOverflowTo ?? [] });
  }
  const existing = await directory.getOrg(id);
  const secret = await orgSecret(store, id);
  if (existing !== null && secret !== null) return existing.rootPublicKey;
  const now = clock.now();
  // The demo keeps its root, to certify each organisation and renew their certificates (≤ 90 days).
  const storedRoot = await store.records.get(ORG_SECRET, 'root');
  const rootSecret = storedRoot === null ? generateSigningKeyPair(random).secretKey : (fromBase64url(storedRoot) as Ed25519SecretKey);
  if (storedRoot === null) await store.records.put(ORG_SECRET, 'root', toBase64url(rootSecret));
  const org = generateSigningKeyPair(random);
  const orgCert = issueOrgCert(rootSecret, {
    serial: await nextSerial(store),
    organisation: organisation === null ? null : { id: organisation.id, name: organisation.name },
    publicKey: org.publicKey,
    notBefore: now - 60_000,
    expires: now - 60_000 + 90 * DAY,
  });
  await store.records.put(ORG_SECRET, orgRecordId(id), toBase64url(org.secretKey));
  // An Ed25519 secret key is seed ‖ public key.
  const rootPublicKey = toBase64url(rootSecret.slice(32));
  rootSecret.fill(0);
  await directory.putOrg(
    {
      rootPublicKey,
      orgCert: toBase64url(orgCert),
      revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: now, serials: [] })),
    },
    id,
  );
  return rootPublicKey;
}

/** The organisations whose keys this demo server holds (the first one, when it has a key, then the registered ones). */
async function demoOrgs(store: Store): Promise<Array<{ id: OrgId; secret: Ed25519SecretKey }>> {
  const ids = [DEFAULT_ORG, ...(await createOrganisations(store.records).list()).map((o) => o.id).filter((o) => o !== DEFAULT_ORG)];
  const out: Array<{ id: OrgId; secret: Ed25519SecretKey }> = [];
  for (const id of ids) {
    const secret = await orgSecret(store, id);
    if (secret !== null) out.push({ id, secret });
  }
  return out;
}

/**
 * Keeps the demo organisation valid: a revocation list younger than 24 h, responder certificates with
 * more than 7 days left, and team inbox keys (a new epoch, sealed to every member with keys) with
 * more than 2 days left. Run at start and hourly.
 */
export async function refreshDemoOrg(deps: DemoOrgDeps): Promise<void> {
  const { store, directory, clock } = deps;
  const orgs = await demoOrgs(store);
  const secrets = new Map(orgs.map((o) => [o.id, o.secret]));
  const now = clock.now();
  for (const { id, secret } of orgs) {
    let org = await directory.getOrg(id);
    if (org === null) continue;
    const orgCert = parseOrgCert(fromBase64url(org.orgCert)).value;
    const rootSecret = await store.records.get(ORG_SECRET, 'root');
    if (orgCert.expires - now < 30 * DAY && rootSecret !== null) {
      const renewed = issueOrgCert(fromBase64url(rootSecret) as Ed25519SecretKey, { ...orgCert, serial: await nextSerial(store), notBefore: now - 60_000, expires: now - 60_000 + 90 * DAY });
      org = { ...org, orgCert: toBase64url(renewed) };
      await directory.putOrg(org, id);
    }
    const revocations = parseRevocationList(fromBase64url(org.revocationList)).value;
    if (now - revocations.issuedAt > DAY) {
      await directory.putOrg({ ...org, revocationList: toBase64url(issueRevocationList(secret, { issuedAt: now, entries: revocations.entries })) }, id);
    }
  }

  const keyed = new Map<string, { record: ResponderRecord; boxPublicKey: Uint8Array }>();
  for (const keys of await directory.listResponderKeys()) {
    const responder = await store.staff.getResponder(keys.responder as ResponderRecord['id']);
    if (responder === null || !responder.active) continue;
    const secret = secrets.get(orgOf(responder));
    if (secret === undefined) continue;
    const cert = parseResponderCert(fromBase64url(keys.cert)).value;
    if (cert.expires - now < 7 * DAY) {
      const renewed = issueResponderCert(secret, { ...cert, serial: await nextSerial(store), notBefore: now - 60_000, expires: now - 60_000 + 30 * DAY });
      await directory.putResponderKeys({ ...keys, cert: toBase64url(renewed) });
    }
    keyed.set(responder.id, { record: responder, boxPublicKey: cert.boxPublicKey });
  }

  for (const team of await store.staff.listTeams()) {
    const secret = secrets.get(orgOf(team));
    if (secret === undefined) continue;
    const current = await directory.currentTeamKey(team.id);
    // Only the team's own organisation's staff get its inbox key.
    const members = [...keyed.values()].filter((m) => m.record.teams.includes(team.id) && orgOf(m.record) === orgOf(team));
    const missing = current !== null && members.some((m) => current.deliveries[m.record.id] === undefined);
    if (current !== null && !missing && parseTeamCert(fromBase64url(current.cert)).value.expires - now > 2 * DAY) continue;
    await rotateTeamKey(deps, secret, team.id, (current?.epoch ?? 0) + 1, members.map((m) => ({ id: m.record.id, boxPublicKey: m.boxPublicKey })));
  }
}

/** A new inbox key pair for `team`, certified and sealed to each member, stored as the current epoch. */
async function rotateTeamKey(
  deps: DemoOrgDeps,
  secret: Ed25519SecretKey,
  team: TeamId,
  epoch: number,
  members: Array<{ id: string; boxPublicKey: Uint8Array }>,
): Promise<void> {
  await deps.directory.putTeamKey(await issueDemoTeamKey(deps, secret, team, epoch, members));
}

/** A new inbox key pair for `team`, certified and sealed to each member; the secret is then dropped. */
export async function issueDemoTeamKey(
  deps: DemoOrgDeps,
  secret: Ed25519SecretKey,
  team: TeamId,
  epoch: number,
  members: Array<{ id: string; boxPublicKey: Uint8Array }>,
): Promise<TeamKeyRecord> {
  const now = deps.clock.now();
  const inbox = generateBoxKeyPair(deps.random);
  const cert = issueTeamCert(secret, { serial: await nextSerial(deps.store), team, epoch, boxPublicKey: inbox.publicKey, notBefore: now - 60_000, expires: now - 60_000 + 7 * DAY });
  const deliveries: Record<string, string> = {};
  for (const m of members) {
    deliveries[m.id] = toBase64url(sealTeamInboxKey({ team, epoch, secretKey: inbox.secretKey }, m.boxPublicKey as never));
  }
  inbox.secretKey.fill(0);
  return { team, epoch, cert: toBase64url(cert), deliveries, createdAt: now };
}

/**
 * Gives a demo responder identity keys: generated here (in a real organisation the responder's
 * browser makes them at enrolment), wrapped under the wrap key derived from its password, certified.
 */
export async function enrolDemoResponder(deps: DemoOrgDeps, responder: ResponderRecord, wrapKey: Uint8Array): Promise<void> {
  const sign = generateSigningKeyPair(deps.random);
  const box = generateBoxKeyPair(deps.random);
  const wrappedKeys = wrapPrivateKeys(wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey }, deps.random);
  sign.secretKey.fill(0);
  box.secretKey.fill(0);
  await certifyDemoResponder(deps, responder, { signPublicKey: sign.publicKey, boxPublicKey: box.publicKey, wrappedKeys: toBase64url(wrappedKeys) });
}

/** Whether this server holds the demo organisation key (it may then certify enrolled responders itself). */
export async function holdsDemoOrgKey(store: Store): Promise<boolean> {
  return (await demoOrgs(store)).length > 0;
}

/**
 * Certifies public keys a responder's browser generated at enrolment (demo only: a real organisation
 * certifies in an admin's browser). Stores the certificate with the wrapped keys, then seals the team
 * inbox keys to the new member (refreshDemoOrg).
 */
export async function certifyDemoResponder(
  deps: DemoOrgDeps,
  responder: ResponderRecord,
  keys: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array; wrappedKeys: string },
): Promise<void> {
  const secret = await orgSecret(deps.store, orgOf(responder));
  if (secret === null) throw new Error('demo organisation missing');
  const now = deps.clock.now();
  const cert = issueResponderCert(secret, {
    serial: await nextSerial(deps.store),
    id: responder.id,
    displayName: responder.displayName,
    teams: [...responder.teams],
    roles: [...responder.roles],
    signPublicKey: keys.signPublicKey as never,
    boxPublicKey: keys.boxPublicKey as never,
    notBefore: now - 60_000,
    expires: now - 60_000 + 30 * DAY,
  });
  await deps.directory.putResponderKeys({ responder: responder.id, cert: toBase64url(cert), wrappedKeys: keys.wrappedKeys });
  await refreshDemoOrg(deps);
}
