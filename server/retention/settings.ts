// Retention of the few long-lived things: the audit log, the statistics counters and consented
// identities. Stored settings with defaults and limits; consents never beyond 180 days (DESIGN). In a
// region each organisation also sets its own consent and callback retention within those limits.
import { RETENTION_LIMITS } from '../../contract/retention.js';
import { OrgRetentionSchema, RetentionSettingsSchema, type OrgRetention, type RetentionSettings } from '../../contract/rest.js';
import type { OrgId, RecordStore } from '../store/ports.js';

const COLLECTION = 'retention';
const ID = 'settings';


export const DEFAULT_RETENTION: RetentionSettings = {
  auditDays: RETENTION_LIMITS.auditDays.default,
  statsDays: RETENTION_LIMITS.statsDays.default,
  consentDays: RETENTION_LIMITS.consentDays.default,
};

export function createRetentionSettings(records: RecordStore) {
  return {
    /** The stored settings, defaults for anything missing or out of range. */
    async get(): Promise<RetentionSettings> {
      const text = await records.get(COLLECTION, ID);
      if (text === null) return DEFAULT_RETENTION;
      const parsed = RetentionSettingsSchema.partial().safeParse(JSON.parse(text));
      return parsed.success ? { ...DEFAULT_RETENTION, ...parsed.data } : DEFAULT_RETENTION;
    },
    async put(settings: RetentionSettings): Promise<void> {
      await records.put(COLLECTION, ID, JSON.stringify(RetentionSettingsSchema.parse(settings)));
    },
  };
}
export type RetentionSettingsStore = ReturnType<typeof createRetentionSettings>;


/** The deployment's limits an organisation's retention stays within. */
export interface RetentionLimits {
  readonly consentDays: number;
  readonly callbackDays: number;
}

export function createOrgRetention(records: RecordStore) {
  const id = (org: OrgId) => `org:${org}`;
  return {
    /** What `org` stored, or null. */
    async stored(org: OrgId): Promise<OrgRetention | null> {
      const text = await records.get(COLLECTION, id(org));
      if (text === null) return null;
      const parsed = OrgRetentionSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    },
    /** What applies to `org`: its own setting, never beyond the deployment's limits. */
    async effective(org: OrgId, limits: RetentionLimits): Promise<OrgRetention> {
      const own = await this.stored(org);
      return {
        consentDays: Math.min(own?.consentDays ?? limits.consentDays, limits.consentDays),
        callbackDays: Math.min(own?.callbackDays ?? limits.callbackDays, limits.callbackDays),
      };
    },
    async put(org: OrgId, settings: OrgRetention): Promise<void> {
      await records.put(COLLECTION, id(org), JSON.stringify(OrgRetentionSchema.parse(settings)));
    },
  };
}
export type OrgRetentionStore = ReturnType<typeof createOrgRetention>;
