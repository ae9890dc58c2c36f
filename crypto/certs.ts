// Certificate and revocation-list formats: encode, sign (issuer side), and parse (one validating function each).
import type { Ed25519PublicKey, Ed25519SecretKey, X25519PublicKey } from './encoding.js';
import { PROTOCOL_VERSION, Reader, Writer, readHeader, v2 } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { hash } from './hash.js';
import { sodium } from './sodium.js';

const DAY = 24 * 60 * 60 * 1000;
/** Longest validity (not-before → expiry) of each certificate kind, in milliseconds. */
export const MAX_VALIDITY_MS = { org: 90 * DAY, responder: 30 * DAY, team: 7 * DAY } as const;
/** Tolerated clock skew for "issued in the future" checks: 5 minutes. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** A revocation list older than this (by its issue time) is rejected: 48 hours. */
export const REVOCATION_MAX_AGE_MS = 48 * 60 * 60 * 1000;

/** Wire type bytes (second byte, after the version). */
export const WireType = {
  OrgCert: 0x01,
  ResponderCert: 0x02,
  TeamCert: 0x03,
  RevocationList: 0x04,
  OrgRevocation: 0x05,
  Intake: 0x10,
  Callback: 0x11,
  Handshake: 0x20,
  SessionRequest: 0x21,
  /** A session request to another organisation's team, with the psk sealed to its inbox key (crypto/handover.ts). */
  HandoverRequest: 0x22,
  Message: 0x30,
  TransferHandoff: 0x40,
  TeamKeyDelivery: 0x41,
  ResumeBlob: 0x50,
  WrappedKeys: 0x60,
  SessionState: 0x70,
  PendingVisitor: 0x71,
  LocalSecret: 0x72,
  /** The admins' certificate ledger (crypto/ledger.ts). */
  Ledger: 0x80,
  /** A team note on a conversation (crypto/note.ts). */
  Note: 0x90,
} as const;

/** Organisation certificate: the root vouches for the organisation signing key (≤ 90 days). */
export interface OrgCert {
  serial: number;
  /**
   * Which organisation of the deployment the key belongs to, as the root certified it (wire version 2;
   * a version-1 certificate names none: the deployment's one organisation).
   */
  organisation?: OrgIdentity | null;
  publicKey: Ed25519PublicKey;
  /** Not-before and expiry, Unix milliseconds. */
  notBefore: number;
  expires: number;
}

/** An organisation of a region as the root names it: a stable id and the name visitors are shown. */
export interface OrgIdentity {
  /** [a-z0-9-], 1–40 characters. */
  id: string;
  /** 1–80 characters, e.g. "Regionjouren" or "Huddinge kommun". */
  name: string;
}

/** Organisation certificates naming their organisation are wire version 2 (version 1 still parses). */
export const ORG_CERT_NAMED_VERSION = 2;

/** Responder certificate, signed by the organisation key (≤ 30 days). */
export interface ResponderCert {
  serial: number;
  id: string;
  displayName: string;
  teams: string[];
  roles: string[];
  signPublicKey: Ed25519PublicKey;
  boxPublicKey: X25519PublicKey;
  notBefore: number;
  expires: number;
}

/** Team inbox certificate, signed by the organisation key (≤ 7 days). */
export interface TeamCert {
  serial: number;
  team: string;
  epoch: number;
  boxPublicKey: X25519PublicKey;
  notBefore: number;
  expires: number;
}

/** A revoked serial and the expiry of the certificate it names (Unix ms; UNKNOWN_EXPIRY if not known). */
export interface RevokedSerial {
  serial: number;
  expires: number;
}

/** The expiry recorded for a serial whose certificate's expiry the issuer does not know: kept for ever. */
export const UNKNOWN_EXPIRY = Number.MAX_SAFE_INTEGER;

/** Wire version of the revocation list since it carries each serial's expiry (v1 lists still parse). */
export const REVOCATION_LIST_VERSION = 2;

