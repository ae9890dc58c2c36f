// The root key's two operations on the organisation certificate, for `npm run org renew-org-cert` and
// `npm run org revoke-org` (server/cli/org.ts): renewing it (the same organisation key, a new serial,
// at most 90 days) and revoking it (a root-signed list of organisation certificate serials, wire type
// 0x05). Pure: the tool reads the current state, prints the listing built here, asks once, opens the
// root key, signs, and publishes what `checkPublication` accepts. Nothing the server holds is trusted:
// every certificate is checked against the root public key from the signed paper.
import {
  MAX_VALIDITY_MS,
  toBase64url,
  verifyOrgCertSignature,
  verifyOrgRevocation,
  type Ed25519PublicKey,
  type OrgCert,
  type OrgRevocation,
} from '../../crypto/index.js';
import { bytesEqual } from '../../crypto/encoding.js';

const DAY = 86_400_000;
/** The renewed certificate starts this much before now, so a client whose clock is a little behind accepts it. */
const BACKDATE_MS = 60_000;

/** The organisation certificate as the root sees it: verified under the root, with the root's revocations. */
export interface OrgCertState {
  readonly cert: OrgCert;
  /** Serials the published root revocation names (empty without one). */
  readonly revokedSerials: readonly number[];
  readonly revoked: boolean;
}

