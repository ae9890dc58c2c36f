// Background jobs (housekeeping, the demo organisation's refresh): run now and every interval; a
// store that is briefly away (a Redis restart or failover) is expected, so such a failure is logged
// at warn and retried with exponential backoff. Error level stays for what needs a human: any other
// failure, or a store still away when the retries are spent.
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../store/errors.js';

export interface RetryPolicy {
  /** Wait before the first retry; each further retry waits twice as long, up to `maxMs`. */
  readonly firstMs: number;
  readonly maxMs: number;
  /** Retries after a failed run before it counts as failed (then the next interval tries again). */
  readonly attempts: number;
}

/** About a minute of retries: 1 + 2 + 4 + 8 + 16 + 30 s. */
export const DEFAULT_RETRY: RetryPolicy = { firstMs: 1_000, maxMs: 30_000, attempts: 6 };

export interface BackgroundJob {
  /** Its name in the logs ("housekeeping"). */
  readonly name: string;
  run(): Promise<void>;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Run at once (default) or first after one interval. */
  readonly runAtStart?: boolean;
  readonly retry?: RetryPolicy;
}

/** A failure that waiting cures: the store refused or could not be reached. */
export function isTransient(error: unknown): boolean {
  return error instanceof StoreUnavailableError || (error instanceof Error && (error as { code?: unknown }).code === 'store_unavailable');
}

const errName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');

/** Starts the job; returns a function that stops it (a run in progress finishes, nothing further starts). */
export function startBackgroundJob(job: BackgroundJob): () => void {
  const retry = job.retry ?? DEFAULT_RETRY;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const later = (ms: number, fn: () => void) => {
    if (stopped) return;
    timer = setTimeout(fn, ms);
    timer.unref();
  };

  const attempt = (failures: number) => {
    job.run().then(
      () => {
        if (failures > 0) job.logger.info({ job: job.name, retries: failures }, `${job.name} recovered`);
        later(job.intervalMs, () => attempt(0));
      },
      (error: unknown) => {
        if (isTransient(error) && failures < retry.attempts) {
          const retryInMs = Math.min(retry.maxMs, retry.firstMs * 2 ** failures);
          job.logger.warn({ job: job.name, err: errName(error), retry: failures + 1, retryInMs }, `${job.name}: store briefly away; retrying`);
          later(retryInMs, () => attempt(failures + 1));
          return;
        }
        job.logger.error({ job: job.name, err: errName(error), retries: failures }, `${job.name} failed`);
        later(job.intervalMs, () => attempt(0));
      },
    );
  };

  if (job.runAtStart === false) later(job.intervalMs, () => attempt(0));
  else attempt(0);
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}
