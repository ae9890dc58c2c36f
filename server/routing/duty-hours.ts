// Duty hours per team in Europe/Stockholm, per weekday: pure functions over a clock reading.

import type { Weekday } from '../../contract/teams.js';


/** "HH:MM"–"HH:MM" windows per weekday, local Stockholm time; an end of "24:00" means midnight. */
export type DutyHours = Partial<Record<Weekday, ReadonlyArray<readonly [string, string]>>>;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Calendar date ("YYYY-MM-DD"), weekday and minute of the day in Stockholm at `ms` (daylight saving time included). */
export function stockholmLocal(ms: number): { date: string; weekday: Weekday; minute: number } {
  const parts = formatter.formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = get('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Weekday and minute of the day in Stockholm at `ms` (daylight saving time included). */
export function stockholmTime(ms: number): { weekday: Weekday; minute: number } {
  const { weekday, minute } = stockholmLocal(ms);
  return { weekday, minute };
}

const toMinute = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** True when `minute` of the day falls in one of `windows` (start inclusive, end exclusive). */
export function isWithinWindows(windows: ReadonlyArray<readonly [string, string]>, minute: number): boolean {
  return windows.some(([start, end]) => minute >= toMinute(start) && minute < toMinute(end));
}

/** True when `ms` falls in one of the team's windows; null hours mean "always open". */
export function isWithinDutyHours(hours: DutyHours | null, ms: number): boolean {
  if (hours === null) return true;
  const { weekday, minute } = stockholmTime(ms);
  return isWithinWindows(hours[weekday] ?? [], minute);
}
