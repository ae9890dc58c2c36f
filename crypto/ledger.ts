// The certificate ledger: the admins' own append-only record of every certificate the organisation
// key has issued (responder and team inbox certificates) and every serial it revoked. Entries form a
// hash chain; the head (organisation public key, entry count, chain hash, time) is signed by the
// organisation key, so only an admin holding that key can roll the ledger forward, and a copy is
// checked on every load. The `npm run org` tool renews a certificate only when the old one matches
// its ledger entry (same responder, same keys), and revokes only serials the ledger knows: a server
// that swaps keys or names a foreign serial gets no signature. See crypto/PROTOCOL.md, "Ledger".
//
// Wire: u8 version ‖ u8 0x80 ‖ u32 n ‖ n × bytes(entry) ‖ bytes(head body) ‖ signature (64).
//   entry = "utvag/v1/ledger-entry" ‖ u8 kind ‖ u64 at ‖ u64 serial ‖ kind fields (see encodeEntry)
//   head  = "utvag/v1/ledger-head" ‖ org public key (32) ‖ u32 n ‖ link_n (32) ‖ u64 issuedAt
//   link_0 = H("ledger-genesis", org public key); link_i = H("ledger-chain", link_{i-1}, entry_i)
import { PROTOCOL_VERSION, Reader, Writer, bytesEqual, readHeader, toHex, type Ed25519PublicKey } from './encoding.js';
import { WireType, type ResponderCert } from './certs.js';
import { CryptoErrorCode, fail } from './errors.js';
import { hash } from './hash.js';
import type { SigningKeyPair } from './keys.js';
import { sodium } from './sodium.js';

/** At most this many entries in one ledger (about 100 responders renewed monthly for 100+ years). */
export const MAX_LEDGER_ENTRIES = 200_000;

/** A responder certificate the organisation issued. Keys are kept as digests (ledgerKeyDigest). */
export interface ResponderIssued {
  readonly kind: 'responder';
  /** When the admin signed it, Unix ms. */
  readonly at: number;
  readonly serial: number;
  readonly responder: string;
  readonly signKey: Uint8Array;
  readonly boxKey: Uint8Array;
  readonly teams: readonly string[];
  readonly roles: readonly string[];
  readonly notBefore: number;
  readonly expires: number;
}

/** A team inbox certificate the organisation issued. */
export interface TeamIssued {
  readonly kind: 'team';
  readonly at: number;
  readonly serial: number;
  readonly team: string;
  readonly epoch: number;
  readonly boxKey: Uint8Array;
  readonly notBefore: number;
  readonly expires: number;
}

/** A serial the organisation put on its revocation list, and whose certificate it was (responder or team id). */
export interface Revoked {
  readonly kind: 'revoke';
  readonly at: number;
  readonly serial: number;
  readonly subject: string;
}

export type LedgerEntry = ResponderIssued | TeamIssued | Revoked;

/** A verified ledger: its entries, the chain links (links[i] after i entries) and the signed wire. */
export interface Ledger {
  readonly orgPublicKey: Ed25519PublicKey;
  readonly entries: readonly LedgerEntry[];
  readonly links: readonly Uint8Array[];
  /** When the head was signed, Unix ms. */
  readonly issuedAt: number;
  readonly wire: Uint8Array;
}

const KIND = { responder: 1, team: 2, revoke: 3 } as const;

/** The digest the ledger keeps of a public key: BLAKE2b-256("utvag/v1/ledger-key", key). */
export function ledgerKeyDigest(publicKey: Uint8Array): Uint8Array {
  return hash('ledger-key', (w) => w.fixed(publicKey, 32));
}

function encodeEntry(e: LedgerEntry): Uint8Array {
  const w = Writer.labelled('ledger-entry').u8(KIND[e.kind]).u64(e.at).u64(e.serial);
  if (e.kind === 'responder') w.string(e.responder).fixed(e.signKey, 32).fixed(e.boxKey, 32).strings(e.teams).strings(e.roles).u64(e.notBefore).u64(e.expires);
  else if (e.kind === 'team') w.string(e.team).u32(e.epoch).fixed(e.boxKey, 32).u64(e.notBefore).u64(e.expires);
  else w.string(e.subject);
  return w.finish();
}

