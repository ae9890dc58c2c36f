// The audit log's actions: what the server records and the console names. Plain constants only.

/**
 * Every action the audit log records (server/routes/audit-writer.ts writes them; the console names
 * each from its catalogues, and client/console/i18n/i18n.test.ts keeps the two lists equal). Add an
 * action here first.
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
  'handover-offer',
  'handover',
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
