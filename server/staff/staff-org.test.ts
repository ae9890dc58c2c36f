// A real organisation (the server holds no organisation key, and no page it serves ever opens it): the
// console records changes and stops a deactivated account at once; `npm run org sign` (a spawned CLI,
// piped answers) unlocks the passphrase-sealed key, lists what it will sign with the fingerprints,
// asks once, signs certification, re-certification, deactivation and renewals; the server checks
// every upload before storing it (uploads crafted with the same crypto are refused when they do not
// fit), and a callback sealed after a deactivation opens for the remaining member only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import {
  CryptoErrorCode,
  boxKeyPairFromSecret,
  createCallbackRequest,
  createTrustAnchor,
  fromBase64url,
  generateBoxKeyPair,
  generateSigningKeyPair,
  isCryptoError,
  issueRevocationList,
  keyFingerprint,
  openCallbackRequest,
  openTeamInboxKey,
  parseResponderCert,
  parseRevocationList,
  toBase64url,
  verifyTeamCert,
  type Ed25519PublicKey,
  type TeamInboxKey,
} from '../../crypto/index.js';
import { indexLedger } from '../../crypto/ledger.js';
import { checkIssuedCert, issueRevocations, renewCert, rotateTeamKey, unlockOrgKey, wipeOrgSigner, type OrgSigner } from '../../crypto/org-admin.js';
import { deriveLoginKeys, unwrapPrivateKeys, wrapPrivateKeys } from '../../crypto/password.js';
import { startRealOrgServer, type RealOrg } from '../../test/e2e/console/real-org.js';
import type { TestResponder } from '../../test/e2e/console/support.js';
import { systemClock, systemRandom } from '../clock.js';
import { createInvitations } from '../enrolment/invitations.js';
import { ApiError } from '../errors.js';
import type { TeamId } from '../store/ports.js';
import { createOrgPending } from '../directory/org-pending.js';
import { createStaffAdmin } from './staff-admin.js';

let org: RealOrg;
beforeAll(async () => {
  org = await startRealOrgServer();
}, 60_000);
afterAll(async () => {
  await org?.stop();
});

const codeOf = (p: Promise<unknown> | (() => unknown)) =>
  (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError || e instanceof ApiError ? e.code : isCryptoError(e) ? e.code : String(e)),
  );
const derive = async (password: string, salt: Uint8Array, params: { opslimit: number; memlimit: number }) => deriveLoginKeys(password, salt, params);

async function login(r: TestResponder) {
  const api = createResponderApi({ baseUrl: org.url, cookies: createCookieJar() });
  await api.login(r.login, r.authKey);
  return api;
}

/** The organisation key opened as the signing tool opens it (the test plays an admin crafting uploads). */
async function unlock(passphrase = org.passphrase, root = fromBase64url(org.rootPublicKey)): Promise<OrgSigner> {
  const sealed = await org.directory.getSealedOrgKey();
  const bundle = await org.directory.getOrg();
  return unlockOrgKey({
    sealed: { salt: fromBase64url(sealed?.salt ?? ''), opslimit: sealed?.opslimit ?? 0, memlimit: sealed?.memlimit ?? 0, sealed: fromBase64url(sealed?.sealed ?? '') },
    passphrase,
    derive,
    rootPublicKey: root as Ed25519PublicKey,
    orgCert: fromBase64url(bundle?.orgCert ?? ''),
    now: new Date(),
  });
}

/** The staff administration over the same store, as the signing tool builds it (the upload checks). */
function staffAdmin() {
  const invitations = createInvitations({ records: org.store.records, clock: systemClock, random: systemRandom });
  const pending = createOrgPending({ store: org.store, directory: org.directory, invitations, clock: systemClock });
  return createStaffAdmin({ store: org.store, directory: org.directory, clock: systemClock, random: systemRandom, conversations: undefined as never, rootPublicKey: org.rootPublicKey, disconnect: async () => undefined, demo: false, pending });
}

