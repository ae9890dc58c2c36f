// The organisation key in an admin's browser (a real organisation; the demo server signs itself):
// unlock the passphrase-sealed key, then sign what staff changes need — responder certificates, a
// revocation list, and new team inbox epochs sealed to each active member whose certificate verifies.
// Memory only: wipeOrgSigner() zeroes the key (the console calls it on lock and logout).
import {
  createTrustAnchor,
  fromBase64url,
  generateBoxKeyPair,
  issueResponderCert,
  issueRevocationList,
  issueTeamCert,
  loadSumoSodium,
  openOrgSigningKey,
  parseOrgCert,
  parseResponderCert,
  parseRevocationList,
  sealTeamInboxKey,
  toBase64url,
  verifyResponderCert,
  CryptoError,
  CryptoErrorCode,
  type Ed25519PublicKey,
  type OrgCert,
  type SigningKeyPair,
  type TrustAnchor,
} from '../../../crypto/console.js';
import type { DeriveKeys } from './password.js';
import { keyFingerprint } from './fingerprint.js';

const DAY = 86_400_000;
/** Certificates start a minute early (clock skew) and run this long. */
const RESPONDER_DAYS = 30;
const TEAM_DAYS = 7;

/** GET /api/v1/admin/org/key */
export interface SealedOrgKey {
  readonly orgPublicKey: string;
  readonly salt: string;
  readonly opslimit: number;
  readonly memlimit: number;
  readonly sealed: string;
}

/** GET /api/v1/admin/staff */
export interface StaffState {
  readonly org: {
    mode: 'demo' | 'organisation';
    orgCert: string | null;
    revocationList: string | null;
    /** Current inbox epoch per team and when its certificate ends (null: no key yet). */
    teams: ReadonlyArray<{ id: string; name: string; epoch: number; expires: number | null }>;
  };
  readonly responders: ReadonlyArray<StaffMember>;
}
export interface StaffMember {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly teams: readonly string[];
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly fingerprint: string | null;
  readonly certSerial: number | null;
  readonly certExpires: number | null;
  readonly cert: string | null;
}

/** What the server checks and stores (POST …/certify, PUT /staff/{id}, …/deactivate, /org/renew). */
export interface SignedChange {
  cert?: string;
  revocationList: string;
  teamKeys: Array<{ team: string; epoch: number; cert: string; deliveries: Record<string, string> }>;
}

export interface OrgSigner {
  readonly keyPair: SigningKeyPair;
  /** Ed25519 verification (libsodium), for the published revocation list. */
  readonly verify: (signature: Uint8Array, body: Uint8Array, publicKey: Uint8Array) => boolean;
  readonly org: OrgCert;
  readonly orgCert: Uint8Array;
  readonly rootPublicKey: Ed25519PublicKey;
}

/**
 * Opens the sealed organisation key with the passphrase (Argon2id in the Worker) after checking the
 * organisation certificate against the pinned root key; the key must be the certified one.
 * Throws a CryptoError: Tampered for a wrong passphrase, UntrustedKey for a certificate or key not
 * chained to the pinned root, Expired / NotYetValid for an organisation certificate out of date.
 */
export async function unlockOrgKey(input: {
  sealed: SealedOrgKey;
  passphrase: string;
  derive: DeriveKeys;
  rootPublicKey: Uint8Array;
  orgCert: string;
  now: Date;
}): Promise<OrgSigner> {
  const sodium = await loadSumoSodium();
  const orgCert = fromBase64url(input.orgCert);
  const signed = parseOrgCert(orgCert);
  if (!sodium.crypto_sign_verify_detached(signed.signature, signed.body, input.rootPublicKey)) throw new CryptoError(CryptoErrorCode.UntrustedKey, 'organisation certificate not signed by the pinned root');
  const t = input.now.getTime();
  if (t < signed.value.notBefore) throw new CryptoError(CryptoErrorCode.NotYetValid, 'organisation certificate');
  if (t >= signed.value.expires) throw new CryptoError(CryptoErrorCode.Expired, 'organisation certificate');
  const derived = await input.derive(input.passphrase, fromBase64url(input.sealed.salt), { opslimit: input.sealed.opslimit, memlimit: input.sealed.memlimit });
  derived.authKey.fill(0);
  try {
    const keyPair = openOrgSigningKey(derived.wrapKey, fromBase64url(input.sealed.sealed), signed.value.publicKey);
    return {
      keyPair,
      verify: (signature, body, publicKey) => sodium.crypto_sign_verify_detached(signature, body, publicKey),
      org: signed.value,
      orgCert,
      rootPublicKey: input.rootPublicKey as Ed25519PublicKey,
    };
  } finally {
    derived.wrapKey.fill(0);
  }
}

