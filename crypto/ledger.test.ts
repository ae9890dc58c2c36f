// The certificate ledger: a fixed vector, round trips through the wire, and every tampering refused
// (changed entry, dropped entry, another key's signature, a shorter or diverging copy = rollback).
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { toHex, type X25519PublicKey } from './encoding.js';
import { hash } from './hash.js';
import { generateSigningKeyPair } from './keys.js';
import {
  type IssuedCertFields,
  appendToLedger,
  assertLedgerExtends,
  indexLedger,
  ledgerHeadId,
  ledgerKeyDigest,
  matchLedger,
  openLedger,
  startLedger,
  type LedgerEntry,
} from './ledger.js';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';
import { NOW, T0, DAY } from './fixtures.case.js';

await loadSodium();
const codeOf = errorCodeOf;

function fixture() {
  const random = seededRandom('ledger-test');
  const org = generateSigningKeyPair(random);
  const sign = generateSigningKeyPair(random).publicKey;
  const box = random(32);
  const issued: LedgerEntry = { kind: 'responder', at: T0, serial: 7, responder: 'r-lina', signKey: ledgerKeyDigest(sign), boxKey: ledgerKeyDigest(box), teams: ['unga'], roles: ['responder'], notBefore: T0 - 60_000, expires: T0 - 60_000 + 30 * DAY };
  const team: LedgerEntry = { kind: 'team', at: T0, serial: 8, team: 'unga', epoch: 3, boxKey: ledgerKeyDigest(random(32)), notBefore: T0 - 60_000, expires: T0 - 60_000 + 7 * DAY };
  const revoke: LedgerEntry = { kind: 'revoke', at: T0 + 1000, serial: 7, subject: 'r-lina' };
  return { org, sign, box, issued, team, revoke };
}

