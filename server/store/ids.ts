// The branded ids the store speaks in, apart from the ports so that key naming (keys.ts) and the
// ports (ports.ts) can both use them without importing each other.

/** 22-character base64url id (128 random bits) of one conversation. */
export type ConversationId = string & { readonly __brand: 'ConversationId' };
/** Stream id of one log entry, "<ms>-<seq>" as Redis Streams assign it; ordered by (ms, seq). */
export type MessageId = string & { readonly __brand: 'MessageId' };
export type ResponderId = string & { readonly __brand: 'ResponderId' };
export type TeamId = string & { readonly __brand: 'TeamId' };
/** An organisation of the deployment (a municipality, a regional body): [a-z0-9-], 1–40 characters. */
export type OrgId = string & { readonly __brand: 'OrgId' };
