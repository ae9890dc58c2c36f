// Writes responder actions to the audit log: who, what, when, and a keyed reference to the object
// (an HMAC under the server secret, never a raw conversation or consent id), never content.
import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ResponderId, Store } from '../store/ports.js';

/**
 * Every action the audit log records (the console names each from its catalogues; a test keeps the
 * two lists equal). Add an action here first.
 */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'duty-on',
  'duty-off',
  'claim',
  'transfer',
  'close',
  'threat-handover',
  'callback-done',
  'callback-not-reached',
  'callback-reveal',
  'consent-view',
  'consent-copy',
  'invite',
  'staff-change',
  'staff-change-request',
  'staff-deactivate',
  'team-create',
  'team-update',
  'team-settings',
  'team-key-rotate',
  'category-mapping',
  'overflow-agreement',
  'withdraw-invitation',
  'source-create',
  'source-update',
  'source-deactivate',
  'org-key-fetch',
  'retention-settings',
  'org-renew',
  'certify',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditWriter = (actor: ResponderId, action: AuditAction, objectId?: string) => Promise<void>;

/** 16 base64url characters of HMAC-SHA-256(secret, "audit:" ‖ id); "" for actions on no object. */
export function createAuditWriter(deps: { store: Store; clock: Clock; secret: Uint8Array }): AuditWriter {
  const ref = (id: string) => createHmac('sha256', deps.secret).update(`audit:${id}`).digest('base64url').slice(0, 16);
  return (actor, action, objectId) => deps.store.audit.append({ at: deps.clock.now(), actor, action, ref: objectId === undefined ? '' : ref(objectId) });
}
