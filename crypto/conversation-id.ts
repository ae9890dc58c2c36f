// Conversation ids: 16 random bytes drawn by the visitor; base64url (22 characters) outside crypto/.
import { fromBase64url, toBase64url, type Base64url, type ConversationId } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import type { Random } from './random.js';

/** Conversation id length in bytes. */
export const CONVERSATION_ID_BYTES = 16;

/** A fresh conversation id. */
export function newConversationId(random: Random): ConversationId {
  return random(CONVERSATION_ID_BYTES) as ConversationId;
}

/** Checks the length and brands it; Malformed otherwise. */
export function asConversationId(bytes: Uint8Array): ConversationId {
  if (bytes.length !== CONVERSATION_ID_BYTES) fail(CryptoErrorCode.Malformed, 'conversation id length');
  return bytes as ConversationId;
}

/** The 22-character base64url form the server and clients use. */
export function conversationIdToString(id: ConversationId): Base64url {
  return toBase64url(id);
}

/** Parses the base64url form; Malformed for anything but 16 bytes. */
export function conversationIdFromString(text: string): ConversationId {
  return asConversationId(fromBase64url(text));
}
