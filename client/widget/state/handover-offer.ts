// A handover offer from the responder (it arrives end-to-end, inside the session): the receiving team
// is fetched and verified against the pinned root through its own organisation's certificate, which
// must be the organisation the offer names. Only what verified is shown: the organisation's name from
// the root's signature, and the team's name as the current responder wrote it (never the server's).
import type { Crypto } from './crypto.js';
import { verifiedTeam, type VerifiedTeamDeps } from './verified-team.js';

/** What the young person is asked to accept. */
export interface HandoverOffer {
  readonly team: string;
  readonly teamName: string;
  /** The receiving organisation's name, from its root-signed certificate. */
  readonly orgName: string;
}

export interface VerifiedOffer extends HandoverOffer {
  readonly anchor: Awaited<ReturnType<typeof verifiedTeam>>['anchor'];
  readonly teamCert: Awaited<ReturnType<typeof verifiedTeam>>['teamCert'];
}

/**
 * Verifies the offer's team. Throws a CryptoError (UntrustedKey: another root, another organisation's
 * certificate or a certificate that names no organisation) when the bundle does not chain to the pinned
 * root through the named organisation.
 */
export async function verifyHandoverOffer(deps: VerifiedTeamDeps, offer: { team: string; org: string; teamName: string }): Promise<VerifiedOffer> {
  const { anchor, teamCert } = await verifiedTeam(deps, offer.team);
  const org = anchor.org.organisation;
  if (org === undefined || org === null || org.id !== offer.org) throw Object.assign(new Error('handover to another organisation than offered'), { code: 'UntrustedKey' });
  return { team: offer.team, teamName: offer.teamName, orgName: org.name, anchor, teamCert };
}

/** The request that asks the receiving team for a fresh session (after the young person accepted). */
export function handoverRequest(c: Crypto, conversationId: string, offer: VerifiedOffer, sessionNumber: number) {
  return c.createHandoverRequest({ conversationId: c.conversationIdFromString(conversationId), team: offer.team, teamCert: offer.teamCert, sessionNumber });
}
