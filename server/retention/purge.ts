// Housekeeping of the long-lived things: deletes audit entries, statistics days and consented
// identities older than the retention settings, and counts queue entries of conversations that
// expired unclaimed (server/stats). main.ts runs it on a timer; tests call runHousekeeping directly.
import type { Clock, RandomBytes } from '../clock.js';
import { createConsentService } from '../consent/consent.js';
import { createDirectory } from '../directory/directory.js';
import { stockholmDay } from '../stats/stockholm-day.js';
import { startBackgroundJob, type RetryPolicy } from '../jobs/background-job.js';
import type { Logger } from '../logger.js';
import { sweepExpiredQueueEntries } from '../stats/conversation-stats.js';
import { createStatsCounter } from '../stats/counter.js';
import type { Store } from '../store/ports.js';
import { orgOf } from '../directory/organisations.js';
import { createOrgRetention, createRetentionSettings } from './settings.js';
import { pruneTeamInboxKeys } from './team-keys.js';

const DAY_MS = 86_400_000;

export interface HousekeepingResult {
  readonly auditEntries: number;
  readonly statsDays: number;
  readonly consents: number;
  readonly expiredQueueEntries: number;
  /** Team inbox epochs whose sealed private keys were deleted. */
  readonly teamKeys: number;
}

export interface HousekeepingDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomBytes;
  /**
   * The longest a conversation or callback (and its intake sealed to a team key) can live, in ms
   * (CONVERSATION_TTL_HOURS, CALLBACK_TTL_DAYS); old team inbox epochs are kept at least this long,
   * and at least as long as consents (the retention setting). Default 7 days.
   */
  readonly sealedLifetimeMs?: number;
  /** CALLBACK_TTL_DAYS in ms: the limit of an organisation's own callback retention. Default 7 days. */
  readonly callbackTtlMs?: number;
}

export async function runHousekeeping(deps: HousekeepingDeps): Promise<HousekeepingResult> {
  const { store, clock } = deps;
  const now = clock.now();
  const settings = await createRetentionSettings(store.records).get();
  const expiredQueueEntries = await sweepExpiredQueueEntries(store, createStatsCounter({ stats: store.stats, now: () => clock.now() }));

  const auditEntries = await store.audit.purgeBefore(now - settings.auditDays * DAY_MS);

  // Keep `statsDays` whole days up to today (Europe/Stockholm); older days go whole.
  const oldestKept = stockholmDay(now - (settings.statsDays - 1) * DAY_MS);
  let statsDays = 0;
  for (const day of await store.stats.days()) {
    if (day >= oldestKept) break;
    await store.stats.deleteDay(day);
    statsDays += 1;
  }

  const allTeams = await store.staff.listTeams();
  const teams = allTeams.map((t) => t.id);
  const consentService = createConsentService({ expiring: store.expiring, clock, random: deps.random });
  // Each organisation's consents by its own retention, never beyond the deployment's.
  const orgRetention = createOrgRetention(store.records);
  const limits = { consentDays: settings.consentDays, callbackDays: Math.ceil((deps.callbackTtlMs ?? 7 * DAY_MS) / DAY_MS) };
  let consents = 0;
  for (const org of new Set(allTeams.map(orgOf))) {
    const own = await orgRetention.effective(org, limits);
    consents += await consentService.purgeGivenBefore(allTeams.filter((t) => orgOf(t) === org).map((t) => t.id), now - own.consentDays * DAY_MS);
  }
  // Issue 14 §3: old epochs' sealed private keys go after the longest lifetime of what was sealed to them.
  const keepMs = Math.max(settings.consentDays * DAY_MS, deps.sealedLifetimeMs ?? 7 * DAY_MS);
  const teamKeys = await pruneTeamInboxKeys(createDirectory(store.records), teams, now, keepMs);
  return { auditEntries, statsDays, consents, expiredQueueEntries, teamKeys };
}

/**
 * Runs housekeeping now and every `intervalMs`; returns a stop function. Never throws: a store that
 * is briefly away is retried with backoff and logged at warn, anything else logged at error.
 */
export function startHousekeeping(deps: HousekeepingDeps & { logger: Logger; intervalMs: number; retry?: RetryPolicy }): () => void {
  return startBackgroundJob({
    name: 'housekeeping',
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    retry: deps.retry,
    async run() {
      const result = await runHousekeeping(deps);
      if (Object.values(result).some((n) => n > 0)) deps.logger.info(result, 'housekeeping');
    },
  });
}
