// The calendar day in Europe/Stockholm, the unit of aggregated statistics.
const format = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** "YYYY-MM-DD" of `ms` in Europe/Stockholm. */
export function stockholmDay(ms: number): string {
  return format.format(ms);
}
