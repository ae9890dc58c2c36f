// A real organisation (the server holds no organisation key): the admin's browser module
// (client/console/crypto/org-admin.ts) unlocks the passphrase-sealed key and signs certification,
// role changes and deactivation; the server checks every upload before storing it, and a callback
// sealed after a deactivation opens for the remaining member only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError, createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import {
  signCertification,
  signDeactivation,
  signRenewal,
  signUpdate,
  unlockOrgKey,
  wipeOrgSigner,
  type OrgSigner,
  type SealedOrgKey,
  type StaffState,
} from '../../client/console/crypto/org-admin.js';
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
  openCallbackRequest,
  openTeamInboxKey,
  parseResponderCert,
  parseRevocationList,
  toBase64url,
  verifyTeamCert,
  type Ed25519PublicKey,
  type TeamInboxKey,
} from '../../crypto/index.js';
import { deriveLoginKeys, unwrapPrivateKeys, wrapPrivateKeys } from '../../crypto/password.js';
import { startRealOrgServer, type RealOrg } from '../../test/e2e/console/real-org.js';
import type { TestResponder } from '../../test/e2e/console/support.js';
import type { TeamId } from '../store/ports.js';

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
    (e: unknown) => (e instanceof ApiRequestError ? e.code : isCryptoError(e) ? e.code : String(e)),
  );
const derive = async (password: string, salt: Uint8Array, params: { opslimit: number; memlimit: number }) => deriveLoginKeys(password, salt, params);