/**
 * Revocation list, signed by the organisation key; stale after 48 h. It shrinks: a serial whose
 * certificate has expired by the list's issue time is dropped when the list is issued (an expired
 * certificate is refused as Expired anyway), so the list holds only revoked, still-valid certificates.
 */
export interface RevocationList {
  /** Unix milliseconds. */
  issuedAt: number;
  /** Revoked responder/team certificate serials (ascending). */
  serials: number[];
  /** The same serials with their certificates' expiry. */
  entries: RevokedSerial[];
}

/**
 * The root's revocation of organisation certificates (wire version 2, type 0x05): a client that is
 * given it refuses an organisation certificate whose serial it names, whatever the organisation key
 * signed since. It cannot be forged by the server; a server can withhold it, which the organisation
 * certificate's short validity (≤ 90 days) bounds.
 */
export interface OrgRevocation {
  /** Unix milliseconds. */
  issuedAt: number;
  /** Revoked organisation certificate serials. */
  serials: number[];
}

/** A parsed signed object: its fields, the signed body and the signature (not yet verified). */
export interface Signed<T> {
  value: T;
  body: Uint8Array;
  signature: Uint8Array;
  /** The whole wire encoding (what H(cert) is computed over). */
  bytes: Uint8Array;
}

function encodeOrg(c: OrgCert): Uint8Array {
  const o = c.organisation;
  const w = o == null ? Writer.labelled('org-cert').u64(c.serial) : Writer.labelled(v2('org-cert')).u64(c.serial).string(o.id).string(o.name);
  return w.fixed(c.publicKey, 32).u64(c.notBefore).u64(c.expires).finish();
}
function encodeResponder(c: ResponderCert): Uint8Array {
  return Writer.labelled('responder-cert')
    .u64(c.serial).string(c.id).string(c.displayName).strings(c.teams).strings(c.roles)
    .fixed(c.signPublicKey, 32).fixed(c.boxPublicKey, 32).u64(c.notBefore).u64(c.expires).finish();
}
function encodeTeam(c: TeamCert): Uint8Array {
  return Writer.labelled('team-cert')
    .u64(c.serial).string(c.team).u32(c.epoch).fixed(c.boxPublicKey, 32).u64(c.notBefore).u64(c.expires).finish();
}
function encodeRevocations(issuedAt: number, entries: readonly RevokedSerial[]): Uint8Array {
  const w = Writer.labelled(v2('revocation-list')).u64(issuedAt).u32(entries.length);
  for (const e of entries) w.u64(e.serial).u64(e.expires);
  return w.finish();
}

/**
 * The entries a list issued at `issuedAt` keeps: one per serial (the earliest known expiry wins),
 * ascending, without those whose certificate had expired CLOCK_SKEW_MS before (a list is accepted
 * up to that much before its issue time, and the certificate must already be Expired by then).
 */
export function liveRevocations(issuedAt: number, entries: readonly RevokedSerial[]): RevokedSerial[] {
  const bySerial = new Map<number, number>();
  for (const e of entries) bySerial.set(e.serial, Math.min(e.expires, bySerial.get(e.serial) ?? UNKNOWN_EXPIRY));
  return [...bySerial]
    .filter(([, expires]) => expires > issuedAt - CLOCK_SKEW_MS)
    .sort(([a], [b]) => a - b)
    .map(([serial, expires]) => ({ serial, expires }));
}

/** Wire: u8 version ‖ u8 type ‖ u32 length ‖ body ‖ Ed25519 signature (64) over body. */
function signWire(type: number, body: Uint8Array, secretKey: Ed25519SecretKey, version: number = PROTOCOL_VERSION): Uint8Array {
  const signature = sodium().crypto_sign_detached(body, secretKey);
  return new Writer().u8(version).u8(type).bytes(body).fixed(signature, 64).finish();
}

