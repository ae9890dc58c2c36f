// A team's weekly opening hours (Europe/Stockholm) and its next opening, written out in the reader's
// language: weekdays with the same windows in a row are joined ("mån–fre 09:00–17:00"), and every
// time range is a left-to-right island so Arabic text does not reverse it.

/** "HH:MM"–"HH:MM" windows per weekday (mon…sun), as GET /api/v1/teams/{team}/notice answers. */
export type WeeklyHours = Readonly<Record<string, ReadonlyArray<readonly [string, string]> | undefined>>;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Runs of weekdays with their windows ("mån–fre", "09:00–17:00"); days without hours left out. */
export function openingRuns(hours: WeeklyHours, lang: string): Array<{ days: string; times: string }> {
  const dayName = new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  const name = (i: number) => dayName.format(Date.UTC(2024, 0, 1 + i));
  const times = (i: number) => (hours[DAYS[i]!] ?? []).map(([a, b]) => `${a}–${b}`).join(', ');
  const runs: Array<{ days: string; times: string }> = [];
  for (let i = 0, j = 0; i < 7; i = j + 1) {
    for (j = i; j < 6 && times(j + 1) === times(i); ) j += 1;
    if (times(i) !== '') runs.push({ days: j > i ? `${name(i)}–${name(j)}` : name(i), times: times(i) });
  }
  return runs;
}

/** The weekly hours as inline text: "mån–fre 09:00–17:00, lör 10:00–14:00". Renders nothing without hours. */
export function OpeningHoursText(props: { hours: WeeklyHours; lang: string }) {
  return openingRuns(props.hours, props.lang).map((run, i) => (
    <span key={run.days}>
      {i > 0 ? ', ' : ''}
      {run.days}{' '}
      <bdi dir="ltr" class="tel">
        {run.times}
      </bdi>
    </span>
  ));
}

/** "tisdag 09:00" in Stockholm time, in `lang`. */
export function formatNextOpening(ms: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' }).format(ms);
}
