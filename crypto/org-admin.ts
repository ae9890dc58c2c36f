// What the organisation key signs, and the checks before it does: unlock the passphrase-sealed key
// (only in the `npm run org` tool, never in a page the server serves), certify an enrolment whose
// fingerprint the admin saw, renew a certificate only when it matches the ledger, revoke only serials
// the ledger knows, seal new team inbox epochs only to members whose certificates match the ledger.
// Pure: inputs are bytes the server handed over (untrusted) plus the ledger and the pinned root.
import { createTrustAnchor, verifyResponderCert, type TrustAnchor } from './chain.js';
import {
  issueResponderCert,
  issueRevocationList,
  issueTeamCert,
  parseOrgCert,
  parseResponderCert,
  parseRevocationList,
  type OrgCert,
  type ResponderCert,
  UNKNOWN_EXPIRY,
  type RevokedSerial,
} from './certs.js';
import type { Ed25519PublicKey, X25519PublicKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { sealTeamInboxKey } from './inbox-key.js';
import { generateBoxKeyPair, type SigningKeyPair } from './keys.js';
import { indexLedger, ledgerKeyDigest, matchLedger, type Ledger, type LedgerIndex, type ResponderIssued, type Revoked, type TeamIssued } from './ledger.js';
import { openOrgSigningKey } from './org-key.js';
import { systemRandom, type Random } from './random.js';
import { sodium } from './sodium.js';

const DAY = 86_400_000;
/** Responder certificates run 30 days, team inbox certificates 7, each starting a minute early (clock skew). */
export const RESPONDER_CERT_DAYS = 30;
export const TEAM_CERT_DAYS = 7;
const EARLY_MS = 60_000;

/** The sealed organisation key as stored: Argon2id salt and cost, and the sealed wire. */
export interface SealedOrgKeyBytes {
  readonly salt: Uint8Array;
  readonly opslimit: number;
  readonly memlimit: number;
  readonly sealed: Uint8Array;
}

/** Argon2id of a passphrase (crypto/password.ts deriveLoginKeys, or a Worker). */
export type DeriveKeys = (passphrase: string, salt: Uint8Array, params: { opslimit: number; memlimit: number }) => Promise<{ authKey: Uint8Array; wrapKey: Uint8Array }>;

/** The unlocked organisation key with its certificate (verified against the pinned root). */
export interface OrgSigner {
  readonly keyPair: SigningKeyPair;
  readonly org: OrgCert;
  readonly orgCert: Uint8Array;
  readonly rootPublicKey: Ed25519PublicKey;
}

/**
 * Opens the sealed organisation key after checking its certificate against the pinned root; the key
 * must be the certified one. Throws UntrustedKey (certificate or key not chained to the root),
 * Expired / NotYetValid (certificate out of date), Tampered (wrong passphrase or changed bytes).
 */
export async function unlockOrgKey(input: { sealed: SealedOrgKeyBytes; passphrase: string; derive: DeriveKeys; rootPublicKey: Ed25519PublicKey; orgCert: Uint8Array; now: Date }): Promise<OrgSigner> {
  const signed = parseOrgCert(input.orgCert);
  if (!sodium().crypto_sign_verify_detached(signed.signature, signed.body, input.rootPublicKey)) fail(CryptoErrorCode.UntrustedKey, 'organisation certificate not signed by the pinned root');
  const t = input.now.getTime();
  if (t < signed.value.notBefore) fail(CryptoErrorCode.NotYetValid, 'organisation certificate');
  if (t >= signed.value.expires) fail(CryptoErrorCode.Expired, 'organisation certificate');
  const derived = await input.derive(input.passphrase, input.sealed.salt, { opslimit: input.sealed.opslimit, memlimit: input.sealed.memlimit });
  derived.authKey.fill(0);
  try {
    const keyPair = openOrgSigningKey(derived.wrapKey, input.sealed.sealed, signed.value.publicKey);
    return { keyPair, org: signed.value, orgCert: input.orgCert.slice(), rootPublicKey: input.rootPublicKey };
  } finally {
    derived.wrapKey.fill(0);
  }
}

/** Zeroes the organisation secret key. */
export function wipeOrgSigner(signer: OrgSigner): void {
  signer.keyPair.secretKey.fill(0);
}

/** A random 48-bit serial not in `used`; added to `used` (no counter to coordinate between admins). */
export function freshSerial(used: Set<number>, random: Random = systemRandom): number {
  for (;;) {
    const serial = random(6).reduce((n, x) => n * 256 + x, 0);
    if (serial !== 0 && !used.has(serial)) {
      used.add(serial);
      return serial;
    }
  }
}

/** A responder certificate the server handed over, verified under the organisation key and matched to the ledger. */
export interface CheckedCert {
  readonly cert: ResponderCert;
  readonly entry: ResponderIssued;
}

/**
 * Checks a responder certificate from the server: signed by the organisation key (not only parsed)
 * AND exactly as the ledger recorded it (same responder, keys, teams, roles, not revoked, the newest).
 * Throws UntrustedKey / Revoked with the reason (a message for the admin) otherwise.
 */
export function checkIssuedCert(signer: OrgSigner, index: LedgerIndex, wire: Uint8Array, responder: string): CheckedCert {
  const signed = parseResponderCert(wire);
  if (!sodium().crypto_sign_verify_detached(signed.signature, signed.body, signer.org.publicKey)) fail(CryptoErrorCode.UntrustedKey, 'the certificate is not signed by the organisation key');
  if (signed.value.id !== responder) fail(CryptoErrorCode.UntrustedKey, `the certificate belongs to ${signed.value.id}`);
  return { cert: signed.value, entry: matchLedger(index, signed.value) };
}

function responderEntry(cert: ResponderCert, at: number): ResponderIssued {
  return {
    kind: 'responder',
    at,
    serial: cert.serial,
    responder: cert.id,
    signKey: ledgerKeyDigest(cert.signPublicKey),
    boxKey: ledgerKeyDigest(cert.boxPublicKey),
    teams: [...cert.teams],
    roles: [...cert.roles],
    notBefore: cert.notBefore,
    expires: cert.expires,
  };
}

/** What one signing step produced: the wire to upload and the entries to append to the ledger. */
export interface Issued<T> {
  readonly value: T;
  readonly entries: Array<ResponderIssued | TeamIssued | Revoked>;
}

/**
 * Certifies an enrolment's keys (the admin has been shown their fingerprint and confirmed). A new
 * responder, or new keys for one: the only way keys enter the ledger.
 */
export function certifyEnrolment(
  signer: OrgSigner,
  enrolled: { responder: string; displayName: string; teams: readonly string[]; roles: readonly string[]; signPublicKey: Ed25519PublicKey; boxPublicKey: X25519PublicKey },
  used: Set<number>,
  now: Date,
  random: Random = systemRandom,
): Issued<Uint8Array> {
  const t = now.getTime() - EARLY_MS;
  const cert: ResponderCert = {
    serial: freshSerial(used, random),
    id: enrolled.responder,
    displayName: enrolled.displayName,
    teams: [...enrolled.teams],
    roles: [...enrolled.roles],
    signPublicKey: enrolled.signPublicKey,
    boxPublicKey: enrolled.boxPublicKey,
    notBefore: t,
    expires: t + RESPONDER_CERT_DAYS * DAY,
  };
  return { value: issueResponderCert(signer.keyPair.secretKey, cert), entries: [responderEntry(cert, now.getTime())] };
}

/**
 * Renews (or changes the teams and roles of) a certificate that passed checkIssuedCert: the same keys
 * and name, a new serial and validity; the old serial is revoked in the ledger.
 */
export function renewCert(signer: OrgSigner, previous: CheckedCert, change: { teams: readonly string[]; roles: readonly string[] }, used: Set<number>, now: Date, random: Random = systemRandom): Issued<Uint8Array> {
  const t = now.getTime() - EARLY_MS;
  const cert: ResponderCert = { ...previous.cert, serial: freshSerial(used, random), teams: [...change.teams], roles: [...change.roles], notBefore: t, expires: t + RESPONDER_CERT_DAYS * DAY };
  return {
    value: issueResponderCert(signer.keyPair.secretKey, cert),
    entries: [responderEntry(cert, now.getTime()), { kind: 'revoke', at: now.getTime(), serial: previous.cert.serial, subject: previous.cert.id }],
  };
}

/**
 * The serials to revoke when `responder` leaves: every certificate of theirs the ledger holds as live.
 * `named` (what the server says the current serial is) must be one of them: a serial the ledger does
 * not know, or one of someone else, is refused (UntrustedKey) and nothing is revoked.
 */
export function deactivationSerials(index: LedgerIndex, responder: string, named: number | null, now: Date): Issued<number[]> {
  const live = index.live(responder).map((e) => e.serial);
  if (named !== null) {
    const entry = index.issued.get(named);
    if (entry === undefined) fail(CryptoErrorCode.UntrustedKey, `serial ${named} is not in the ledger`);
    if (entry.kind !== 'responder' || entry.responder !== responder) fail(CryptoErrorCode.UntrustedKey, `serial ${named} was not issued to ${responder}`);
    if (!live.includes(named) && !index.revoked.has(named)) fail(CryptoErrorCode.UntrustedKey, `serial ${named} is not a live certificate of ${responder}`);
  }
  return { value: live, entries: live.map((serial) => ({ kind: 'revoke', at: now.getTime(), serial, subject: responder })) };
}

/**
 * A new revocation list: the serials of the published list (only if the organisation key signed it),
 * the ledger's revocations of certificates still valid, and `add`. With the trust anchor it makes.
 * Throws UntrustedKey when the published list is not the organisation's.
 */
export function issueRevocations(signer: OrgSigner, ledger: Ledger, published: Uint8Array | null, add: readonly number[], now: Date): { list: Uint8Array; anchor: TrustAnchor } {
  const index = indexLedger(ledger);
  // Each serial travels with its certificate's expiry (from the ledger when the list lacks it), so
  // the list drops it once that certificate has expired (liveRevocations in certs.ts).
  const expiryOf = (serial: number) => index.issued.get(serial)?.expires ?? UNKNOWN_EXPIRY;
  const entries: RevokedSerial[] = add.map((serial) => ({ serial, expires: expiryOf(serial) }));
  if (published !== null) {
    const signed = parseRevocationList(published);
    if (!sodium().crypto_sign_verify_detached(signed.signature, signed.body, signer.org.publicKey)) fail(CryptoErrorCode.UntrustedKey, 'the published revocation list is not signed by the organisation key');
    for (const e of signed.value.entries) entries.push({ serial: e.serial, expires: Math.min(e.expires, expiryOf(e.serial)) });
  }
  for (const serial of index.revoked) entries.push({ serial, expires: expiryOf(serial) });
  const list = issueRevocationList(signer.keyPair.secretKey, { issuedAt: now.getTime(), entries });
  return { list, anchor: createTrustAnchor({ rootPublicKey: signer.rootPublicKey, orgCert: signer.orgCert, revocationList: list, now }) };
}

/** One team's new inbox epoch as uploaded: certificate and the secret sealed to each member. */
export interface TeamKeyUpload {
  readonly team: string;
  readonly epoch: number;
  readonly cert: Uint8Array;
  readonly deliveries: ReadonlyMap<string, Uint8Array>;
}

/**
 * A new inbox epoch for `team`, certified, its secret sealed to each member, then wiped. Each member's
 * certificate must pass checkIssuedCert (the ledger) and be valid for the team under `anchor` (not
 * revoked, not expired); otherwise nothing is sealed and the reason is thrown.
 */
export function rotateTeamKey(
  signer: OrgSigner,
  anchor: TrustAnchor,
  index: LedgerIndex,
  rotation: { team: string; epoch: number; members: ReadonlyArray<{ id: string; cert: Uint8Array }> },
  used: Set<number>,
  now: Date,
  random: Random = systemRandom,
): Issued<TeamKeyUpload> {
  const keys = rotation.members.map((m) => {
    checkIssuedCert(signer, index, m.cert, m.id);
    return { id: m.id, box: verifyResponderCert(anchor, m.cert, { now, team: rotation.team }).boxPublicKey };
  });
  const t = now.getTime() - EARLY_MS;
  const inbox = generateBoxKeyPair(random);
  try {
    const serial = freshSerial(used, random);
    const fields = { serial, team: rotation.team, epoch: rotation.epoch, boxPublicKey: inbox.publicKey, notBefore: t, expires: t + TEAM_CERT_DAYS * DAY };
    const cert = issueTeamCert(signer.keyPair.secretKey, fields);
    const deliveries = new Map(keys.map((k) => [k.id, sealTeamInboxKey({ team: rotation.team, epoch: rotation.epoch, secretKey: inbox.secretKey }, k.box)] as const));
    const entry: TeamIssued = { kind: 'team', at: now.getTime(), serial, team: rotation.team, epoch: rotation.epoch, boxKey: ledgerKeyDigest(inbox.publicKey), notBefore: fields.notBefore, expires: fields.expires };
    return { value: { team: rotation.team, epoch: rotation.epoch, cert, deliveries }, entries: [entry] };
  } finally {
    inbox.secretKey.fill(0);
  }
}

/**
 * A responder certificate the organisation key signed before the ledger existed, as a ledger entry
 * (`npm run org sign --adopt`, after the admin compared its fingerprint with the responder). Throws
 * UntrustedKey when the organisation key did not sign it or the ledger already knows the responder.
 */
export function adoptCert(signer: OrgSigner, index: LedgerIndex, wire: Uint8Array, now: Date): { cert: ResponderCert; entry: ResponderIssued } {
  const signed = parseResponderCert(wire);
  if (!sodium().crypto_sign_verify_detached(signed.signature, signed.body, signer.org.publicKey)) fail(CryptoErrorCode.UntrustedKey, 'the certificate is not signed by the organisation key');
  if (index.serials.has(signed.value.serial) || index.live(signed.value.id).length > 0) fail(CryptoErrorCode.UntrustedKey, 'the ledger already holds this responder');
  return { cert: signed.value, entry: responderEntry(signed.value, now.getTime()) };
}
