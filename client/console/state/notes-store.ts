// The team notes of a chat (crypto/note.ts): sealed in the browser to the team's newest inbox key
// from this responder's certified key; opened with the inbox key of their epoch, each checked
// against its author's certificate (verified against the pinned root). The server sees ciphertext.
import {
  conversationIdFromString,
  fromBase64url,
  isCryptoError,
  openNote,
  parseNoteEnvelope,
  sealNote,
  toBase64url,
  verifyResponderCert,
  type X25519PublicKey,
} from '../../../crypto/api-sumo.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import type { Colleague } from './chats-store.js';
import type { ResponderApi } from './console-api.js';
import type { Note } from '../../../contract/rest.js';

/** A note as shown: null text when it does not open or its author's certificate does not check. */
export interface NoteView {
  readonly id: string;
  readonly by: string | null;
  readonly at: number;
  readonly text: string | null;
}

export interface NotesDeps {
  readonly api: Pick<ResponderApi, 'notes' | 'addNote'>;
  readonly keys: () => UnlockedKeys | null;
  readonly colleagues: () => readonly Colleague[];
  readonly now: () => Date;
}

export function createNotesStore(deps: NotesDeps) {
  /** The author's X25519 key from a certificate valid for `team`, and the name it carries. */
  const author = (keys: UnlockedKeys, id: string, team: string): { key: X25519PublicKey; name: string } | null => {
    if (id === keys.identity.cert.id) return { key: keys.boxKeyPair.publicKey, name: keys.identity.cert.displayName };
    const colleague = deps.colleagues().find((c) => c.id === id);
    if (colleague === undefined) return null;
    try {
      const cert = verifyResponderCert(keys.anchor, fromBase64url(colleague.cert), { now: deps.now(), team, role: 'responder' });
      return { key: cert.boxPublicKey, name: cert.displayName };
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return null;
    }
  };
  const open = (keys: UnlockedKeys, chat: { id: string; team: string }, note: Note): NoteView => {
    const who = author(keys, note.author, chat.team);
    try {
      const wire = fromBase64url(note.body);
      const env = parseNoteEnvelope(wire);
      const inbox = keys.inbox.get(`${env.team}:${env.epoch}`);
      if (who === null || inbox === undefined) return { id: note.id, by: who?.name ?? null, at: note.at, text: null };
      const opened = openNote(wire, { inbox, conversationId: conversationIdFromString(chat.id), authorKey: who.key });
      return { id: note.id, by: who.name, at: opened.at, text: opened.text };
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return { id: note.id, by: who?.name ?? null, at: note.at, text: null };
    }
  };
  return {
    /** The chat's notes, opened; [] while locked. */
    async load(chat: { id: string; team: string }): Promise<NoteView[]> {
      const keys = deps.keys();
      if (keys === null) return [];
      const { notes } = await deps.api.notes(chat.id);
      return notes.map((n) => open(keys, chat, n));
    },
    /** Seals `text` to the team's newest inbox key this responder holds and stores it. */
    async add(chat: { id: string; team: string }, text: string): Promise<void> {
      const keys = deps.keys();
      if (keys === null) throw new Error('locked');
      const inbox = [...keys.inbox.values()].filter((k) => k.cert.team === chat.team).sort((a, b) => b.cert.epoch - a.cert.epoch)[0];
      if (inbox === undefined) throw new Error('no inbox key for the team');
      const wire = sealNote({ inbox, author: { id: keys.identity.cert.id, keyPair: keys.boxKeyPair }, conversationId: conversationIdFromString(chat.id), text, now: deps.now() });
      await deps.api.addNote(chat.id, { body: toBase64url(wire) });
    },
  };
}
