// Random identifiers and secrets for visitors: conversation ids, bearer tokens and their hashes.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from '../clock.js';
import type { ConversationId } from '../store/ports.js';

/** 128 random bits, base64url (22 characters). */
export function newConversationId(random: RandomBytes): ConversationId {
  return Buffer.from(random(16)).toString('base64url') as ConversationId;
}

/** 256 random bits, base64url (43 characters): the visitor's bearer token or a session id. */
export function newToken(random: RandomBytes): string {
  return Buffer.from(random(32)).toString('base64url');
}

/** SHA-256, lowercase hex: what the store keeps instead of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time check of a presented token against a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
