// Team inbox keys shrink: the housekeeping job (which main.ts runs in every mode, the embedded
// default included) deletes an old epoch's sealed private key once the epoch after it is older than
// what could still be sealed to it; the clock is moved by hand and the store is read back.
import { describe, expect, it } from 'vitest';
import { createManualClock, systemRandom } from '../clock.js';
import { createDirectory } from '../directory/directory.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { TeamId } from '../store/ports.js';
import { runHousekeeping } from './purge.js';

const DAY = 86_400_000;
const TEAM = 'unga' as TeamId;

describe('team inbox key retention', () => {
  it('keeps the current epoch and recent ones, and deletes epochs superseded longer ago than the retention', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({ clock, sweepIntervalMs: 0 });
    await store.staff.putTeam({ id: TEAM, name: 'Unga', categories: ['chat'], overflow: null });
    const directory = createDirectory(store.records);
    const rotate = async (epoch: number) =>
      directory.putTeamKey({ team: TEAM, epoch, cert: 'AAAA', deliveries: { 'r-anna': 'BBBB' }, createdAt: clock.now() });
    // Weekly rotations for a year.
    for (let epoch = 1; epoch <= 52; epoch += 1) {
      await rotate(epoch);
      clock.advance(7 * DAY);
    }
    const stored = async () => (await store.records.list('directory-team-keys')).length;
    expect(await stored()).toBe(52);

    // Consents (180 days by default) are the longest-lived things sealed to a team key.
    const result = await runHousekeeping({ store, clock, random: systemRandom, sealedLifetimeMs: 7 * DAY });
    const epochs = (await directory.teamKeys(TEAM)).map((k) => k.epoch);
    // Epoch e stays while epoch e + 1 is younger than 180 days: epoch 52 was made 7 days ago.
    const cutoff = clock.now() - 180 * DAY;
    const expected = Array.from({ length: 52 }, (_, i) => i + 1).filter((e) => e === 52 || clock.now() - 7 * DAY * (53 - (e + 1)) >= cutoff);
    expect(epochs).toEqual(expected);
    expect(result.teamKeys).toBe(52 - expected.length);
    expect((await directory.currentTeamKey(TEAM))?.epoch).toBe(52);

    // Shorter consent retention, then a year with no rotation: only the current epoch is left.
    await store.records.put('retention', 'settings', JSON.stringify({ auditDays: 365, statsDays: 1830, consentDays: 30 }));
    clock.advance(365 * DAY);
    await runHousekeeping({ store, clock, random: systemRandom, sealedLifetimeMs: 7 * DAY });
    expect((await directory.teamKeys(TEAM)).map((k) => k.epoch)).toEqual([52]);
  });
});
