// Issue 14 §3: the revocation list must shrink. 100 responders renew their 30-day certificates every
// 25 days (each renewal revokes the old serial) for about seven simulated years, 10 000 certificates in
// all; the organisation re-issues the list every day and the server's validator accepts each one. The
// list keeps every revoked certificate that has not expired (each still fails as Revoked), drops the
// expired ones, stays far below the 64 KiB body limit, and parses where the widget parses it; a list
// older than 48 h is refused. Without the pruning the same history would not fit the body limit.
import { describe, expect, it } from 'vitest';
import {
  createTrustAnchor,
  generateBoxKeyPair,
  generateSigningKeyPair,
  issueOrgCert,
  issueResponderCert,
  issueRevocationList,
  loadSodium,
  parseRevocationList,
  REVOCATION_MAX_AGE_MS,
  toBase64url,
  verifyResponderCert,
  type RevokedSerial,
} from '../../crypto/index.js';
import { createManualClock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { createDirectory } from '../../server/directory/directory.js';
import { createOrgValidator } from '../../server/directory/org-validate.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';

const DAY = 86_400_000;
const RESPONDERS = 100;
const CERTS = 10_000;

describe('the revocation list shrinks (issue 14 §3)', () => {
  it('stays small over 10 000 issued certificates, is accepted by the server and parsed by the widget', async () => {
    await loadSodium();
    const bodyLimit = loadConfig({}).maxBodyBytes;
    const clock = createManualClock(Date.UTC(2027, 0, 1));
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const directory = createDirectory(store.records);
    const root = generateSigningKeyPair();
    const org = generateSigningKeyPair();
    const rootPublicKey = toBase64url(root.publicKey);
    const validator = createOrgValidator({ directory, clock, rootPublicKey });
    // The organisation certificate lasts at most 90 days: the root renews it every 80.
    let orgCert = issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: clock.now() - DAY, expires: clock.now() + 80 * DAY });
    let orgRenewedAt = clock.now();
    let list = issueRevocationList(org.secretKey, { issuedAt: clock.now(), entries: [] });
    await directory.putOrg({ rootPublicKey, orgCert: toBase64url(orgCert), revocationList: toBase64url(list) });

    const signer = generateSigningKeyPair();
    const box = generateBoxKeyPair();
    let serial = 100;
    let issued = 0;
    const current: Array<{ serial: number; bytes: Uint8Array; expires: number }> = [];
    const issue = (i: number) => {
      const expires = clock.now() + 29 * DAY;
      const bytes = issueResponderCert(org.secretKey, {
        serial: ++serial,
        id: `r${i}`,
        displayName: `R ${i}`,
        teams: ['unga'],
        roles: ['responder'],
        signPublicKey: signer.publicKey,
        boxPublicKey: box.publicKey,
        notBefore: clock.now() - 60_000,
        expires,
      });
      issued++;
      return { serial, bytes, expires };
    };
    // Staggered: responder i renews on days where (day - i) % 25 === 0.
    for (let i = 0; i < RESPONDERS; i++) current.push(issue(i));
    const everRevoked: RevokedSerial[] = [];
    let largest = 0;
    let day = 0;
    while (issued < CERTS) {
      day++;
      clock.advance(DAY);
      if (clock.now() - orgRenewedAt >= 80 * DAY - DAY) {
        orgCert = issueOrgCert(root.secretKey, { serial: day, publicKey: org.publicKey, notBefore: clock.now() - DAY, expires: clock.now() + 80 * DAY });
        orgRenewedAt = clock.now();
        const published = await directory.getOrg();
        await directory.putOrg({ rootPublicKey, orgCert: toBase64url(orgCert), revocationList: published?.revocationList ?? '' });
      }
      const revokedToday: RevokedSerial[] = [];
      for (let i = 0; i < RESPONDERS && issued < CERTS; i++) {
        if ((day - (i % 25)) % 25 !== 0) continue;
        const old = current[i]!;
        revokedToday.push({ serial: old.serial, expires: old.expires });
        current[i] = issue(i);
      }
      // The organisation re-issues the list daily from the published one plus today's renewals.
      const previous = parseRevocationList(fromPublished(await directory.getOrg())).value;
      list = issueRevocationList(org.secretKey, { issuedAt: clock.now(), entries: [...previous.entries, ...revokedToday] });
      const anchor = await validator.revocationList(toBase64url(list), revokedToday.map((e) => e.serial));
      await directory.putOrg({ rootPublicKey, orgCert: toBase64url(orgCert), revocationList: toBase64url(list) });
      everRevoked.push(...revokedToday);

      // What the widget does with it: parse and verify under the pinned root, now and until 48 h.
      const body = JSON.stringify({ revocationList: toBase64url(list) });
      largest = Math.max(largest, body.length);
      expect(body.length).toBeLessThan(bodyLimit);
      const inWidget = createTrustAnchor({ rootPublicKey: root.publicKey, orgCert, revocationList: list, now: new Date(clock.now() + REVOCATION_MAX_AGE_MS - 1) });
      expect(inWidget.revocations.serials).toEqual(anchor.revocations.serials);
      // Sound: every revoked certificate that has not expired is still refused as revoked.
      for (const e of anchor.revocations.entries) expect(e.expires).toBeGreaterThan(clock.now() - 5 * 60_000);
      if (revokedToday.length > 0) {
        const last = revokedToday.at(-1)!;
        expect(anchor.revocations.serials).toContain(last.serial);
      }
    }
    expect(issued).toBe(CERTS);
    expect(day).toBeGreaterThan(6 * 365);
    // The live list holds about one renewal cycle of revoked, unexpired certificates.
    const final = parseRevocationList(list).value;
    expect(final.serials.length).toBeLessThan(2 * RESPONDERS);
    expect(everRevoked.length).toBeGreaterThan(CERTS - 2 * RESPONDERS);
    // Control: the same history without pruning would not fit the body limit (nor the parser's 64 KiB).
    const unpruned = JSON.stringify({ revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: clock.now(), serials: everRevoked.map((e) => e.serial) })) });
    expect(unpruned.length).toBeGreaterThan(bodyLimit);
    expect(largest).toBeLessThan(bodyLimit / 8);

    // A revoked, unexpired certificate is refused; a list older than 48 h is refused whatever it says.
    const revokedCert = issueResponderCert(org.secretKey, {
      serial: final.serials.at(-1)!,
      id: 'x',
      displayName: 'X',
      teams: ['unga'],
      roles: ['responder'],
      signPublicKey: signer.publicKey,
      boxPublicKey: box.publicKey,
      notBefore: clock.now() - DAY,
      expires: clock.now() + DAY,
    });
    const anchor = createTrustAnchor({ rootPublicKey: root.publicKey, orgCert, revocationList: list, now: new Date(clock.now()) });
    expect(() => verifyResponderCert(anchor, revokedCert, { now: new Date(clock.now()) })).toThrow(expect.objectContaining({ code: 'Revoked' }));
    const stale = new Date(clock.now() + REVOCATION_MAX_AGE_MS + 1);
    expect(() => createTrustAnchor({ rootPublicKey: root.publicKey, orgCert, revocationList: list, now: stale })).toThrow(expect.objectContaining({ code: 'Expired' }));
    expect(() => verifyResponderCert(anchor, current[0]!.bytes, { now: stale })).toThrow(expect.objectContaining({ code: 'Expired' }));
  }, 120_000);

  it('the server refuses a list that drops a revoked certificate before it expires', async () => {
    await loadSodium();
    const clock = createManualClock(Date.UTC(2027, 0, 1));
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const directory = createDirectory(store.records);
    const root = generateSigningKeyPair();
    const org = generateSigningKeyPair();
    const rootPublicKey = toBase64url(root.publicKey);
    const orgCert = toBase64url(issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: clock.now() - DAY, expires: clock.now() + 80 * DAY }));
    const first = issueRevocationList(org.secretKey, { issuedAt: clock.now(), entries: [{ serial: 7, expires: clock.now() + 10 * DAY }] });
    await directory.putOrg({ rootPublicKey, orgCert, revocationList: toBase64url(first) });
    const validator = createOrgValidator({ directory, clock, rootPublicKey });
    clock.advance(DAY);
    const dropped = issueRevocationList(org.secretKey, { issuedAt: clock.now(), entries: [] });
    await expect(validator.revocationList(toBase64url(dropped), [])).rejects.toMatchObject({ code: 'invalid_request' });
    clock.advance(10 * DAY);
    const expiredAway = issueRevocationList(org.secretKey, { issuedAt: clock.now(), entries: [] });
    await expect(validator.revocationList(toBase64url(expiredAway), [])).resolves.toBeDefined();
  });
});

function fromPublished(org: { revocationList: string } | null): Uint8Array {
  if (org === null) throw new Error('no organisation');
  return Uint8Array.from(Buffer.from(org.revocationList, 'base64url'));
}