function decodeEntry(bytes: Uint8Array): LedgerEntry {
  const r = new Reader(bytes).expectLabel('ledger-entry');
  const kind = r.u8();
  const at = r.u64();
  const serial = r.u64();
  let entry: LedgerEntry;
  if (kind === KIND.responder) {
    entry = { kind: 'responder', at, serial, responder: r.string(256), signKey: r.fixed(32), boxKey: r.fixed(32), teams: r.strings(), roles: r.strings(), notBefore: r.u64(), expires: r.u64() };
  } else if (kind === KIND.team) {
    entry = { kind: 'team', at, serial, team: r.string(256), epoch: r.u32(), boxKey: r.fixed(32), notBefore: r.u64(), expires: r.u64() };
  } else if (kind === KIND.revoke) {
    entry = { kind: 'revoke', at, serial, subject: r.string(256) };
  } else {
    return fail(CryptoErrorCode.Malformed, `ledger entry kind ${kind}`);
  }
  r.end();
  return entry;
}

const genesis = (orgPublicKey: Uint8Array) => hash('ledger-genesis', (w) => w.fixed(orgPublicKey, 32));
const nextLink = (previous: Uint8Array, entry: Uint8Array) => hash('ledger-chain', (w) => w.fixed(previous, 32).bytes(entry));
const headBody = (orgPublicKey: Uint8Array, count: number, link: Uint8Array, issuedAt: number) =>
  Writer.labelled('ledger-head').fixed(orgPublicKey, 32).u32(count).fixed(link, 32).u64(issuedAt).finish();

function links(orgPublicKey: Uint8Array, encoded: readonly Uint8Array[]): Uint8Array[] {
  const out = [genesis(orgPublicKey)];
  for (const e of encoded) out.push(nextLink(out[out.length - 1] as Uint8Array, e));
  return out;
}

function sign(orgKey: SigningKeyPair, entries: readonly LedgerEntry[], now: Date): Ledger {
  if (entries.length > MAX_LEDGER_ENTRIES) fail(CryptoErrorCode.TooLarge, 'ledger full');
  const encoded = entries.map(encodeEntry);
  const chain = links(orgKey.publicKey, encoded);
  const issuedAt = now.getTime();
  const body = headBody(orgKey.publicKey, entries.length, chain[entries.length] as Uint8Array, issuedAt);
  const signature = sodium().crypto_sign_detached(body, orgKey.secretKey);
  const w = new Writer().u8(PROTOCOL_VERSION).u8(WireType.Ledger).u32(entries.length);
  for (const e of encoded) w.bytes(e);
  const wire = w.bytes(body).fixed(signature, 64).finish();
  return { orgPublicKey: orgKey.publicKey, entries: [...entries], links: chain, issuedAt, wire };
}

/** A new, empty ledger signed by the organisation key (made once, at the key ceremony). */
export function startLedger(orgKey: SigningKeyPair, now: Date): Ledger {
  return sign(orgKey, [], now);
}

/**
 * The ledger with `entries` appended, the head signed again by `orgKey` (which must be the key the
 * ledger belongs to, else UntrustedKey). Existing entries never change.
 */
export function appendToLedger(ledger: Ledger, entries: readonly LedgerEntry[], orgKey: SigningKeyPair, now: Date): Ledger {
  if (!bytesEqual(orgKey.publicKey, ledger.orgPublicKey)) fail(CryptoErrorCode.UntrustedKey, 'the ledger belongs to another organisation key');
  return sign(orgKey, [...ledger.entries, ...entries], now);
}

/**
 * Parses and verifies a ledger against `orgPublicKey` (from an organisation certificate verified
 * against the pinned root). Throws Malformed / UnsupportedVersion for bytes that do not parse,
 * UntrustedKey for a ledger of another key, BadSignature for a head the key did not sign, and
 * Tampered when the entries do not hash to the signed head.
 */
export function openLedger(wire: Uint8Array, orgPublicKey: Ed25519PublicKey): Ledger {
  const r = new Reader(wire);
  readHeader(r, WireType.Ledger, 'ledger');
  const count = r.u32();
  if (count > MAX_LEDGER_ENTRIES) fail(CryptoErrorCode.Malformed, 'too many ledger entries');
  const encoded: Uint8Array[] = [];
  for (let i = 0; i < count; i++) encoded.push(r.bytes(4096));
  const body = r.bytes(256);
  const signature = r.fixed(64);
  r.end();
  const h = new Reader(body).expectLabel('ledger-head');
  const key = h.fixed(32);
  const headCount = h.u32();
  const link = h.fixed(32);
  const issuedAt = h.u64();
  h.end();
  if (!bytesEqual(key, orgPublicKey)) fail(CryptoErrorCode.UntrustedKey, 'the ledger belongs to another organisation key');
  if (!sodium().crypto_sign_verify_detached(signature, body, orgPublicKey)) fail(CryptoErrorCode.BadSignature, 'ledger head not signed by the organisation key');
  const chain = links(orgPublicKey, encoded);
  if (headCount !== count || !bytesEqual(chain[count] as Uint8Array, link)) fail(CryptoErrorCode.Tampered, 'ledger entries do not match the signed head');
  return { orgPublicKey, entries: encoded.map(decodeEntry), links: chain, issuedAt, wire: wire.slice() };
}

