// Login lockout over the store's atomic counters: a login locks for one client after its budget
// (the window's rest is the wait), not for other clients; success clears it; a client failing
// against many logins is refused; a login tried from many clients hits the slower backstop.
// Issue 14 §4 replaced the read-then-write guard (and its doubling wait) with this one.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { isApiError } from '../errors.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createLoginGuard, DEFAULT_LOGIN_POLICY } from './login-guard.js';

const setup = () => {
  const clock = createManualClock();
  const guard = createLoginGuard({ counters: createMemoryStore({ clock, sweepIntervalMs: 0 }).counters });
  /** Retry-After of a refused attempt, 0 when it is let through. */
  const retryAfter = (login: string, client = 'client') =>
    guard.attempt(login, client).then(
      () => 0,
      (e: unknown) => (isApiError(e, 'login_locked') ? (e.retryAfter ?? -1) : -2),
    );
  return { clock, guard, retryAfter };
};

describe('login guard', () => {
  it('lets the free attempts through, then locks the login for that client until the window ends; success clears it', async () => {
    const { clock, guard, retryAfter } = setup();
    for (let i = 0; i < 5; i++) expect(await retryAfter('anna')).toBe(0);
    expect(await retryAfter('anna')).toBe(15 * 60);
    expect(await retryAfter('ANNA')).toBe(15 * 60); // logins are case-insensitive here
    expect(await retryAfter('bo')).toBe(0);
    // Another client (the responder at work) is not locked out by a burst from elsewhere.
    expect(await retryAfter('anna', 'office')).toBe(0);
    clock.advance(10 * 60_000);
    expect(await retryAfter('anna')).toBe(5 * 60);
    clock.advance(5 * 60_000);
    expect(await retryAfter('anna')).toBe(0);
    const ok = await guard.attempt('anna', 'office');
    await guard.succeeded(ok);
    for (let i = 0; i < 5; i++) expect(await retryAfter('anna', 'office')).toBe(0);
  });

  it('refuses a client that fails against many logins', async () => {
    const { retryAfter } = setup();
    for (let i = 0; i < 20; i++) expect(await retryAfter(`user-${i}`, 'spray')).toBe(0);
    expect(await retryAfter('someone-else', 'spray')).toBeGreaterThan(0);
    expect(await retryAfter('someone-else', 'other-client')).toBe(0);
  });

  it('stops a login tried from many clients at the hourly backstop', async () => {
    const { clock, retryAfter } = setup();
    for (let i = 0; i < DEFAULT_LOGIN_POLICY.accountAttemptsPerHour; i++) expect(await retryAfter('cia', `bot-${i}`)).toBe(0);
    expect(await retryAfter('cia', 'bot-new')).toBe(60 * 60);
    clock.advance(60 * 60_000);
    expect(await retryAfter('cia', 'bot-new')).toBe(0);
  });

  it('of 25 parallel attempts lets exactly the budget through (count and check are one step)', async () => {
    const { retryAfter } = setup();
    const results = await Promise.all(Array.from({ length: 25 }, () => retryAfter('dora')));
    expect(results.filter((r) => r === 0)).toHaveLength(5);
  });
});
