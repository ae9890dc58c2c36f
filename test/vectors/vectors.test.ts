// Known-answer vectors: regenerating from the fixed seeds must give byte-identical output, and the stored bytes must decode.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrustAnchor, verifyResponderCert, verifyTeamCert } from '../../crypto/chain.js';
import { fromHex, type Ed25519PublicKey, type X25519SecretKey } from '../../crypto/encoding.js';
import { completeHandshake } from '../../crypto/handshake.js';
import { boxKeyPairFromSecret } from '../../crypto/keys.js';
import { openIntake, openCallbackRequest } from '../../crypto/intake.js';
import { powVerify } from '../../crypto/pow.js';
import { openResumeBlob, parseResumeCode } from '../../crypto/resume-code.js';
import { decryptMessage } from '../../crypto/session.js';
import { deserializeSession } from '../../crypto/session-state.js';
import { generateVectors, VECTORS_PATH, type Vectors } from './generate.js';

const stored = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;
const h = (section: string, key: string): Uint8Array => fromHex(stored[section]?.[key] as string);

describe('known-answer vectors (test/vectors/vectors.json)', () => {
  let fresh: Vectors;
  beforeAll(async () => {
    fresh = await generateVectors();
  });

  it('regenerate byte-identically from the fixed seeds', () => {
    for (const section of Object.keys(stored)) expect(fresh[section], section).toEqual(stored[section]);
    expect(Object.keys(fresh)).toEqual(Object.keys(stored));
  });

  it('stored bytes decode with the current code', () => {
    const now = new Date(stored.trust?.now as number);
    const anchor = createTrustAnchor({ rootPublicKey: h('trust', 'rootPublicKey') as Ed25519PublicKey, orgCert: h('trust', 'orgCert'), revocationList: h('trust', 'revocationList'), now });
    expect(verifyResponderCert(anchor, h('trust', 'responderCert'), { now, team: 'chat', role: 'responder' }).id).toBe('alice');
    const teamCert = verifyTeamCert(anchor, h('trust', 'teamCert'), { now, team: 'chat' });
    const inbox = { cert: teamCert, keyPair: boxKeyPairFromSecret(h('trust', 'teamSecretKey') as X25519SecretKey) };
    const intake = openIntake(h('intake', 'wire'), inbox);
    expect(intake.text).toBe(stored.intake?.text);
    expect(intake.intakeHash).toEqual(h('intake', 'intakeHash'));
    expect(openCallbackRequest(h('callback', 'wire'), inbox).callback.verificationWord).toBe('lingon');
    const visitorKeyPair = boxKeyPairFromSecret(h('intake', 'visitorSecretKey') as X25519SecretKey);
    // v2: T binds the team inbox key the visitor used, so the stored handshake completes only against it.
    const otherInbox = boxKeyPairFromSecret(h('intake', 'visitorSecretKey') as X25519SecretKey).publicKey;
    expect(() =>
      completeHandshake(
        { conversationId: intake.conversationId, team: 'chat', epoch: intake.epoch, teamInboxPublicKey: otherInbox, sessionNumber: 1, visitorKeyPair: boxKeyPairFromSecret(h('intake', 'visitorSecretKey') as X25519SecretKey), binding: intake.intakeHash, psk: null, expectedResponderCertHash: null },
        h('handshake', 'wire'),
        { anchor, now },
      ),
    ).toThrow(expect.objectContaining({ code: 'BadSignature' }));
    expect(h('handshake', 'wire')[0]).toBe(2);
    const visitor = completeHandshake(
      { conversationId: intake.conversationId, team: 'chat', epoch: intake.epoch, teamInboxPublicKey: teamCert.boxPublicKey, sessionNumber: 1, visitorKeyPair, binding: intake.intakeHash, psk: null, expectedResponderCertHash: null },
      h('handshake', 'wire'),
      { anchor, now },
    );
    expect(visitor.safetyCode).toBe(stored.handshake?.safetyCode);
    let responder = deserializeSession(h('handshake', 'responderState'));
    let v = visitor;
    const texts = stored.messages?.texts as string[];
    (stored.messages?.wires as string[]).forEach((wire, i) => {
      if (i % 2 === 0) {
        const out = decryptMessage(responder, fromHex(wire), { now });
        expect(out.content).toEqual({ type: 'text', text: texts[i / 2] });
        responder = out.state;
      } else {
        const out = decryptMessage(v, fromHex(wire), { now });
        expect(out.content.type).toBe('text');
        v = out.state;
      }
    });
    expect(v.recv.counter).toBe(3);
    const close = decryptMessage(deserializeSession(h('messages', 'visitorStateAfter')), h('messages', 'close'), { now });
    expect(close.content).toMatchObject({ type: 'close', sent: 3, received: 3, missing: 0, unacknowledged: 0 });
    const keys = parseResumeCode(stored.resume?.code as string);
    expect(keys.psk).toEqual(h('resume', 'psk'));
    expect(openResumeBlob(keys.blobKey, h('resume', 'blob')).lastSessionNumber).toBe(1);
    expect(() => powVerify(h('pow', 'challenge'), 16, h('pow', 'nonce'))).not.toThrow();
  });
});