/**
 * Throws Rollback unless `candidate` is `trusted` or extends it (same first entries, same chain):
 * a copy that is shorter or diverges is refused, whoever signed it.
 */
export function assertLedgerExtends(candidate: Ledger, trusted: Ledger): void {
  if (!bytesEqual(candidate.orgPublicKey, trusted.orgPublicKey)) fail(CryptoErrorCode.UntrustedKey, 'the ledgers belong to different organisation keys');
  const n = trusted.entries.length;
  if (candidate.entries.length < n) fail(CryptoErrorCode.Rollback, `ledger with ${candidate.entries.length} entries is older than the trusted one (${n})`);
  if (!bytesEqual(candidate.links[n] as Uint8Array, trusted.links[n] as Uint8Array)) fail(CryptoErrorCode.Rollback, 'ledger diverges from the trusted one');
}

/** A short name of the ledger's head to write down and compare: "n entries · 16 hex digits". */
export function ledgerHeadId(ledger: Ledger): string {
  const hex = toHex((ledger.links[ledger.entries.length] as Uint8Array).subarray(0, 8));
  return `${ledger.entries.length} · ${(hex.match(/.{4}/g) as string[]).join(' ')}`;
}

/** Lookups over a ledger: issued certificates by serial, revoked serials. */
export interface LedgerIndex {
  readonly issued: ReadonlyMap<number, ResponderIssued | TeamIssued>;
  readonly revoked: ReadonlySet<number>;
  /** Every serial the ledger names (issued or revoked): none may be reused. */
  readonly serials: ReadonlySet<number>;
  /** Responder certificates of `responder` not revoked, newest last. */
  live(responder: string): ResponderIssued[];
}

export function indexLedger(ledger: Ledger): LedgerIndex {
  const issued = new Map<number, ResponderIssued | TeamIssued>();
  const revoked = new Set<number>();
  for (const e of ledger.entries) {
    if (e.kind === 'revoke') revoked.add(e.serial);
    else issued.set(e.serial, e);
  }
  return {
    issued,
    revoked,
    serials: new Set([...issued.keys(), ...revoked]),
    live: (responder) =>
      [...issued.values()].filter((e): e is ResponderIssued => e.kind === 'responder' && e.responder === responder && !revoked.has(e.serial)),
  };
}

/** The certificate fields the ledger checks (of a parsed responder certificate). */
export type IssuedCertFields = Readonly<Pick<ResponderCert, 'serial' | 'id' | 'signPublicKey' | 'boxPublicKey' | 'teams' | 'roles' | 'notBefore' | 'expires'>>;

/**
 * The ledger entry of a responder certificate the organisation issued, checked field by field: it
 * must be in the ledger, for this responder, with these exact keys, teams, roles and validity, not
 * revoked and not superseded by a newer certificate. Throws UntrustedKey (or Revoked) with the reason.
 */
export function matchLedger(index: LedgerIndex, cert: IssuedCertFields): ResponderIssued {
  const entry = index.issued.get(cert.serial);
  if (entry === undefined) return fail(CryptoErrorCode.UntrustedKey, `serial ${cert.serial} is not in the ledger`);
  if (entry.kind !== 'responder' || entry.responder !== cert.id) return fail(CryptoErrorCode.UntrustedKey, `serial ${cert.serial} was issued to someone else`);
  if (!bytesEqual(entry.signKey, ledgerKeyDigest(cert.signPublicKey)) || !bytesEqual(entry.boxKey, ledgerKeyDigest(cert.boxPublicKey))) {
    return fail(CryptoErrorCode.UntrustedKey, `the keys of serial ${cert.serial} differ from the ledger`);
  }
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(entry.teams, cert.teams) || !same(entry.roles, cert.roles) || entry.notBefore !== cert.notBefore || entry.expires !== cert.expires) {
    return fail(CryptoErrorCode.UntrustedKey, `serial ${cert.serial} differs from the ledger`);
  }
  if (index.revoked.has(cert.serial)) return fail(CryptoErrorCode.Revoked, `serial ${cert.serial} is revoked`);
  const newest = index.live(cert.id).at(-1);
  if (newest !== undefined && newest.serial !== cert.serial) return fail(CryptoErrorCode.UntrustedKey, `serial ${cert.serial} is superseded by serial ${newest.serial}`);
  return entry;
}