/** The inbox keys of `team` a responder can open, keyed by epoch, and its X25519 key pair. */
async function heldKeys(r: TestResponder, team: string) {
  const record = await org.store.staff.getResponder(r.id);
  const keys = await org.directory.getResponderKeys(r.id);
  const { wrapKey } = deriveLoginKeys(r.password, fromBase64url(record?.salt ?? ''), { opslimit: record?.opslimit ?? 0, memlimit: record?.memlimit ?? 0 });
  const box = boxKeyPairFromSecret(unwrapPrivateKeys(wrapKey, fromBase64url(keys?.wrappedKeys ?? '')).boxSecretKey);
  const anchor = await anchorNow();
  const inbox = new Map<number, TeamInboxKey>();
  for (const epoch of await org.directory.teamKeys(team as TeamId)) {
    const sealed = epoch.deliveries[r.id];
    if (sealed !== undefined) inbox.set(epoch.epoch, openTeamInboxKey(fromBase64url(sealed), box, verifyTeamCert(anchor, fromBase64url(epoch.cert), { now: new Date(), team })));
  }
  return { box, inbox };
}

async function anchorNow() {
  const bundle = await org.directory.getOrg();
  return createTrustAnchor({ rootPublicKey: fromBase64url(org.rootPublicKey) as Ed25519PublicKey, orgCert: fromBase64url(bundle?.orgCert ?? ''), revocationList: fromBase64url(bundle?.revocationList ?? ''), now: new Date() });
}

const serialOf = async (id: string) => parseResponderCert(fromBase64url((await org.directory.getResponderKeys(id as never))?.cert ?? '')).value.serial;