/** Zeroes the organisation secret key. */
export function wipeOrgSigner(signer: OrgSigner): void {
  signer.keyPair.secretKey.fill(0);
}

/** A random 48-bit certificate serial (no counter to coordinate between admins). */
export function randomSerial(): number {
  const b = crypto.getRandomValues(new Uint8Array(6));
  return b.reduce((n, x) => n * 256 + x, 0) || 1;
}

/** The published revocation list's serials, accepted only if the organisation key signed it. */
function revokedSerials(signer: OrgSigner, list: string | null): number[] {
  if (list === null) return [];
  const signed = parseRevocationList(fromBase64url(list));
  if (!signer.verify(signed.signature, signed.body, signer.org.publicKey)) throw new CryptoError(CryptoErrorCode.UntrustedKey, 'revocation list not signed by the organisation key');
  return signed.value.serials;
}

/** A new revocation list: everything already revoked plus `add`, issued now; with the anchor it makes. */
function revocations(signer: OrgSigner, state: StaffState, add: readonly number[], now: Date): { list: string; anchor: TrustAnchor } {
  const serials = [...new Set([...revokedSerials(signer, state.org.revocationList), ...add])];
  const list = issueRevocationList(signer.keyPair.secretKey, { issuedAt: now.getTime(), serials });
  const anchor = createTrustAnchor({ rootPublicKey: signer.rootPublicKey, orgCert: signer.orgCert, revocationList: list, now });
  return { list: toBase64url(list), anchor };
}

/**
 * A new inbox epoch for `team`, certified, its secret sealed to each member whose certificate verifies
 * for the team under `anchor` (a forged or revoked certificate gets nothing: the call fails), then wiped.
 */
function rotateTeam(signer: OrgSigner, anchor: TrustAnchor, team: string, epoch: number, members: ReadonlyArray<{ id: string; cert: string }>, now: Date) {
  const t = now.getTime() - 60_000;
  const inbox = generateBoxKeyPair();
  try {
    const cert = issueTeamCert(signer.keyPair.secretKey, { serial: randomSerial(), team, epoch, boxPublicKey: inbox.publicKey, notBefore: t, expires: t + TEAM_DAYS * DAY });
    const deliveries: Record<string, string> = {};
    for (const m of members) {
      const verified = verifyResponderCert(anchor, fromBase64url(m.cert), { now, team });
      if (verified.id !== m.id) throw new CryptoError(CryptoErrorCode.UntrustedKey, 'certificate of another responder');
      deliveries[m.id] = toBase64url(sealTeamInboxKey({ team, epoch, secretKey: inbox.secretKey }, verified.boxPublicKey));
    }
    return { team, epoch, cert: toBase64url(cert), deliveries };
  } finally {
    inbox.secretKey.fill(0);
  }
}

/** Active members of `team` with a certificate, after replacing/removing `changed` (id → cert or null). */
function teamMembers(state: StaffState, team: string, changed: { id: string; teams: readonly string[]; cert: string | null } | null) {
  const out: Array<{ id: string; cert: string }> = [];
  for (const r of state.responders) {
    const me = changed !== null && r.id === changed.id ? { ...r, teams: changed.teams, cert: changed.cert } : r;
    if (me.active && me.cert !== null && me.teams.includes(team)) out.push({ id: me.id, cert: me.cert });
  }
  return out;
}

const epochOf = (state: StaffState, team: string) => (state.org.teams.find((t) => t.id === team)?.epoch ?? 0) + 1;

/**
 * Certifies an enrolled responder: only when the fingerprint the admin typed (read by the responder
 * from their own screen) is the fingerprint of the keys being certified. Rotates each of its teams.
 */
