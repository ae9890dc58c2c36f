// Re-sealed callbacks: the claimer's copy opens only with the recipient's key and only for its own
// callback; every changed byte is refused; the wire does not reveal the number's length.
import { describe, expect, it } from 'vitest';
import { openResealedCallback, resealCallback } from './callback-reseal.js';
import type { ConversationId } from './encoding.js';
import { errorCodeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { generateBoxKeyPair } from './keys.js';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';

await loadSodium();
const random = seededRandom('callback-reseal-test');
const id = random(16) as ConversationId;
const callback = { phone: '070-123 45 67', timeWindow: 'i dag 15–17', language: 'sv', note: 'Ring efter skolan', verificationWord: 'Blåbär' };

describe('resealCallback / openResealedCallback', () => {
  it('round-trips for the recipient and hides the number', () => {
    const claimer = generateBoxKeyPair(random);
    const wire = resealCallback({ conversationId: id, callback, recipient: claimer.publicKey });
    expect(Buffer.from(wire).includes(Buffer.from(callback.phone))).toBe(false);
    expect(openResealedCallback(wire, id, claimer)).toEqual(callback);
    const longer = resealCallback({ conversationId: id, callback: { ...callback, phone: '+46701234567890', note: 'x'.repeat(60) }, recipient: claimer.publicKey });
    expect(longer.length).toBe(wire.length);
  });

  it('refuses another recipient, another callback and any changed byte', () => {
    const claimer = generateBoxKeyPair(random);
    const colleague = generateBoxKeyPair(random);
    const wire = resealCallback({ conversationId: id, callback, recipient: claimer.publicKey });
    expect(errorCodeOf(() => openResealedCallback(wire, id, colleague))).toBe(CryptoErrorCode.Tampered);
    expect(errorCodeOf(() => openResealedCallback(wire, random(16) as ConversationId, claimer))).toBe(CryptoErrorCode.WrongConversation);
    for (const i of [0, 1, 2, 10, 60, wire.length - 1]) {
      const changed = wire.slice();
      changed[i] = (changed[i] ?? 0) ^ 1;
      expect(errorCodeOf(() => openResealedCallback(changed, id, claimer))).not.toBe('ok');
    }
  });
});
