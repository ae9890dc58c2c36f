// Every organisation of a region is a first-class signer (issue 17): the root key holders certify a
// second and third organisation with the real `npm run org -- add-org` (offline, a certificate naming
// the organisation), each organisation's admin imports its bundle, invites its first admin and signs
// its own staff and team keys with `sign --org ID`. Real redis-server, real spawned CLI, a real server.
//   - each organisation's list and signature hold its own staff only; the first organisation's `sign`
//     stays as it was (nothing of the others on it);
//   - an admin of one organisation gets nothing signed under another's key: other teams are unknown to
//     its invitations and changes, and its enrolments never reach the other's `sign`;
//   - the server cannot pass one organisation's key and certificate off as another's: the CLI refuses a
//     certificate the root made for another organisation, and the server refuses an upload signed by
//     another organisation's key;
//   - what the clients verify chains to the pinned root through the organisation the root named.
// Each assertion fails without its check (the org filter of org-pending's view, assertSignerOrg, the
// organisation argument of org-validate).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as crypto from '../../crypto/index.js';
import { unlockOrgKey } from '../../crypto/org-admin.js';
import { deriveLoginKeys, wrapPrivateKeys } from '../../crypto/password.js';
import { createWidgetApi } from '../../client/widget/state/api.js';
import { verifiedTeam } from '../../client/widget/state/conversation.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { createOrgPending } from '../../server/directory/org-pending.js';
import { createOrganisations } from '../../server/directory/organisations.js';
import { createInvitations } from '../../server/enrolment/invitations.js';
import { DEFAULT_KDF } from '../../server/routes/responder.js';
import { createStaffAdmin } from '../../server/staff/staff-admin.js';
import type { OrgId, ResponderId, TeamId } from '../../server/store/ports.js';
import { runOrgCli, startRealOrgServer, type RealOrg } from '../e2e/console/real-org.js';

let org: RealOrg;
let dir: string;
/** One passphrase for both new organisation keys: the region's IT admin set both up (what makes the substitution tempting). */
const PASSPHRASE = 'regionens gemensamma lösenfras för nycklar';

const cli = (args: string[], input = 'yes\n') =>
  runOrgCli(args, input, { REDIS_URL: org.redis.url, ROOT_PUBLIC_KEY: org.rootPublicKey, ORG_PASSPHRASE: PASSPHRASE, ROOT_PASSPHRASE: org.rootPassphrase, ROOT_KEY_FILE: org.rootKeyFile });
const ledgerOf = (id: string) => join(dir, id, 'ledger.json');
const signAs = (id: string) => cli(['sign', '--org', id, '--ledger', ledgerOf(id)]);

