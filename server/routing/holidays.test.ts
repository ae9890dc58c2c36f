// Swedish public holidays: Easter by the Gregorian computus (checked against published dates), the
// Easter-based and weekday-based holidays, and the eves.
import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../../contract/teams.js';
import { easterSunday, publicHolidayOn, publicHolidaysBetween, swedishPublicHolidays } from './holidays.js';

describe('Swedish public holidays', () => {
  it('computes Easter Sunday for known years (earliest, latest and ordinary)', () => {
    const known: Record<number, string> = {
      1818: '1818-03-22', // the earliest possible date
      1943: '1943-04-25', // the latest possible date
      2000: '2000-04-23',
      2008: '2008-03-23',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25',
    };
    for (const [year, date] of Object.entries(known)) expect([year, easterSunday(Number(year))]).toEqual([year, date]);
  });

  it('lists the 2026 holidays with the Easter-based and Saturday-based dates', () => {
    expect(swedishPublicHolidays(2026)).toEqual([
      { date: '2026-01-01', key: 'newYearsDay' },
      { date: '2026-01-06', key: 'epiphany' },
      { date: '2026-04-03', key: 'goodFriday' },
      { date: '2026-04-05', key: 'easterSunday' },
      { date: '2026-04-06', key: 'easterMonday' },
      { date: '2026-05-01', key: 'mayDay' },
      { date: '2026-05-14', key: 'ascensionDay' },
      { date: '2026-05-24', key: 'whitSunday' },
      { date: '2026-06-06', key: 'nationalDay' },
      { date: '2026-06-19', key: 'midsummerEve' },
      { date: '2026-06-20', key: 'midsummerDay' },
      { date: '2026-10-31', key: 'allSaintsDay' },
      { date: '2026-12-24', key: 'christmasEve' },
      { date: '2026-12-25', key: 'christmasDay' },
      { date: '2026-12-26', key: 'boxingDay' },
      { date: '2026-12-31', key: 'newYearsEve' },
    ]);
  });

  it('places midsummer and All Saints on the right Saturday in other years', () => {
    const of = (year: number, key: string) => swedishPublicHolidays(year).find((h) => h.key === key)?.date;
    expect([of(2025, 'midsummerEve'), of(2025, 'midsummerDay'), of(2025, 'allSaintsDay')]).toEqual(['2025-06-20', '2025-06-21', '2025-11-01']);
    expect([of(2027, 'midsummerEve'), of(2027, 'allSaintsDay'), of(2027, 'ascensionDay'), of(2027, 'whitSunday')]).toEqual(['2027-06-25', '2027-11-06', '2027-05-06', '2027-05-16']);
    expect([of(2024, 'goodFriday'), of(2024, 'easterMonday'), of(2024, 'ascensionDay')]).toEqual(['2024-03-29', '2024-04-01', '2024-05-09']);
  });

  it('finds the holiday on a date, and the coming ones across a new year', () => {
    expect(publicHolidayOn('2026-12-24')?.key).toBe('christmasEve');
    expect(publicHolidayOn('2026-11-23')).toBeNull();
    expect(publicHolidaysBetween('2026-12-20', 14).map((h) => h.date)).toEqual(['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01']);
    expect(publicHolidaysBetween('2026-11-23', 366)).toHaveLength(16);
  });

  it('accepts real calendar dates only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});
