// Organisation certificates of a region: version 2 names the organisation (id and the name visitors
// are shown) inside what the root signs; version 1 (one organisation, no name) parses as before.
import { describe, expect, it } from 'vitest';
import { issueOrgCert, issueRevocationList, issueTeamCert, parseOrgCert } from './certs.js';
import { createTrustAnchor, verifyTeamCert } from './chain.js';
import { errorCodeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { generateBoxKeyPair, generateSigningKeyPair } from './keys.js';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';

await loadSodium();
const random = seededRandom('org-cert-test');
const now = Date.UTC(2026, 11, 3, 12);
const validity = { notBefore: now - 60_000, expires: now + 30 * 86_400_000 };
const root = generateSigningKeyPair(random);
const org = generateSigningKeyPair(random);
const region = { id: 'regionjouren', name: 'Regionjouren' };

const anchorOf = (orgCert: Uint8Array, signer = org, rootPublicKey = root.publicKey) =>
  createTrustAnchor({ rootPublicKey, orgCert, revocationList: issueRevocationList(signer.secretKey, { issuedAt: now, serials: [] }), now: new Date(now) });

describe('organisation certificate naming its organisation', () => {
  it('round-trips the id and name at wire version 2, and the anchor carries them', () => {
    const wire = issueOrgCert(root.secretKey, { serial: 7, organisation: region, publicKey: org.publicKey, ...validity });
    expect(wire[0]).toBe(2);
    expect(parseOrgCert(wire).value.organisation).toEqual(region);
    expect(anchorOf(wire).org.organisation).toEqual(region);
  });

  it('keeps version 1 (no organisation) byte for byte: it parses with organisation null', () => {
    const wire = issueOrgCert(root.secretKey, { serial: 7, publicKey: org.publicKey, ...validity });
    expect(wire[0]).toBe(1);
    expect(parseOrgCert(wire).value.organisation).toBeNull();
    expect(anchorOf(wire).org.organisation).toBeNull();
  });

  it('refuses a renamed organisation, one the root did not certify, and a team certificate of another organisation', () => {
    const wire = issueOrgCert(root.secretKey, { serial: 7, organisation: region, publicKey: org.publicKey, ...validity });
    const at = Buffer.from(wire).indexOf(Buffer.from('Regionjouren'));
    const renamed = wire.slice();
    renamed.set(Buffer.from('Regionjourem'), at);
    expect(errorCodeOf(() => anchorOf(renamed))).toBe(CryptoErrorCode.UntrustedKey);
    const otherRoot = generateSigningKeyPair(random);
    const uncertified = issueOrgCert(otherRoot.secretKey, { serial: 8, organisation: { id: 'huddinge', name: 'Huddinge kommun' }, publicKey: org.publicKey, ...validity });
    expect(errorCodeOf(() => anchorOf(uncertified))).toBe(CryptoErrorCode.UntrustedKey);
    // A team certificate signed by another organisation's key does not verify under this one.
    const other = generateSigningKeyPair(random);
    const teamCert = issueTeamCert(other.secretKey, { serial: 9, team: 'natt', epoch: 1, boxPublicKey: generateBoxKeyPair(random).publicKey, notBefore: now - 60_000, expires: now + 86_400_000 });
    expect(errorCodeOf(() => verifyTeamCert(anchorOf(wire), teamCert, { now: new Date(now), team: 'natt' }))).toBe(CryptoErrorCode.UntrustedKey);
  });

  it('refuses to issue an id or a name a client could not show', () => {
    for (const organisation of [{ id: 'Region Jour', name: 'x' }, { id: 'a', name: '' }, { id: 'a', name: 'x'.repeat(81) }]) {
      expect(errorCodeOf(() => issueOrgCert(root.secretKey, { serial: 1, organisation, publicKey: org.publicKey, ...validity }))).toBe(CryptoErrorCode.PolicyViolation);
    }
  });
});
