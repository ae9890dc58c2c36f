// Lockout and back-off after failed logins: per login (in the RecordStore, shared by instances) and
// per client (the salted, rotating address hash, in memory only).
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { RecordStore } from '../store/ports.js';

const COLLECTION = 'login-guard';

export interface LoginGuardPolicy {
  /** Failures after which the login locks (the next attempt waits). */
  readonly freeFailures: number;
  /** First lock in ms; doubles with every further failure. */
  readonly baseLockMs: number;
  readonly maxLockMs: number;
  /** Failures one client may make per window of the client keyer before it is refused. */
  readonly clientFailures: number;
}

export const DEFAULT_LOGIN_POLICY: LoginGuardPolicy = { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000, clientFailures: 20 };

interface GuardRecord {
  readonly failures: number;
  readonly lockedUntil: number;
}

export function createLoginGuard(deps: { records: RecordStore; clock: Clock; policy?: LoginGuardPolicy }) {
  const policy = deps.policy ?? DEFAULT_LOGIN_POLICY;
  // Login names are hashed so the guard collection does not list who tried which name.
  const idOf = (login: string) => createHash('sha256').update(`login-guard:${login.toLowerCase()}`).digest('hex');
  const clientFailures = new Map<string, number>();
  let clientEpoch = -1;
  const read = async (login: string): Promise<GuardRecord> => {
    const raw = await deps.records.get(COLLECTION, idOf(login));
    return raw === null ? { failures: 0, lockedUntil: 0 } : (JSON.parse(raw) as GuardRecord);
  };
  /** Client keys are salted per epoch of the keyer: a new epoch starts a new count. */
  const rotate = (epoch: number) => {
    if (epoch === clientEpoch) return;
    clientEpoch = epoch;
    clientFailures.clear();
  };
  const locked = (seconds: number) => new ApiError(ErrorCode.LoginLocked, undefined, Math.max(1, Math.ceil(seconds)));
  return {
    /** Throws login_locked (429 with Retry-After) while the login or the client is locked. */
    async check(login: string, clientKey: string, epoch: number): Promise<void> {
      rotate(epoch);
      if ((clientFailures.get(clientKey) ?? 0) >= policy.clientFailures) throw locked(policy.maxLockMs / 1000);
      const record = await read(login);
      const wait = record.lockedUntil - deps.clock.now();
      if (wait > 0) throw locked(wait / 1000);
    },
    /** Counts a failure (`epoch`: of the client keyer); locks the login with exponential back-off past the free failures. */
    async failed(login: string, clientKey: string, epoch: number): Promise<void> {
      rotate(epoch);
      clientFailures.set(clientKey, (clientFailures.get(clientKey) ?? 0) + 1);
      const record = await read(login);
      const failures = record.failures + 1;
      const over = failures - policy.freeFailures + 1;
      const lockedUntil = over > 0 ? deps.clock.now() + Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** (over - 1)) : 0;
      await deps.records.put(COLLECTION, idOf(login), JSON.stringify({ failures, lockedUntil } satisfies GuardRecord));
    },
    async succeeded(login: string): Promise<void> {
      await deps.records.delete(COLLECTION, idOf(login));
    },
  };
}
export type LoginGuard = ReturnType<typeof createLoginGuard>;
