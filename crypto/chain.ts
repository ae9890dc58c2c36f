// Verification of the trust chain: pinned root → organisation key → responder / team certificates, plus revocation.
import type { Ed25519PublicKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import {
  CLOCK_SKEW_MS,
  MAX_VALIDITY_MS,
  REVOCATION_MAX_AGE_MS,
  parseOrgCert,
  parseOrgRevocation,
  parseResponderCert,
  parseRevocationList,
  parseTeamCert,
  type OrgCert,
  type OrgRevocation,
  type ResponderCert,
  type RevocationList,
  type Signed,
  type TeamCert,
} from './certs.js';
import { sodium } from './sodium.js';

export { CLOCK_SKEW_MS };

/** A verified organisation certificate and revocation list, anchored in the pinned root key. */
export interface TrustAnchor {
  rootPublicKey: Ed25519PublicKey;
  org: OrgCert;
  revocations: RevocationList;
}

/** A responder certificate that verified against a TrustAnchor, with its wire bytes. */
export interface VerifiedResponderCert extends ResponderCert {
  bytes: Uint8Array;
}

/** A team certificate that verified against a TrustAnchor, with its wire bytes. */
export interface VerifiedTeamCert extends TeamCert {
  bytes: Uint8Array;
}

function verifySignature<T>(signed: Signed<T>, publicKey: Ed25519PublicKey, what: string): T {
  // A signature that fails against the trusted key means: not issued by it (forged, tampered, or
  // signed by some other key) — in every case the key is not chained to the pinned root.
  if (!sodium().crypto_sign_verify_detached(signed.signature, signed.body, publicKey)) {
    fail(CryptoErrorCode.UntrustedKey, `${what} not signed by the trusted key`);
  }
  return signed.value;
}

function checkTime(c: { notBefore: number; expires: number }, now: Date, max: number, what: string): void {
  const t = now.getTime();
  if (c.expires - c.notBefore > max || c.expires <= c.notBefore) fail(CryptoErrorCode.PolicyViolation, `${what} validity`);
  if (t < c.notBefore) fail(CryptoErrorCode.NotYetValid, what);
  if (t >= c.expires) fail(CryptoErrorCode.Expired, what);
}

function checkRevocationFresh(list: RevocationList, now: Date): void {
  const t = now.getTime();
  if (list.issuedAt > t + CLOCK_SKEW_MS) fail(CryptoErrorCode.NotYetValid, 'revocation list issued in the future');
  if (t - list.issuedAt > REVOCATION_MAX_AGE_MS) fail(CryptoErrorCode.Expired, 'revocation list older than 48 h');
}

/**
 * Verifies the organisation certificate against the pinned root key and the revocation list against
 * the organisation key, at time `now`. Throws UntrustedKey (not signed by root / org), Expired,
 * NotYetValid, PolicyViolation (validity longer than 90 days), Expired for a revocation list older
 * than 48 h, Malformed for bad bytes. With `orgRevocation` (the root's revocation of organisation
 * certificates): UntrustedKey unless the root signed it, Revoked when it names this certificate.
 */
export function createTrustAnchor(input: {
  rootPublicKey: Ed25519PublicKey;
  orgCert: Uint8Array;
  revocationList: Uint8Array;
  orgRevocation?: Uint8Array | null;
  now: Date;
}): TrustAnchor {
  if (input.rootPublicKey.length !== 32) fail(CryptoErrorCode.Malformed, 'root public key length');
  const org = verifySignature(parseOrgCert(input.orgCert), input.rootPublicKey, 'organisation certificate');
  checkTime(org, input.now, MAX_VALIDITY_MS.org, 'organisation certificate');
  if (input.orgRevocation !== undefined && input.orgRevocation !== null) {
    const revoked = verifySignature(parseOrgRevocation(input.orgRevocation), input.rootPublicKey, 'organisation revocation');
    if (revoked.serials.includes(org.serial)) fail(CryptoErrorCode.Revoked, `organisation certificate ${org.serial} revoked by the root`);
  }
  const revocations = verifySignature(parseRevocationList(input.revocationList), org.publicKey, 'revocation list');
  checkRevocationFresh(revocations, input.now);
  return { rootPublicKey: input.rootPublicKey, org, revocations };
}

/**
 * The organisation certificate's fields if the root signed it, whatever its validity: for the root's
 * own tool, which renews an expiring or already expired certificate. UntrustedKey if the root did not
 * sign it, Malformed for bad bytes. Clients use createTrustAnchor (which also checks time and policy).
 */
export function verifyOrgCertSignature(rootPublicKey: Ed25519PublicKey, orgCert: Uint8Array): OrgCert {
  return verifySignature(parseOrgCert(orgCert), rootPublicKey, 'organisation certificate');
}

/** The root's revocation of organisation certificates if the root signed it (UntrustedKey otherwise). */
export function verifyOrgRevocation(rootPublicKey: Ed25519PublicKey, orgRevocation: Uint8Array): OrgRevocation {
  return verifySignature(parseOrgRevocation(orgRevocation), rootPublicKey, 'organisation revocation');
}

/** Re-checks the anchor itself at `now` (organisation certificate validity, revocation freshness). */
function checkAnchor(anchor: TrustAnchor, now: Date): void {
  checkTime(anchor.org, now, MAX_VALIDITY_MS.org, 'organisation certificate');
  checkRevocationFresh(anchor.revocations, now);
}

/**
 * Verifies a responder certificate at `now`: signed by the organisation key (else UntrustedKey), within
 * its validity (Expired / NotYetValid / PolicyViolation), not revoked (Revoked), a member of `team`
 * when given (WrongTeam), holding `role` when given (WrongRole).
 */
export function verifyResponderCert(
  anchor: TrustAnchor,
  certBytes: Uint8Array,
  options: { now: Date; team?: string; role?: string },
): VerifiedResponderCert {
  checkAnchor(anchor, options.now);
  const cert = verifySignature(parseResponderCert(certBytes), anchor.org.publicKey, 'responder certificate');
  checkTime(cert, options.now, MAX_VALIDITY_MS.responder, 'responder certificate');
  if (anchor.revocations.serials.includes(cert.serial)) fail(CryptoErrorCode.Revoked, `responder certificate ${cert.serial}`);
  if (options.team !== undefined && !cert.teams.includes(options.team)) fail(CryptoErrorCode.WrongTeam, 'not a member of the team');
  if (options.role !== undefined && !cert.roles.includes(options.role)) fail(CryptoErrorCode.WrongRole, `lacks role ${options.role}`);
  return { ...cert, bytes: certBytes.slice() };
}

/**
 * Verifies a team inbox certificate at `now`: signed by the organisation key (UntrustedKey), valid
 * (Expired / NotYetValid / PolicyViolation), not revoked (Revoked), for `team` when given (WrongTeam).
 */
export function verifyTeamCert(anchor: TrustAnchor, certBytes: Uint8Array, options: { now: Date; team?: string }): VerifiedTeamCert {
  checkAnchor(anchor, options.now);
  const cert = verifySignature(parseTeamCert(certBytes), anchor.org.publicKey, 'team certificate');
  checkTime(cert, options.now, MAX_VALIDITY_MS.team, 'team certificate');
  if (anchor.revocations.serials.includes(cert.serial)) fail(CryptoErrorCode.Revoked, `team certificate ${cert.serial}`);
  if (options.team !== undefined && cert.team !== options.team) fail(CryptoErrorCode.WrongTeam, 'certificate of another team');
  return { ...cert, bytes: certBytes.slice() };
}
