// Swedish public holidays (Lag 1989:253 om allmänna helgdagar) and the three eves that count as
// holidays in working life (midsommarafton, julafton, nyårsafton): pure calendar arithmetic.

import type { PublicHolidayKey } from '../../contract/teams.js';


/** A calendar date "YYYY-MM-DD" (Europe/Stockholm when it describes "today"). */
export type IsoDate = string;


export interface PublicHoliday {
  readonly date: IsoDate;
  readonly key: PublicHolidayKey;
}

const iso = (d: Date): IsoDate => d.toISOString().slice(0, 10);
/** The UTC calendar day `year`-`month`(1-based)-`day`, overflowing into the next months as Date does. */
const day = (year: number, month: number, dayOfMonth: number) => new Date(Date.UTC(year, month - 1, dayOfMonth));
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
/** The first day from `from` (inclusive) that falls on `weekday` (0 = Sunday … 6 = Saturday). */
const firstWeekdayFrom = (from: Date, weekday: number) => plusDays(from, (weekday - from.getUTCDay() + 7) % 7);

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(day(year, month, dayOfMonth));
}

/** The public holidays and holiday eves of `year`, in date order. */
export function swedishPublicHolidays(year: number): PublicHoliday[] {
  const easter = new Date(`${easterSunday(year)}T00:00:00Z`);
  const midsummerDay = firstWeekdayFrom(day(year, 6, 20), 6);
  const list: Array<[Date, PublicHolidayKey]> = [
    [day(year, 1, 1), 'newYearsDay'],
    [day(year, 1, 6), 'epiphany'],
    [plusDays(easter, -2), 'goodFriday'],
    [easter, 'easterSunday'],
    [plusDays(easter, 1), 'easterMonday'],
    [day(year, 5, 1), 'mayDay'],
    [plusDays(easter, 39), 'ascensionDay'],
    [plusDays(easter, 49), 'whitSunday'],
    [day(year, 6, 6), 'nationalDay'],
    [plusDays(midsummerDay, -1), 'midsummerEve'],
    [midsummerDay, 'midsummerDay'],
    [firstWeekdayFrom(day(year, 10, 31), 6), 'allSaintsDay'],
    [day(year, 12, 24), 'christmasEve'],
    [day(year, 12, 25), 'christmasDay'],
    [day(year, 12, 26), 'boxingDay'],
    [day(year, 12, 31), 'newYearsEve'],
  ];
  return list.map(([d, key]) => ({ date: iso(d), key })).sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** The public holiday (or holiday eve) on `date`, or null. */
export function publicHolidayOn(date: IsoDate): PublicHoliday | null {
  const year = Number(date.slice(0, 4));
  return swedishPublicHolidays(year).find((h) => h.date === date) ?? null;
}

/** Public holidays from `from` (inclusive) for `days` days. */
export function publicHolidaysBetween(from: IsoDate, days: number): PublicHoliday[] {
  const start = new Date(`${from}T00:00:00Z`);
  const to = iso(plusDays(start, days));
  const year = start.getUTCFullYear();
  return [...swedishPublicHolidays(year), ...swedishPublicHolidays(year + 1)].filter((h) => h.date >= from && h.date < to);
}

