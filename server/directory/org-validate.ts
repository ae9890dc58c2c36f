// Checks what an admin's browser signed with the organisation key before the server stores it: every
// certificate and revocation list must chain to the pinned root through the published organisation
// certificate, name exactly the keys, teams and roles the server expects, and never drop a revocation.
// (Clients verify everything again against their own pinned root; this keeps the directory clean.)
import {
  CLOCK_SKEW_MS,
  createTrustAnchor,
  fromBase64url,
  parseResponderCert,
  parseRevocationList,
  parseTeamCert,
  liveRevocations,
  toBase64url,
  verifyResponderCert,
  verifyTeamCert,
  type Ed25519PublicKey,
  type TrustAnchor,
  type VerifiedResponderCert,
} from '../../crypto/index.js';
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { OrgId } from '../store/ports.js';
import type { Directory, OrgBundle, TeamKeyRecord } from './directory.js';
import { DEFAULT_ORG } from './organisations.js';

const invalid = (message: string) => new ApiError(ErrorCode.InvalidRequest, message);

/** What an admin's browser uploads for one team: a new inbox epoch, sealed to every member. */
export interface SignedTeamKey {
  readonly team: string;
  readonly epoch: number;
  readonly cert: string;
  readonly deliveries: Readonly<Record<string, string>>;
}

export interface OrgValidatorDeps {
  readonly directory: Directory;
  readonly clock: Clock;
  /** The root key the served pages pin (config); null: the published bundle's own (demo, tests). */
  readonly rootPublicKey: string | null;
}

export type OrgValidator = ReturnType<typeof createOrgValidator>;

export function createOrgValidator(deps: OrgValidatorDeps) {
  const now = () => new Date(deps.clock.now());

  /** The published bundle of `org`: what its uploads must chain to (never another organisation's). */
  async function bundle(orgId: OrgId = DEFAULT_ORG): Promise<OrgBundle> {
    const org = await deps.directory.getOrg(orgId);
    if (org === null) throw new ApiError(ErrorCode.NotFound, 'No organisation keys are published yet.');
    return org;
  }

  function anchorOf(org: OrgBundle, revocationList: string): TrustAnchor {
    try {
      return createTrustAnchor({
        rootPublicKey: fromBase64url(deps.rootPublicKey ?? org.rootPublicKey) as Ed25519PublicKey,
        orgCert: fromBase64url(org.orgCert),
        revocationList: fromBase64url(revocationList),
        orgRevocation: org.orgRevocation === undefined ? null : fromBase64url(org.orgRevocation),
        now: now(),
      });
    } catch {
      throw invalid('The revocation list or organisation certificate does not chain to the pinned root key.');
    }
  }

  return {
    bundle,

    /**
     * A new revocation list: signed by the organisation key, issued within the clock skew of now, not
     * older than the published one, and keeping every serial already revoked whose certificate has
     * not expired (crypto/certs.ts liveRevocations: expired ones may leave) plus `mustRevoke`.
     * Returns the trust anchor with it (what the other uploads are checked against). In a region,
     * `orgId` is the organisation whose list it replaces: the list must chain to that organisation's
     * certificate, so another organisation's key cannot sign for it.
     */
    async revocationList(list: string, mustRevoke: readonly number[], orgId: OrgId = DEFAULT_ORG): Promise<TrustAnchor> {
      const org = await bundle(orgId);
      const anchor = anchorOf(org, list);
      const previous = parseRevocationList(fromBase64url(org.revocationList)).value;
      const issuedAt = anchor.revocations.issuedAt;
      if (Math.abs(issuedAt - now().getTime()) > CLOCK_SKEW_MS || issuedAt < previous.issuedAt) throw invalid('The revocation list is not freshly issued.');
      const serials = new Set(anchor.revocations.serials);
      const stillLive = liveRevocations(issuedAt, previous.entries).map((e) => e.serial);
      for (const s of [...stillLive, ...mustRevoke]) if (!serials.has(s)) throw invalid(`The revocation list must name serial ${s}.`);
      return anchor;
    },

    /** The published anchor (for uploads that revoke nothing). */
    async currentAnchor(orgId: OrgId = DEFAULT_ORG): Promise<TrustAnchor> {
      const org = await bundle(orgId);
      return anchorOf(org, org.revocationList);
    },

    /** A responder certificate for exactly these keys, teams and roles, with a serial never used before. */
    responderCert(
      anchor: TrustAnchor,
      cert: string,
      expect: { id: string; displayName: string; signPublicKey: string; boxPublicKey: string; teams: readonly string[]; roles: readonly string[]; usedSerials: ReadonlySet<number> },
    ): VerifiedResponderCert {
      let verified: VerifiedResponderCert;
      try {
        verified = verifyResponderCert(anchor, fromBase64url(cert), { now: now() });
      } catch {
        throw invalid('The certificate does not chain to the organisation key.');
      }
      const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
      if (
        verified.id !== expect.id ||
        verified.displayName !== expect.displayName ||
        toBase64url(verified.signPublicKey) !== expect.signPublicKey ||
        toBase64url(verified.boxPublicKey) !== expect.boxPublicKey ||
        !same(verified.teams, expect.teams) ||
        !same(verified.roles, expect.roles)
      ) {
        throw invalid('The certificate is for other keys, teams or roles.');
      }
      if (expect.usedSerials.has(verified.serial)) throw invalid('The certificate reuses a serial.');
      return verified;
    },

    /**
     * A new inbox epoch of `team`: the next epoch number, a team certificate chaining to the
     * organisation, and a sealed delivery for exactly `members` (no one else, no one missing).
     */
    teamKey(anchor: TrustAnchor, upload: SignedTeamKey, team: string, epoch: number, members: ReadonlySet<string>, usedSerials: ReadonlySet<number>): TeamKeyRecord {
      if (upload.team !== team || upload.epoch !== epoch) throw invalid(`Team ${team} needs epoch ${epoch}.`);
      let cert;
      try {
        cert = verifyTeamCert(anchor, fromBase64url(upload.cert), { now: now(), team });
      } catch {
        throw invalid(`The inbox certificate of ${team} does not chain to the organisation key.`);
      }
      if (cert.epoch !== epoch) throw invalid(`The inbox certificate of ${team} names another epoch.`);
      if (usedSerials.has(cert.serial)) throw invalid('The inbox certificate reuses a serial.');
      const recipients = Object.keys(upload.deliveries);
      if (recipients.length !== members.size || recipients.some((r) => !members.has(r))) throw invalid(`The inbox key of ${team} must be sealed to exactly its active members.`);
      for (const sealed of Object.values(upload.deliveries)) {
        const bytes = fromBase64url(sealed);
        if (bytes.length < 6 || bytes[0] !== 1 || bytes[1] !== 0x41) throw invalid('A key delivery is malformed.');
      }
      return { team, epoch, cert: upload.cert, deliveries: { ...upload.deliveries }, createdAt: deps.clock.now() };
    },
  };
}

/** Every serial the directory has seen (responder and team certificates, revocations). */
export async function usedSerials(directory: Directory, teams: readonly string[], orgId: OrgId = DEFAULT_ORG): Promise<Set<number>> {
  const used = new Set<number>();
  for (const keys of await directory.listResponderKeys()) used.add(parseResponderCert(fromBase64url(keys.cert)).value.serial);
  for (const team of teams) for (const record of await directory.teamKeys(team as never)) used.add(parseTeamCert(fromBase64url(record.cert)).value.serial);
  const org = await directory.getOrg(orgId);
  if (org !== null) for (const s of parseRevocationList(fromBase64url(org.revocationList)).value.serials) used.add(s);
  return used;
}
