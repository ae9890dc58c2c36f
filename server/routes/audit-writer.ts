// Writes responder actions to the audit log: who, what, when, and a keyed reference to the object
// (an HMAC under the server secret, never a raw conversation or consent id), never content.
import { createHmac } from 'node:crypto';
import type { AuditAction } from '../../contract/audit.js';
import type { Clock } from '../clock.js';
import type { OrgId, ResponderId, Store, TeamId } from '../store/ports.js';

/** Where else an entry goes, and a handover's teams: recorded in the `org` log as well as the actor's. */
export interface AuditDetail {
  readonly org?: OrgId;
  readonly fromTeam?: TeamId;
  readonly toTeam?: TeamId;
}

export type AuditWriter = (actor: ResponderId, action: AuditAction, objectId?: string, detail?: AuditDetail) => Promise<void>;

/** 16 base64url characters of HMAC-SHA-256(secret, "audit:" ‖ id); "" for actions on no object. */
export function createAuditWriter(deps: { store: Store; clock: Clock; secret: Uint8Array }): AuditWriter {
  const ref = (id: string) => createHmac('sha256', deps.secret).update(`audit:${id}`).digest('base64url').slice(0, 16);
  return (actor, action, objectId, detail) =>
    deps.store.audit.append({ at: deps.clock.now(), actor, action, ref: objectId === undefined ? '' : ref(objectId), ...detail });
}
