// CSV export of the counters: one row per day × team × category × source × metric × bucket, the
// counters exactly as stored. Cells are quoted and guarded against formula injection, so a sheet
// program opening the file never runs anything in it.
import type { DayCounters } from './report.js';

export const CSV_HEADER = ['day', 'team', 'category', 'source', 'metric', 'bucket', 'count'] as const;

/** One cell: a leading =, +, -, @, tab or CR is neutralised with a quote mark; always quoted. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(days: readonly DayCounters[], teams: ReadonlySet<string> | null): string {
  const rows: string[] = [CSV_HEADER.map(csvCell).join(',')];
  for (const { day, counts } of days) {
    const lines = counts
      .filter(({ field }) => teams === null || teams.has(field.team))
      .map(({ field: f, count }) => [day, f.team, f.category, f.source, f.metric, f.extra, count]);
    lines.sort((a, b) => a.slice(1, 6).join('\u0000').localeCompare(b.slice(1, 6).join('\u0000')));
    for (const line of lines) rows.push(line.map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
