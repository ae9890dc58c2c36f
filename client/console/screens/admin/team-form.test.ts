// The teams form's checks before saving: day windows (format, order, overlap, count), empty days
// dropped, a holiday date listed twice, and overflow loops (as the server refuses them).
import { describe, expect, it } from 'vitest';
import { compactHours, duplicateDate, overflowLoop, windowsValid } from './team-form.js';

describe('teams form', () => {
  it('accepts ordered, non-overlapping HH:MM windows up to 24:00 and refuses the rest', () => {
    expect(windowsValid([])).toBe(true);
    expect(windowsValid([['08:00', '12:00'], ['13:00', '24:00']])).toBe(true);
    expect(windowsValid([['13:00', '17:00'], ['08:00', '13:00']])).toBe(true); // order of entry does not matter
    expect(windowsValid([['08:00', '12:00'], ['11:59', '17:00']])).toBe(false);
    expect(windowsValid([['17:00', '08:00']])).toBe(false);
    expect(windowsValid([['8:00', '17:00']])).toBe(false);
    expect(windowsValid([['08:00', '24:01']])).toBe(false);
    expect(windowsValid([['00:00', '01:00'], ['02:00', '03:00'], ['04:00', '05:00'], ['06:00', '07:00'], ['08:00', '09:00']])).toBe(false);
  });

  it('drops empty weekdays and keeps "always open"', () => {
    expect(compactHours({ mon: [['08:00', '17:00']], tue: [], sat: [['10:00', '14:00']] })).toEqual({ mon: [['08:00', '17:00']], sat: [['10:00', '14:00']] });
    expect(compactHours(null)).toBeNull();
  });

  it('finds a date listed twice', () => {
    expect(duplicateDate([{ date: '2026-12-24', label: '', hours: [] }, { date: '2026-12-31', label: '', hours: [] }])).toBeNull();
    expect(duplicateDate([{ date: '2026-12-24', label: '', hours: [] }, { date: '2026-12-24', label: 'x', hours: [] }])).toBe('2026-12-24');
  });

  it('finds overflow loops through the edited team', () => {
    const teams = [
      { id: 'unga', overflow: 'konsult' },
      { id: 'foraldrar', overflow: 'unga' },
      { id: 'konsult', overflow: null },
    ];
    expect(overflowLoop(teams, 'konsult', 'foraldrar')).toEqual(['konsult', 'foraldrar', 'unga', 'konsult']);
    expect(overflowLoop(teams, 'konsult', 'konsult')).toEqual(['konsult', 'konsult']);
    expect(overflowLoop(teams, 'konsult', null)).toBeNull();
    expect(overflowLoop(teams, 'foraldrar', 'konsult')).toBeNull();
  });
});
