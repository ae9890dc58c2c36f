// Catalogue keys for what the console shows from records: the audit log's actions and the fields of a
// consented identity, so nothing reaches the screen as an English identifier.
import type { MessageKey } from './index.js';
import { sv } from './sv.js';

/** The catalogue key naming an audit action ("duty-on" → auditActionDutyOn); unknown actions: auditActionOther. */
export function auditActionKey(action: string): MessageKey {
  const key = `auditAction${action.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase())}`;
  return key in sv ? (key as MessageKey) : 'auditActionOther';
}

/** The catalogue key naming a field of a consented identity. */
export function consentFieldKey(field: string): MessageKey {
  return field === 'name' ? 'consentFieldName' : field === 'phone' ? 'consentFieldPhone' : field === 'text' ? 'consentFieldText' : 'consentFieldOther';
}
