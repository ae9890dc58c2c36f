// The root tool's plans, as pure functions: a renewal keeps everything the root certified (the key and,
// in a region, the organisation it names), takes a serial no revocation names, and a revocation never
// drops a serial; publication refuses what the pinned root did not sign, another key or organisation.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, issueOrgCert, issueOrgRevocation, loadSodium, parseOrgCert, type OrgCert } from '../../crypto/index.js';
import { checkPublication, orgCertState, planOrgCertRenewal, planOrgRevocation, RootToolRefusal } from './org-root.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 9);
beforeAll(loadSodium);

function setup(fields: Partial<OrgCert> = {}) {
  const root = generateSigningKeyPair();
  const org = generateSigningKeyPair();
  const cert: OrgCert = { serial: 4, publicKey: org.publicKey, notBefore: NOW - 80 * DAY, expires: NOW + 10 * DAY, ...fields };
  return { root, org, cert, wire: issueOrgCert(root.secretKey, cert) };
}

describe('root tool plans', () => {
  it('renews for the same key and organisation, with the next serial no revocation names', () => {
    const { root, wire } = setup({ organisation: { id: 'huddinge', name: 'Huddinge kommun' } });
    const revoked = issueOrgRevocation(root.secretKey, { issuedAt: NOW - DAY, serials: [2, 7] });
    const state = orgCertState(root.publicKey, { orgCert: wire, orgRevocation: revoked });
    const { next, listing } = planOrgCertRenewal(state, NOW, 90);
    expect(next.serial).toBe(8);
    expect(next.organisation).toEqual({ id: 'huddinge', name: 'Huddinge kommun' });
    expect(next.expires - next.notBefore).toBe(90 * DAY);
    expect(listing.join('\n')).toContain('of Huddinge kommun (huddinge)');
    const renewed = issueOrgCert(root.secretKey, next);
    expect(parseOrgCert(renewed).value.organisation).toEqual({ id: 'huddinge', name: 'Huddinge kommun' });
    expect(checkPublication(root.publicKey, { orgCert: wire, orgRevocation: revoked }, { orgCert: renewed, orgRevocation: null }).orgCert).toEqual(renewed);
    expect(() => planOrgCertRenewal(state, NOW, 91)).toThrow(RootToolRefusal);
  });

  it('refuses a certificate of another root, a renewal of a revoked one, and a publication for another organisation', () => {
    const { root, org, wire, cert } = setup({ organisation: { id: 'huddinge', name: 'Huddinge kommun' } });
    expect(() => orgCertState(generateSigningKeyPair().publicKey, { orgCert: wire, orgRevocation: null })).toThrow(/not signed by this root key/);
    const revocation = planOrgRevocation(orgCertState(root.publicKey, { orgCert: wire, orgRevocation: null }), NOW).revocation;
    expect(revocation.serials).toEqual([4]);
    const revoked = issueOrgRevocation(root.secretKey, revocation);
    expect(() => planOrgCertRenewal(orgCertState(root.publicKey, { orgCert: wire, orgRevocation: revoked }), NOW, 90)).toThrow(/is revoked by the root/);
    const otherOrg = issueOrgCert(root.secretKey, { ...cert, serial: 5, organisation: { id: 'malmo', name: 'Malmö stad' }, publicKey: org.publicKey });
    expect(() => checkPublication(root.publicKey, { orgCert: wire, orgRevocation: null }, { orgCert: otherOrg, orgRevocation: null })).toThrow(/another organisation/);
    const dropping = issueOrgRevocation(root.secretKey, { issuedAt: NOW, serials: [] });
    expect(() => checkPublication(root.publicKey, { orgCert: wire, orgRevocation: revoked }, { orgCert: null, orgRevocation: dropping })).toThrow(/leaves out serial\(s\) 4/);
  });
});