function parseWire<T>(bytes: Uint8Array, type: number, what: string, decode: (r: Reader, version: number) => T, version: number = PROTOCOL_VERSION): Signed<T> {
  const r = new Reader(bytes);
  readHeader(r, type, what, version);
  const body = r.bytes(64 * 1024);
  const signature = r.fixed(64);
  r.end();
  const br = new Reader(body);
  const value = decode(br, version);
  br.end();
  return { value, body, signature, bytes: bytes.slice() };
}

function checkValidity(notBefore: number, expires: number, max: number, what: string): void {
  if (expires <= notBefore) fail(CryptoErrorCode.PolicyViolation, `${what} expires before it starts`);
  if (expires - notBefore > max) fail(CryptoErrorCode.PolicyViolation, `${what} validity longer than allowed`);
}

/** Root signs an organisation certificate (validity ≤ 90 days, else PolicyViolation; clients refuse longer ones). */
export function issueOrgCert(rootSecretKey: Ed25519SecretKey, cert: OrgCert): Uint8Array {
  checkValidity(cert.notBefore, cert.expires, MAX_VALIDITY_MS.org, 'org certificate');
  const o = cert.organisation;
  if (o != null && !(/^[a-z0-9-]{1,40}$/.test(o.id) && o.name.length > 0 && o.name.length <= 80)) fail(CryptoErrorCode.PolicyViolation, 'organisation id or name');
  return signWire(WireType.OrgCert, encodeOrg(cert), rootSecretKey, o == null ? PROTOCOL_VERSION : ORG_CERT_NAMED_VERSION);
}

/** Organisation key signs a responder certificate (validity ≤ 30 days). */
export function issueResponderCert(orgSecretKey: Ed25519SecretKey, cert: ResponderCert): Uint8Array {
  checkValidity(cert.notBefore, cert.expires, MAX_VALIDITY_MS.responder, 'responder certificate');
  return signWire(WireType.ResponderCert, encodeResponder(cert), orgSecretKey);
}

/** Organisation key signs a team inbox certificate (validity ≤ 7 days). */
export function issueTeamCert(orgSecretKey: Ed25519SecretKey, cert: TeamCert): Uint8Array {
  checkValidity(cert.notBefore, cert.expires, MAX_VALIDITY_MS.team, 'team certificate');
  return signWire(WireType.TeamCert, encodeTeam(cert), orgSecretKey);
}

/**
 * Organisation key signs a revocation list (wire version 2). `entries` name serials with their
 * certificates' expiry; bare `serials` are kept with UNKNOWN_EXPIRY. Entries expired at `issuedAt`
 * are left out (liveRevocations): the list shrinks as revoked certificates expire.
 */
export function issueRevocationList(
  orgSecretKey: Ed25519SecretKey,
  list: { issuedAt: number; serials?: readonly number[]; entries?: readonly RevokedSerial[] },
): Uint8Array {
  const entries = liveRevocations(list.issuedAt, [...(list.entries ?? []), ...(list.serials ?? []).map((serial) => ({ serial, expires: UNKNOWN_EXPIRY }))]);
  return signWire(WireType.RevocationList, encodeRevocations(list.issuedAt, entries), orgSecretKey, REVOCATION_LIST_VERSION);
}

/** Root signs a revocation of organisation certificates (by serial). */
export function issueOrgRevocation(rootSecretKey: Ed25519SecretKey, revocation: OrgRevocation): Uint8Array {
  const w = Writer.labelled(v2('org-revocation')).u64(revocation.issuedAt).u32(revocation.serials.length);
  for (const s of revocation.serials) w.u64(s);
  return signWire(WireType.OrgRevocation, w.finish(), rootSecretKey, REVOCATION_LIST_VERSION);
}

