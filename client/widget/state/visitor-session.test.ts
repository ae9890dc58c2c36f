// The visitor's end of the session against a responder made of crypto/ calls: the handshake answering
// the intake establishes it (once; a tampered one is refused), messages both ways, a replay dropped,
// close once, and nothing sealed while handed over or forgotten.
import { describe, expect, it } from 'vitest';
import * as C from '../../../crypto/index.js';
import { NOW, startConversation } from '../../../crypto/fixtures.case.js';
import { seededRandom } from '../../../crypto/random.js';
import { createVisitorSession } from './visitor-session.js';

async function world(label: string) {
  await C.loadSodium();
  const t = startConversation(seededRandom(label));
  const session = createVisitorSession({ crypto: C, anchor: t.pki.anchor, now: () => NOW, pending: t.pending });
  return { t, session };
}

describe('visitor session', () => {
  it('is established by the responder’s handshake, once', async () => {
    const { t, session } = await world('vs-establish');
    expect(session.awaiting).toBe(true);
    expect(session.current).toBeNull();
    expect(session.handshake(t.handshakeWire)).toBe('established');
    expect(session.awaiting).toBe(false);
    expect(session.current?.safetyCode).toBe(t.visitor.safetyCode);
    expect(session.current?.responder.displayName).toBe('Responder alice');
    expect(session.handshake(t.handshakeWire)).toBe('ignored');
  });

  it('refuses a handshake that does not verify, and ignores one that does not parse', async () => {
    const { t, session } = await world('vs-tampered');
    expect(session.handshake(new Uint8Array([1, 2, 3]))).toBe('ignored');
    const tampered = t.handshakeWire.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(session.handshake(tampered)).toBe('refused');
    expect(session.current).toBeNull();
    expect(session.awaiting).toBe(true);
    expect(session.handshake(t.handshakeWire)).toBe('established');
  });

  it('opens the responder’s messages once and seals the visitor’s for the responder', async () => {
    const { t, session } = await world('vs-messages');
    session.handshake(t.handshakeWire);
    const { wire, state: responder } = C.encryptMessage(t.responder, { type: 'text', text: 'Hej, jag heter Alice' });
    expect(session.open(wire)).toEqual({ type: 'text', text: 'Hej, jag heter Alice' });
    expect(session.open(wire)).toBeNull(); // a replay
    const out = session.seal({ type: 'text', text: 'Tack' });
    expect(out).not.toBeNull();
    expect(C.decryptMessage(responder, out!, { now: NOW }).content).toEqual({ type: 'text', text: 'Tack' });
  });

  it('closes once, and seals nothing while handed over or after delete-now', async () => {
    const { t, session } = await world('vs-close');
    expect(session.close()).toBeNull(); // no session yet
    session.handshake(t.handshakeWire);
    expect(session.close()).not.toBeNull();
    expect(session.close()).toBeNull();
    const again = await world('vs-handover');
    again.session.handshake(again.t.handshakeWire);
    again.session.handOver();
    expect(again.session.current).toBeNull();
    expect(again.session.seal({ type: 'text', text: 'x' })).toBeNull();
    again.session.await(again.t.pending);
    expect(again.session.awaiting).toBe(true);
    again.session.forget();
    expect(again.session.awaiting).toBe(false);
  });
});
