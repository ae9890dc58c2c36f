// Whether a team is open: its own holidays (closed or special hours) before public holidays before
// weekly duty hours, by the calendar date in Stockholm (not UTC).
import { describe, expect, it } from 'vitest';
import { nextOpening, openingAt } from './opening.js';
import type { TeamSettings } from '../../contract/rest.js';
import { DEFAULT_TEAM_SETTINGS } from './team-settings.js';

const weekdays = { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']], fri: [['08:00', '17:00']] } as TeamSettings['dutyHours'];
const settings = (extra: Partial<TeamSettings>): TeamSettings => ({ ...DEFAULT_TEAM_SETTINGS, dutyHours: weekdays, ...extra });
/** Stockholm local time in winter (UTC+1). */
const local = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+01:00`);

describe('opening', () => {
  it('follows the duty hours on an ordinary day', () => {
    expect(openingAt(settings({}), local('2026-11-23', '09:00'))).toEqual({ open: true, reason: 'hours' });
    expect(openingAt(settings({}), local('2026-11-23', '18:00'))).toEqual({ open: false, reason: 'hours' });
  });

  it('is closed all day on a listed holiday without hours, also for an always-open team', () => {
    const closed = settings({ holidays: [{ date: '2026-11-23', label: 'Studiedag', hours: [] }] });
    expect(openingAt(closed, local('2026-11-23', '09:00'))).toEqual({ open: false, reason: 'holiday', label: 'Studiedag' });
    expect(openingAt(closed, local('2026-11-24', '09:00')).open).toBe(true);
    expect(openingAt({ ...closed, dutyHours: null }, local('2026-11-23', '03:00')).open).toBe(false);
  });

  it('keeps special hours on a listed holiday (julafton 10–14), even on a weekend', () => {
    const eve = settings({ holidays: [{ date: '2026-12-24', label: 'Julafton', hours: [['10:00', '14:00']] }] });
    expect(openingAt(eve, local('2026-12-24', '09:00')).open).toBe(false);
    expect(openingAt(eve, local('2026-12-24', '13:59')).open).toBe(true);
    expect(openingAt(eve, local('2026-12-24', '14:00')).open).toBe(false);
    const saturday = settings({ holidays: [{ date: '2026-11-28', label: '', hours: [['10:00', '12:00']] }] });
    expect(openingAt(saturday, local('2026-11-28', '11:00'))).toEqual({ open: true, reason: 'holiday', label: '' });
  });

  it('takes the date in Stockholm: 23:30 UTC on 23 November is already the 24th', () => {
    const holiday = settings({ dutyHours: null, holidays: [{ date: '2026-11-24', label: '', hours: [] }] });
    expect(openingAt(holiday, Date.parse('2026-11-23T22:30:00Z')).open).toBe(true); // 23:30 local on the 23rd
    expect(openingAt(holiday, Date.parse('2026-11-23T23:30:00Z')).open).toBe(false); // 00:30 local on the 24th
  });

  it('closes on public holidays only when asked to, and a listed date overrides them', () => {
    const goodFriday = local('2026-04-03', '10:00');
    expect(openingAt(settings({}), goodFriday).open).toBe(true);
    expect(openingAt(settings({ publicHolidays: true }), goodFriday)).toEqual({ open: false, reason: 'public-holiday', key: 'goodFriday' });
    const listed = settings({ publicHolidays: true, holidays: [{ date: '2026-04-03', label: 'Jour', hours: [['09:00', '12:00']] }] });
    expect(openingAt(listed, goodFriday)).toEqual({ open: true, reason: 'holiday', label: 'Jour' });
  });
});

describe('next opening', () => {
  it('is now when open, the next window start when closed, across nights, weekends and holidays', () => {
    expect(nextOpening(settings({}), local('2026-11-23', '09:00'))).toBe(local('2026-11-23', '09:00'));
    expect(nextOpening(settings({}), local('2026-11-23', '18:00'))).toBe(local('2026-11-24', '08:00'));
    // Friday evening → Monday morning.
    expect(nextOpening(settings({}), local('2026-11-27', '17:30'))).toBe(local('2026-11-30', '08:00'));
    // Monday a holiday with special hours 10:05–12:00.
    const special = settings({ holidays: [{ date: '2026-11-30', label: '', hours: [['10:05', '12:00']] }] });
    expect(nextOpening(special, local('2026-11-27', '17:30'))).toBe(local('2026-11-30', '10:05'));
  });

  it('is null when the team does not open within the horizon', () => {
    expect(nextOpening(settings({ dutyHours: {} }), local('2026-11-23', '09:00'))).toBeNull();
  });
});
