// Team notes: a fixed vector, a round trip for every member of the team (the author included), and
// every forgery or move the server could try refused: another author, conversation, team or epoch,
// changed bytes, a text over the limit.
import { describe, expect, it } from 'vitest';
import { errorCodeOf as codeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { toHex, type ConversationId } from './encoding.js';
import { hash } from './hash.js';
import { createPki, NOW } from './fixtures.case.js';
import { generateBoxKeyPair } from './keys.js';
import { MAX_NOTE_TEXT_BYTES, openNote, parseNoteEnvelope, sealNote } from './note.js';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';

await loadSodium();

function fixture(seed = 'note-test') {
  const random = seededRandom(seed);
  const pki = createPki(random);
  const author = pki.responder({ id: 'r-lina', teams: ['unga'], serial: 11 });
  const colleague = pki.responder({ id: 'r-omar', teams: ['unga'], serial: 12 });
  const team = pki.team({ team: 'unga', epoch: 4, serial: 20, member: author.boxKeyPair });
  // The same epoch's inbox key as the colleague holds it (sealed to the colleague's key).
  const colleagueInbox = { cert: team.cert, keyPair: team.inbox.keyPair };
  const conversationId = random(16) as ConversationId;
  const wire = sealNote({ inbox: team.inbox, author: { id: 'r-lina', keyPair: author.boxKeyPair }, conversationId, text: 'Vill ut. Föreslå möte.', now: NOW, random });
  return { random, pki, author, colleague, team, colleagueInbox, conversationId, wire };
}

describe('team notes', () => {
  it('matches the fixed vector', () => {
    const { wire } = fixture();
    expect(toHex(hash('test-vector', (w) => w.bytes(wire)))).toMatchInlineSnapshot(`"e42f2df0f695227931901f03e5b0ee58c64ef0b28f26f8bea35901021a773b84"`);
  });

  it('opens for the author and for a colleague of the team, with author, time and text', () => {
    const { author, team, colleagueInbox, conversationId, wire } = fixture();
    for (const inbox of [team.inbox, colleagueInbox]) {
      const note = openNote(wire, { inbox, conversationId, authorKey: author.boxKeyPair.publicKey });
      expect([note.author, note.at, note.text, note.team, note.epoch]).toEqual(['r-lina', NOW.getTime(), 'Vill ut. Föreslå möte.', 'unga', 4]);
    }
    expect(parseNoteEnvelope(wire).authorPublicKey).toEqual(author.boxKeyPair.publicKey);
  });

  it('pads the text: two short notes have the same length', () => {
    const { random, author, team, conversationId } = fixture();
    const seal = (text: string) => sealNote({ inbox: team.inbox, author: { id: 'r-lina', keyPair: author.boxKeyPair }, conversationId, text, now: NOW, random }).length;
    expect(seal('a')).toBe(seal('ett lite längre stycke text'));
  });

  it('refuses another author, conversation, team or epoch, changed bytes and a text over the limit', () => {
    const { random, pki, author, colleague, team, conversationId, wire } = fixture();
    const open = (w: Uint8Array, over: Partial<Parameters<typeof openNote>[1]> = {}) =>
      codeOf(() => openNote(w, { inbox: team.inbox, conversationId, authorKey: author.boxKeyPair.publicKey, ...over }));
    // The server names another author: the key does not match.
    expect(open(wire, { authorKey: colleague.boxKeyPair.publicKey })).toBe(CryptoErrorCode.UntrustedKey);
    // Moved to another conversation.
    expect(open(wire, { conversationId: random(16) as ConversationId })).toBe(CryptoErrorCode.WrongConversation);
    // Another team's or epoch's inbox.
    expect(open(wire, { inbox: pki.team({ team: 'konsult', epoch: 4, serial: 21 }).inbox })).toBe(CryptoErrorCode.WrongTeam);
    expect(open(wire, { inbox: pki.team({ team: 'unga', epoch: 5, serial: 22 }).inbox })).toBe(CryptoErrorCode.WrongEpoch);
    // A flipped ciphertext byte.
    const flipped = wire.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(open(flipped)).toBe(CryptoErrorCode.Tampered);
    // A note forged by someone without the author's key (the server knows the team's public key).
    const forger = generateBoxKeyPair(random);
    const forged = sealNote({ inbox: { cert: team.cert, keyPair: forger }, author: { id: 'r-lina', keyPair: forger }, conversationId, text: 'falsk', now: NOW, random });
    expect(open(forged)).toBe(CryptoErrorCode.UntrustedKey);
    const spliced = forged.slice();
    spliced.set(author.boxKeyPair.publicKey, parseNoteEnvelope(forged).team.length + 4 + 2 + 4 + 16);
    expect(open(spliced)).toBe(CryptoErrorCode.Tampered);
    // Too long: refused before anything is sealed.
    expect(codeOf(() => sealNote({ inbox: team.inbox, author: { id: 'r-lina', keyPair: author.boxKeyPair }, conversationId, text: 'x'.repeat(MAX_NOTE_TEXT_BYTES + 1), now: NOW, random }))).toBe(CryptoErrorCode.TooLarge);
    expect(codeOf(() => parseNoteEnvelope(wire.subarray(0, 10)))).toBe(CryptoErrorCode.Malformed);
  });
});
