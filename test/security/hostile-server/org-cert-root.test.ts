// The root's side of the organisation certificate (issue 14 §1): it lasts at most 90 days, so the two
// key holders renew it with `npm run org renew-org-cert` and revoke it with `npm run org revoke-org`.
// Real redis-server, the real CLI (a spawned process, answers on stdin), the root key sealed as the
// ceremony seals it. Each result is checked with the real crypto the clients run (createTrustAnchor):
//  - `status` (and the console's list) warn when the certificate ends within 14 days;
//  - a renewal is listed, needs "yes", and yields a certificate for the same organisation key that
//    verifies under the pinned root; offline (`--bundle` on the air-gapped laptop) + `publish-org`;
//  - a hostile server that swaps in an organisation certificate of its own root gets no root
//    signature, and `publish-org` refuses a file signed by another root or for another key;
//  - a revocation makes every client refuse the organisation (Revoked), cannot be undone by a
//    renewal, and is shown by `status`.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTrustAnchor,
  fromBase64url,
  generateSigningKeyPair,
  issueOrgCert,
  issueOrgRevocation,
  isCryptoError,
  parseOrgCert,
  toBase64url,
  type Ed25519PublicKey,
} from '../../../crypto/index.js';
import { createOrgPending } from '../../../server/directory/org-pending.js';
import { createInvitations } from '../../../server/enrolment/invitations.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { startRealOrgServer, type RealOrg } from '../../e2e/console/real-org.js';

const DAY = 86_400_000;
let org: RealOrg;

beforeAll(async () => {
  // An organisation certificate that ends in 10 days: the warning is due.
  org = await startRealOrgServer({ orgCertDays: 10 });
}, 60_000);
afterAll(async () => {
  await org?.stop();
});

const bundle = async () => {
  const b = await org.directory.getOrg();
  if (b === null) throw new Error('no bundle');
  return b;
};
/** What a widget or console does with the published bundle, at `now`. */
const anchorAt = async (now: Date) => {
  const b = await bundle();
  return createTrustAnchor({
    rootPublicKey: fromBase64url(org.rootPublicKey) as Ed25519PublicKey,
    orgCert: fromBase64url(b.orgCert),
    revocationList: fromBase64url(b.revocationList),
    orgRevocation: b.orgRevocation === undefined ? null : fromBase64url(b.orgRevocation),
    now,
  });
};
const cryptoCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isCryptoError(error) ? error.code : String(error);
  }
  return 'accepted';
};
const pendingView = () => createOrgPending({ store: org.store, directory: org.directory, invitations: createInvitations({ records: org.store.records, clock: systemClock, random: systemRandom }), clock: systemClock }).view();

