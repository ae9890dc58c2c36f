// Whether a team is open at an instant: its holidays (closed, or their own hours) first, then the
// Swedish public holidays when it closes on them, then its weekly duty hours. Pure.
import { isWithinDutyHours, isWithinWindows, stockholmLocal, type DutyHours } from './duty-hours.js';
import type { TeamSettings } from '../../contract/rest.js';
import type { PublicHolidayKey } from '../../contract/teams.js';
import { publicHolidayOn } from './holidays.js';

export type Opening =
  | { readonly open: boolean; readonly reason: 'hours' }
  /** A date of the team's own holiday list: its label ("" when none) and whether its special hours cover now. */
  | { readonly open: boolean; readonly reason: 'holiday'; readonly label: string }
  | { readonly open: false; readonly reason: 'public-holiday'; readonly key: PublicHolidayKey };

/** Whether the team with `settings` is open at `ms` (Europe/Stockholm), and why. */
export function openingAt(settings: Pick<TeamSettings, 'dutyHours' | 'holidays' | 'publicHolidays'>, ms: number): Opening {
  const { date, minute } = stockholmLocal(ms);
  const holiday = settings.holidays.find((h) => h.date === date);
  if (holiday !== undefined) return { open: isWithinWindows(holiday.hours, minute), reason: 'holiday', label: holiday.label };
  if (settings.publicHolidays) {
    const publicHoliday = publicHolidayOn(date);
    if (publicHoliday !== null) return { open: false, reason: 'public-holiday', key: publicHoliday.key };
  }
  return { open: isWithinDutyHours(settings.dutyHours as DutyHours | null, ms), reason: 'hours' };
}

/** How far ahead nextOpening looks (a team closed longer than this has no next opening to promise). */
export const NEXT_OPENING_HORIZON_MS = 8 * 86_400_000;
const STEP_MS = 10 * 60_000;

/**
 * The first minute at or after `ms` when the team is open by its hours and holidays, or null when it
 * is not open within NEXT_OPENING_HORIZON_MS. Scans in 10-minute steps, then back to the minute
 * (a window shorter than 10 minutes may be missed; duty hours are longer than that). Pure.
 */
export function nextOpening(settings: Pick<TeamSettings, 'dutyHours' | 'holidays' | 'publicHolidays'>, ms: number): number | null {
  const start = Math.floor(ms / 60_000) * 60_000;
  if (openingAt(settings, start).open) return start;
  for (let t = start + STEP_MS; t <= start + NEXT_OPENING_HORIZON_MS; t += STEP_MS) {
    if (!openingAt(settings, t).open) continue;
    let first = t;
    while (first - 60_000 > t - STEP_MS && openingAt(settings, first - 60_000).open) first -= 60_000;
    return first;
  }
  return null;
}