describe('staff administration in a real organisation (signed with npm run org sign)', () => {
  it('certifies, re-certifies and deactivates through the signing tool; the server checks every upload', { timeout: 120_000 }, async () => {
    const admin = await org.addResponder('admin', ['unga'], ['responder', 'admin']);
    const leaver = await org.addResponder('lina', ['unga', 'foraldrar']);
    const stayer = await org.addResponder('sam', ['unga']);
    const adminApi = await login(admin);
    expect((await adminApi.call<{ org: { mode: string } }>('GET', '/api/v1/admin/staff')).org.mode).toBe('organisation');
    // The sealed key is never served to a page.
    expect(await codeOf(adminApi.call('GET', '/api/v1/admin/org/key'))).toBe('not_found');

    // The key opens only with the passphrase, and only if it is the organisation key the pinned root certified.
    expect(await codeOf(unlock('fel lösenfras för nyckeln'))).toBe(CryptoErrorCode.Tampered);
    expect(await codeOf(unlock(org.passphrase, generateSigningKeyPair().publicKey))).toBe(CryptoErrorCode.UntrustedKey);
    const badPhrase = await import('../../test/e2e/console/real-org.js').then((m) => m.runOrgCli(['sign'], 'yes\n', { REDIS_URL: org.redis.url, ROOT_PUBLIC_KEY: org.rootPublicKey, ORG_PASSPHRASE: 'fel lösenfras för nyckeln', ORG_LEDGER: org.ledgerFile }));
    expect(badPhrase.code).toBe(1);
    expect(badPhrase.stderr).toContain('Tampered');

    // Enrolment: the tool shows the fingerprint it computes from the keys; "no" signs nothing.
    const invite = await adminApi.call<{ token: string }>('POST', '/api/v1/admin/invitations', { displayName: 'Nora', teams: ['unga'], roles: ['responder'] });
    const sign = generateSigningKeyPair();
    const box = generateBoxKeyPair();
    const wrapKey = crypto.getRandomValues(new Uint8Array(32));
    const anon = createResponderApi({ baseUrl: org.url });
    const enrolled = await anon.call<{ responder: string; fingerprint: string }>('POST', `/api/v1/enrol/${invite.token}`, {
      login: 'nora',
      salt: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
      opslimit: 3,
      memlimit: 64 * 1024 * 1024,
      authKey: toBase64url(crypto.getRandomValues(new Uint8Array(32))),
      signPublicKey: toBase64url(sign.publicKey),
      boxPublicKey: toBase64url(box.publicKey),
      wrappedKeys: toBase64url(wrapPrivateKeys(wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey })),
    });
    // The console can no longer certify in a real organisation.
    const pendingRow = (await adminApi.call<{ items: Array<{ id: string; state: string }> }>('GET', '/api/v1/admin/invitations')).items.find((i) => i.state === 'enrolled');
    expect(await codeOf(adminApi.call('POST', `/api/v1/admin/invitations/${pendingRow?.id}/certify`, { fingerprint: enrolled.fingerprint }))).toBe('invalid_request');
    const awaiting = await adminApi.call<{ enrolments: Array<{ fingerprint: string }> }>('GET', '/api/v1/admin/org/pending');
    expect(awaiting.enrolments.map((e) => e.fingerprint)).toEqual([await keyFingerprint(sign.publicKey, box.publicKey)]);
    const declined = await org.runOrg(['sign'], 'no\n');
    expect(declined.stdout).toContain(`fingerprint ${await keyFingerprint(sign.publicKey, box.publicKey)}`);
    expect(declined.stdout).toContain('Nothing signed.');
    expect((await org.store.staff.getResponder(enrolled.responder as never))?.active).toBe(false);
    const certified = await org.runOrg(['sign'], 'yes\n');
    expect(certified.stdout).toContain('certified Nora');
    expect((await org.store.staff.getResponder(enrolled.responder as never))?.active).toBe(true);
    const unga = await org.directory.currentTeamKey('unga' as TeamId);
    expect(Object.keys(unga?.deliveries ?? {}).sort()).toEqual([admin.id, leaver.id, stayer.id, enrolled.responder].sort());
    const noraInbox = openTeamInboxKey(fromBase64url(unga?.deliveries[enrolled.responder] ?? ''), box, verifyTeamCert(await anchorNow(), fromBase64url(unga?.cert ?? ''), { now: new Date(), team: 'unga' }));
    expect(noraInbox.cert.epoch).toBe(unga?.epoch);

    // A role change: recorded (202), nothing changes until it is signed.
    const stayerSerial = await serialOf(stayer.id);
    expect(await adminApi.call<{ pending: boolean }>('PUT', `/api/v1/admin/staff/${stayer.id}`, { teams: ['unga'], roles: ['responder', 'supervisor'] })).toEqual({ pending: true });
    expect((await org.store.staff.getResponder(stayer.id))?.roles).toEqual(['responder']);
    // Uploads that do not fit are refused by the server: a list that keeps the old serial valid, a certificate for other roles.
    const signer = await unlock();
    const staff = staffAdmin();
    const index = indexLedger(await org.ledger());
    const used = new Set<number>(index.serials);
    const checked = checkIssuedCert(signer, index, fromBase64url((await org.directory.getResponderKeys(stayer.id))?.cert ?? ''), stayer.id);
    const update = renewCert(signer, checked, { teams: ['unga'], roles: ['responder', 'supervisor'] }, used, new Date());
    const keepsOld = issueRevocations(signer, await org.ledger(), fromBase64url((await org.directory.getOrg())?.revocationList ?? ''), [], new Date());
    expect(await codeOf(staff.update(admin.id, stayer.id, { teams: ['unga' as TeamId], roles: ['responder', 'supervisor'] }, { cert: toBase64url(update.value), revocationList: toBase64url(keepsOld.list), teamKeys: [] }))).toBe('invalid_request');
    const revoking = issueRevocations(signer, await org.ledger(), fromBase64url((await org.directory.getOrg())?.revocationList ?? ''), [stayerSerial], new Date());
    expect(await codeOf(staff.update(admin.id, stayer.id, { teams: ['unga' as TeamId], roles: ['responder', 'admin'] }, { cert: toBase64url(update.value), revocationList: toBase64url(revoking.list), teamKeys: [] }))).toBe('invalid_request');
    expect((await org.store.staff.getResponder(stayer.id))?.roles).toEqual(['responder']);
    const changed = await org.runOrg(['sign'], 'yes\n');
    expect(changed.stdout).toContain('re-certified Handläggare sam');
    expect((await org.store.staff.getResponder(stayer.id))?.roles).toEqual(['responder', 'supervisor']);
    expect(parseResponderCert(fromBase64url((await org.directory.getResponderKeys(stayer.id))?.cert ?? '')).value.roles).toEqual(['responder', 'supervisor']);
    expect((await anchorNow()).revocations.serials).toContain(stayerSerial);

    // Deactivation: the account stops at once (login refused); the revocation and rotation await signing.
    const leaverSerial = await serialOf(leaver.id);
    const leaverHeld = await heldKeys(leaver, 'unga');
    const leaverApi = await login(leaver);
    const result = await adminApi.call<{ rotated: string[]; pending: boolean }>('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, {});
    expect(result.pending).toBe(true);
    expect((await org.store.staff.getResponder(leaver.id))?.active).toBe(false);
    expect(await codeOf(leaverApi.call('GET', '/api/v1/responder/keys'))).toBe('unauthorized');
    expect((await adminApi.call<{ deactivations: Array<{ responder: string }> }>('GET', '/api/v1/admin/org/pending')).deactivations.map((d) => d.responder)).toEqual([leaver.id]);
    // An upload that still seals the new epoch to the leaver is refused…
    const latest = indexLedger(await org.ledger());
    const list = issueRevocations(signer, await org.ledger(), fromBase64url((await org.directory.getOrg())?.revocationList ?? ''), [leaverSerial], new Date());
    // Sealed under an anchor that still trusts the leaver (the tool itself refuses a revoked member).
    const lenient = issueRevocations(signer, await org.ledger(), fromBase64url((await org.directory.getOrg())?.revocationList ?? ''), [], new Date());
    const keysWithLeaver = [];
    for (const team of ['unga', 'foraldrar']) {
      const members = [];
      for (const r of await org.directory.listResponderKeys()) {
        const rec = await org.store.staff.getResponder(r.responder as never);
        if (rec?.teams.includes(team as TeamId) === true && (rec.active || rec.id === leaver.id)) members.push({ id: r.responder, cert: fromBase64url(r.cert) });
      }
      const epoch = ((await org.directory.currentTeamKey(team as TeamId))?.epoch ?? 0) + 1;
      const rotated = rotateTeamKey(signer, lenient.anchor, latest, { team, epoch, members }, used, new Date()).value;
      keysWithLeaver.push({ team, epoch, cert: toBase64url(rotated.cert), deliveries: Object.fromEntries([...rotated.deliveries].map(([id, s]) => [id, toBase64url(s)])) });
    }
    expect(await codeOf(staff.completeDeactivation(leaver.id, { revocationList: toBase64url(list.list), teamKeys: keysWithLeaver }))).toBe('invalid_request');
    expect(parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials).not.toContain(leaverSerial);
    wipeOrgSigner(signer);
    expect(signer.keyPair.secretKey.every((b) => b === 0)).toBe(true);
    // …the tool revokes the ledger's serial and rotates both of the leaver's teams.
    const done = await org.runOrg(['sign'], 'yes\n');
    expect(done.stdout).toContain('revoked Handläggare lina; inbox keys of unga, foraldrar rotated');
    expect(parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials).toEqual(expect.arrayContaining([leaverSerial, stayerSerial]));

    const current = await org.directory.currentTeamKey('unga' as TeamId);
    expect(Object.keys(current?.deliveries ?? {})).not.toContain(leaver.id);
    const teamCert = verifyTeamCert(await anchorNow(), fromBase64url(current?.cert ?? ''), { now: new Date(), team: 'unga' });
    for (const delivery of Object.values(current?.deliveries ?? {})) {
      expect(await codeOf(() => openTeamInboxKey(fromBase64url(delivery), leaverHeld.box, teamCert))).toBe(CryptoErrorCode.Tampered);
    }
    const callback = createCallbackRequest({ teamCert, callback: { phone: '08-123 456', timeWindow: 'förmiddag', language: 'sv', note: '', verificationWord: 'ekorre' } });
    for (const keyPair of [leaverHeld.box, ...[...leaverHeld.inbox.values()].map((k) => k.keyPair)]) {
      expect(await codeOf(() => openCallbackRequest(callback.wire, { cert: teamCert, keyPair }))).toBe(CryptoErrorCode.Tampered);
    }
    const stayerHeld = await heldKeys(stayer, 'unga');
    expect(openCallbackRequest(callback.wire, stayerHeld.inbox.get(current?.epoch ?? 0) as TeamInboxKey).callback.phone).toBe('08-123 456');
    expect((await adminApi.call<{ deactivations: unknown[]; changes: unknown[]; enrolments: unknown[] }>('GET', '/api/v1/admin/org/pending')).deactivations).toEqual([]);
  });

  it('renews the revocation list and inbox epochs with the tool; a list signed by another key is refused', { timeout: 60_000 }, async () => {
    const admin = await org.addResponder('rut', ['konsult'], ['responder', 'admin']);
    const before = await org.directory.currentTeamKey('konsult' as TeamId);
    // The current epoch no longer matches the members (say, a delivery lost): the tool makes a new one.
    await org.directory.putTeamKey({ ...(before as NonNullable<typeof before>), deliveries: {} });
    const adminApi = await login(admin);
    expect((await adminApi.call<{ teamKeys: Array<{ team: string; reason: string }> }>('GET', '/api/v1/admin/org/pending')).teamKeys).toContainEqual(expect.objectContaining({ team: 'konsult', reason: 'members' }));
    const staff = staffAdmin();
    const forged = toBase64url(issueRevocationList(generateSigningKeyPair().secretKey, { issuedAt: Date.now(), serials: parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials }));
    expect(await codeOf(staff.renew({ revocationList: forged, teamKeys: [] }))).toBe('invalid_request');
    const run = await org.runOrg(['sign'], 'yes\n');
    expect(run.stdout).toMatch(/New inbox key for [^\n]*members changed/);
    expect(run.stdout).toContain('revocation list renewed; inbox keys of konsult rotated');
    const after = await org.directory.currentTeamKey('konsult' as TeamId);
    expect(after?.epoch).toBe((before?.epoch ?? 0) + 1);
    expect(Object.keys(after?.deliveries ?? {})).toEqual([admin.id]);
    expect((await org.directory.getOrg())?.revocationList).not.toBe(forged);
  });

  it('renews a certificate from before the ledger only after --adopt, with its fingerprint shown', { timeout: 90_000 }, async () => {
    const old = await org.addResponder('ebba', ['foraldrar'], ['responder'], { certDays: 3, unrecorded: true });
    const cert = parseResponderCert(fromBase64url((await org.directory.getResponderKeys(old.id))?.cert ?? '')).value;
    const refused = await org.runOrg(['sign'], 'no\n');
    expect(refused.stdout).toMatch(/Renew Handläggare ebba[^\n]*\n\s+why: serial \d+ is not in the ledger/);
    const adopt = await org.runOrg(['sign', '--adopt'], 'yes\n');
    expect(adopt.stdout).toContain(`Record in the ledger: Handläggare ebba (serial ${cert.serial}, certified before the ledger)`);
    expect(adopt.stdout).toContain(`fingerprint ${await keyFingerprint(cert.signPublicKey, cert.boxPublicKey)}`);
    expect((await org.ledger()).entries.some((e) => e.kind === 'responder' && e.serial === cert.serial)).toBe(true);
    const renewed = await org.runOrg(['sign'], 'yes\n');
    expect(renewed.stdout).toContain('renewed Handläggare ebba');
    expect(parseResponderCert(fromBase64url((await org.directory.getResponderKeys(old.id))?.cert ?? '')).value.serial).not.toBe(cert.serial);
  });
});