describe('certificate ledger', () => {
  it('matches the fixed vector and round-trips through its wire', () => {
    const f = fixture();
    const empty = startLedger(f.org, NOW);
    const two = appendToLedger(empty, [f.issued, f.team], f.org, new Date(T0 + 1));
    const three = appendToLedger(two, [f.revoke], f.org, new Date(T0 + 2));
    // Ed25519 signatures are deterministic: the whole wire is a fixed vector.
    expect(toHex(hash('test-vector', (w) => w.bytes(three.wire)))).toBe(LEDGER_VECTOR);
    expect(ledgerHeadId(three)).toMatch(/^3 · [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
    const opened = openLedger(three.wire, f.org.publicKey);
    expect(opened.entries).toEqual([f.issued, f.team, f.revoke]);
    expect(opened.issuedAt).toBe(T0 + 2);
    expect(opened.links).toEqual(three.links);
    expect(openLedger(empty.wire, f.org.publicKey).entries).toEqual([]);
    // Appending keeps every earlier entry and link: the longer ledger extends the shorter.
    expect(codeOf(() => assertLedgerExtends(three, two))).toBe('ok');
    expect(codeOf(() => assertLedgerExtends(three, three))).toBe('ok');
  });

  it('refuses a changed or dropped entry, another key, a forged head, and rollback', () => {
    const f = fixture();
    const two = appendToLedger(startLedger(f.org, NOW), [f.issued, f.team], f.org, NOW);
    const three = appendToLedger(two, [f.revoke], f.org, NOW);
    const other = generateSigningKeyPair(seededRandom('other'));
    expect(codeOf(() => openLedger(three.wire, other.publicKey))).toBe(CryptoErrorCode.UntrustedKey);
    // Flip one byte inside the first entry (after the 2-byte header, the count and the entry length).
    const changed = three.wire.slice();
    changed[2 + 4 + 4 + 40] = (changed[2 + 4 + 4 + 40] as number) ^ 1;
    expect(codeOf(() => openLedger(changed, f.org.publicKey))).toBe(CryptoErrorCode.Tampered);
    // The same head over other entries (a server swapping keys in a recorded entry) is refused.
    const swapped = appendToLedger(startLedger(f.org, NOW), [{ ...f.issued, signKey: ledgerKeyDigest(other.publicKey) }, f.team, f.revoke], f.org, NOW);
    // Tail = u32 length ‖ head body (label 24 + key 32 + count 4 + link 32 + time 8) ‖ signature 64.
    const tail = 4 + 100 + 64;
    const spliced = new Uint8Array([...swapped.wire.subarray(0, swapped.wire.length - tail), ...three.wire.subarray(three.wire.length - tail)]);
    expect(spliced.length).toBe(three.wire.length);
    expect(codeOf(() => openLedger(spliced, f.org.publicKey))).toBe(CryptoErrorCode.Tampered);
    // A head signed by another key, or a signature that is not the head's.
    const forged = appendToLedger(startLedger(other, NOW), [f.issued], other, NOW);
    expect(codeOf(() => openLedger(forged.wire, f.org.publicKey))).toBe(CryptoErrorCode.UntrustedKey);
    const badSignature = three.wire.slice();
    badSignature[badSignature.length - 1] = (badSignature[badSignature.length - 1] as number) ^ 1;
    expect(codeOf(() => openLedger(badSignature, f.org.publicKey))).toBe(CryptoErrorCode.BadSignature);
    expect(codeOf(() => appendToLedger(two, [f.revoke], other, NOW))).toBe(CryptoErrorCode.UntrustedKey);
    // Rollback: a shorter copy, or one that diverges, is refused even though the org key signed it.
    expect(codeOf(() => assertLedgerExtends(two, three))).toBe(CryptoErrorCode.Rollback);
    const diverged = appendToLedger(two, [{ ...f.revoke, serial: 8, subject: 'unga' }], f.org, NOW);
    expect(codeOf(() => assertLedgerExtends(diverged, three))).toBe(CryptoErrorCode.Rollback);
    // Trailing bytes and truncation do not parse.
    expect(codeOf(() => openLedger(new Uint8Array([...three.wire, 0]), f.org.publicKey))).toBe(CryptoErrorCode.Malformed);
    expect(codeOf(() => openLedger(three.wire.subarray(0, 20), f.org.publicKey))).toBe(CryptoErrorCode.Malformed);
  });

  it('matches a certificate only with the recorded responder, keys, teams, roles and validity, live and newest', () => {
    const f = fixture();
    const ledger = appendToLedger(startLedger(f.org, NOW), [f.issued], f.org, NOW);
    const cert: IssuedCertFields = { serial: 7, id: 'r-lina', signPublicKey: f.sign, boxPublicKey: f.box as X25519PublicKey, teams: ['unga'], roles: ['responder'], notBefore: T0 - 60_000, expires: T0 - 60_000 + 30 * DAY };
    const index = indexLedger(ledger);
    expect(matchLedger(index, cert).serial).toBe(7);
    expect(codeOf(() => matchLedger(index, { ...cert, signPublicKey: generateSigningKeyPair().publicKey }))).toBe(CryptoErrorCode.UntrustedKey);
    expect(codeOf(() => matchLedger(index, { ...cert, boxPublicKey: new Uint8Array(32) as X25519PublicKey }))).toBe(CryptoErrorCode.UntrustedKey);
    expect(codeOf(() => matchLedger(index, { ...cert, serial: 99 }))).toBe(CryptoErrorCode.UntrustedKey);
    expect(codeOf(() => matchLedger(index, { ...cert, id: 'r-other' }))).toBe(CryptoErrorCode.UntrustedKey);
    expect(codeOf(() => matchLedger(index, { ...cert, roles: ['responder', 'admin'] }))).toBe(CryptoErrorCode.UntrustedKey);
    expect(codeOf(() => matchLedger(index, { ...cert, expires: cert.expires + DAY }))).toBe(CryptoErrorCode.UntrustedKey);
    const revoked = indexLedger(appendToLedger(ledger, [f.revoke], f.org, NOW));
    expect(codeOf(() => matchLedger(revoked, cert))).toBe(CryptoErrorCode.Revoked);
    const newer = indexLedger(appendToLedger(ledger, [{ ...f.issued, serial: 9 }], f.org, NOW));
    expect(codeOf(() => matchLedger(newer, cert))).toBe(CryptoErrorCode.UntrustedKey);
    expect(newer.live('r-lina').map((e) => e.serial)).toEqual([7, 9]);
    expect([...revoked.serials].sort()).toEqual([7]);
  });
});

/** BLAKE2b-256("utvag/v1/test-vector", wire) of the three-entry ledger above. */
const LEDGER_VECTOR = '6ecc7e726035edefe4e52db0b789cf68b80db7992bb83a1241615fa433d700af';
