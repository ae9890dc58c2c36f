// Ids on the wire: their branded types and the one pattern each is checked against. Plain constants
// and types only (zod's brand is a type, erased at build), so the widget may import them at no cost.
import type { z } from 'zod';

/** 22-character base64url id (128 random bits) of one conversation, drawn by the visitor or the server. */
export type ConversationId = string & z.$brand<'ConversationId'>;
/**
 * Id of one stored log entry, assigned by the server. Opaque to clients: they compare two ids only
 * with `compareMessageIds` and read a message's time from the entry's `at`, never from its id.
 */
export type MessageId = string & z.$brand<'MessageId'>;
export type ResponderId = string & z.$brand<'ResponderId'>;
export type TeamId = string & z.$brand<'TeamId'>;
/** An organisation of the deployment (a municipality, a regional body): [a-z0-9-], 1–40 characters. */
export type OrgId = string & z.$brand<'OrgId'>;

export const CONVERSATION_ID = /^[A-Za-z0-9_-]{22}$/;
/** A message id as the server hands it out (only the server and this module read its parts). */
export const MESSAGE_ID = /^\d{1,16}-\d{1,16}$/;
/** Client message id: the idempotency key of one envelope, 16–64 base64url characters. */
export const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** A visitor's bearer token or a session id: 256 random bits, base64url (43 characters). */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** base64url without padding, the encoding of every ciphertext and key on the wire. */
export const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Source tag a widget was opened through (QR poster, web page): 1–40 of a-z, 0-9, -. */
export const SOURCE_TAG = /^[a-z0-9-]{1,40}$/;
/** An organisation of a region: "huddinge", "regionen". */
export const ORG_ID = /^[a-z0-9-]{1,40}$/;
/** BCP 47 language tag as the widget sends it, e.g. "sv", "en", "ar". */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/**
 * Orders two message ids of one conversation as the log does: negative when `a` came first, 0 when
 * they are the same message. For the replay guard of a client; a malformed id orders first.
 */
export function compareMessageIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
