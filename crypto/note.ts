// Team notes on a conversation: crypto_box_easy from the author's certified X25519 key to the team
// inbox key of one epoch. Every member of the team (the author included) opens them with that
// epoch's inbox key; the author's key authenticates them, so the server can neither read nor forge a
// note, nor move one to another conversation, team or author.
import { WireType } from './certs.js';
import {
  PROTOCOL_VERSION,
  Reader,
  Writer,
  bytesEqual,
  type ConversationId,
  type X25519PublicKey,
} from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import type { TeamInboxKey } from './inbox-key.js';
import type { BoxKeyPair } from './keys.js';
import { pad, unpad } from './padding.js';
import { systemRandom, type Random } from './random.js';
import { sodium } from './sodium.js';

/** Largest note text: 2,000 UTF-8 bytes (padded to 256-byte buckets, at most 2,048 + framing). */
export const MAX_NOTE_TEXT_BYTES = 2000;
/** Largest padded plaintext: the text plus its framing, in 256-byte buckets. */
const MAX_NOTE_PLAINTEXT = 2560;

/** The server-visible fields of a note (the same values are repeated inside the ciphertext). */
export interface NoteEnvelope {
  team: string;
  epoch: number;
  conversationId: ConversationId;
  /** The author's X25519 key; readers check it against the author's verified certificate. */
  authorPublicKey: X25519PublicKey;
}

/** A note opened by a team member. */
export interface OpenedNote extends NoteEnvelope {
  /** The author's responder id (certificate id), authenticated by the author's key. */
  author: string;
  /** When the author wrote it, Unix ms (the author's clock). */
  at: number;
  text: string;
}

/**
 * Author: seals `text` for every member of `inbox`'s team and epoch, from the author's certified
 * X25519 key pair. Throws TooLarge above MAX_NOTE_TEXT_BYTES.
 */
export function sealNote(input: {
  inbox: TeamInboxKey;
  author: { id: string; keyPair: BoxKeyPair };
  conversationId: ConversationId;
  text: string;
  now: Date;
  random?: Random;
}): Uint8Array {
  const random = input.random ?? systemRandom;
  const bytes = new TextEncoder().encode(input.text);
  if (bytes.length > MAX_NOTE_TEXT_BYTES) fail(CryptoErrorCode.TooLarge, `note of ${bytes.length} bytes`);
  const { team, epoch, boxPublicKey } = input.inbox.cert;
  const inner = Writer.labelled('note')
    .string(team)
    .u32(epoch)
    .fixed(input.conversationId, 16)
    .fixed(input.author.keyPair.publicKey, 32)
    .string(input.author.id)
    .u64(input.now.getTime())
    .string(input.text)
    .finish();
  const nonce = random(24);
  const ciphertext = sodium().crypto_box_easy(pad(inner, MAX_NOTE_PLAINTEXT), nonce, boxPublicKey, input.author.keyPair.secretKey);
  return new Writer()
    .u8(PROTOCOL_VERSION)
    .u8(WireType.Note)
    .string(team)
    .u32(epoch)
    .fixed(input.conversationId, 16)
    .fixed(input.author.keyPair.publicKey, 32)
    .fixed(nonce, 24)
    .bytes(ciphertext)
    .finish();
}

/** Parses the outer fields of a note (no decryption): which inbox key opens it. Throws Malformed / UnsupportedVersion. */
export function parseNoteEnvelope(wire: Uint8Array): NoteEnvelope & { nonce: Uint8Array; ciphertext: Uint8Array } {
  const r = new Reader(wire);
  const version = r.u8();
  if (version !== PROTOCOL_VERSION) fail(CryptoErrorCode.UnsupportedVersion, `note version ${version}`);
  if (r.u8() !== WireType.Note) fail(CryptoErrorCode.Malformed, 'not a note');
  const env = {
    team: r.string(256),
    epoch: r.u32(),
    conversationId: r.fixed(16) as ConversationId,
    authorPublicKey: r.fixed(32) as X25519PublicKey,
    nonce: r.fixed(24),
    ciphertext: r.bytes(MAX_NOTE_PLAINTEXT + 64),
  };
  r.end();
  return env;
}

/**
 * Team member: opens a note of `conversationId` with the inbox key of its team and epoch, checking
 * that it comes from `authorKey` (the X25519 key of the author's verified certificate) and that the
 * authenticated inner fields match the outer ones. Throws WrongTeam / WrongEpoch (another inbox),
 * WrongConversation (moved to another conversation), UntrustedKey (another author's key), Tampered
 * (changed bytes), Malformed.
 */
export function openNote(wire: Uint8Array, input: { inbox: TeamInboxKey; conversationId: ConversationId; authorKey: X25519PublicKey }): OpenedNote {
  const { nonce, ciphertext, ...env } = parseNoteEnvelope(wire);
  if (env.team !== input.inbox.cert.team) fail(CryptoErrorCode.WrongTeam, 'note of another team');
  if (env.epoch !== input.inbox.cert.epoch) fail(CryptoErrorCode.WrongEpoch, 'note of another inbox epoch');
  if (!bytesEqual(env.conversationId, input.conversationId)) fail(CryptoErrorCode.WrongConversation, 'note of another conversation');
  if (!bytesEqual(env.authorPublicKey, input.authorKey)) fail(CryptoErrorCode.UntrustedKey, 'note not from the named author');
  let padded: Uint8Array;
  try {
    padded = sodium().crypto_box_open_easy(ciphertext, nonce, env.authorPublicKey, input.inbox.keyPair.secretKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'note does not authenticate');
  }
  const inner = new Reader(unpad(padded)).expectLabel('note');
  if (inner.string(256) !== env.team) fail(CryptoErrorCode.WrongTeam, 'inner team differs');
  if (inner.u32() !== env.epoch) fail(CryptoErrorCode.WrongEpoch, 'inner epoch differs');
  if (!bytesEqual(inner.fixed(16), env.conversationId)) fail(CryptoErrorCode.WrongConversation, 'inner conversation id differs');
  if (!bytesEqual(inner.fixed(32), env.authorPublicKey)) fail(CryptoErrorCode.Tampered, 'inner author key differs');
  const author = inner.string(256);
  const at = inner.u64();
  const text = inner.string(MAX_NOTE_TEXT_BYTES);
  inner.end();
  return { ...env, author, at, text };
}
