// Enrolment and administration through app.request(): invitation, enrolment with browser-made keys,
// TOTP confirmation, certification only with the right fingerprint, login with the second factor.
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { fromBase64url, generateBoxKeyPair, generateSigningKeyPair, keyFingerprint, loadSodium, parseResponderCert, toBase64url } from '../../crypto/index.js';
import { wrapPrivateKeys } from '../../crypto/password.js';
import { createTestApp, seedResponder } from '../../test/support/harness.js';
import { systemRandom } from '../clock.js';
import { createDirectory } from '../directory/directory.js';
import { ensureDemoOrg } from '../directory/demo-org.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );
const totp = (secret: string, offset = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offset * 30_000 });

describe('enrolment and administration', () => {
  it('invites, enrols, confirms TOTP, certifies after the fingerprint check, and logs in with the code', async () => {
    await loadSodium();
    const t = await createTestApp({ env: { DEMO: 'true' } });
    await ensureDemoOrg({ store: t.store, directory: createDirectory(t.store.records), clock: t.clock, random: systemRandom });
    const adminSeed = await seedResponder(t.store, 'admin', ['unga'], ['admin']);
    const admin = t.responder();
    await admin.login('admin', adminSeed.authKey);
    const plain = await seedResponder(t.store, 'plain', ['unga']);
    const notAdmin = t.responder();
    await notAdmin.login('plain', plain.authKey);
    expect(await codeOf(notAdmin.call('POST', '/api/v1/admin/invitations', { displayName: 'X', teams: ['unga'], roles: ['responder'] }))).toBe('forbidden');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/invitations', { displayName: 'X', teams: ['nope'], roles: ['responder'] }))).toBe('invalid_request');

    const invite = await admin.call<{ token: string; path: string }>('POST', '/api/v1/admin/invitations', { displayName: 'Nora', teams: ['unga'], roles: ['responder'] });
    expect(invite.path).toBe(`/console#enrol=${invite.token}`);
    const anon = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch });
    expect(await anon.call('GET', `/api/v1/enrol/${invite.token}`)).toMatchObject({ displayName: 'Nora', teams: ['unga'], kdf: { opslimit: 3 } });

    // What the browser does: keys made locally, private keys wrapped, only public parts and the auth key sent.
    const sign = generateSigningKeyPair();
    const box = generateBoxKeyPair();
    const authKey = systemRandom(32);
    const wrapKey = systemRandom(32);
    const body = {
      login: 'nora',
      salt: toBase64url(systemRandom(16)),
      opslimit: 3,
      memlimit: 64 * 1024 * 1024,
      authKey: toBase64url(authKey),
      signPublicKey: toBase64url(sign.publicKey),
      boxPublicKey: toBase64url(box.publicKey),
      wrappedKeys: toBase64url(wrapPrivateKeys(wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey })),
    };
    expect(await codeOf(anon.call('POST', `/api/v1/enrol/${invite.token}`, { ...body, opslimit: 1 }))).toBe('invalid_request');
    const enrolled = await anon.call<{ responder: string; fingerprint: string; totpSecret: string }>('POST', `/api/v1/enrol/${invite.token}`, body);
    expect(enrolled.fingerprint).toBe(await keyFingerprint(sign.publicKey, box.publicKey));
    expect(await codeOf(anon.call('POST', `/api/v1/enrol/${invite.token}`, body))).toBe('invitation_invalid'); // used
    expect(await codeOf(anon.call('POST', `/api/v1/enrol/${invite.token}/totp`, { code: totp(enrolled.totpSecret, 5) }))).toBe('invalid_request');
    await anon.call('POST', `/api/v1/enrol/${invite.token}/totp`, { code: totp(enrolled.totpSecret) });

    // Not certified: no login yet.
    const nora = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch, cookies: createCookieJar() });
    expect(await codeOf(nora.login('nora', authKey, totp(enrolled.totpSecret, 1)))).toBe('login_failed');

    const pending = await admin.call<{ items: Array<{ id: string; state: string; fingerprint: string | null }> }>('GET', '/api/v1/admin/invitations');
    const row = pending.items.find((i) => i.state === 'enrolled');
    expect(row?.fingerprint).toBe(enrolled.fingerprint);
    expect(await codeOf(admin.call('POST', `/api/v1/admin/invitations/${row?.id}/certify`, { fingerprint: '0000' }))).toBe('invalid_request');
    await admin.call('POST', `/api/v1/admin/invitations/${row?.id}/certify`, { fingerprint: enrolled.fingerprint.replace(/ /g, '') });

    // Certified: keys in the directory (cert of exactly these keys), team inbox key sealed to Nora.
    const keys = await createDirectory(t.store.records).getResponderKeys(enrolled.responder as never);
    const cert = parseResponderCert(fromBase64url(keys?.cert ?? '')).value;
    expect(toBase64url(cert.signPublicKey)).toBe(body.signPublicKey);
    expect(toBase64url(cert.boxPublicKey)).toBe(body.boxPublicKey);
    expect((await createDirectory(t.store.records).currentTeamKey('unga' as never))?.deliveries[enrolled.responder]).toBeDefined();

    expect(await codeOf(nora.login('nora', authKey))).toBe('totp_required');
    expect(await codeOf(nora.login('nora', authKey, '123456'))).toBe('login_failed');
    const me = await nora.login('nora', authKey, totp(enrolled.totpSecret, 1));
    expect(me).toMatchObject({ displayName: 'Nora', teams: ['unga'], roles: ['responder'] });
    const bundle = await nora.call<{ wrappedKeys: string; inbox: unknown[] }>('GET', '/api/v1/responder/keys');
    expect(bundle.wrappedKeys).toBe(body.wrappedKeys);
    expect(bundle.inbox.length).toBeGreaterThan(0);

    const audit = await admin.call<{ entries: Array<{ action: string; actorName: string }> }>('GET', '/api/v1/admin/audit');
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['invite', 'certify', 'login']));
  });
});
