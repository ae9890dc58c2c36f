// What the organisation key signs: renewal only for a certificate that verifies under the org key AND
// matches the ledger (a swapped key, a forged certificate, a revoked or superseded serial get nothing),
// deactivation only of serials the ledger holds for that responder, team inbox keys sealed only to
// members the ledger knows, and a revocation list that keeps the ledger's revocations.
import { describe, expect, it } from 'vitest';
import { createTrustAnchor, verifyResponderCert, verifyTeamCert } from './chain.js';
import { parseRevocationList, parseResponderCert, issueRevocationList, issueResponderCert } from './certs.js';
import { errorCodeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { DAY, NOW, T0, createPki } from './fixtures.case.js';
import { keyFingerprint, sameFingerprint } from './fingerprint.js';
import { openTeamInboxKey } from './inbox-key.js';
import { generateBoxKeyPair, generateSigningKeyPair } from './keys.js';
import { appendToLedger, indexLedger, startLedger } from './ledger.js';
import { certifyEnrolment, checkIssuedCert, deactivationSerials, issueRevocations, renewCert, rotateTeamKey, type OrgSigner } from './org-admin.js';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';
import { createHash } from 'node:crypto';

await loadSodium();
const codeOf = errorCodeOf;

function setup() {
  const random = seededRandom('org-admin-test');
  const pki = createPki(random);
  const signer: OrgSigner = { keyPair: pki.org, org: { serial: 1, publicKey: pki.org.publicKey, notBefore: T0 - 10 * DAY, expires: T0 + 300 * DAY }, orgCert: pki.orgCert, rootPublicKey: pki.root.publicKey };
  const used = new Set<number>();
  const lina = { sign: generateSigningKeyPair(random), box: generateBoxKeyPair(random) };
  const issued = certifyEnrolment(signer, { responder: 'r-lina', displayName: 'Lina', teams: ['unga'], roles: ['responder'], signPublicKey: lina.sign.publicKey, boxPublicKey: lina.box.publicKey }, used, NOW, random);
  const ledger = appendToLedger(startLedger(pki.org, NOW), issued.entries, pki.org, NOW);
  return { random, pki, signer, used, lina, cert: issued.value, ledger };
}

describe('organisation signing with the ledger', () => {
  it('renews a certificate that matches the ledger; refuses swapped keys, a forged or unknown one', () => {
    const { pki, signer, used, cert, ledger } = setup();
    const index = indexLedger(ledger);
    const checked = checkIssuedCert(signer, index, cert, 'r-lina');
    const renewed = renewCert(signer, checked, { teams: ['unga', 'foraldrar'], roles: ['responder'] }, used, new Date(T0 + DAY));
    const anchor = createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: pki.orgCert, revocationList: pki.revocationList, now: NOW });
    const verified = verifyResponderCert(anchor, renewed.value, { now: new Date(T0 + DAY) });
    expect(verified.signPublicKey).toEqual(checked.cert.signPublicKey);
    expect(verified.teams).toEqual(['unga', 'foraldrar']);
    expect(renewed.entries.map((e) => e.kind)).toEqual(['responder', 'revoke']);
    expect(renewed.entries[1]?.serial).toBe(checked.cert.serial);

    // The server swaps the keys and has the certificate signed… it cannot: re-signing needs the org key.
    const old = parseResponderCert(cert).value;
    const attacker = { sign: generateSigningKeyPair(), box: generateBoxKeyPair() };
    const unsigned = issueResponderCert(generateSigningKeyPair().secretKey, { ...old, signPublicKey: attacker.sign.publicKey, boxPublicKey: attacker.box.publicKey });
    expect(codeOf(() => checkIssuedCert(signer, index, unsigned, 'r-lina'))).toBe(CryptoErrorCode.UntrustedKey);
    // …and an org-signed certificate for other keys (say from before the ledger) does not match it either.
    const swapped = issueResponderCert(pki.org.secretKey, { ...old, signPublicKey: attacker.sign.publicKey, boxPublicKey: attacker.box.publicKey });
    expect(codeOf(() => checkIssuedCert(signer, index, swapped, 'r-lina'))).toBe(CryptoErrorCode.UntrustedKey);
    expect(() => checkIssuedCert(signer, index, swapped, 'r-lina')).toThrow(/differ from the ledger/);
    const unknown = issueResponderCert(pki.org.secretKey, { ...old, serial: 424242 });
    expect(() => checkIssuedCert(signer, index, unknown, 'r-lina')).toThrow(/not in the ledger/);
    expect(codeOf(() => checkIssuedCert(signer, index, cert, 'r-other'))).toBe(CryptoErrorCode.UntrustedKey);
    // After the renewal is in the ledger the old certificate is revoked: renewing it again is refused.
    const after = indexLedger(appendToLedger(ledger, renewed.entries, pki.org, NOW));
    expect(codeOf(() => checkIssuedCert(signer, after, cert, 'r-lina'))).toBe(CryptoErrorCode.Revoked);
    expect(checkIssuedCert(signer, after, renewed.value, 'r-lina').entry.teams).toEqual(['unga', 'foraldrar']);
  });

  it('deactivation revokes the ledger’s live serials; a foreign or unknown named serial is refused', () => {
    const { pki, signer, used, ledger, random } = setup();
    const other = certifyEnrolment(signer, { responder: 'r-sam', displayName: 'Sam', teams: ['unga'], roles: ['responder'], signPublicKey: generateSigningKeyPair(random).publicKey, boxPublicKey: generateBoxKeyPair(random).publicKey }, used, NOW, random);
    const both = appendToLedger(ledger, other.entries, pki.org, NOW);
    const index = indexLedger(both);
    const linaSerial = index.live('r-lina')[0]?.serial as number;
    const samSerial = index.live('r-sam')[0]?.serial as number;
    expect(deactivationSerials(index, 'r-lina', linaSerial, NOW).value).toEqual([linaSerial]);
    expect(deactivationSerials(index, 'r-lina', null, NOW).value).toEqual([linaSerial]);
    expect(() => deactivationSerials(index, 'r-lina', samSerial, NOW)).toThrow(/not issued to r-lina/);
    expect(() => deactivationSerials(index, 'r-lina', 999_999, NOW)).toThrow(/not in the ledger/);
    expect(deactivationSerials(index, 'r-nobody', null, NOW).value).toEqual([]);
  });

  it('rotates a team key only to members the ledger knows, and keeps the ledger’s revocations', () => {
    const { pki, signer, used, ledger, cert, lina } = setup();
    const index = indexLedger(ledger);
    const { list, anchor } = issueRevocations(signer, ledger, pki.revocationList, [], NOW);
    const rotated = rotateTeamKey(signer, anchor, index, { team: 'unga', epoch: 4, members: [{ id: 'r-lina', cert }] }, used, NOW);
    const teamCert = verifyTeamCert(anchor, rotated.value.cert, { now: NOW, team: 'unga' });
    expect(openTeamInboxKey(rotated.value.deliveries.get('r-lina') as Uint8Array, lina.box, teamCert).cert.epoch).toBe(4);
    expect(rotated.entries[0]?.kind).toBe('team');
    // A member whose certificate the ledger does not hold (the server's own keys) gets nothing: no key at all.
    const stranger = pki.responder({ id: 'r-x', teams: ['unga'], serial: 555 });
    expect(() => rotateTeamKey(signer, anchor, index, { team: 'unga', epoch: 5, members: [{ id: 'r-lina', cert }, { id: 'r-x', cert: stranger.certBytes }] }, used, NOW)).toThrow(/not in the ledger/);
    // A published list not signed by the org key is refused; the ledger's revocations are kept even if the list dropped them.
    const foreign = issueRevocationList(generateSigningKeyPair().secretKey, { issuedAt: T0, serials: [] });
    expect(codeOf(() => issueRevocations(signer, ledger, foreign, [], NOW))).toBe(CryptoErrorCode.UntrustedKey);
    const revoked = appendToLedger(ledger, deactivationSerials(index, 'r-lina', null, NOW).entries, pki.org, NOW);
    const serial = index.live('r-lina')[0]?.serial as number;
    expect(parseRevocationList(issueRevocations(signer, revoked, pki.revocationList, [], NOW).list).value.serials).toContain(serial);
    // Once the revoked certificate has expired anyway, the list (with the ledger's expiry) drops it.
    expect(parseRevocationList(issueRevocations(signer, revoked, pki.revocationList, [], new Date(T0 + 31 * DAY)).list).value.serials).not.toContain(serial);
    expect(list.length).toBeGreaterThan(0);
  });

  it('has one key fingerprint (fixed vector, same as SHA-256 in node:crypto)', async () => {
    const sign = new Uint8Array(32).fill(1);
    const box = new Uint8Array(32).fill(2);
    const expected = createHash('sha256').update('utvag/v1/key-fingerprint').update(sign).update(box).digest('hex').slice(0, 32).match(/.{4}/g)?.join(' ');
    expect(await keyFingerprint(sign, box)).toBe(expected);
    expect(await keyFingerprint(sign, box)).toBe('2193 51f8 3cbc 7c05 03e0 3f7c dad5 7080');
    expect(sameFingerprint((expected ?? '').toUpperCase().replace(/ /g, ''), expected ?? '')).toBe(true);
    expect(sameFingerprint('', '')).toBe(false);
  });
});
