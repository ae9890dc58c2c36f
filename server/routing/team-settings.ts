// Routing settings of a team (duty hours, holidays, out-of-hours texts, auto-assignment, default
// capacity, specialist flag), kept in the RecordStore and validated by the API's schema
// (contract/rest.ts).
import { NO_OUT_OF_HOURS_TEXT, TeamSettingsSchema, type TeamSettings } from '../../contract/rest.js';
import type { LanguageId } from '../../contract/languages.js';
import type { RecordStore, TeamId } from '../store/ports.js';

const NO_TEXT = NO_OUT_OF_HOURS_TEXT;

export const DEFAULT_TEAM_SETTINGS: TeamSettings = {
  dutyHours: null,
  autoAssign: false,
  defaultCapacity: 3,
  specialist: false,
  holidays: [],
  publicHolidays: false,
  outOfHoursText: NO_TEXT,
};

const COLLECTION = 'team-settings';

/** Settings as stored: fields added later take their defaults, and so does a language added later (its text ""). */
export function parseStoredSettings(raw: string): TeamSettings {
  const stored = JSON.parse(raw) as { outOfHoursText?: Partial<Record<LanguageId, string>> };
  if (stored.outOfHoursText !== undefined) stored.outOfHoursText = { ...NO_TEXT, ...stored.outOfHoursText };
  return TeamSettingsSchema.parse(stored);
}

export function createTeamSettings(records: RecordStore) {
  return {
    /** The team's settings; the defaults when none are stored. Fields added later take their defaults. */
    async get(team: TeamId): Promise<TeamSettings> {
      const raw = await records.get(COLLECTION, team);
      return raw === null ? DEFAULT_TEAM_SETTINGS : parseStoredSettings(raw);
    },
    /** Validates and stores; throws a ZodError on invalid settings. */
    async put(team: TeamId, settings: TeamSettings): Promise<void> {
      await records.put(COLLECTION, team, JSON.stringify(TeamSettingsSchema.parse(settings)));
    },
  };
}
export type TeamSettingsStore = ReturnType<typeof createTeamSettings>;
