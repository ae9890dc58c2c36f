// Cross-platform protocol cases (no test framework): run by protocol.case.test.ts in Node and by test/e2e/crypto-browser.test.ts in Chromium.
import { createTrustAnchor, verifyResponderCert, verifyTeamCert } from './chain.js';
import { certHash, issueOrgCert, issueOrgRevocation, issueResponderCert, issueRevocationList, parseOrgRevocation, parseResponderCert } from './certs.js';
import { Writer, bytesEqual, toHex, type ConversationId, type X25519SecretKey } from './encoding.js';
import { CryptoErrorCode, isCryptoError } from './errors.js';
import { DAY, HOUR, NOW, T0, createPki, startConversation, type TestConversation } from './fixtures.case.js';
import { acceptIntake, completeHandshake, createHandshake } from './handshake.js';
import { kdf } from './hash.js';
import { openTeamInboxKey, sealTeamInboxKey } from './inbox-key.js';
import { createCallbackRequest, createIntake, openCallbackRequest, openIntake, type PendingVisitor } from './intake.js';
import { generateBoxKeyPair, generateSigningKeyPair, signingKeyPairFromSecret, x25519 } from './keys.js';
import { powSolve, powVerify } from './pow.js';
import { seededRandom, type Random } from './random.js';
import { generateResumeCode, openResumeBlob, parseResumeCode, RESUME_ALPHABET, sealResumeBlob } from './resume-code.js';
import { closeSession, decryptMessage, encryptMessage, type CloseInfo, type SessionContent, type SessionState } from './session.js';
import { createSessionRequest, openSessionRequest } from './session-request.js';
import { deserializePendingVisitor, deserializeSession, openStateSnapshot, sealStateSnapshot, serializePendingVisitor, serializeSession } from './session-state.js';
import { createTransfer, openTransferHandoff } from './transfer.js';
import { sodium } from './sodium.js';

/** One named case; throws on failure. */
export interface ProtocolCase {
  name: string;
  run: () => void;
}

class AssertionError extends Error {}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