export async function signCertification(
  signer: OrgSigner,
  state: StaffState,
  enrolled: { responder: string; displayName: string; teams: readonly string[]; roles: readonly string[]; signPublicKey: string; boxPublicKey: string },
  typedFingerprint: string,
  now: Date,
): Promise<SignedChange> {
  const sign = fromBase64url(enrolled.signPublicKey);
  const box = fromBase64url(enrolled.boxPublicKey);
  if ((await keyFingerprint(sign, box)).replace(/\s/g, '') !== typedFingerprint.replace(/\s/g, '').toLowerCase()) {
    throw new CryptoError(CryptoErrorCode.UntrustedKey, 'the fingerprint does not match the keys');
  }
  const t = now.getTime() - 60_000;
  const cert = toBase64url(
    issueResponderCert(signer.keyPair.secretKey, {
      serial: randomSerial(),
      id: enrolled.responder,
      displayName: enrolled.displayName,
      teams: [...enrolled.teams],
      roles: [...enrolled.roles],
      signPublicKey: sign as never,
      boxPublicKey: box as never,
      notBefore: t,
      expires: t + RESPONDER_DAYS * DAY,
    }),
  );
  const { list, anchor } = revocations(signer, state, [], now);
  const member = { id: enrolled.responder, teams: enrolled.teams, cert };
  const others = { ...state, responders: [...state.responders.filter((r) => r.id !== member.id), { ...member, login: '', displayName: enrolled.displayName, roles: enrolled.roles, active: true, fingerprint: null, certSerial: null, certExpires: null }] };
  const teamKeys = enrolled.teams.map((team) => rotateTeam(signer, anchor, team, epochOf(state, team), teamMembers(others, team, null), now));
  return { cert, revocationList: list, teamKeys };
}

/** New teams / roles: a new certificate, the old serial revoked, the teams joined or left rotated. */
export function signUpdate(signer: OrgSigner, state: StaffState, id: string, teams: readonly string[], roles: readonly string[], now: Date): SignedChange {
  const before = state.responders.find((r) => r.id === id);
  if (before === undefined || before.cert === null) throw new CryptoError(CryptoErrorCode.Malformed, 'no certified responder');
  const old = parseResponderCert(fromBase64url(before.cert)).value;
  const t = now.getTime() - 60_000;
  const cert = toBase64url(issueResponderCert(signer.keyPair.secretKey, { ...old, serial: randomSerial(), teams: [...teams], roles: [...roles], notBefore: t, expires: t + RESPONDER_DAYS * DAY }));
  const { list, anchor } = revocations(signer, state, [old.serial], now);
  const touched = [...new Set([...before.teams, ...teams])].filter((team) => before.teams.includes(team) !== teams.includes(team));
  const teamKeys = touched.map((team) => rotateTeam(signer, anchor, team, epochOf(state, team), teamMembers(state, team, { id, teams, cert }), now));
  return { cert, revocationList: list, teamKeys };
}

/** Deactivation: the certificate revoked and every team of the responder rotated to the others. */
export function signDeactivation(signer: OrgSigner, state: StaffState, id: string, now: Date): SignedChange {
  const leaver = state.responders.find((r) => r.id === id);
  if (leaver === undefined) throw new CryptoError(CryptoErrorCode.Malformed, 'no such responder');
  const revoke = leaver.cert === null ? [] : [parseResponderCert(fromBase64url(leaver.cert)).value.serial];
  const { list, anchor } = revocations(signer, state, revoke, now);
  const teamKeys = leaver.teams.map((team) => rotateTeam(signer, anchor, team, epochOf(state, team), teamMembers(state, team, { id, teams: [], cert: null }), now));
  return { revocationList: list, teamKeys };
}

/** Whether a renewal is due: the revocation list is older than a day or an inbox key ends within two days. */
export function renewalDue(state: StaffState, now: Date): boolean {
  const list = state.org.revocationList === null ? null : parseRevocationList(fromBase64url(state.org.revocationList)).value;
  return list === null || now.getTime() - list.issuedAt > DAY || teamsDue(state, now).length > 0 || certsDue(state, now).length > 0;
}

/** Active responders whose certificate ends within a week: re-certify them (signUpdate with the same teams and roles). */
export const certsDue = (state: StaffState, now: Date) =>
  state.responders.filter((r) => r.active && r.cert !== null && r.certExpires !== null && r.certExpires - now.getTime() < 7 * DAY);

const teamsDue = (state: StaffState, now: Date) =>
  state.org.teams.filter((team) => (team.expires === null || team.expires - now.getTime() < 2 * DAY) && teamMembers(state, team.id, null).length > 0);

/**
 * Renewal (run after unlocking when due): a fresh revocation list (clients refuse one older than
 * 48 h) and a new epoch for each team whose inbox certificate ends within two days.
 */
export function signRenewal(signer: OrgSigner, state: StaffState, now: Date): SignedChange {
  const { list, anchor } = revocations(signer, state, [], now);
  const teamKeys = teamsDue(state, now)
    .map((team) => rotateTeam(signer, anchor, team.id, team.epoch + 1, teamMembers(state, team.id, null), now));
  return { revocationList: list, teamKeys };
}