/** Parses (does not verify) a root revocation of organisation certificates (at most 10 000 serials). */
export function parseOrgRevocation(bytes: Uint8Array): Signed<OrgRevocation> {
  return parseWire(
    bytes,
    WireType.OrgRevocation,
    'organisation revocation',
    (r) => {
      r.expectLabel(v2('org-revocation'));
      const issuedAt = r.u64();
      const n = r.u32();
      if (n > 10_000) fail(CryptoErrorCode.Malformed, 'too many serials');
      const serials: number[] = [];
      for (let i = 0; i < n; i++) serials.push(r.u64());
      return { issuedAt, serials };
    },
    REVOCATION_LIST_VERSION,
  );
}

/** Parses (does not verify) an organisation certificate. Throws Malformed/UnsupportedVersion. */
export function parseOrgCert(bytes: Uint8Array): Signed<OrgCert> {
  const version = bytes[0] === ORG_CERT_NAMED_VERSION ? ORG_CERT_NAMED_VERSION : PROTOCOL_VERSION;
  return parseWire(
    bytes,
    WireType.OrgCert,
    'org certificate',
    (r) => {
      const named = version === ORG_CERT_NAMED_VERSION;
      r.expectLabel(named ? v2('org-cert') : 'org-cert');
      const serial = r.u64();
      const organisation = named ? { id: r.string(), name: r.string() } : null;
      return { serial, organisation, publicKey: r.fixed(32) as Ed25519PublicKey, notBefore: r.u64(), expires: r.u64() };
    },
    version,
  );
}

/** Parses (does not verify) a responder certificate. Throws Malformed/UnsupportedVersion. */
export function parseResponderCert(bytes: Uint8Array): Signed<ResponderCert> {
  return parseWire(bytes, WireType.ResponderCert, 'responder certificate', (r) => {
    r.expectLabel('responder-cert');
    return {
      serial: r.u64(),
      id: r.string(256),
      displayName: r.string(256),
      teams: r.strings(),
      roles: r.strings(),
      signPublicKey: r.fixed(32) as Ed25519PublicKey,
      boxPublicKey: r.fixed(32) as X25519PublicKey,
      notBefore: r.u64(),
      expires: r.u64(),
    };
  });
}

/** Parses (does not verify) a team inbox certificate. Throws Malformed/UnsupportedVersion. */
export function parseTeamCert(bytes: Uint8Array): Signed<TeamCert> {
  return parseWire(bytes, WireType.TeamCert, 'team certificate', (r) => {
    r.expectLabel('team-cert');
    return {
      serial: r.u64(),
      team: r.string(256),
      epoch: r.u32(),
      boxPublicKey: r.fixed(32) as X25519PublicKey,
      notBefore: r.u64(),
      expires: r.u64(),
    };
  });
}

/**
 * Parses (does not verify) a revocation list (at most 100 000 serials): version 2 with each serial's
 * expiry, or a version-1 list of bare serials (their expiry then UNKNOWN_EXPIRY).
 */
export function parseRevocationList(bytes: Uint8Array): Signed<RevocationList> {
  const version = bytes[0] === 1 ? 1 : REVOCATION_LIST_VERSION;
  return parseWire(
    bytes,
    WireType.RevocationList,
    'revocation list',
    (r) => {
      r.expectLabel(version === 1 ? 'revocation-list' : v2('revocation-list'));
      const issuedAt = r.u64();
      const n = r.u32();
      if (n > 100_000) fail(CryptoErrorCode.Malformed, 'too many serials');
      const entries: RevokedSerial[] = [];
      for (let i = 0; i < n; i++) entries.push({ serial: r.u64(), expires: version === 1 ? UNKNOWN_EXPIRY : r.u64() });
      return { issuedAt, serials: entries.map((e) => e.serial), entries };
    },
    version,
  );
}

/** H(cert) as bound into the handshake transcript: BLAKE2b-256("utvag/v1/cert-hash", wire bytes). */
export function certHash(certBytes: Uint8Array): Uint8Array {
  return hash('cert-hash', (w) => w.bytes(certBytes));
}
