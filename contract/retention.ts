// How long the few long-lived things may be kept: the audit log, the statistics counters and
// consented identities (days; consents never beyond 180, DESIGN). Plain constants: the server's
// schema (rest.ts) and the console's form read the same limits.

export const RETENTION_LIMITS = {
  auditDays: { min: 30, max: 3650, default: 365 },
  statsDays: { min: 31, max: 3660, default: 1830 },
  consentDays: { min: 1, max: 180, default: 180 },
} as const;
