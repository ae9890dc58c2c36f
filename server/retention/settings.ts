// Retention of the few long-lived things: the audit log, the statistics counters and consented
// identities. Stored settings with defaults and limits; consents never beyond 180 days (DESIGN).
import { z } from '@hono/zod-openapi';
import type { RecordStore } from '../store/ports.js';

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
