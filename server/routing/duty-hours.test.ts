// Duty hours in Europe/Stockholm: weekday and minute across daylight saving time, windows per weekday.
import { describe, expect, it } from 'vitest';
import { isWithinDutyHours, stockholmTime } from './duty-hours.js';

describe('duty hours', () => {
  it('reads Stockholm local time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(stockholmTime(Date.UTC(2026, 0, 5, 7, 30))).toEqual({ weekday: 'mon', minute: 8 * 60 + 30 });
    expect(stockholmTime(Date.UTC(2026, 6, 5, 22, 15))).toEqual({ weekday: 'mon', minute: 15 });
    expect(stockholmTime(Date.UTC(2026, 2, 29, 0, 59)).minute).toBe(1 * 60 + 59); // just before the switch
    expect(stockholmTime(Date.UTC(2026, 2, 29, 1, 0)).minute).toBe(3 * 60); // 02:00 CET became 03:00 CEST
  });

  it('is open inside a window of the weekday, closed outside and on other days; null is always open', () => {
    const hours = { mon: [['08:00', '17:00']] as Array<[string, string]>, sat: [['10:00', '14:00']] as Array<[string, string]> };
    const monday = (h: number, m = 0) => Date.UTC(2026, 0, 5, h - 1, m); // winter: local = UTC + 1
    expect(isWithinDutyHours(hours, monday(8))).toBe(true);
    expect(isWithinDutyHours(hours, monday(16, 59))).toBe(true);
    expect(isWithinDutyHours(hours, monday(17))).toBe(false);
    expect(isWithinDutyHours(hours, monday(7, 59))).toBe(false);
    expect(isWithinDutyHours(hours, Date.UTC(2026, 0, 6, 9))).toBe(false); // Tuesday
    expect(isWithinDutyHours(hours, Date.UTC(2026, 0, 10, 11))).toBe(true); // Saturday 12:00
    expect(isWithinDutyHours({ sun: [['00:00', '24:00']] }, Date.UTC(2026, 0, 11, 22, 59))).toBe(true); // Sunday 23:59
    expect(isWithinDutyHours(null, monday(3))).toBe(true);
  });
});