/** A responder's browser at enrolment: keys made and wrapped here, the public ones sent. */
async function enrol(token: string, login: string): Promise<{ authKey: Uint8Array; fingerprint: string }> {
  const password = `pw-${login}-lång-nog`;
  const salt = systemRandom(16);
  const derived = deriveLoginKeys(password, salt, DEFAULT_KDF);
  const sign = crypto.generateSigningKeyPair();
  const box = crypto.generateBoxKeyPair();
  const body = {
    login,
    salt: crypto.toBase64url(salt),
    ...DEFAULT_KDF,
    authKey: crypto.toBase64url(derived.authKey),
    signPublicKey: crypto.toBase64url(sign.publicKey),
    boxPublicKey: crypto.toBase64url(box.publicKey),
    wrappedKeys: crypto.toBase64url(wrapPrivateKeys(derived.wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey })),
  };
  const res = await fetch(`${org.url}/api/v1/enrol/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`enrol ${res.status}: ${await res.text()}`);
  return { authKey: derived.authKey, fingerprint: ((await res.json()) as { fingerprint: string }).fingerprint };
}

/** `invite` through the CLI; the token from the printed link. */
async function invite(orgId: string, name: string, teams: string, roles = 'responder,admin'): Promise<string> {
  const run = await cli(['invite', '--org', orgId, '--name', name, '--teams', teams, '--roles', roles, '--create-teams']);
  expect(run.stderr).toBe('');
  const token = /#enrol=([A-Za-z0-9_-]+)/.exec(run.stdout)?.[1];
  expect(token).toBeDefined();
  return token!;
}

const anchorOf = async (orgId: string) => {
  const bundle = (await org.directory.getOrg(orgId as OrgId))!;
  return crypto.createTrustAnchor({
    rootPublicKey: crypto.fromBase64url(org.rootPublicKey) as crypto.Ed25519PublicKey,
    orgCert: crypto.fromBase64url(bundle.orgCert),
    revocationList: crypto.fromBase64url(bundle.revocationList),
    now: new Date(),
  });
};
const certOf = async (id: string) => (await org.directory.getResponderKeys(id as ResponderId))?.cert ?? '';
const verifies = async (orgId: string, cert: string) => {
  try {
    return crypto.verifyResponderCert(await anchorOf(orgId), crypto.fromBase64url(cert), { now: new Date() }).id;
  } catch {
    return null;
  }
};

let hanna: { id: string; authKey: Uint8Array };

beforeAll(async () => {
  org = await startRealOrgServer();
  dir = await mkdtemp(join(tmpdir(), 'utvag-region-keys-'));
}, 60_000);
afterAll(async () => {
  await org?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('every organisation of a region signs with its own key (real Redis, real CLI)', () => {
  it('the root certifies a second and third organisation offline; each imports its bundle under the organisation the root named', { timeout: 120_000 }, async () => {
    for (const [id, name] of [['huddinge', 'Huddinge kommun'], ['botkyrka', 'Botkyrka kommun']] as const) {
      const made = await cli(['add-org', '--org', id, '--name', name, '--out', join(dir, id)]);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      expect(made.stdout).toContain(`Organisation ${name} (${id})`);
      // An import naming another organisation than the root's certificate is refused.
      const wrong = await cli(['import', join(dir, id, 'org-bundle.json'), '--org', id === 'huddinge' ? 'botkyrka' : 'huddinge']);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain(`certificate for ${id}`);
      const imported = await cli(['import', join(dir, id, 'org-bundle.json')]);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toContain(`Imported organisation ${id}`);
      expect((await anchorOf(id)).org.organisation).toEqual({ id, name });
      expect((await createOrganisations(org.store.records).get(id as OrgId))?.name).toBe(name);
    }
    // One root, three organisation keys; the first organisation's certificate is as it was (version 1).
    expect((await anchorOf('main')).org.organisation ?? null).toBeNull();
    const keys = await Promise.all(['main', 'huddinge', 'botkyrka'].map(async (id) => crypto.toBase64url((await anchorOf(id)).org.publicKey)));
    expect(new Set(keys).size).toBe(3);
    // `add-org` refuses the first organisation's id and a second key for the same organisation.
    expect((await cli(['add-org', '--org', 'main', '--name', 'X', '--out', join(dir, 'x')])).code).not.toBe(0);
    expect((await cli(['add-org', '--org', 'huddinge', '--name', 'Huddinge kommun', '--out', join(dir, 'huddinge')])).stderr).toContain('one key per organisation');
  });

  it('each organisation’s admin invites, and signs only its own enrolments with its own key; the first organisation’s sign is unchanged', { timeout: 180_000 }, async () => {
    const hannaToken = await invite('huddinge', 'Hanna Huddinge', 'huddinge-unga');
    const boToken = await invite('botkyrka', 'Bo Botkyrka', 'botkyrka-unga');
    // A team of another organisation is not the CLI's to staff for this one.
    const cross = await cli(['invite', '--org', 'botkyrka', '--name', 'X', '--teams', 'huddinge-unga']);
    expect(cross.stderr).toContain('belongs to another organisation');
    const h = await enrol(hannaToken, 'hanna');
    const b = await enrol(boToken, 'bosse');

    // The first organisation's signer sees neither.
    const first = await org.runOrg(['sign'], 'yes\n');
    expect(first.stdout).not.toContain('Hanna');
    expect(first.stdout).not.toContain('Bo Botkyrka');

    const signed = await signAs('huddinge');
    expect(signed.stderr).toBe('');
    expect(signed.stdout).toContain(`Certify Hanna Huddinge (login hanna)`);
    expect(signed.stdout).toContain(h.fingerprint);
    expect(signed.stdout).not.toContain('Bo Botkyrka');
    const hannaId = (await org.store.staff.findResponderByLogin('hanna'))!.id;
    const boId = (await org.store.staff.findResponderByLogin('bosse'))!.id;
    expect(await verifies('huddinge', await certOf(hannaId))).toBe(hannaId);
    expect(await verifies('botkyrka', await certOf(hannaId))).toBeNull();
    expect(await verifies('main', await certOf(hannaId))).toBeNull();
    expect(await org.directory.getResponderKeys(boId)).toBeNull();
    // Huddinge's team key: signed by Huddinge's key, sealed to Hanna.
    const team = (await org.directory.currentTeamKey('huddinge-unga' as TeamId))!;
    expect(crypto.verifyTeamCert(await anchorOf('huddinge'), crypto.fromBase64url(team.cert), { now: new Date(), team: 'huddinge-unga' }).team).toBe('huddinge-unga');
    expect(Object.keys(team.deliveries)).toEqual([hannaId]);

    const bo = await signAs('botkyrka');
    expect(bo.stdout).toContain('Certify Bo Botkyrka (login bosse)');
    expect(bo.stdout).toContain(b.fingerprint);
    expect(await verifies('botkyrka', await certOf(boId))).toBe(boId);
    // Each organisation's ledger holds its own: the server's copy under its own id too.
    expect((await org.store.records.get('org-ledger', 'org:huddinge')) !== null).toBe(true);
    const ledger = await cli(['ledger', '--org', 'huddinge', '--ledger', ledgerOf('huddinge')]);
    expect(ledger.stdout).toContain(hannaId);
    expect(ledger.stdout).not.toContain(boId);
    hanna = { id: hannaId, authKey: h.authKey };
  });

  it('an admin of one organisation gets nothing signed under another’s key', { timeout: 180_000 }, async () => {
    const api = createResponderApi({ baseUrl: org.url, fetch, cookies: createCookieJar() });
    await api.login('hanna', hanna.authKey);
    const boId = (await org.store.staff.findResponderByLogin('bosse'))!.id;
    const status = async (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status ?? 0);
    // Botkyrka's teams and staff do not exist for Huddinge's admin.
    expect(await status(api.call('POST', '/api/v1/admin/invitations', { displayName: 'Smuggel', teams: ['botkyrka-unga'], roles: ['responder'] }))).toBe(400);
    expect(await status(api.call('PUT', `/api/v1/admin/staff/${boId}`, { teams: ['huddinge-unga'], roles: ['responder'] }))).toBe(404);
    expect(await status(api.call('PUT', `/api/v1/admin/staff/${hanna.id}`, { teams: ['huddinge-unga', 'botkyrka-unga'], roles: ['responder', 'admin'] }))).toBe(400);
    // Her own organisation's list: hers to see (the console's "Väntar på signering"), nothing of Botkyrka's.
    const made = await api.call<{ path: string }>('POST', '/api/v1/admin/invitations', { displayName: 'Hugo Huddinge', teams: ['huddinge-unga'], roles: ['responder'] });
    await enrol(/#enrol=(.+)$/.exec(made.path)![1]!, 'hugo');
    const pending = await api.call<{ enrolments: Array<{ displayName: string }>; teamKeys: Array<{ team: string }>; organisation: unknown }>('GET', '/api/v1/admin/org/pending');
    expect(pending.enrolments.map((e) => e.displayName)).toEqual(['Hugo Huddinge']);
    expect(pending.organisation).toEqual({ id: 'huddinge', name: 'Huddinge kommun' });
    expect(pending.teamKeys.map((k) => k.team)).not.toContain('botkyrka-unga');

    // Botkyrka's key never sees Huddinge's enrolment; the first organisation's neither.
    const bo = await signAs('botkyrka');
    expect(bo.stdout).not.toContain('Hugo');
    const first = await org.runOrg(['sign'], 'yes\n');
    expect(first.stdout).not.toContain('Hugo');
    const hugoId = (await org.store.staff.findResponderByLogin('hugo'))!.id;
    expect(await org.directory.getResponderKeys(hugoId)).toBeNull();
    const view = await createOrgPending({ store: org.store, directory: org.directory, invitations: createInvitations({ records: org.store.records, clock: systemClock, random: systemRandom }), clock: systemClock }).view('botkyrka' as OrgId);
    expect(view.enrolments).toEqual([]);
    // Huddinge's own key signs it.
    const signed = await signAs('huddinge');
    expect(signed.stdout).toContain('Certify Hugo Huddinge');
    expect(await verifies('huddinge', await certOf(hugoId))).toBe(hugoId);
  });

  it('the server cannot pass one organisation’s key and certificate off as another’s', { timeout: 180_000 }, async () => {
    const huddinge = (await org.directory.getOrg('huddinge' as OrgId))!;
    const huddingeKey = (await org.directory.getSealedOrgKey('huddinge' as OrgId))!;
    const botkyrka = (await org.directory.getOrg('botkyrka' as OrgId))!;
    const botkyrkaKey = (await org.directory.getSealedOrgKey('botkyrka' as OrgId))!;
    const api = createResponderApi({ baseUrl: org.url, fetch, cookies: createCookieJar() });
    await api.login('hanna', hanna.authKey);
    const made = await api.call<{ path: string }>('POST', '/api/v1/admin/invitations', { displayName: 'Hedda Huddinge', teams: ['huddinge-unga'], roles: ['responder'] });
    await enrol(/#enrol=(.+)$/.exec(made.path)![1]!, 'hedda');
    const heddaId = (await org.store.staff.findResponderByLogin('hedda'))!.id;

    // 1. The CLI: Botkyrka's sealed key and certificate under Huddinge's records. The passphrase opens it,
    //    and the certificate is the root's — for Botkyrka: nothing is signed for Huddinge with it.
    await org.directory.putOrg(botkyrka, 'huddinge' as OrgId);
    await org.directory.putSealedOrgKey(botkyrkaKey, 'huddinge' as OrgId);
    const run = await cli(['sign', '--org', 'huddinge', '--ledger', join(dir, 'empty', 'ledger.json')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('certificate for botkyrka');
    expect(await org.directory.getResponderKeys(heddaId)).toBeNull();
    await org.directory.putOrg(huddinge, 'huddinge' as OrgId);
    await org.directory.putSealedOrgKey(huddingeKey, 'huddinge' as OrgId);

    // 2. The server's own check of uploads: a revocation list or team key signed by Botkyrka's key does
    //    not replace Huddinge's (it must chain to Huddinge's certificate), and Botkyrka's signature
    //    names no Huddinge team.
    const signer = await unlockOrgKey({
      sealed: { salt: crypto.fromBase64url(botkyrkaKey.salt), opslimit: botkyrkaKey.opslimit, memlimit: botkyrkaKey.memlimit, sealed: crypto.fromBase64url(botkyrkaKey.sealed) },
      passphrase: PASSPHRASE,
      derive: async (p, salt, params) => deriveLoginKeys(p, salt, params),
      rootPublicKey: crypto.fromBase64url(org.rootPublicKey) as crypto.Ed25519PublicKey,
      orgCert: crypto.fromBase64url(botkyrka.orgCert),
      now: new Date(),
    });
    const invitations = createInvitations({ records: org.store.records, clock: systemClock, random: systemRandom });
    const pending = createOrgPending({ store: org.store, directory: org.directory, invitations, clock: systemClock });
    const staff = createStaffAdmin({ store: org.store, directory: org.directory, clock: systemClock, random: systemRandom, conversations: undefined as never, rootPublicKey: org.rootPublicKey, disconnect: async () => undefined, demo: false, pending });
    const list = crypto.toBase64url(crypto.issueRevocationList(signer.keyPair.secretKey, { issuedAt: Date.now(), serials: [] }));
    const refused = async (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code ?? String(e));
    expect(await refused(staff.renew({ revocationList: list, teamKeys: [] }, 'huddinge' as OrgId))).toBe('invalid_request');
    expect((await org.directory.getOrg('huddinge' as OrgId))!.revocationList).toBe(huddinge.revocationList);
    const inbox = crypto.generateBoxKeyPair();
    const teamCert = crypto.issueTeamCert(signer.keyPair.secretKey, { serial: 77_777, team: 'huddinge-unga', epoch: 99, boxPublicKey: inbox.publicKey, notBefore: Date.now() - 60_000, expires: Date.now() + 86_400_000 });
    const upload = { team: 'huddinge-unga', epoch: ((await org.directory.currentTeamKey('huddinge-unga' as TeamId))?.epoch ?? 0) + 1, cert: crypto.toBase64url(teamCert), deliveries: {} };
    expect(await refused(staff.renew({ revocationList: list, teamKeys: [upload] }, 'botkyrka' as OrgId))).toBe('invalid_request');
    expect((await org.directory.currentTeamKey('huddinge-unga' as TeamId))!.cert).not.toBe(upload.cert);
    // Botkyrka's own list goes through (the check is by organisation, not a refusal of everything).
    expect(await refused(staff.renew({ revocationList: list, teamKeys: [] }, 'botkyrka' as OrgId))).toBe('accepted');
    signer.keyPair.secretKey.fill(0);
  });

  it('the clients verify each organisation’s team and responders through the organisation the root named', { timeout: 60_000 }, async () => {
    const widget = { api: createWidgetApi(org.url, fetch), crypto, rootPublicKey: org.rootPublicKey };
    expect((await verifiedTeam(widget, 'huddinge-unga')).anchor.org.organisation).toEqual({ id: 'huddinge', name: 'Huddinge kommun' });
    // Hanna's console: her own organisation's certificate, her certificate under it, her own team's key.
    const api = createResponderApi({ baseUrl: org.url, fetch, cookies: createCookieJar() });
    await api.login('hanna', hanna.authKey);
    const keys = await api.call<{ orgCert: string; revocationList: string; cert: string; inbox: Array<{ team: string }> }>('GET', '/api/v1/responder/keys');
    const anchor = crypto.createTrustAnchor({ rootPublicKey: crypto.fromBase64url(org.rootPublicKey) as crypto.Ed25519PublicKey, orgCert: crypto.fromBase64url(keys.orgCert), revocationList: crypto.fromBase64url(keys.revocationList), now: new Date() });
    expect(anchor.org.organisation?.id).toBe('huddinge');
    expect(crypto.verifyResponderCert(anchor, crypto.fromBase64url(keys.cert), { now: new Date(), team: 'huddinge-unga', role: 'admin' }).id).toBe(hanna.id);
    expect(new Set(keys.inbox.map((i) => i.team))).toEqual(new Set(['huddinge-unga']));
    // Served with Botkyrka's certificate instead, the team does not verify.
    const huddinge = (await org.directory.getOrg('huddinge' as OrgId))!;
    await org.directory.putOrg((await org.directory.getOrg('botkyrka' as OrgId))!, 'huddinge' as OrgId);
    await expect(verifiedTeam(widget, 'huddinge-unga')).rejects.toMatchObject({ code: 'UntrustedKey' });
    await org.directory.putOrg(huddinge, 'huddinge' as OrgId);
  });
});
