// Whether a team is open at an instant: its holidays (closed, or their own hours) first, then the
// Swedish public holidays when it closes on them, then its weekly duty hours. Pure.
import { isWithinDutyHours, isWithinWindows, stockholmLocal, type DutyHours } from './duty-hours.js';
import { publicHolidayOn, type PublicHolidayKey } from './holidays.js';
import type { TeamSettings } from './team-settings.js';

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
