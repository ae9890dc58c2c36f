// Handover to another organisation: the visitor's request opens only with the receiving team's inbox
// key; the receiving responder (another organisation's certificate) completes a fresh session under
// that organisation's anchor; the previous responder, the previous team and the server cannot.
import { describe, expect, it } from 'vitest';
import { errorCodeOf as codeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { createPki, NOW, startConversation } from './fixtures.case.js';
import { createHandshake, completeHandshake } from './handshake.js';
import { createHandoverRequest, isHandoverRequest, openHandoverRequest } from './handover.js';
import { decryptMessage, encryptMessage } from './session.js';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';

await loadSodium();

function fixture() {
  const random = seededRandom('handover-test');
  const c = startConversation(random);
  // Another organisation: its own key under the same root (a second PKI sharing the root).
  const other = createPki(random);
  const receiving = other.team({ team: 'kommun-unga', epoch: 3, serial: 200 });
  const bo = other.responder({ id: 'bo', teams: ['kommun-unga'], serial: 20 });
  return { random, c, other, receiving, bo };
}

describe('handover to another organisation', () => {
  it('the receiving team answers with a fresh session under its own organisation; nobody else can', () => {
    const { random, c, other, receiving, bo } = fixture();
    // The offer travels inside the session; the visitor answers inside it too.
    const offer = encryptMessage(c.responder, { type: 'handover-offer', team: 'kommun-unga', org: 'kommun', teamName: 'Kommunen – unga' }, { random });
    expect(decryptMessage(c.visitor, offer.wire, { now: NOW }).content).toEqual({ type: 'handover-offer', team: 'kommun-unga', org: 'kommun', teamName: 'Kommunen – unga' });
    const answer = encryptMessage(c.visitor, { type: 'handover-answer', team: 'kommun-unga', accepted: true }, { random });
    expect(decryptMessage(c.responder, answer.wire, { now: NOW }).content).toEqual({ type: 'handover-answer', team: 'kommun-unga', accepted: true });

    const req = createHandoverRequest({ conversationId: c.visitor.conversationId, team: 'kommun-unga', teamCert: receiving.cert, sessionNumber: c.visitor.sessionNumber + 1, random });
    expect(isHandoverRequest(req.wire)).toBe(true);
    const expected = { conversationId: c.visitor.conversationId, team: 'kommun-unga', lastSessionNumber: 0, inboxKeyOf: (e: number) => (e === 3 ? receiving.inbox : null) };
    const { context, inbox } = openHandoverRequest(req.wire, expected);
    const hs = createHandshake({ context, responder: bo.identity, inbox, random });
    const session = completeHandshake(req.pending, hs.wire, { anchor: other.anchor, now: NOW });
    expect([session.sessionNumber, session.responder.id, session.team]).toEqual([2, 'bo', 'kommun-unga']);
    expect(session.safetyCode).not.toBe(c.visitor.safetyCode);

    // The previous team's inbox key does not open it (the previous responder, or a server holding it).
    expect(codeOf(() => openHandoverRequest(req.wire, { ...expected, inboxKeyOf: () => ({ cert: receiving.cert, keyPair: c.team.inbox.keyPair }) }))).toBe(CryptoErrorCode.Tampered);
    expect(codeOf(() => openHandoverRequest(req.wire, { ...expected, inboxKeyOf: () => null }))).toBe(CryptoErrorCode.WrongEpoch);
    // Spliced into another conversation.
    expect(codeOf(() => openHandoverRequest(req.wire, { ...expected, conversationId: random(16) as typeof expected.conversationId }))).toBe(CryptoErrorCode.WrongConversation);
  });

  it('a handshake by the previous organisation’s responder does not complete the visitor’s handover session', () => {
    const { random, c, other, receiving, bo } = fixture();
    const req = createHandoverRequest({ conversationId: c.visitor.conversationId, team: 'kommun-unga', teamCert: receiving.cert, sessionNumber: 2, random });
    const { context, inbox } = openHandoverRequest(req.wire, { conversationId: c.visitor.conversationId, team: 'kommun-unga', lastSessionNumber: 0, inboxKeyOf: () => receiving.inbox });
    // The first organisation's key certifies one of its responders for the receiving team's id: that
    // certificate does not chain to the receiving organisation, so the visitor refuses it.
    const mallory = c.pki.responder({ id: 'mallory', teams: ['kommun-unga'], serial: 99 });
    const byMallory = createHandshake({ context, responder: mallory.identity, inbox, random });
    expect(codeOf(() => completeHandshake({ ...req.pending }, byMallory.wire, { anchor: other.anchor, now: NOW }))).toBe(CryptoErrorCode.UntrustedKey);
    const byBo = createHandshake({ context, responder: bo.identity, inbox, random });
    expect(completeHandshake({ ...req.pending }, byBo.wire, { anchor: other.anchor, now: NOW }).responder.id).toBe('bo');
  });
});