/** A refusal of the root's tool, with the sentence the key holders read. */
export class RootToolRefusal extends Error {
  override readonly name = 'RootToolRefusal';
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The organisation key as the key holders compare it with the key log: base64url in groups of eight. */
export const grouped = (key: Uint8Array) => toBase64url(key).replace(/(.{8})(?=.)/g, '$1 ');

/**
 * Reads the current organisation certificate and root revocation against the pinned root. Throws
 * RootToolRefusal when either was not signed by that root (the bundle is not this root's organisation,
 * or someone changed it).
 */
export function orgCertState(root: Ed25519PublicKey, bundle: { orgCert: Uint8Array; orgRevocation: Uint8Array | null }): OrgCertState {
  let cert: OrgCert;
  try {
    cert = verifyOrgCertSignature(root, bundle.orgCert);
  } catch {
    throw new RootToolRefusal('The organisation certificate was not signed by this root key (compare ROOT_PUBLIC_KEY with the signed paper). Nothing signed.');
  }
  let revocation: OrgRevocation | null = null;
  if (bundle.orgRevocation !== null) {
    try {
      revocation = verifyOrgRevocation(root, bundle.orgRevocation);
    } catch {
      throw new RootToolRefusal('The published organisation revocation was not signed by this root key. Nothing signed.');
    }
  }
  const revokedSerials = revocation?.serials ?? [];
  return { cert, revokedSerials, revoked: revokedSerials.includes(cert.serial) };
}

/** Lines describing the current certificate (status, and the top of both listings). */
export function describeOrgCert(state: OrgCertState, now: number): string[] {
  const left = Math.floor((state.cert.expires - now) / DAY);
  const validity = state.cert.expires <= now ? `EXPIRED on ${when(state.cert.expires)} UTC` : `valid until ${when(state.cert.expires)} UTC (${left} day(s) left)`;
  return [
    `Organisation certificate ${state.cert.serial}${state.cert.organisation ? ` (${state.cert.organisation.name}, ${state.cert.organisation.id})` : ''}: ${state.revoked ? 'REVOKED by the root' : validity}`,
    `  organisation key ${grouped(state.cert.publicKey)}`,
    `  issued for ${day(state.cert.notBefore)} – ${day(state.cert.expires)}`,
  ];
}

/**
 * The renewal of the organisation certificate: the same organisation key, the next serial no root
 * revocation names, valid from a minute ago for `days` (1–90). Refused when the current certificate is
 * revoked (renewing would undo the root's revocation: a revoked organisation key gets a new ceremony).
 */
export function planOrgCertRenewal(state: OrgCertState, now: number, days: number): { next: OrgCert; listing: string[] } {
  if (state.revoked) {
    throw new RootToolRefusal(`Organisation certificate ${state.cert.serial} is revoked by the root: its key is not renewed. Make a new organisation key (deploy/RUNBOOK.md section 9). Nothing signed.`);
  }
  if (!Number.isInteger(days) || days < 1 || days * DAY > MAX_VALIDITY_MS.org) throw new RootToolRefusal(`--days is 1 to ${MAX_VALIDITY_MS.org / DAY}.`);
  const serial = Math.max(state.cert.serial, ...state.revokedSerials) + 1;
  const notBefore = now - BACKDATE_MS;
  // Everything the root certified stays (the key, and in a region the organisation it names).
  const next: OrgCert = { ...state.cert, serial, notBefore, expires: notBefore + days * DAY };
  return {
    next,
    listing: [
      ...describeOrgCert(state, now),
      'To sign with the root key (1):',
      `  Renew the organisation certificate${state.cert.organisation ? ` of ${state.cert.organisation.name} (${state.cert.organisation.id})` : ''} for the same organisation key: serial ${serial}, valid ${day(next.notBefore)} – ${day(next.expires)} (${days} days).`,
      '  Compare the organisation key above with the one in the key log before you answer.',
    ],
  };
}

/**
 * The root's revocation of the current organisation certificate: every serial revoked before plus the
 * current one (a revocation is never undone). Refused when it is already revoked.
 */
export function planOrgRevocation(state: OrgCertState, now: number): { revocation: OrgRevocation; listing: string[] } {
  if (state.revoked) throw new RootToolRefusal(`Organisation certificate ${state.cert.serial} is already revoked. Nothing signed.`);
  const serials = [...new Set([...state.revokedSerials, state.cert.serial])].sort((a, b) => a - b);
  return {
    revocation: { issuedAt: now, serials },
    listing: [
      ...describeOrgCert(state, now),
      'To sign with the root key (1):',
      `  REVOKE organisation certificate ${state.cert.serial}. Every widget and console then refuses this organisation: no new`,
      '  conversation can start until the key holders certify a new organisation key (deploy/RUNBOOK.md section 9).',
      `  Serials revoked by the root after this: ${serials.join(', ')}.`,
    ],
  };
}

/**
 * What may replace the published organisation certificate and root revocation: a certificate the root
 * signed, for the same organisation key (another key needs its own ceremony: the sealed key and the
 * ledger belong to this one), not older than the published one and not revoked; a revocation the root
 * signed that keeps every serial revoked before. Returns the fields to publish; throws RootToolRefusal.
 */
export function checkPublication(
  root: Ed25519PublicKey,
  current: { orgCert: Uint8Array; orgRevocation: Uint8Array | null },
  offered: { orgCert: Uint8Array | null; orgRevocation: Uint8Array | null },
): { orgCert: Uint8Array; orgRevocation: Uint8Array | null; lines: string[] } {
  const before = orgCertState(root, current);
  const lines: string[] = [];
  let orgRevocation = current.orgRevocation;
  let revoked = before.revokedSerials;
  if (offered.orgRevocation !== null) {
    let revocation: OrgRevocation;
    try {
      revocation = verifyOrgRevocation(root, offered.orgRevocation);
    } catch {
      throw new RootToolRefusal('The organisation revocation in the file was not signed by the pinned root key. Nothing published.');
    }
    const dropped = before.revokedSerials.filter((s) => !revocation.serials.includes(s));
    if (dropped.length > 0) throw new RootToolRefusal(`The organisation revocation in the file leaves out serial(s) ${dropped.join(', ')} the root revoked before. Nothing published.`);
    orgRevocation = offered.orgRevocation;
    revoked = revocation.serials;
    lines.push(`Root revocation of organisation certificate(s) ${revocation.serials.join(', ')} (issued ${when(revocation.issuedAt)} UTC).`);
  }
  let orgCert = current.orgCert;
  if (offered.orgCert !== null && !bytesEqual(offered.orgCert, current.orgCert)) {
    let cert: OrgCert;
    try {
      cert = verifyOrgCertSignature(root, offered.orgCert);
    } catch {
      throw new RootToolRefusal('The organisation certificate in the file was not signed by the pinned root key. Nothing published.');
    }
    if (!bytesEqual(cert.publicKey, before.cert.publicKey)) throw new RootToolRefusal('The organisation certificate in the file is for another organisation key (a new key is a new ceremony: deploy/RUNBOOK.md section 2). Nothing published.');
    if ((cert.organisation?.id ?? null) !== (before.cert.organisation?.id ?? null)) throw new RootToolRefusal('The organisation certificate in the file names another organisation. Nothing published.');
    if (cert.serial <= before.cert.serial) throw new RootToolRefusal(`The organisation certificate in the file (serial ${cert.serial}) is not newer than the published one (serial ${before.cert.serial}). Nothing published.`);
    if (revoked.includes(cert.serial)) throw new RootToolRefusal(`The organisation certificate in the file (serial ${cert.serial}) is revoked by the root. Nothing published.`);
    orgCert = offered.orgCert;
    lines.push(`Organisation certificate ${cert.serial}, valid ${day(cert.notBefore)} – ${day(cert.expires)}.`);
  }
  if (lines.length === 0) throw new RootToolRefusal('The file holds nothing newer than what is published.');
  return { orgCert, orgRevocation, lines };
}