function assertEqual<T>(actual: T, expected: T, message: string): void {
  const a = actual instanceof Uint8Array ? toHex(actual) : JSON.stringify(actual);
  const e = expected instanceof Uint8Array ? toHex(expected) : JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message}: expected ${e}, got ${a}`);
}

/** Asserts that `fn` throws a CryptoError with exactly `code`. */
function assertCode(fn: () => unknown, code: CryptoErrorCode, message: string): void {
  try {
    fn();
  } catch (err) {
    if (isCryptoError(err, code)) return;
    throw new AssertionError(`${message}: expected ${code}, got ${isCryptoError(err) ? err.code : String(err)}`);
  }
  throw new AssertionError(`${message}: expected ${code}, nothing thrown`);
}

function text(content: SessionContent | CloseInfo): string {
  assert(content.type === 'text', `expected text, got ${content.type}`);
  return content.text;
}

function send(state: SessionState, message: string, random: Random): { state: SessionState; wire: Uint8Array } {
  return encryptMessage(state, { type: 'text', text: message }, { random });
}

/** Decrypts and asserts the plaintext. */
function receive(state: SessionState, wire: Uint8Array, expected: string, now = NOW): SessionState {
  const out = decryptMessage(state, wire, { now });
  assertEqual(text(out.content), expected, 'plaintext');
  return out.state;
}

/** Asserts a decrypt failure with `code` that leaves the serialised state byte-identical. */
function rejects(state: SessionState, wire: Uint8Array, code: CryptoErrorCode, message: string, now = NOW): void {
  const before = serializeSession(state);
  assertCode(() => decryptMessage(state, wire, { now }), code, message);
  assertEqual(serializeSession(state), before, `${message}: state unchanged`);
}

function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] as number) ^ mask;
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (err) {
    return isCryptoError(err) ? err.code : `untyped ${String(err)}`;
  }
}

function clonePending(p: PendingVisitor): PendingVisitor {
  return { ...p, visitorKeyPair: { publicKey: p.visitorKeyPair.publicKey, secretKey: p.visitorKeyPair.secretKey.slice() as X25519SecretKey } };
}

function pkiTeamOf(c: TestConversation, team: string) {
  return c.pki.team({ team, epoch: 1, serial: 900 }).cert;
}

function rng(name: string): Random {
  return seededRandom(`protocol-case/${name}`);
}

function conversation(name: string): TestConversation & { random: Random } {
  const random = rng(name);
  return { ...startConversation(random), random };
}

export const protocolCases: ProtocolCase[] = [
  {
    name: 'trust chain verifies root → org → responder and team certificates',
    run() {
      const random = rng('chain');
      const pki = createPki(random);
      const r = pki.responder({ id: 'r1', teams: ['chat'], serial: 5 });
      const cert = verifyResponderCert(pki.anchor, r.certBytes, { now: NOW, team: 'chat', role: 'responder' });
      assertEqual(cert.id, 'r1', 'id');
      assertEqual(cert.teams, ['chat'], 'teams');
      const team = pki.team({ team: 'chat', epoch: 1, serial: 6 });
      assertEqual(team.cert.epoch, 1, 'epoch');
    },
  },
  {
    name: 'rejects keys not chained to the pinned root (UntrustedKey)',
    run() {
      const random = rng('untrusted');
      const pki = createPki(random);
      const otherRoot = generateSigningKeyPair(random);
      assertCode(
        () => createTrustAnchor({ rootPublicKey: otherRoot.publicKey, orgCert: pki.orgCert, revocationList: pki.revocationList, now: NOW }),
        CryptoErrorCode.UntrustedKey,
        'org cert under another root',
      );
      const rogueOrg = generateSigningKeyPair(random);
      const rogue = pki.responder({ id: 'mallory', teams: ['chat'], serial: 66, org: rogueOrg });
      assertCode(() => verifyResponderCert(pki.anchor, rogue.certBytes, { now: NOW }), CryptoErrorCode.UntrustedKey, 'responder under a rogue org');
      const rogueOrgCert = issueOrgCert(otherRoot.secretKey, { serial: 2, publicKey: rogueOrg.publicKey, notBefore: T0 - DAY, expires: T0 + DAY });
      const rogueList = issueRevocationList(rogueOrg.secretKey, { issuedAt: T0, serials: [] });
      assertCode(
        () => createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: rogueOrgCert, revocationList: rogueList, now: NOW }),
        CryptoErrorCode.UntrustedKey,
        'rogue org cert against the pinned root',
      );
      const foreignList = issueRevocationList(rogueOrg.secretKey, { issuedAt: T0, serials: [] });
      assertCode(
        () => createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: pki.orgCert, revocationList: foreignList, now: NOW }),
        CryptoErrorCode.UntrustedKey,
        'revocation list not signed by the org',
      );
    },
  },
  {
    name: 'organisation certificates: at most 90 days when verifying, and revocable by the root',
    run() {
      const random = rng('org-cert');
      const pki = createPki(random);
      const list = issueRevocationList(pki.org.secretKey, { issuedAt: T0 - HOUR, serials: [] });
      assertCode(
        () => issueOrgCert(pki.root.secretKey, { serial: 3, publicKey: pki.org.publicKey, notBefore: T0 - DAY, expires: T0 + 90 * DAY }),
        CryptoErrorCode.PolicyViolation,
        'issuing 91 days',
      );
      // A root that signed a longer certificate anyway (an old 366-day one): refused when verifying.
      const body = Writer.labelled('org-cert').u64(4).fixed(pki.org.publicKey, 32).u64(T0 - DAY).u64(T0 + 300 * DAY).finish();
      const long = new Writer().u8(1).u8(0x01).bytes(body).fixed(sodium().crypto_sign_detached(body, pki.root.secretKey), 64).finish();
      assertCode(() => createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: long, revocationList: list, now: NOW }), CryptoErrorCode.PolicyViolation, 'verifying 301 days');
      // The root revokes serial 1 (the fixture's organisation certificate).
      const revocation = issueOrgRevocation(pki.root.secretKey, { issuedAt: T0 - HOUR, serials: [1] });
      assertCode(
        () => createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: pki.orgCert, revocationList: list, orgRevocation: revocation, now: NOW }),
        CryptoErrorCode.Revoked,
        'organisation certificate revoked by the root',
      );
      const other = issueOrgRevocation(pki.root.secretKey, { issuedAt: T0 - HOUR, serials: [2] });
      assertEqual(createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: pki.orgCert, revocationList: list, orgRevocation: other, now: NOW }).org.serial, 1, 'another serial revoked');
      // The organisation key (or the server) cannot forge or lift the root's revocation.
      const byOrg = issueOrgRevocation(pki.org.secretKey, { issuedAt: T0 - HOUR, serials: [] });
      assertCode(
        () => createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: pki.orgCert, revocationList: list, orgRevocation: byOrg, now: NOW }),
        CryptoErrorCode.UntrustedKey,
        'revocation not signed by the root',
      );
      assertEqual(parseOrgRevocation(revocation).value.serials, [1], 'round-trip');
    },
  },
  {
    name: 'rejects expired, not-yet-valid, over-long and revoked certificates, and stale revocation lists',
    run() {
      const random = rng('expiry');
      const pki = createPki(random);
      const r = pki.responder({ id: 'r', teams: ['chat'], serial: 7, notBefore: T0 - 2 * DAY, expires: T0 + DAY });
      assertCode(() => verifyResponderCert(pki.anchor, r.certBytes, { now: new Date(T0 + DAY) }), CryptoErrorCode.Expired, 'at expiry');
      assertCode(() => verifyResponderCert(pki.anchor, r.certBytes, { now: new Date(T0 - 3 * DAY) }), CryptoErrorCode.NotYetValid, 'before nbf');
      assertCode(
        () => issueResponderCert(pki.org.secretKey, { ...parseResponderCert(r.certBytes).value, expires: T0 + 40 * DAY }),
        CryptoErrorCode.PolicyViolation,
        'responder cert longer than 30 days',
      );
      const revoked = pki.anchorRevoking([7]);
      assertCode(() => verifyResponderCert(revoked, r.certBytes, { now: NOW }), CryptoErrorCode.Revoked, 'revoked responder');
      const team = pki.team({ team: 'chat', epoch: 3, serial: 8 });
      assertCode(() => verifyTeamCert(pki.anchorRevoking([8]), team.cert.bytes, { now: NOW }), CryptoErrorCode.Revoked, 'revoked team cert');
      assertCode(() => verifyTeamCert(pki.anchor, team.cert.bytes, { now: new Date(T0 + 5 * DAY) }), CryptoErrorCode.Expired, 'expired team cert');
      assertCode(() => pki.anchorRevoking([], T0 - 49 * HOUR), CryptoErrorCode.Expired, 'revocation list older than 48 h');
      assertCode(
        () => verifyResponderCert(pki.anchor, r.certBytes, { now: new Date(T0 + 48 * HOUR) }),
        CryptoErrorCode.Expired,
        'anchor used after its list went stale',
      );
      assertCode(
        () => createTrustAnchor({ rootPublicKey: pki.root.publicKey, orgCert: pki.orgCert, revocationList: pki.revocationList, now: new Date(T0 + 301 * DAY) }),
        CryptoErrorCode.Expired,
        'expired org cert',
      );
    },
  },
  {
    name: 'rejects certificates of another team and missing roles',
    run() {
      const random = rng('team');
      const pki = createPki(random);
      const r = pki.responder({ id: 'p', teams: ['parent'], serial: 9 });
      assertCode(() => verifyResponderCert(pki.anchor, r.certBytes, { now: NOW, team: 'chat' }), CryptoErrorCode.WrongTeam, 'responder of another team');
      const s = pki.responder({ id: 's', teams: ['chat'], roles: ['supervisor'], serial: 11 });
      assertCode(() => verifyResponderCert(pki.anchor, s.certBytes, { now: NOW, role: 'responder' }), CryptoErrorCode.WrongRole, 'missing role');
      const team = pki.team({ team: 'parent', epoch: 1, serial: 12 });
      assertCode(() => verifyTeamCert(pki.anchor, team.cert.bytes, { now: NOW, team: 'chat' }), CryptoErrorCode.WrongTeam, 'team cert of another team');
    },
  },
  {
    name: 'team inbox key is sealed to a member and checked against its certificate',
    run() {
      const random = rng('inbox');
      const pki = createPki(random);
      const member = generateBoxKeyPair(random);
      const t1 = pki.team({ team: 'chat', epoch: 1, serial: 20, member });
      const t2 = pki.team({ team: 'chat', epoch: 2, serial: 21, member });
      const other = pki.team({ team: 'parent', epoch: 1, serial: 22, member });
      const good = sealTeamInboxKey({ team: 'chat', epoch: 1, secretKey: t1.inbox.keyPair.secretKey }, member.publicKey);
      assertEqual(openTeamInboxKey(good, member, t1.cert).keyPair.publicKey, t1.cert.boxPublicKey, 'opened key');
      assertCode(() => openTeamInboxKey(good, member, t2.cert), CryptoErrorCode.WrongEpoch, 'against the next epoch');
      assertCode(() => openTeamInboxKey(good, member, other.cert), CryptoErrorCode.WrongTeam, 'against another team');
      const wrongKey = sealTeamInboxKey({ team: 'chat', epoch: 2, secretKey: t1.inbox.keyPair.secretKey }, member.publicKey);
      assertCode(() => openTeamInboxKey(wrongKey, member, t2.cert), CryptoErrorCode.UntrustedKey, 'key that is not the certified one');
      assertCode(() => openTeamInboxKey(good, generateBoxKeyPair(random), t1.cert), CryptoErrorCode.Tampered, 'sealed to someone else');
      assertCode(() => openTeamInboxKey(flip(good, 40), member, t1.cert), CryptoErrorCode.Tampered, 'tampered delivery');
    },
  },
  {
    name: 'intake, handshake and messages round-trip in both directions with equal safety codes',
    run() {
      const c = conversation('roundtrip');
      assertEqual(c.opened.text, 'hej, jag vill prata', 'intake text');
      assertEqual(c.opened.category, 'chat', 'category');
      assertEqual(c.visitor.safetyCode, c.responder.safetyCode, 'safety code');
      assert(/^\d{6}$/.test(c.visitor.safetyCode), 'six digits');
      assertEqual(c.visitor.responder.id, 'alice', 'responder id seen by the visitor');
      let { visitor, responder } = c;
      for (let i = 0; i < 5; i++) {
        const a = send(responder, `svar ${i}`, c.random);
        responder = a.state;
        visitor = receive(visitor, a.wire, `svar ${i}`);
        const b = send(visitor, `fråga ${i} 🙂`, c.random);
        visitor = b.state;
        responder = receive(responder, b.wire, `fråga ${i} 🙂`);
      }
      const long = 'x'.repeat(3000);
      const m = send(visitor, long, c.random);
      assertEqual((m.wire.length - 35 - 16) % 256, 0, 'padded to 256-byte buckets');
      receive(responder, m.wire, long);
      const empty = send(visitor, '', c.random);
      assertEqual(empty.wire.length, 35 + 16 + 256, 'empty message is one bucket');
      assertCode(() => send(visitor, 'x'.repeat(16200), c.random), CryptoErrorCode.TooLarge, 'message over 16 KiB');
    },
  },
  {
    name: 'callback request round-trips; forged or redirected callbacks are rejected',
    run() {
      const random = rng('callback');
      const pki = createPki(random);
      const team = pki.team({ team: 'callback', epoch: 1, serial: 30 });
      const callback = { phone: '+46701234567', timeWindow: 'i kväll 18-20', language: 'sv', note: 'ring inte före 18', verificationWord: 'blåbär' };
      const { wire, conversationId } = createCallbackRequest({ teamCert: team.cert, callback, random });
      const opened = openCallbackRequest(wire, team.inbox);
      assertEqual(opened.callback, callback, 'callback details');
      assertEqual(opened.conversationId, conversationId, 'conversation id');
      // The server keeps the visitor's key but substitutes a ciphertext of its own: does not authenticate.
      const forgedOwn = createCallbackRequest({ teamCert: team.cert, callback: { ...callback, phone: '+46000000000' }, random });
      assertCode(() => openCallbackRequest(concatHeader(wire, forgedOwn.wire), team.inbox), CryptoErrorCode.Tampered, 'spliced callback');
      const redirected = wire.slice();
      const idAt = 2 + 4 + 'callback'.length + 4;
      redirected[idAt] = (redirected[idAt] as number) ^ 0xff;
      assertCode(() => openCallbackRequest(redirected, team.inbox), CryptoErrorCode.WrongConversation, 'redirected callback');
      assertCode(() => openIntake(wire, team.inbox), CryptoErrorCode.Malformed, 'callback is not an intake');
    },
  },
  {
    name: 'server-forged or spliced intakes are rejected',
    run() {
      const random = rng('forged-intake');
      const pki = createPki(random);
      const team = pki.team({ team: 'chat', epoch: 7, serial: 40 });
      const parent = pki.team({ team: 'parent', epoch: 7, serial: 41 });
      const a = createIntake({ teamCert: team.cert, category: 'chat', text: 'visitor A', random });
      const b = createIntake({ teamCert: team.cert, category: 'chat', text: 'server text', random });
      // Header (team, epoch, id, visitor key) of A with the ciphertext of B: the visitor key does not match.
      assertCode(() => openIntake(concatHeader(a.wire, b.wire), team.inbox), CryptoErrorCode.Tampered, 'ciphertext swapped under A’s key');
      const idAt = 2 + 4 + 'chat'.length + 4;
      const moved = a.wire.slice();
      moved.set(b.pending.conversationId, idAt);
      assertCode(() => openIntake(moved, team.inbox), CryptoErrorCode.WrongConversation, 'intake redirected to another conversation');
      assertCode(() => openIntake(a.wire, parent.inbox), CryptoErrorCode.WrongTeam, 'intake delivered to another team');
      const toParent = createIntake({ teamCert: parent.cert, category: 'parent', text: 'x', random });
      const relabelled = toParent.wire.slice();
      relabelled.set(new TextEncoder().encode('chat'), 2 + 4 + 2); // "parent" → "pachat" keeps the length
      assertCode(() => openIntake(relabelled, parent.inbox), CryptoErrorCode.WrongTeam, 'outer team relabelled');
    },
  },
  {
    name: 'a tampered byte anywhere in an intake is rejected with the right code',
    run() {
      const random = rng('tamper-intake');
      const pki = createPki(random);
      const team = pki.team({ team: 'chat', epoch: 7, serial: 50 });
      const { wire } = createIntake({ teamCert: team.cert, category: 'chat', text: 'hello', random });
      const teamEnd = 2 + 4 + 4;
      for (let i = 0; i < wire.length; i++) {
        const expected =
          i === 0 ? CryptoErrorCode.UnsupportedVersion
          : i === 1 ? CryptoErrorCode.Malformed
          : i < 6 ? CryptoErrorCode.Malformed
          : i < teamEnd ? CryptoErrorCode.WrongTeam
          : i < teamEnd + 4 ? CryptoErrorCode.WrongEpoch
          : i < teamEnd + 4 + 16 ? CryptoErrorCode.WrongConversation
          : i < teamEnd + 4 + 16 + 32 + 24 ? CryptoErrorCode.Tampered
          : i < teamEnd + 4 + 16 + 32 + 24 + 4 ? CryptoErrorCode.Malformed
          : CryptoErrorCode.Tampered;
        assertCode(() => openIntake(flip(wire, i), team.inbox), expected, `intake byte ${i}`);
      }
    },
  },
  {
    name: 'a tampered byte anywhere in a message is rejected with the right code, state unchanged',
    run() {
      const c = conversation('tamper-message');
      const { wire } = send(c.visitor, 'secret', c.random);
      for (let i = 0; i < wire.length; i++) {
        const expected =
          i === 0 ? CryptoErrorCode.UnsupportedVersion
          : i === 1 || i === 2 ? CryptoErrorCode.Malformed
          : i < 7 ? CryptoErrorCode.WrongSession
          : i === 7 || i === 8 ? CryptoErrorCode.GapTooLarge
          : CryptoErrorCode.Tampered;
        rejects(c.responder, flip(wire, i), expected, `message byte ${i}`);
      }
      rejects(c.responder, wire.subarray(0, wire.length - 1), CryptoErrorCode.Malformed, 'truncated wire');
      receive(c.responder, wire, 'secret');
    },
  },
  {
    name: 'a tampered byte anywhere in a handshake is rejected with the right code',
    run() {
      const c = conversation('tamper-handshake');
      const w = c.handshakeWire;
      const certStart = 2 + 16 + 4 + 4 + 4 + 4 + 32;
      const certLen = c.alice.certBytes.length;
      for (let i = 0; i < w.length; i++) {
        const tampered = flip(w, i);
        let expected: string;
        if (i === 0) expected = CryptoErrorCode.UnsupportedVersion;
        else if (i === 1) expected = CryptoErrorCode.Malformed;
        else if (i < 18) expected = CryptoErrorCode.WrongConversation;
        else if (i < 22) expected = CryptoErrorCode.WrongSession;
        else if (i < 26) expected = CryptoErrorCode.Malformed;
        else if (i < 30) expected = CryptoErrorCode.WrongTeam;
        else if (i < 34) expected = CryptoErrorCode.WrongEpoch;
        else if (i < certStart) expected = CryptoErrorCode.BadSignature;
        else if (i < certStart + 4) expected = CryptoErrorCode.Malformed;
        else if (i < certStart + 4 + certLen) {
          // Inside the certificate: the oracle is what the chain check says about the changed certificate.
          expected = codeOf(() => verifyResponderCert(c.pki.anchor, tampered.subarray(certStart + 4, certStart + 4 + certLen), { now: NOW }));
          assert(expected !== 'none', `tampered certificate byte ${i} verified`);
        } else if (i < w.length - 32) expected = CryptoErrorCode.BadSignature;
        // The v2 key confirmation: a changed byte means the responder did not derive our root.
        else expected = CryptoErrorCode.UntrustedKey;
        const got = codeOf(() => completeHandshake(clonePending(c.pending), tampered, { anchor: c.pki.anchor, now: NOW }));
        assertEqual(got, expected, `handshake byte ${i}`);
      }
    },
  },
  {
    name: 'replayed, reflected, cross-conversation and cross-session messages are rejected',
    run() {
      const c = conversation('replay');
      const m0 = send(c.visitor, 'one', c.random);
      const r1 = receive(c.responder, m0.wire, 'one');
      rejects(r1, m0.wire, CryptoErrorCode.Replay, 'replayed message');
      rejects(m0.state, m0.wire, CryptoErrorCode.Reflected, 'own message reflected to the visitor');
      const other = conversation('replay-other');
      const foreign = send(other.visitor, 'from elsewhere', other.random);
      rejects(c.responder, foreign.wire, CryptoErrorCode.Tampered, 'message from another conversation (same session number)');
      const s2 = { ...c.responder, sessionNumber: 2 };
      rejects(s2, m0.wire, CryptoErrorCode.WrongSession, 'message from another session');
      // A message of the right session number but another session's keys (same conversation, session 1 vs a re-run handshake).
      const again = acceptIntake(c.opened, c.alice.identity, c.team.inbox, { random: c.random });
      rejects(again.state, m0.wire, CryptoErrorCode.Tampered, 'message from a parallel handshake of the same conversation');
    },
  },
  {
    name: 'handshake signatures cannot be replayed into another conversation or forged by the server',
    run() {
      const random = rng('hs-replay');
      const pki = createPki(random);
      const a = startConversation(random, pki);
      const team = a.team;
      const b = createIntake({ teamCert: team.cert, category: 'chat', text: 'B', random });
      assertCode(() => completeHandshake(clonePending(b.pending), a.handshakeWire, { anchor: pki.anchor, now: NOW }), CryptoErrorCode.WrongConversation, 'A’s handshake to B');
      const rewritten = a.handshakeWire.slice();
      rewritten.set(b.pending.conversationId, 2);
      assertCode(() => completeHandshake(clonePending(b.pending), rewritten, { anchor: pki.anchor, now: NOW }), CryptoErrorCode.BadSignature, 'A’s signature with B’s id');
      // The server runs its own handshake under a genuine certificate but cannot sign for it.
      const fakeSigner = { cert: a.alice.identity.cert, signKeyPair: generateSigningKeyPair(random) };
      const mitm = acceptIntake(openIntake(b.wire, team.inbox), fakeSigner, team.inbox, { random });
      assertCode(() => completeHandshake(clonePending(b.pending), mitm.wire, { anchor: pki.anchor, now: NOW }), CryptoErrorCode.BadSignature, 'server-signed handshake');
      // A second (replayed or competing) handshake for an intake that already completed one.
      const genuine = acceptIntake(openIntake(b.wire, team.inbox), a.alice.identity, team.inbox, { random });
      completeHandshake(b.pending, genuine.wire, { anchor: pki.anchor, now: NOW });
      assertCode(() => completeHandshake(b.pending, genuine.wire, { anchor: pki.anchor, now: NOW }), CryptoErrorCode.Replay, 'handshake replayed to the same visitor');
    },
  },
  {
    name: 'handshakes from untrusted, revoked, expired or other-team responders are rejected',
    run() {
      const random = rng('hs-certs');
      const pki = createPki(random);
      const team = pki.team({ team: 'chat', epoch: 7, serial: 60 });
      const cases: [string, ReturnType<typeof pki.responder>, CryptoErrorCode, typeof pki.anchor][] = [
        ['rogue org', pki.responder({ id: 'm', teams: ['chat'], serial: 61, org: generateSigningKeyPair(random) }), CryptoErrorCode.UntrustedKey, pki.anchor],
        ['revoked', pki.responder({ id: 'r', teams: ['chat'], serial: 62 }), CryptoErrorCode.Revoked, pki.anchorRevoking([62])],
        ['expired', pki.responder({ id: 'e', teams: ['chat'], serial: 63, notBefore: T0 - 20 * DAY, expires: T0 - DAY }), CryptoErrorCode.Expired, pki.anchor],
        ['other team', pki.responder({ id: 'p', teams: ['parent'], serial: 64 }), CryptoErrorCode.WrongTeam, pki.anchor],
        ['no responder role', pki.responder({ id: 's', teams: ['chat'], roles: ['admin'], serial: 65 }), CryptoErrorCode.WrongRole, pki.anchor],
      ];
      for (const [label, responder, code, anchor] of cases) {
        const { wire, pending } = createIntake({ teamCert: team.cert, category: 'chat', text: label, random });
        const opened = openIntake(wire, team.inbox);
        const identity = { ...responder.identity, cert: { ...responder.identity.cert, teams: ['chat'] } };
        const hs = acceptIntake(opened, identity, team.inbox, { random });
        assertCode(() => completeHandshake(pending, hs.wire, { anchor, now: NOW }), code, label);
      }
    },
  },
  {
    name: 'out-of-order delivery within the bound; gaps, expired skipped keys and closed sessions are rejected',
    run() {
      const c = conversation('ooo');
      let v = c.visitor;
      const wires: Uint8Array[] = [];
      for (let i = 0; i < 6; i++) {
        const m = send(v, `m${i}`, c.random);
        v = m.state;
        wires.push(m.wire);
      }
      let r = c.responder;
      for (const i of [2, 0, 5, 1, 4, 3]) r = receive(r, wires[i] as Uint8Array, `m${i}`);
      assertEqual(r.skipped.length, 0, 'no keys left cached');
      const limits = { maxSkip: 3, maxSkippedKeys: 2, maxSkippedAgeMs: HOUR };
      let v2 = v;
      const more: Uint8Array[] = [];
      for (let i = 0; i < 6; i++) {
        const m = send(v2, `n${i}`, c.random);
        v2 = m.state;
        more.push(m.wire);
      }
      const before = serializeSession(r);
      assertCode(() => decryptMessage(r, more[4] as Uint8Array, { now: NOW, limits }), CryptoErrorCode.GapTooLarge, 'gap of 4 > 3');
      assertEqual(serializeSession(r), before, 'unchanged after GapTooLarge');
      const r3 = decryptMessage(r, more[3] as Uint8Array, { now: NOW, limits }).state;
      assertEqual(r3.skipped.map((k) => k.counter), [7, 8], 'only the newest 2 skipped keys are kept');
      assertCode(() => decryptMessage(r3, more[0] as Uint8Array, { now: NOW, limits }), CryptoErrorCode.Replay, 'evicted key');
      assertCode(() => decryptMessage(r3, more[1] as Uint8Array, { now: new Date(T0 + 2 * HOUR), limits }), CryptoErrorCode.Expired, 'skipped key too old');
      const ok = decryptMessage(r3, more[1] as Uint8Array, { now: NOW, limits });
      assertEqual(text(ok.content), 'n1', 'late message within age');
      // A later authentic message prunes cached keys past their age.
      const pruned = decryptMessage(r3, more[4] as Uint8Array, { now: new Date(T0 + 2 * HOUR), limits }).state;
      assertEqual(pruned.skipped.map((k) => k.counter), [], 'expired skipped keys dropped on the next commit');
    },
  },
  {
    name: 'close carries final counters: truncation is detected and the session is dead afterwards',
    run() {
      const c = conversation('close');
      let v = c.visitor;
      const wires: Uint8Array[] = [];
      for (let i = 0; i < 3; i++) {
        const m = send(v, `m${i}`, c.random);
        v = m.state;
        wires.push(m.wire);
      }
      let r = receive(c.responder, wires[0] as Uint8Array, 'm0');
      const reply = send(r, 'reply', c.random);
      r = reply.state;
      // A close must carry its own counter and cannot acknowledge more than was sent (a lying peer).
      const badClose = (sent: number, received: number) =>
        encryptMessage(v, { type: 'close', sent, received } as unknown as SessionContent, { random: c.random }).wire;
      rejects(r, badClose(5, 0), CryptoErrorCode.Malformed, 'close with a wrong final counter');
      rejects(r, badClose(3, 9), CryptoErrorCode.Malformed, 'close acknowledging unsent messages');
      const closed = closeSession(v, { random: c.random });
      assertCode(() => send(closed.state, 'after', c.random), CryptoErrorCode.SessionClosed, 'send after close');
      rejects(closed.state, reply.wire, CryptoErrorCode.SessionClosed, 'receive after own close');
      // m1 was dropped by the server, m2 arrives after the close.
      const got = decryptMessage(r, closed.wire, { now: NOW });
      const info = got.content as CloseInfo;
      assertEqual(info.type, 'close', 'close');
      assertEqual([info.sent, info.received, info.missing, info.unacknowledged], [3, 0, 2, 1], 'final counters');
      const late = decryptMessage(got.state, wires[2] as Uint8Array, { now: NOW });
      assertEqual(text(late.content), 'm2', 'late message before the close still decrypts');
      assertCode(() => send(got.state, 'x', c.random), CryptoErrorCode.SessionClosed, 'peer cannot send after close');
      // The close used counter 3: a message re-using it is a replay, one after it is beyond the close.
      rejects(late.state, send(v, 'same counter', c.random).wire, CryptoErrorCode.Replay, 'message with the close counter');
      const beyond = send(send(v, 'x', c.random).state, 'after close', c.random);
      rejects(late.state, beyond.wire, CryptoErrorCode.SessionClosed, 'message beyond the close');
    },
  },
  {
    name: 'forward secrecy: the advanced state cannot decrypt earlier messages',
    run() {
      const c = conversation('fs');
      let v = c.visitor;
      const wires: Uint8Array[] = [];
      for (let i = 0; i < 3; i++) {
        const m = send(v, `m${i}`, c.random);
        v = m.state;
        wires.push(m.wire);
      }
      let r = c.responder;
      for (let i = 0; i < 3; i++) r = receive(r, wires[i] as Uint8Array, `m${i}`);
      for (let i = 0; i < 3; i++) rejects(r, wires[i] as Uint8Array, CryptoErrorCode.Replay, `earlier message ${i}`);
      // Even with the counter check bypassed, the current chain key yields only later keys.
      const forced = { ...r, recv: { ...r.recv, counter: 0 } };
      for (let i = 0; i < 3; i++) rejects(forced, wires[i] as Uint8Array, CryptoErrorCode.Tampered, `earlier message ${i} with rewound counter`);
      // Likewise restored from its serialised form.
      const restored = deserializeSession(serializeSession(forced));
      rejects(restored, wires[0] as Uint8Array, CryptoErrorCode.Tampered, 'restored state');
    },
  },
  {
    name: 'forward secrecy: after close, captured state plus long-term keys cannot decrypt the session',
    run() {
      const c = conversation('fs-close');
      let v = c.visitor;
      let r = c.responder;
      const captured: Uint8Array[] = [];
      for (let i = 0; i < 3; i++) {
        const a = send(v, `v${i}`, c.random);
        v = a.state;
        captured.push(a.wire);
        r = receive(r, a.wire, `v${i}`);
        const b = send(r, `r${i}`, c.random);
        r = b.state;
        captured.push(b.wire);
        v = receive(v, b.wire, `r${i}`);
      }
      const closed = closeSession(r, { random: c.random });
      const vClosed = decryptMessage(v, closed.wire, { now: NOW }).state;
      for (const state of [closed.state, vClosed]) {
        const bytes = serializeSession(state);
        const restored = deserializeSession(bytes);
        assert(restored.send.chainKey === null && restored.recv.chainKey === null, 'no chain keys after close');
        assertEqual(restored.skipped.length, 0, 'no cached keys after close');
        for (const w of captured) {
          const code = codeOf(() => decryptMessage(restored, w, { now: NOW }));
          assert(code === CryptoErrorCode.Replay || code === CryptoErrorCode.Reflected, `captured message decrypts after close (${code})`);
        }
      }
      // Long-term keys (team inbox, responder box and signing keys) with everything public: no session key.
      const hs = c.handshakeWire;
      const responderEph = hs.subarray(2 + 16 + 4 + 4 + 4 + 4, 2 + 16 + 4 + 4 + 4 + 4 + 32);
      const guesses = [
        x25519(c.team.inbox.keyPair.secretKey, responderEph as never),
        x25519(c.alice.boxKeyPair.secretKey, responderEph as never),
        x25519(c.alice.boxKeyPair.secretKey, c.opened.visitorPublicKey),
        x25519(c.team.inbox.keyPair.secretKey, c.opened.visitorPublicKey),
      ];
      for (const shared of guesses) {
        const root = kdf(shared, 'session-root', (w) => w.fixed(c.visitor.transcriptHash, 32).bytes(new Uint8Array(0)));
        const ck = kdf(root, 'chain', (w) => w.u8(1));
        const guess: SessionState = { ...vClosed, role: 'responder', closed: null, recv: { chainKey: ck, counter: 0, delivered: 0 } };
        rejects(guess, captured[0] as Uint8Array, CryptoErrorCode.Tampered, 'key derived from long-term keys');
      }
      assertEqual(sodium().is_zero(c.pending.visitorKeyPair.secretKey), false, 'test copy of the visitor key is intact');
    },
  },
  {
    name: 'serialised state round-trips, restores mid-conversation, and encrypted snapshots reject tampering',
    run() {
      const c = conversation('serialize');
      let v = c.visitor;
      const m = send(v, 'first', c.random);
      v = m.state;
      const skipped = send(v, 'skipped', c.random);
      v = skipped.state;
      const third = send(v, 'third', c.random);
      let r = deserializeSession(serializeSession(c.responder));
      r = receive(r, third.wire, 'third');
      const bytes = serializeSession(r);
      assertEqual(serializeSession(deserializeSession(bytes)), bytes, 'stable encoding');
      r = deserializeSession(bytes);
      r = receive(r, m.wire, 'first');
      r = receive(r, skipped.wire, 'skipped');
      const key = c.random(32);
      const snap = sealStateSnapshot(key, r, c.random);
      assertEqual(serializeSession(openStateSnapshot(key, snap)), serializeSession(r), 'snapshot round-trip');
      assertCode(() => openStateSnapshot(key, flip(snap, snap.length - 1)), CryptoErrorCode.Tampered, 'tampered snapshot');
      assertCode(() => openStateSnapshot(c.random(32), snap), CryptoErrorCode.Tampered, 'snapshot under another key');
      assertCode(() => deserializeSession(flip(bytes, 0)), CryptoErrorCode.UnsupportedVersion, 'state of another version');
      assertCode(() => deserializeSession(bytes.subarray(0, bytes.length - 2)), CryptoErrorCode.Malformed, 'truncated state');
      // A visitor tab reloaded between intake and handshake restores its pending state.
      const pendingBytes = serializePendingVisitor(c.pending);
      assertEqual(serializePendingVisitor(deserializePendingVisitor(pendingBytes)), pendingBytes, 'pending round-trip');
      const restoredVisitor = completeHandshake(deserializePendingVisitor(pendingBytes), c.handshakeWire, { anchor: c.pki.anchor, now: NOW });
      assertEqual(restoredVisitor.safetyCode, c.responder.safetyCode, 'handshake completes from restored pending state');
      // The pending state is a v2 format (it carries the team inbox key), a session state v1: refused by version.
      assertCode(() => deserializePendingVisitor(bytes), CryptoErrorCode.UnsupportedVersion, 'session state is not a pending state');
      const relabelled = bytes.slice();
      relabelled[0] = 2;
      assertCode(() => deserializePendingVisitor(relabelled), CryptoErrorCode.Malformed, 'session state with a v2 header is not a pending state');
      // Private keys unwrapped in the console become a signing identity again.
      assertEqual(signingKeyPairFromSecret(c.alice.identity.signKeyPair.secretKey).publicKey, c.alice.identity.signKeyPair.publicKey, 'Ed25519 public key from secret');
    },
  },
  {
    name: 'v2: a certified responder without the team inbox private key cannot complete session 1, a resume or a transfer',
    run() {
      const c = conversation('v2-inbox');
      // What a server holding a validly certified responder key (alice's, or one it had signed) but
      // not the team inbox key can do: everything except X25519 with the inbox key.
      const noInbox = { cert: c.team.cert, keyPair: generateBoxKeyPair(c.random) };
      const { wire, pending } = createIntake({ teamCert: c.team.cert, category: 'chat', text: 'hej', random: c.random });
      const opened = openIntake(wire, c.team.inbox);
      const forged = acceptIntake(opened, c.alice.identity, noInbox, { random: c.random });
      assertCode(() => completeHandshake(pending, forged.wire, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.UntrustedKey, 'session 1 without the inbox key');
      // The refused handshake left the visitor's pending state usable: the genuine one completes.
      const genuine = acceptIntake(opened, c.alice.identity, c.team.inbox, { random: c.random });
      const v1 = completeHandshake(pending, genuine.wire, { anchor: c.pki.anchor, now: NOW });
      receive(genuine.state, send(v1, 'hej', c.random).wire, 'hej');
      // Even a session whose root lacks the inbox share does not decrypt the visitor's messages.
      rejects(forged.state, send(v1, 'hemligt', c.random).wire, CryptoErrorCode.Tampered, 'message to the certificate-only session');

      // Resume: the psk alone (e.g. a responder removed from the team, certificate not yet expired).
      const psk = c.random(32);
      const req = createSessionRequest({ mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', teamCert: c.team.cert, sessionNumber: 2, psk, random: c.random });
      const resumeCtx = openSessionRequest(req.wire, { mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', lastSessionNumber: 1, psk, inboxKeyOf: () => noInbox });
      const resumed = createHandshake({ context: resumeCtx.context, responder: c.alice.identity, inbox: noInbox, random: c.random });
      assertCode(() => completeHandshake(clonePending(req.pending), resumed.wire, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.UntrustedKey, 'resume without the inbox key');
      const ok = createHandshake({ context: resumeCtx.context, responder: c.alice.identity, inbox: c.team.inbox, random: c.random });
      assertEqual(completeHandshake(clonePending(req.pending), ok.wire, { anchor: c.pki.anchor, now: NOW }).safetyCode, ok.state.safetyCode, 'resume with the inbox key');
      // A responder that lacks the epoch the request names cannot even start.
      assertCode(
        () => openSessionRequest(req.wire, { mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', lastSessionNumber: 1, psk, inboxKeyOf: () => null }),
        CryptoErrorCode.WrongEpoch,
        'no inbox key for the named epoch',
      );
      // The server rewrites the epoch the visitor named: the psk tag covers it.
      const rewritten = req.wire.slice();
      const epochAt = 3 + 16 + 4 + 4 + 'chat'.length;
      rewritten[epochAt + 3] = (rewritten[epochAt + 3] ?? 0) ^ 1;
      assertCode(
        () => openSessionRequest(rewritten, { mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', lastSessionNumber: 1, psk, inboxKeyOf: () => c.team.inbox }),
        CryptoErrorCode.Tampered,
        'epoch rewritten by the server',
      );

      // Transfer: the announced next responder holds the transfer key but not the inbox key.
      const bob = c.pki.responder({ id: 'bob', teams: ['chat'], serial: 72 });
      const t = createTransfer({ state: c.responder, from: c.alice.identity, next: bob.identity.cert, random: c.random });
      const ann = decryptMessage(c.visitor, encryptMessage(c.responder, t.announcement, { random: c.random }).wire, { now: NOW });
      assert(ann.content.type === 'transfer', 'transfer content');
      const treq = createSessionRequest({
        mode: 'transfer',
        conversationId: c.visitor.conversationId,
        team: 'chat',
        teamCert: c.team.cert,
        sessionNumber: ann.content.nextSessionNumber,
        psk: ann.content.transferKey,
        expectedResponderCertHash: ann.content.nextCertHash,
        random: c.random,
      });
      const handoff = openTransferHandoff(t.handoff, { cert: bob.identity.cert, boxKeyPair: bob.boxKeyPair }, { anchor: c.pki.anchor, now: NOW });
      const tctx = openSessionRequest(treq.wire, { mode: 'transfer', conversationId: handoff.conversationId, team: 'chat', lastSessionNumber: 1, psk: handoff.transferKey, inboxKeyOf: () => noInbox });
      const byBob = createHandshake({ context: tctx.context, responder: bob.identity, inbox: noInbox, random: c.random });
      assertCode(() => completeHandshake(clonePending(treq.pending), byBob.wire, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.UntrustedKey, 'transfer without the inbox key');
    },
  },
  {
    name: 'v2: handshakes and session requests of protocol v1 are refused, not misread',
    run() {
      const c = conversation('v2-version');
      const oldHandshake = c.handshakeWire.slice();
      oldHandshake[0] = 1;
      assertCode(() => completeHandshake(clonePending(c.pending), oldHandshake, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.UnsupportedVersion, 'v1 handshake');
      const req = createSessionRequest({ mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', teamCert: c.team.cert, sessionNumber: 2, psk: c.random(32), random: c.random });
      const oldRequest = req.wire.slice();
      oldRequest[0] = 1;
      assertCode(
        () => openSessionRequest(oldRequest, { mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', lastSessionNumber: 1, psk: c.random(32), inboxKeyOf: () => c.team.inbox }),
        CryptoErrorCode.UnsupportedVersion,
        'v1 session request',
      );
      const other = pkiTeamOf(c, 'parent');
      assertCode(
        () => createSessionRequest({ mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', teamCert: other, sessionNumber: 2, psk: c.random(32), random: c.random }),
        CryptoErrorCode.WrongTeam,
        'inbox certificate of another team',
      );
    },
  },
  {
    name: 'resume: fresh handshake (session + 1) bound to the psk from the resume code',
    run() {
      const c = conversation('resume');
      const code = generateResumeCode(c.random);
      const keys = parseResumeCode(code.code.toLowerCase());
      assertEqual(keys.psk, code.keys.psk, 'psk from the typed code');
      // Visitor shares the psk in the channel; the responder keeps it.
      const share = encryptMessage(c.visitor, { type: 'resume-psk', psk: keys.psk }, { random: c.random });
      const got = decryptMessage(c.responder, share.wire, { now: NOW });
      assert(got.content.type === 'resume-psk', 'resume-psk content');
      const storedPsk = got.content.psk;
      const blob = sealResumeBlob(keys.blobKey, { conversationId: c.visitor.conversationId, team: 'chat', lastSessionNumber: 1, data: new Uint8Array([1, 2, 3]) }, c.random);
      const opened = openResumeBlob(parseResumeCode(code.code).blobKey, blob);
      assertCode(() => openResumeBlob(c.random(32), blob), CryptoErrorCode.Tampered, 'blob under another key');
      const req = createSessionRequest({ mode: 'resume', conversationId: opened.conversationId, team: opened.team, teamCert: c.team.cert, sessionNumber: opened.lastSessionNumber + 1, psk: keys.psk, random: c.random });
      const inboxKeyOf = (epoch: number) => (epoch === c.team.cert.epoch ? c.team.inbox : null);
      const expected = { mode: 'resume' as const, conversationId: c.responder.conversationId, team: 'chat', lastSessionNumber: 1, psk: storedPsk, inboxKeyOf };
      const { context: ctx, inbox } = openSessionRequest(req.wire, expected);
      const hs = createHandshake({ context: ctx, responder: c.alice.identity, inbox, random: c.random });
      const visitor2 = completeHandshake(clonePending(req.pending), hs.wire, { anchor: c.pki.anchor, now: NOW });
      assertEqual(visitor2.sessionNumber, 2, 'session number');
      assertEqual(visitor2.safetyCode, hs.state.safetyCode, 'safety code');
      const m = send(visitor2, 'tillbaka', c.random);
      receive(hs.state, m.wire, 'tillbaka');
      rejects(c.responder, m.wire, CryptoErrorCode.WrongSession, 'session-2 message to session-1 state');
      assertCode(() => openSessionRequest(req.wire, { ...expected, lastSessionNumber: 2 }), CryptoErrorCode.WrongSession, 'replayed request');
      assertCode(() => openSessionRequest(req.wire, { ...expected, psk: c.random(32) }), CryptoErrorCode.Tampered, 'wrong psk');
      const forged = createSessionRequest({ mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', teamCert: c.team.cert, sessionNumber: 2, psk: c.random(32), random: c.random });
      assertCode(() => openSessionRequest(forged.wire, expected), CryptoErrorCode.Tampered, 'server-forged resume request');
      const noPsk = createHandshake({ context: { ...ctx, psk: null }, responder: c.alice.identity, inbox, random: c.random });
      assertCode(() => completeHandshake(clonePending(req.pending), noPsk.wire, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.BadSignature, 'handshake without the psk');
      const otherConv = { ...expected, conversationId: c.random(16) as ConversationId };
      assertCode(() => openSessionRequest(req.wire, otherConv), CryptoErrorCode.WrongConversation, 'request for another conversation');
    },
  },
  {
    name: 'transfer: announced next responder runs a fresh handshake bound to the announcement',
    run() {
      const c = conversation('transfer');
      const bob = c.pki.responder({ id: 'bob', teams: ['chat'], serial: 70 });
      const carol = c.pki.responder({ id: 'carol', teams: ['chat'], serial: 71 });
      const t = createTransfer({ state: c.responder, from: c.alice.identity, next: bob.identity.cert, random: c.random });
      const ann = encryptMessage(c.responder, t.announcement, { random: c.random });
      const got = decryptMessage(c.visitor, ann.wire, { now: NOW });
      assert(got.content.type === 'transfer', 'transfer content');
      const a = got.content;
      const req = createSessionRequest({
        mode: 'transfer',
        conversationId: got.state.conversationId,
        team: got.state.team,
        teamCert: c.team.cert,
        sessionNumber: a.nextSessionNumber,
        psk: a.transferKey,
        expectedResponderCertHash: a.nextCertHash,
        random: c.random,
      });
      const handoff = openTransferHandoff(t.handoff, { cert: bob.identity.cert, boxKeyPair: bob.boxKeyPair }, { anchor: c.pki.anchor, now: NOW });
      assertEqual(handoff.from.id, 'alice', 'handoff from alice');
      const { context: ctx, inbox } = openSessionRequest(req.wire, {
        mode: 'transfer',
        conversationId: handoff.conversationId,
        team: handoff.team,
        lastSessionNumber: handoff.sessionNumber - 1,
        psk: handoff.transferKey,
        inboxKeyOf: (epoch) => (epoch === c.team.cert.epoch ? c.team.inbox : null),
      });
      const hs = createHandshake({ context: ctx, responder: bob.identity, inbox, random: c.random });
      const v2 = completeHandshake(clonePending(req.pending), hs.wire, { anchor: c.pki.anchor, now: NOW });
      assertEqual([v2.sessionNumber, v2.responder.id], [2, 'bob'], 'session 2 with bob');
      receive(hs.state, send(v2, 'hej bob', c.random).wire, 'hej bob');
      // Carol (a valid team member, e.g. picked by a malicious server) cannot take over.
      const byCarol = createHandshake({ context: ctx, responder: carol.identity, inbox, random: c.random });
      assertCode(() => completeHandshake(clonePending(req.pending), byCarol.wire, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.UntrustedKey, 'unannounced responder');
      assertCode(() => openTransferHandoff(t.handoff, { cert: carol.identity.cert, boxKeyPair: carol.boxKeyPair }, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.Tampered, 'handoff sealed to bob opened by carol');
      // A handoff forged by the server (its own signing key behind alice's certificate).
      const fake = createTransfer({ state: c.responder, from: { cert: c.alice.identity.cert, signKeyPair: generateSigningKeyPair(c.random) }, next: bob.identity.cert, random: c.random });
      assertCode(() => openTransferHandoff(fake.handoff, { cert: bob.identity.cert, boxKeyPair: bob.boxKeyPair }, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.BadSignature, 'forged handoff');
      assertCode(() => openTransferHandoff(t.handoff, { cert: carol.identity.cert, boxKeyPair: bob.boxKeyPair }, { anchor: c.pki.anchor, now: NOW }), CryptoErrorCode.UntrustedKey, 'handoff naming another certificate');
    },
  },
  {
    name: 'resume codes: 80 bits, checksum catches every single typo and adjacent transposition',
    run() {
      const random = rng('resume-code');
      const { code, keys } = generateResumeCode(random);
      assert(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-[0-9A-HJKMNP-TV-Z]{2}$/.test(code), `format ${code}`);
      assertEqual(parseResumeCode(code.replace(/-/g, ' ')).lookupId, keys.lookupId, 'spaces instead of dashes');
      const chars = code.replace(/-/g, '');
      let checked = 0;
      for (let i = 0; i < chars.length; i++) {
        for (const ch of RESUME_ALPHABET) {
          if (ch === chars[i]) continue;
          const typo = chars.slice(0, i) + ch + chars.slice(i + 1);
          assertCode(() => parseResumeCode(typo), CryptoErrorCode.BadResumeCode, `substitution at ${i}`);
          checked++;
        }
        if (i + 1 < chars.length && chars[i] !== chars[i + 1]) {
          const swapped = chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2);
          assertCode(() => parseResumeCode(swapped), CryptoErrorCode.BadResumeCode, `transposition at ${i}`);
          checked++;
        }
      }
      assert(checked > 500, 'checked all variants');
      // Distance 3: any two substituted characters are caught too.
      const pick = rng('resume-code/pairs');
      for (let i = 0; i < chars.length; i++) {
        for (let j = i + 1; j < chars.length; j++) {
          const [a, b] = pick(2) as unknown as [number, number];
          const ci = RESUME_ALPHABET[(RESUME_ALPHABET.indexOf(chars[i] as string) + 1 + (a % 31)) % 32] as string;
          const cj = RESUME_ALPHABET[(RESUME_ALPHABET.indexOf(chars[j] as string) + 1 + (b % 31)) % 32] as string;
          const twice = chars.slice(0, i) + ci + chars.slice(i + 1, j) + cj + chars.slice(j + 1);
          assertCode(() => parseResumeCode(twice), CryptoErrorCode.BadResumeCode, `double error at ${i},${j}`);
        }
      }
      assertCode(() => parseResumeCode(chars.slice(1)), CryptoErrorCode.BadResumeCode, 'too short');
      assertCode(() => parseResumeCode(`${chars.slice(1)}U`), CryptoErrorCode.BadResumeCode, 'character outside the alphabet');
      assert(!bytesEqual(keys.psk, keys.blobKey) && !bytesEqual(keys.psk, keys.lookupId), 'independent keys');
    },
  },
  {
    name: 'proof of work solves and verifies with the standard build',
    run() {
      const challenge = rng('pow')(16);
      const nonce = powSolve(challenge, 12);
      powVerify(challenge, 12, nonce);
      assertCode(() => powVerify(challenge, 12, new Uint8Array(7)), CryptoErrorCode.PowInvalid, 'short nonce');
      assertEqual(certHash(new Uint8Array([1])).length, 32, 'hash length');
    },
  },
];

/** Splices the header of `a` (everything before the box ciphertext) with the ciphertext of `b`. */
function concatHeader(a: Uint8Array, b: Uint8Array): Uint8Array {
  const split = (w: Uint8Array): number => {
    const teamLen = new DataView(w.buffer, w.byteOffset).getUint32(2);
    return 2 + 4 + teamLen + 4 + 16 + 32 + 24;
  };
  const ha = a.subarray(0, split(a));
  const tb = b.subarray(split(b));
  const out = new Uint8Array(ha.length + tb.length);
  out.set(ha);
  out.set(tb, ha.length);
  return out;
}

/** Result of one case. */
export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

/** Runs every case (after sodium is loaded) and reports each; never throws. */
export function runProtocolCases(): CaseResult[] {
  return protocolCases.map((c) => {
    const start = performance.now();
    try {
      c.run();
      return { name: c.name, ok: true, ms: performance.now() - start };
    } catch (err) {
      return { name: c.name, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err), ms: performance.now() - start };
    }
  });
}
