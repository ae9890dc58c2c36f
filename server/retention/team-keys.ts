// Old team inbox epochs go once nothing sealed to them can still be alive: an epoch's sealed
// private key is kept until the epoch after it is older than the longest lifetime of anything
// sealed to a team key (a consent's retention, a callback, a conversation's intake). Until then
// one stolen member secret opens them; after it, it opens only what is still live.
import type { Directory } from '../directory/directory.js';
import type { TeamId } from '../store/ports.js';

/**
 * Deletes the epochs of `teams` superseded more than `keepMs` before `now` (the current epoch is
 * always kept). Returns how many were deleted.
 */
export async function pruneTeamInboxKeys(directory: Directory, teams: readonly TeamId[], now: number, keepMs: number): Promise<number> {
  let pruned = 0;
  for (const team of teams) {
    const epochs = await directory.teamKeys(team); // oldest first
    // Epoch i may go when epoch i + 1 (which replaced it) was made before now - keepMs.
    let keepFrom: number | null = null;
    for (let i = 0; i < epochs.length - 1; i += 1) {
      if (epochs[i + 1]!.createdAt < now - keepMs) {
        keepFrom = epochs[i + 1]!.epoch;
        pruned += 1;
      }
    }
    if (keepFrom !== null) await directory.pruneTeamKeys(team, keepFrom);
  }
  return pruned;
}
