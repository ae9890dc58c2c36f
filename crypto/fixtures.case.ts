// Test fixtures shared by the Node tests, the browser cases and the vector generator: a small PKI and a conversation.
import { createTrustAnchor, verifyTeamCert, type TrustAnchor, type VerifiedTeamCert } from './chain.js';
import { issueOrgCert, issueResponderCert, issueRevocationList, issueTeamCert, parseResponderCert } from './certs.js';
import { completeHandshake, acceptIntake, type ResponderIdentity } from './handshake.js';
import { openTeamInboxKey, sealTeamInboxKey, type TeamInboxKey } from './inbox-key.js';
import { createIntake, openIntake, type OpenedIntake, type PendingVisitor } from './intake.js';
import { generateBoxKeyPair, generateSigningKeyPair, type BoxKeyPair, type SigningKeyPair } from './keys.js';
import type { Random } from './random.js';
import type { SessionState } from './session.js';

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
/** Fixed "now" of every test: 2026-11-23 12:00 UTC. */
export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const NOW = new Date(T0);

export interface TestResponder {
  identity: ResponderIdentity;
  boxKeyPair: BoxKeyPair;
  certBytes: Uint8Array;
}

export interface TestTeam {
  cert: VerifiedTeamCert;
  inbox: TeamInboxKey;
}

export interface TestPki {
  root: SigningKeyPair;
  org: SigningKeyPair;
  orgCert: Uint8Array;
  revocationList: Uint8Array;
  anchor: TrustAnchor;
  responder(input: { id: string; teams: string[]; roles?: string[]; serial: number; notBefore?: number; expires?: number; org?: SigningKeyPair }): TestResponder;
  team(input: { team: string; epoch: number; serial: number; member?: BoxKeyPair }): TestTeam;
  /** An anchor whose revocation list lists `serials`. */
  anchorRevoking(serials: number[], issuedAt?: number): TrustAnchor;
}

/** A root, an organisation key, a fresh revocation list and factories for responders and teams. */
export function createPki(random: Random): TestPki {
  const root = generateSigningKeyPair(random);
  const org = generateSigningKeyPair(random);
  const orgCert = issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: T0 - 10 * DAY, expires: T0 + 80 * DAY });
  const revocationList = issueRevocationList(org.secretKey, { issuedAt: T0 - HOUR, serials: [] });
  const anchor = createTrustAnchor({ rootPublicKey: root.publicKey, orgCert, revocationList, now: NOW });
  const anchorRevoking = (serials: number[], issuedAt = T0 - HOUR): TrustAnchor =>
    createTrustAnchor({
      rootPublicKey: root.publicKey,
      orgCert,
      revocationList: issueRevocationList(org.secretKey, { issuedAt, serials }),
      now: NOW,
    });
  return {
    root,
    org,
    orgCert,
    revocationList,
    anchor,
    anchorRevoking,
    responder(input) {
      const signKeyPair = generateSigningKeyPair(random);
      const boxKeyPair = generateBoxKeyPair(random);
      const certBytes = issueResponderCert((input.org ?? org).secretKey, {
        serial: input.serial,
        id: input.id,
        displayName: `Responder ${input.id}`,
        teams: input.teams,
        roles: input.roles ?? ['responder'],
        signPublicKey: signKeyPair.publicKey,
        boxPublicKey: boxKeyPair.publicKey,
        notBefore: input.notBefore ?? T0 - DAY,
        expires: input.expires ?? T0 + 20 * DAY,
      });
      // Parsed, not verified: rejection tests need identities with foreign, expired or revoked certificates.
      const cert = { ...parseResponderCert(certBytes).value, bytes: certBytes };
      return { identity: { cert, signKeyPair }, boxKeyPair, certBytes };
    },
    team(input) {
      const kp = generateBoxKeyPair(random);
      const certBytes = issueTeamCert(org.secretKey, {
        serial: input.serial,
        team: input.team,
        epoch: input.epoch,
        boxPublicKey: kp.publicKey,
        notBefore: T0 - DAY,
        expires: T0 + 5 * DAY,
      });
      const cert = verifyTeamCert(anchor, certBytes, { now: NOW, team: input.team });
      const member = input.member ?? generateBoxKeyPair(random);
      const inbox = openTeamInboxKey(sealTeamInboxKey({ team: input.team, epoch: input.epoch, secretKey: kp.secretKey }, member.publicKey), member, cert);
      return { cert, inbox };
    },
  };
}

/** A conversation after intake and handshake. */
export interface TestConversation {
  pki: TestPki;
  team: TestTeam;
  alice: TestResponder;
  pending: PendingVisitor;
  intakeWire: Uint8Array;
  opened: OpenedIntake;
  handshakeWire: Uint8Array;
  visitor: SessionState;
  responder: SessionState;
}

/** PKI, team "chat" (epoch 7), responder alice, and a completed intake + handshake. */
export function startConversation(random: Random, pki: TestPki = createPki(random)): TestConversation {
  const team = pki.team({ team: 'chat', epoch: 7, serial: 100 });
  const alice = pki.responder({ id: 'alice', teams: ['chat', 'parent'], serial: 10 });
  const { wire: intakeWire, pending } = createIntake({ teamCert: team.cert, category: 'chat', text: 'hej, jag vill prata', random });
  const pendingCopy: PendingVisitor = { ...pending, visitorKeyPair: { ...pending.visitorKeyPair, secretKey: pending.visitorKeyPair.secretKey.slice() as typeof pending.visitorKeyPair.secretKey } };
  const opened = openIntake(intakeWire, team.inbox);
  const { wire: handshakeWire, state: responder } = acceptIntake(opened, alice.identity, team.inbox, { random });
  const visitor = completeHandshake(pending, handshakeWire, { anchor: pki.anchor, now: NOW });
  return { pki, team, alice, pending: pendingCopy, intakeWire, opened, handshakeWire, visitor, responder };
}
