// Retention of the few long-lived things: the audit log, the statistics counters and consented
// identities. Stored settings with defaults and limits; consents never beyond 180 days (DESIGN). In a
// region each organisation also sets its own consent and callback retention within those limits.
import { z } from '@hono/zod-openapi';
import type { OrgId, RecordStore } from '../store/ports.js';

const COLLECTION = 'retention';
const ID = 'settings';

export const RETENTION_LIMITS = {
  auditDays: { min: 30, max: 3650, default: 365 },
  statsDays: { min: 31, max: 3660, default: 1830 },
  consentDays: { min: 1, max: 180, default: 180 },
} as const;

const days = (limits: { min: number; max: number }) => z.number().int().min(limits.min).max(limits.max);

export const RetentionSettingsSchema = z
  .object({
    auditDays: days(RETENTION_LIMITS.auditDays).openapi({ description: 'Audit log entries older than this are deleted', example: 365 }),
    statsDays: days(RETENTION_LIMITS.statsDays).openapi({ description: 'Statistics days older than this are deleted', example: 1830 }),
    consentDays: days(RETENTION_LIMITS.consentDays).openapi({
      description: 'Consented identities older than this are deleted, even if the visitor chose longer (at most 180)',
      example: 180,
    }),
  })
  .strict()
  .openapi('RetentionSettings');
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;

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

/**
 * Each organisation's own retention (issue 17): how long its consented identities and its open
 * callback requests are kept, within the deployment's limits (the deployment's consentDays, set by
 * the first organisation's admins, and CALLBACK_TTL_DAYS). Unset: the deployment's.
 */
export const OrgRetentionSchema = z
  .object({
    consentDays: days(RETENTION_LIMITS.consentDays).openapi({ description: 'This organisation’s consented identities older than this are deleted (at most the deployment’s)', example: 90 }),
    callbackDays: z.number().int().min(1).max(30).openapi({ description: 'This organisation’s open callback requests are erased after this many days (at most CALLBACK_TTL_DAYS)', example: 7 }),
  })
  .strict()
  .openapi('OrgRetention');
export type OrgRetention = z.infer<typeof OrgRetentionSchema>;

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
