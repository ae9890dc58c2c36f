// Login lockout: free failures, then a lock that doubles with each further failure up to the cap;
// success clears it; a client failing against many logins is refused too.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { isApiError } from '../errors.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createLoginGuard } from './login-guard.js';

describe('login guard', () => {
  it('locks after the free failures with a doubling wait, and success clears it', async () => {
    const clock = createManualClock();
    const guard = createLoginGuard({ records: createMemoryStore({ clock, sweepIntervalMs: 0 }).records, clock });
    const retryAfter = async (login: string) =>
      guard.check(login, 'client', 0).then(
        () => 0,
        (e: unknown) => (isApiError(e, 'login_locked') ? (e.retryAfter ?? -1) : -2),
      );
    for (let i = 0; i < 4; i++) await guard.failed('anna', 'client', 0);
    expect(await retryAfter('anna')).toBe(0);
    await guard.failed('anna', 'client', 0);
    expect(await retryAfter('anna')).toBe(30);
    expect(await retryAfter('ANNA')).toBe(30); // logins are case-insensitive here
    expect(await retryAfter('bo')).toBe(0);
    clock.advance(30_000);
    expect(await retryAfter('anna')).toBe(0);
    await guard.failed('anna', 'client', 0);
    expect(await retryAfter('anna')).toBe(60);
    for (let i = 0; i < 10; i++) await guard.failed('anna', 'client', 0);
    expect(await retryAfter('anna')).toBe(15 * 60);
    await guard.succeeded('anna');
    expect(await retryAfter('anna')).toBe(0);
  });

  it('refuses a client that fails against many logins', async () => {
    const clock = createManualClock();
    const guard = createLoginGuard({ records: createMemoryStore({ clock, sweepIntervalMs: 0 }).records, clock });
    for (let i = 0; i < 20; i++) await guard.failed(`user-${i}`, 'spray', 0);
    await expect(guard.check('someone-else', 'spray', 0)).rejects.toMatchObject({ code: 'login_locked' });
    await expect(guard.check('someone-else', 'other-client', 0)).resolves.toBeUndefined();
    await expect(guard.check('someone-else', 'spray', 1)).resolves.toBeUndefined(); // the salt rotated
  });
});
