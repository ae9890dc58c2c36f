// The teams form's model: team settings as the API sends them, and the checks the form runs before
// saving (the server checks the same again): day windows, holiday dates, overflow loops.
import type { Holiday, TeamSettings, TeamView } from '../../../../contract/rest.js';
import { MAX_NOTICE_CHARS, MAX_WINDOWS, WEEKDAYS, type Weekday } from '../../../../contract/teams.js';

export { MAX_NOTICE_CHARS, MAX_WINDOWS, WEEKDAYS, type Weekday };
export type { Holiday, TeamSettings, TeamView };
export type Window = [string, string];
export type DutyHours = NonNullable<TeamSettings['dutyHours']>;

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** True when every window is HH:MM–HH:MM, ends after it starts, and none overlaps another. */
export function windowsValid(windows: readonly Window[]): boolean {
  if (windows.length > MAX_WINDOWS) return false;
  if (!windows.every(([a, b]) => HHMM.test(a) && HHMM.test(b) && a < b)) return false;
  const sorted = [...windows].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return sorted.every((w, i) => i === 0 || sorted[i - 1]![1] <= w[0]);
}

/** Weekly hours without empty days; null (always open) stays null. */
export function compactHours(hours: DutyHours | null): DutyHours | null {
  if (hours === null) return null;
  return Object.fromEntries(WEEKDAYS.filter((d) => (hours[d] ?? []).length > 0).map((d) => [d, hours[d]!]));
}

/** The first date listed twice, or null. */
export function duplicateDate(holidays: readonly Holiday[]): string | null {
  const seen = new Set<string>();
  for (const h of holidays) {
    if (seen.has(h.date)) return h.date;
    seen.add(h.date);
  }
  return null;
}

/** The loop (ids, back to `team`) that `team` overflowing to `overflow` would close, or null. */
export function overflowLoop(teams: ReadonlyArray<{ id: string; overflow: string | null }>, team: string, overflow: string | null): string[] | null {
  const next = new Map(teams.map((t) => [t.id, t.overflow]));
  next.set(team, overflow);
  const path = [team];
  for (let at = overflow; at !== null && at !== undefined; at = next.get(at) ?? null) {
    path.push(at);
    if (at === team) return path;
    if (path.length > teams.length + 1) return null;
  }
  return null;
}
