// Writes responder actions to the audit log: who, what, when, and a keyed reference to the object
// (an HMAC under the server secret, never a raw conversation or consent id), never content.
import { createHmac } from 'node:crypto';
import type { AuditAction } from '../../contract/audit.js';
import type { Clock } from '../clock.js';
import type { ResponderId, Store } from '../store/ports.js';

export type AuditWriter = (actor: ResponderId, action: AuditAction, objectId?: string) => Promise<void>;

/** 16 base64url characters of HMAC-SHA-256(secret, "audit:" ‖ id); "" for actions on no object. */
export function createAuditWriter(deps: { store: Store; clock: Clock; secret: Uint8Array }): AuditWriter {
  const ref = (id: string) => createHmac('sha256', deps.secret).update(`audit:${id}`).digest('base64url').slice(0, 16);
  return (actor, action, objectId) => deps.store.audit.append({ at: deps.clock.now(), actor, action, ref: objectId === undefined ? '' : ref(objectId) });
}
