// Login attempts are counted BEFORE the password is evaluated, atomically in the store's counters
// (shared by every instance): per login and client (the lock a burst from one place earns, which
// leaves the responder free to log in from anywhere else), per client over all logins (spraying),
// and per login over all clients (a slower backstop). Of N parallel guesses only those within the
// budget are evaluated.
import { createHash } from 'node:crypto';
import { ApiError, ErrorCode } from '../errors.js';
import type { CounterStore } from '../store/ports.js';

/** server/config.ts: LOGIN_ATTEMPTS_PER_CLIENT, LOGIN_LOCK_MINUTES, LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR, LOGIN_ATTEMPTS_PER_CLIENT_PER_HOUR. */
export interface LoginGuardPolicy {
  /** Failed attempts one client may make on one login per lock window before it is locked out of that login. */
  readonly pairAttempts: number;
  /** The window (and so the longest lock) of the per-login-and-client count, in ms. */
  readonly pairWindowMs: number;
  /** Failed attempts one login may take from all clients together per hour (the backstop). */
  readonly accountAttemptsPerHour: number;
  /** Failed attempts one client may make over all logins per hour. */
  readonly clientAttemptsPerHour: number;
}

export const DEFAULT_LOGIN_POLICY: LoginGuardPolicy = { pairAttempts: 5, pairWindowMs: 15 * 60_000, accountAttemptsPerHour: 50, clientAttemptsPerHour: 20 };

const HOUR_MS = 3_600_000;

/** An attempt that was let through: settle it with succeeded() when the login worked. */
export interface Attempt {
  readonly login: string;
  readonly client: string;
}

export function createLoginGuard(deps: { counters: CounterStore; policy?: LoginGuardPolicy }) {
  const policy = deps.policy ?? DEFAULT_LOGIN_POLICY;
  const { counters } = deps;
  // Login names are hashed so no counter names who tried which login.
  const idOf = (login: string) => createHash('sha256').update(`login-guard:${login.toLowerCase()}`).digest('base64url').slice(0, 22);
  const pair = (a: Attempt) => `login-pair:${idOf(a.login)}:${a.client}`;
  const account = (a: Attempt) => `login-account:${idOf(a.login)}`;
  const client = (a: Attempt) => `login-client:${a.client}`;
  const locked = (ms: number) => new ApiError(ErrorCode.LoginLocked, undefined, Math.max(1, Math.ceil(ms / 1000)));
  return {
    /**
     * Counts one attempt of `clientKey` (the salted address hash) on `login` before anything is
     * evaluated; throws login_locked (429, Retry-After) when a budget is spent.
     */
    async attempt(login: string, clientKey: string): Promise<Attempt> {
      const a: Attempt = { login, client: clientKey };
      const mine = await counters.spend(pair(a), 1, policy.pairAttempts, policy.pairWindowMs);
      if (!mine.ok) throw locked(mine.resetMs);
      const spray = await counters.spend(client(a), 1, policy.clientAttemptsPerHour, HOUR_MS);
      if (!spray.ok) throw locked(spray.resetMs);
      const backstop = await counters.spend(account(a), 1, policy.accountAttemptsPerHour, HOUR_MS);
      if (!backstop.ok) throw locked(backstop.resetMs);
      return a;
    },
    /** The attempt was a success: its login's counts start again, and it does not count against its client. */
    async succeeded(a: Attempt): Promise<void> {
      await counters.reset(pair(a));
      await counters.reset(account(a));
      await counters.spend(client(a), -1, policy.clientAttemptsPerHour, HOUR_MS);
    },
  };
}
export type LoginGuard = ReturnType<typeof createLoginGuard>;
