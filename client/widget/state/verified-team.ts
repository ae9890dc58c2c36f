// A team's inbox certificate, verified through the organisation's certificate and revocation list
// against the pinned root key: what every intake, session request and consent is sealed to.
import type { WidgetApi } from './api.js';
import type { Crypto } from './crypto.js';

export interface VerifiedTeamDeps {
  readonly api: Pick<WidgetApi, 'bundle'>;
  readonly crypto: Crypto;
  /** The pinned root public key, base64url. */
  readonly rootPublicKey: string;
  readonly now?: () => Date;
}

/** Fetches team `team`'s key bundle and verifies it. Throws CryptoError (UntrustedKey, Expired, ...). */
export async function verifiedTeam(deps: VerifiedTeamDeps, team: string) {
  const c = deps.crypto;
  const bundle = await deps.api.bundle(team);
  const now = deps.now?.() ?? new Date();
  const anchor = c.createTrustAnchor({
    rootPublicKey: c.fromBase64url(deps.rootPublicKey) as Parameters<Crypto['createTrustAnchor']>[0]['rootPublicKey'],
    orgCert: c.fromBase64url(bundle.orgCert),
    revocationList: c.fromBase64url(bundle.revocationList),
    orgRevocation: bundle.orgRevocation === undefined ? null : c.fromBase64url(bundle.orgRevocation),
    now,
  });
  const teamCert = c.verifyTeamCert(anchor, c.fromBase64url(bundle.teamCert), { now, team });
  return { anchor, teamCert };
}
