import { describe, expect, it } from 'vitest';
import { LANGUAGE_IDS } from '../../contract/languages.js';
import { OutOfHoursTextSchema } from '../../contract/rest.js';
import { DEFAULT_TEAM_SETTINGS, parseStoredSettings } from './team-settings.js';

describe('team settings: out-of-hours texts per language', () => {
  it('hold one text for every language the clients speak', () => {
    expect(Object.keys(DEFAULT_TEAM_SETTINGS.outOfHoursText)).toEqual(LANGUAGE_IDS);
    // An update names every language ("" for none).
    expect(OutOfHoursTextSchema.safeParse(DEFAULT_TEAM_SETTINGS.outOfHoursText).success).toBe(true);
    expect(OutOfHoursTextSchema.safeParse({ sv: 'Stängt' }).success).toBe(false);
  });

  it('read settings stored before a language was added: its text is empty', () => {
    const stored = { ...DEFAULT_TEAM_SETTINGS, outOfHoursText: { sv: 'Stängt i kväll.' } };
    const read = parseStoredSettings(JSON.stringify(stored));
    expect(read.outOfHoursText.sv).toBe('Stängt i kväll.');
    for (const id of LANGUAGE_IDS.filter((l) => l !== 'sv')) expect(read.outOfHoursText[id]).toBe('');
  });

  it('refuse a text in a language nobody speaks', () => {
    expect(OutOfHoursTextSchema.safeParse({ sv: '', xx: 'text' }).success).toBe(false);
  });
});
