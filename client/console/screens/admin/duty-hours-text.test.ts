// The admin screen's duty-hours text: "mon-fri 08:00-17:00; sat 10:00-14:00" ⇄ the settings object.
import { describe, expect, it } from 'vitest';
import { formatDutyHours, parseDutyHours } from './Teams.js';

describe('duty hours text', () => {
  it('parses ranges of days and formats back', () => {
    const hours = parseDutyHours('mon-wed 08:00-17:00; sat 10:00-14:00');
    expect(hours).toEqual({ mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], sat: [['10:00', '14:00']] });
    expect(formatDutyHours(hours)).toBe('mon 08:00-17:00; tue 08:00-17:00; wed 08:00-17:00; sat 10:00-14:00');
    expect(parseDutyHours('  ')).toBeNull();
    expect(() => parseDutyHours('fri-mon 08:00-17:00')).toThrow();
    expect(() => parseDutyHours('someday 8-5')).toThrow();
  });
});