describe('the root renews and revokes the organisation certificate (real Redis, real CLI)', () => {
  it('status and the console’s list warn 14 days before the certificate ends', { timeout: 60_000 }, async () => {
    const status = await org.runOrg(['status'], '');
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/Organisation certificate 1: valid until .* \(9 day\(s\) left\)/);
    expect(status.stdout).toMatch(/WARNING: the organisation certificate ends on .* \(in 10 day\(s\)\).*npm run org -- renew-org-cert/);
    expect((await pendingView()).orgCert).toMatchObject({ serial: 1, due: true, revoked: false });
  });

  it('a renewal is listed and needs "yes"; then the clients accept a certificate for the same key, valid 90 days', { timeout: 90_000 }, async () => {
    const before = await bundle();
    const declined = await org.runOrg(['renew-org-cert'], 'no\n');
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain('Renew the organisation certificate for the same organisation key: serial 2');
    expect(declined.stdout).toContain('Nothing signed.');
    expect((await bundle()).orgCert).toBe(before.orgCert);

    const run = await org.runOrg(['renew-org-cert'], 'yes\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Published: Organisation certificate 2, valid/);
    const anchor = await anchorAt(new Date());
    expect(anchor.org.serial).toBe(2);
    expect(toBase64url(anchor.org.publicKey)).toBe(toBase64url(org.orgPublicKey));
    expect(anchor.org.expires - Date.now()).toBeGreaterThan(89 * DAY);
    // The old certificate would have been refused in 11 days; the renewed one is accepted then.
    expect(cryptoCode(() => createTrustAnchor({ rootPublicKey: fromBase64url(org.rootPublicKey) as Ed25519PublicKey, orgCert: fromBase64url(before.orgCert), revocationList: fromBase64url(before.revocationList), now: new Date(Date.now() + 11 * DAY) }))).toBe('Expired');
    expect((await pendingView()).orgCert).toMatchObject({ serial: 2, due: false });
    expect((await org.runOrg(['status'], '')).stdout).not.toContain('WARNING');
  });

  it('offline: --bundle on the key holders’ laptop, then publish-org; a file from another root is refused', { timeout: 90_000 }, async () => {
    const file = `${org.ledgerFile}.bundle.json`;
    const published = await bundle();
    writeFileSync(file, JSON.stringify({ rootPublicKey: published.rootPublicKey, orgCert: published.orgCert, revocationList: published.revocationList }));
    const renewed = await org.runOrg(['renew-org-cert', '--bundle', file, '--days', '60'], 'yes\n');
    expect(renewed.stderr).toBe('');
    expect(renewed.stdout).toContain('npm run org -- publish-org');
    expect((await bundle()).orgCert).toBe(published.orgCert); // nothing reached the server yet
    const offered = JSON.parse(readFileSync(file, 'utf8')) as { orgCert: string };
    expect(parseOrgCert(fromBase64url(offered.orgCert)).value.serial).toBe(3);

    // A certificate for the same organisation key, signed by another root.
    const foreign = generateSigningKeyPair();
    const foreignFile = `${file}.foreign.json`;
    writeFileSync(foreignFile, JSON.stringify({ orgCert: toBase64url(issueOrgCert(foreign.secretKey, { serial: 9, publicKey: org.orgPublicKey as Ed25519PublicKey, notBefore: Date.now(), expires: Date.now() + 30 * DAY })) }));
    const refused = await org.runOrg(['publish-org', foreignFile], '');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('not signed by the pinned root key. Nothing published.');
    expect((await bundle()).orgCert).toBe(published.orgCert);

    const publish = await org.runOrg(['publish-org', file], '');
    expect(publish.stderr).toBe('');
    expect(publish.stdout).toMatch(/Published: Organisation certificate 3/);
    expect((await anchorAt(new Date())).org.serial).toBe(3);
    // Publishing the same file again (or an older certificate) changes nothing.
    expect((await org.runOrg(['publish-org', file], '')).stderr).toContain('nothing newer');
  });

  it('a hostile server that swaps in its own root’s organisation certificate gets no root signature', { timeout: 60_000 }, async () => {
    const genuine = await bundle();
    const hostileRoot = generateSigningKeyPair();
    const hostileOrg = generateSigningKeyPair();
    const swapped = toBase64url(issueOrgCert(hostileRoot.secretKey, { serial: 3, publicKey: hostileOrg.publicKey, notBefore: Date.now() - DAY, expires: Date.now() + 5 * DAY }));
    await org.redis.cli('HSET', 'records:{directory-org}', 'current', JSON.stringify({ ...genuine, orgCert: swapped }));
    const run = await org.runOrg(['renew-org-cert'], 'yes\n');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('was not signed by this root key');
    expect(run.stdout).not.toContain('To sign with the root key');
    expect((await bundle()).orgCert).toBe(swapped);
    await org.directory.putOrg(genuine);
  });

  it('a revocation makes the clients refuse the organisation, cannot be renewed away, and status says so', { timeout: 90_000 }, async () => {
    expect((await anchorAt(new Date())).org.serial).toBe(3);
    const run = await org.runOrg(['revoke-org'], 'yes\n');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('REVOKE organisation certificate 3');
    expect(run.stdout).toMatch(/Published: Root revocation of organisation certificate\(s\) 3/);
    await expect(anchorAt(new Date())).rejects.toMatchObject({ code: 'Revoked' });

    const renew = await org.runOrg(['renew-org-cert'], 'yes\n');
    expect(renew.code).toBe(3);
    expect(renew.stderr).toContain('is revoked by the root: its key is not renewed');
    const status = await org.runOrg(['status'], '');
    expect(status.stdout).toContain('Organisation certificate 3: REVOKED by the root');
    expect(status.stdout).toContain('WARNING: organisation certificate 3 is revoked by the root');
    expect((await pendingView()).orgCert).toMatchObject({ serial: 3, revoked: true });
    // Nobody replaces the revocation with an empty one of another root through publish-org.
    const other = `${org.ledgerFile}.other-root.json`;
    writeFileSync(other, JSON.stringify({ orgRevocation: toBase64url(issueOrgRevocation(generateSigningKeyPair().secretKey, { issuedAt: Date.now(), serials: [] })) }));
    const refused = await org.runOrg(['publish-org', other], '');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('not signed by the pinned root key');
    await expect(anchorAt(new Date())).rejects.toMatchObject({ code: 'Revoked' });
  });
});
