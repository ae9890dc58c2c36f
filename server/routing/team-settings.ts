// Routing settings of a team (duty hours, auto-assignment, default capacity), kept in the RecordStore.
import { z } from 'zod';
import type { RecordStore, TeamId } from '../store/ports.js';
import { WEEKDAYS } from './duty-hours.js';

const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
const Window = z.tuple([Hhmm, Hhmm]).refine(([a, b]) => a < b, 'a window ends after it starts');

export const TeamSettingsSchema = z
  .object({
    /** null: always open. */
    dutyHours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Window).max(4).optional()]))).strict().nullable(),
    /** Assign new conversations to the least-loaded on-duty responder instead of offering them. */
    autoAssign: z.boolean(),
    /** Simultaneous chats a responder takes when going on duty without saying. */
    defaultCapacity: z.number().int().min(1).max(20),
    /** Takes conversations flagged "under threat" (e.g. the consultation team). */
    specialist: z.boolean().default(false),
  })
  .strict();
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;

export const DEFAULT_TEAM_SETTINGS: TeamSettings = { dutyHours: null, autoAssign: false, defaultCapacity: 3, specialist: false };

const COLLECTION = 'team-settings';

export function createTeamSettings(records: RecordStore) {
  return {
    async get(team: TeamId): Promise<TeamSettings> {
      const raw = await records.get(COLLECTION, team);
      return raw === null ? DEFAULT_TEAM_SETTINGS : TeamSettingsSchema.parse(JSON.parse(raw));
    },
    async put(team: TeamId, settings: TeamSettings): Promise<void> {
      await records.put(COLLECTION, team, JSON.stringify(TeamSettingsSchema.parse(settings)));
    },
  };
}
export type TeamSettingsStore = ReturnType<typeof createTeamSettings>;
