// Generates the known-answer vectors deterministically from fixed seeds: `npx tsx test/vectors/generate.ts` rewrites vectors.json.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { certHash } from '../../crypto/certs.js';
import { toHex } from '../../crypto/encoding.js';
import { NOW, T0, startConversation } from '../../crypto/fixtures.case.js';
import { createHandshake } from '../../crypto/handshake.js';
import { createCallbackRequest } from '../../crypto/intake.js';
import { deriveLoginKeys, hashAuthKey, wrapPrivateKeys } from '../../crypto/password.js';
import { powSolve } from '../../crypto/pow.js';
import { seededRandom } from '../../crypto/random.js';
import { generateResumeCode, resumeLookupHash, sealResumeBlob } from '../../crypto/resume-code.js';
import { closeSession, decryptMessage, encryptMessage, type SessionState } from '../../crypto/session.js';
import { createSessionRequest, openSessionRequest } from '../../crypto/session-request.js';
import { serializeSession } from '../../crypto/session-state.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';

/** Where the vectors live. */
export const VECTORS_PATH = fileURLToPath(new URL('./vectors.json', import.meta.url));

/** Everything in hex (bytes) or plain JSON values. Secrets appear here only because they are test keys. */
export type Vectors = Record<string, Record<string, string | number | string[]>>;

const hex = toHex;

/** Builds every vector from the seed "utvag/v1/vectors". Needs the sumo build (Argon2id). */
export async function generateVectors(): Promise<Vectors> {
  await loadSumoSodium();
  const random = seededRandom('utvag/v1/vectors');
  const c = startConversation(random);
  const v: Vectors = {};
  v.trust = {
    now: T0,
    rootPublicKey: hex(c.pki.root.publicKey),
    orgSecretKey: hex(c.pki.org.secretKey),
    orgCert: hex(c.pki.orgCert),
    revocationList: hex(c.pki.revocationList),
    responderCert: hex(c.alice.certBytes),
    responderCertHash: hex(certHash(c.alice.certBytes)),
    responderSignSecretKey: hex(c.alice.identity.signKeyPair.secretKey),
    teamCert: hex(c.team.cert.bytes),
    teamSecretKey: hex(c.team.inbox.keyPair.secretKey),
  };
  v.intake = {
    visitorSecretKey: hex(c.pending.visitorKeyPair.secretKey),
    conversationId: hex(c.pending.conversationId),
    wire: hex(c.intakeWire),
    intakeHash: hex(c.opened.intakeHash),
    text: c.opened.text,
  };
  v.handshake = {
    wire: hex(c.handshakeWire),
    transcriptHash: hex(c.visitor.transcriptHash),
    safetyCode: c.visitor.safetyCode,
    visitorState: hex(serializeSession(c.visitor)),
    responderState: hex(serializeSession(c.responder)),
  };
  let vs: SessionState = c.visitor;
  let rs: SessionState = c.responder;
  const messages: string[] = [];
  const texts = ['hej', 'hej! hur mår du?', 'x'.repeat(300)];
  for (const t of texts) {
    const a = encryptMessage(vs, { type: 'text', text: t }, { random });
    vs = a.state;
    messages.push(hex(a.wire));
    rs = decryptMessage(rs, a.wire, { now: NOW }).state;
    const b = encryptMessage(rs, { type: 'text', text: `re: ${t.slice(0, 10)}` }, { random });
    rs = b.state;
    messages.push(hex(b.wire));
    vs = decryptMessage(vs, b.wire, { now: NOW }).state;
  }
  const closed = closeSession(rs, { random });
  v.messages = {
    texts,
    wires: messages,
    close: hex(closed.wire),
    visitorStateAfter: hex(serializeSession(vs)),
    responderStateAfterClose: hex(serializeSession(closed.state)),
  };
  const callback = createCallbackRequest({
    teamCert: c.team.cert,
    callback: { phone: '+46701234567', timeWindow: '18-20', language: 'sv', note: '', verificationWord: 'lingon' },
    random,
  });
  v.callback = { wire: hex(callback.wire), conversationId: hex(callback.conversationId) };
  const resume = generateResumeCode(random);
  const blob = sealResumeBlob(resume.keys.blobKey, { conversationId: c.visitor.conversationId, team: 'chat', lastSessionNumber: 1, data: new Uint8Array([9]) }, random);
  const request = createSessionRequest({ mode: 'resume', conversationId: c.visitor.conversationId, team: 'chat', teamCert: c.team.cert, sessionNumber: 2, psk: resume.keys.psk, random });
  const { context, inbox } = openSessionRequest(request.wire, {
    mode: 'resume',
    conversationId: c.visitor.conversationId,
    team: 'chat',
    lastSessionNumber: 1,
    psk: resume.keys.psk,
    inboxKeyOf: () => c.team.inbox,
  });
  const resumed = createHandshake({ context, responder: c.alice.identity, inbox, random });
  v.resume = {
    code: resume.code,
    lookupId: hex(resume.keys.lookupId),
    lookupHash: hex(resumeLookupHash(resume.keys.lookupId)),
    blobKey: hex(resume.keys.blobKey),
    psk: hex(resume.keys.psk),
    blob: hex(blob),
    sessionRequest: hex(request.wire),
    visitorSecretKey: hex(request.pending.visitorKeyPair.secretKey),
    handshake: hex(resumed.wire),
    safetyCode: resumed.state.safetyCode,
  };
  const challenge = seededRandom('utvag/v1/vectors/pow')(16);
  v.pow = { challenge: hex(challenge), difficultyBits: 16, nonce: hex(powSolve(challenge, 16)) };
  const salt = seededRandom('utvag/v1/vectors/password')(16);
  const login = deriveLoginKeys('korrekt häst batteri häftklammer', salt);
  v.password = {
    password: 'korrekt häst batteri häftklammer',
    salt: hex(salt),
    opslimit: 3,
    memlimit: 64 * 1024 * 1024,
    authKey: hex(login.authKey),
    authKeyHash: hex(hashAuthKey(login.authKey)),
    wrapKey: hex(login.wrapKey),
    wrappedKeys: hex(wrapPrivateKeys(login.wrapKey, { signSecretKey: c.alice.identity.signKeyPair.secretKey, boxSecretKey: c.alice.boxKeyPair.secretKey }, random)),
  };
  return v;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const vectors = await generateVectors();
  writeFileSync(VECTORS_PATH, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`wrote ${VECTORS_PATH}`);
}