async function login(r: TestResponder) {
  const api = createResponderApi({ baseUrl: org.url, cookies: createCookieJar() });
  await api.login(r.login, r.authKey);
  return api;
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

describe('staff administration in a real organisation (signed in the admin’s browser)', () => {
  it('unlocks the sealed key, certifies, re-certifies and deactivates with uploads the server checks', { timeout: 90_000 }, async () => {
    const admin = await org.addResponder('admin', ['unga'], ['responder', 'admin']);
    const leaver = await org.addResponder('lina', ['unga', 'foraldrar']);
    const stayer = await org.addResponder('sam', ['unga']);
    const adminApi = await login(admin);
    const state = () => adminApi.call<StaffState>('GET', '/api/v1/admin/staff');
    expect((await state()).org.mode).toBe('organisation');

    // Without a signature nothing changes: the server holds no organisation key.
    expect(await codeOf(adminApi.call('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, {}))).toBe('invalid_request');
    expect((await org.store.staff.getResponder(leaver.id))?.active).toBe(true);

    // The sealed key opens only with the passphrase, and only if it is the certified organisation key.
    const sealed = await adminApi.call<SealedOrgKey>('GET', '/api/v1/admin/org/key');
    const root = fromBase64url(org.rootPublicKey);
    const orgCert = (await state()).org.orgCert ?? '';
    expect(await codeOf(unlockOrgKey({ sealed, passphrase: 'fel lösenfras', derive, rootPublicKey: root, orgCert, now: new Date() }))).toBe(CryptoErrorCode.Tampered);
    expect(await codeOf(unlockOrgKey({ sealed, passphrase: org.passphrase, derive, rootPublicKey: generateSigningKeyPair().publicKey, orgCert, now: new Date() }))).toBe(CryptoErrorCode.UntrustedKey);
    const signer: OrgSigner = await unlockOrgKey({ sealed, passphrase: org.passphrase, derive, rootPublicKey: root, orgCert, now: new Date() });

    // Certification of an enrolled responder: only after the typed fingerprint matches the keys.
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
    const pending = (await adminApi.call<{ items: Array<{ id: string; state: string; responder: string | null; displayName: string; teams: string[]; roles: string[]; signPublicKey: string | null; boxPublicKey: string | null }> }>('GET', '/api/v1/admin/invitations')).items.find((i) => i.state === 'enrolled');
    if (pending === undefined) throw new Error('no enrolment');
    const enrolledKeys = { responder: pending.responder ?? '', displayName: pending.displayName, teams: pending.teams, roles: pending.roles, signPublicKey: pending.signPublicKey ?? '', boxPublicKey: pending.boxPublicKey ?? '' };
    expect(await codeOf(signCertification(signer, await state(), enrolledKeys, '0000 0000 0000 0000 0000 0000 0000 0000', new Date()))).toBe(CryptoErrorCode.UntrustedKey);
    const certification = await signCertification(signer, await state(), enrolledKeys, enrolled.fingerprint, new Date());
    // Without the rotated inbox keys the certification is refused and the account stays inactive.
    expect(await codeOf(adminApi.call('POST', `/api/v1/admin/invitations/${pending.id}/certify`, { fingerprint: enrolled.fingerprint, cert: certification.cert }))).toBe('invalid_request');
    expect((await org.store.staff.getResponder(enrolled.responder as never))?.active).toBe(false);
    await adminApi.call('POST', `/api/v1/admin/invitations/${pending.id}/certify`, { fingerprint: enrolled.fingerprint, ...certification });
    const unga = await org.directory.currentTeamKey('unga' as TeamId);
    expect(Object.keys(unga?.deliveries ?? {}).sort()).toEqual([admin.id, leaver.id, stayer.id, enrolled.responder].sort());
    const noraInbox = openTeamInboxKey(fromBase64url(unga?.deliveries[enrolled.responder] ?? ''), box, verifyTeamCert(await anchorNow(), fromBase64url(unga?.cert ?? ''), { now: new Date(), team: 'unga' }));
    expect(noraInbox.cert.epoch).toBe(unga?.epoch);

    // A role change: new certificate, old serial revoked (the server refuses a list that keeps it valid).
    const stayerSerial = parseResponderCert(fromBase64url((await org.directory.getResponderKeys(stayer.id))?.cert ?? '')).value.serial;
    const update = signUpdate(signer, await state(), stayer.id, ['unga'], ['responder', 'supervisor'], new Date());
    const stale = signRenewal(signer, await state(), new Date());
    expect(await codeOf(adminApi.call('PUT', `/api/v1/admin/staff/${stayer.id}`, { teams: ['unga'], roles: ['responder', 'supervisor'], signed: { ...update, revocationList: stale.revocationList } }))).toBe('invalid_request');
    expect(await codeOf(adminApi.call('PUT', `/api/v1/admin/staff/${stayer.id}`, { teams: ['unga'], roles: ['responder', 'admin'], signed: update }))).toBe('invalid_request');
    await adminApi.call('PUT', `/api/v1/admin/staff/${stayer.id}`, { teams: ['unga'], roles: ['responder', 'supervisor'], signed: update });
    expect((await org.store.staff.getResponder(stayer.id))?.roles).toEqual(['responder', 'supervisor']);
    expect(parseResponderCert(fromBase64url((await org.directory.getResponderKeys(stayer.id))?.cert ?? '')).value.roles).toEqual(['responder', 'supervisor']);
    expect((await anchorNow()).revocations.serials).toContain(stayerSerial);

    // Deactivation: an upload that still seals the new epoch to the leaver is refused…
    const leaverSerial = parseResponderCert(fromBase64url((await org.directory.getResponderKeys(leaver.id))?.cert ?? '')).value.serial;
    const leaverHeld = await heldKeys(leaver, 'unga');
    const leaverApi = await login(leaver);
    const sneaky = signRenewal(signer, { ...(await state()), org: { ...(await state()).org, teams: (await state()).org.teams.map((t) => ({ ...t, expires: null })) } }, new Date());
    const deactivation = signDeactivation(signer, await state(), leaver.id, new Date());
    expect(await codeOf(adminApi.call('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, { signed: { ...deactivation, teamKeys: sneaky.teamKeys.filter((k) => k.team === 'unga' || k.team === 'foraldrar') } }))).toBe('invalid_request');
    expect((await org.store.staff.getResponder(leaver.id))?.active).toBe(true);
    // …the right one deactivates and rotates both of the leaver's teams.
    const done = await adminApi.call<{ rotated: string[] }>('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, { signed: deactivation });
    expect(done.rotated.sort()).toEqual(['foraldrar', 'unga']);
    expect(await codeOf(leaverApi.call('GET', '/api/v1/responder/keys'))).toBe('unauthorized');
    expect(parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials).toEqual(expect.arrayContaining([leaverSerial, stayerSerial]));

    const current = await org.directory.currentTeamKey('unga' as TeamId);
    expect(Object.keys(current?.deliveries ?? {})).not.toContain(leaver.id);
    const { teamCert } = { teamCert: verifyTeamCert(await anchorNow(), fromBase64url(current?.cert ?? ''), { now: new Date(), team: 'unga' }) };
    for (const delivery of Object.values(current?.deliveries ?? {})) {
      expect(await codeOf(() => openTeamInboxKey(fromBase64url(delivery), leaverHeld.box, teamCert))).toBe(CryptoErrorCode.Tampered);
    }
    const callback = createCallbackRequest({ teamCert, callback: { phone: '08-123 456', timeWindow: 'förmiddag', language: 'sv', note: '', verificationWord: 'ekorre' } });
    for (const keyPair of [leaverHeld.box, ...[...leaverHeld.inbox.values()].map((k) => k.keyPair)]) {
      expect(await codeOf(() => openCallbackRequest(callback.wire, { cert: teamCert, keyPair }))).toBe(CryptoErrorCode.Tampered);
    }
    const stayerHeld = await heldKeys(stayer, 'unga');
    expect(openCallbackRequest(callback.wire, stayerHeld.inbox.get(current?.epoch ?? 0) as TeamInboxKey).callback.phone).toBe('08-123 456');

    wipeOrgSigner(signer);
    expect(signer.keyPair.secretKey.every((b) => b === 0)).toBe(true);
  });

  it('renews the revocation list and inbox epochs signed in the browser; a list signed by another key is refused', { timeout: 60_000 }, async () => {
    const admin = await org.addResponder('rut', ['konsult'], ['responder', 'admin']);
    const adminApi = await login(admin);
    const state = await adminApi.call<StaffState>('GET', '/api/v1/admin/staff');
    const sealed = await adminApi.call<SealedOrgKey>('GET', '/api/v1/admin/org/key');
    const signer = await unlockOrgKey({ sealed, passphrase: org.passphrase, derive, rootPublicKey: fromBase64url(org.rootPublicKey), orgCert: state.org.orgCert ?? '', now: new Date() });
    const before = await org.directory.currentTeamKey('konsult' as TeamId);
    // Pretend the inbox certificate is about to end: the browser makes a new epoch for the team.
    const due = { ...state, org: { ...state.org, teams: state.org.teams.map((t) => (t.id === 'konsult' ? { ...t, expires: Date.now() + 3_600_000 } : { ...t, expires: Date.now() + 6 * 86_400_000 })) } };
    const renewal = signRenewal(signer, due, new Date());
    expect(renewal.teamKeys.map((k) => k.team)).toEqual(['konsult']);
    const forged = toBase64url(issueRevocationList(generateSigningKeyPair().secretKey, { issuedAt: Date.now(), serials: parseRevocationList(fromBase64url(renewal.revocationList)).value.serials }));
    expect(await codeOf(adminApi.call('POST', '/api/v1/admin/org/renew', { ...renewal, revocationList: forged }))).toBe('invalid_request');
    await adminApi.call('POST', '/api/v1/admin/org/renew', renewal);
    const after = await org.directory.currentTeamKey('konsult' as TeamId);
    expect(after?.epoch).toBe((before?.epoch ?? 0) + 1);
    expect(Object.keys(after?.deliveries ?? {})).toEqual([admin.id]);
    expect((await org.directory.getOrg())?.revocationList).toBe(renewal.revocationList);
    wipeOrgSigner(signer);
  });
});
