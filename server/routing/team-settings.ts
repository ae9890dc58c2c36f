// Routing settings of a team (duty hours, holidays, out-of-hours texts, auto-assignment, default
// capacity, specialist flag), kept in the RecordStore and validated by one schema.
import { z } from 'zod';
import { LANGUAGE_IDS, type LanguageId } from '../../contract/languages.js';
import type { RecordStore, TeamId } from '../store/ports.js';
import { WEEKDAYS } from './duty-hours.js';
import { isCalendarDate } from './holidays.js';

/** Windows a day (a weekday or a holiday) may have. */
export const MAX_WINDOWS = 4;
/** Holidays a team may list (dates with their own hours or closed). */
export const MAX_HOLIDAYS = 60;
/** Characters of one out-of-hours text (per language). */
export const MAX_NOTICE_CHARS = 500;
/** Characters of a holiday's label ("Julafton"). */
export const MAX_HOLIDAY_LABEL = 60;

const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM (00:00–24:00)');
const Window = z.tuple([Hhmm, Hhmm]).refine(([a, b]) => a < b, 'a window ends after it starts');
/** A day's windows: at most MAX_WINDOWS, none overlapping another. */
const Windows = z
  .array(Window)
  .max(MAX_WINDOWS)
  .refine((ws) => [...ws].sort((x, y) => (x[0] < y[0] ? -1 : 1)).every((w, i, sorted) => i === 0 || sorted[i - 1]![1] <= w[0]), 'windows of one day overlap');

/** Control characters other than tab and newline never belong in a text shown to visitors. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NoticeText = z
  .string()
  .max(MAX_NOTICE_CHARS, `at most ${MAX_NOTICE_CHARS} characters`)
  .refine((s) => !CONTROL.test(s), 'no control characters');

export const HolidaySchema = z
  .object({
    date: z.string().refine((d) => isCalendarDate(d) && d >= '2000-01-01' && d < '2200-01-01', 'a date is YYYY-MM-DD (2000–2199)'),
    label: z.string().max(MAX_HOLIDAY_LABEL).refine((s) => !CONTROL.test(s), 'no control characters').default(''),
    /** Special hours that day (local Stockholm time); empty: closed all day. */
    hours: Windows.default([]),
  })
  .strict();
export type Holiday = z.infer<typeof HolidaySchema>;

/** Nothing written in any language (the widget's own text shows). */
const NO_TEXT = Object.fromEntries(LANGUAGE_IDS.map((id) => [id, ''])) as Record<LanguageId, string>;

/** One text per language the clients speak (each given, "" for none; settings stored before a language was added read it as ""). */
export const OutOfHoursTextSchema = z.object(Object.fromEntries(LANGUAGE_IDS.map((id) => [id, NoticeText])) as Record<LanguageId, typeof NoticeText>).strict();
export type OutOfHoursText = Record<LanguageId, string>;

export const TeamSettingsSchema = z
  .object({
    /** null: always open. */
    dutyHours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, Windows.optional()]))).strict().nullable(),
    /** Assign new conversations to the least-loaded on-duty responder instead of offering them. */
    autoAssign: z.boolean(),
    /** Simultaneous chats a responder takes when going on duty without saying. */
    defaultCapacity: z.number().int().min(1).max(20),
    /** Takes conversations flagged "under threat" (e.g. the consultation team). */
    specialist: z.boolean().default(false),
    /** Dates (Europe/Stockholm) when the team is closed or keeps special hours; each date once. */
    holidays: z
      .array(HolidaySchema)
      .max(MAX_HOLIDAYS)
      .refine((hs) => new Set(hs.map((h) => h.date)).size === hs.length, 'each holiday date once')
      .default([]),
    /** Closed on Swedish public holidays and on midsummer, Christmas and New Year's eve (unless listed in holidays). */
    publicHolidays: z.boolean().default(false),
    /** Plain text shown to visitors while the team is closed, per widget language (empty: the widget's own text). */
    outOfHoursText: OutOfHoursTextSchema.default(NO_TEXT),
  })
  .strict();
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;

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
