// A team's routing settings as the API speaks of them, in plain constants both the server and the
// console's team form use (the zod schemas are in rest.ts): weekdays, how many windows, holidays and
// characters the server allows, the public holidays' keys, what a calendar date is.

/** Weekday keys, Monday first (ISO order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Windows a day (a weekday or a holiday) may have. */
export const MAX_WINDOWS = 4;
/** Holidays a team may list (dates with their own hours or closed). */
export const MAX_HOLIDAYS = 60;
/** Characters of one out-of-hours text (per language). */
export const MAX_NOTICE_CHARS = 500;
/** Characters of a holiday's label ("Julafton"). */
export const MAX_HOLIDAY_LABEL = 60;

/** Swedish public holidays and the three eves that count as holidays in working life, by key. */
export const PUBLIC_HOLIDAY_KEYS = [
  'newYearsDay',
  'epiphany',
  'goodFriday',
  'easterSunday',
  'easterMonday',
  'mayDay',
  'ascensionDay',
  'whitSunday',
  'nationalDay',
  'midsummerEve',
  'midsummerDay',
  'allSaintsDay',
  'christmasEve',
  'christmasDay',
  'boxingDay',
  'newYearsEve',
] as const;
export type PublicHolidayKey = (typeof PUBLIC_HOLIDAY_KEYS)[number];

/** True for a real calendar date "YYYY-MM-DD" (no 30 February). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
