// CSV export of the counters: one row per day × team × category × source × metric × bucket, the
// counters exactly as stored (in a region, with the organisations of team and source). Cells are quoted and guarded against formula injection, so a sheet
// program opening the file never runs anything in it.
import type { OrgResolver } from './by-organisation.js';
import { UNKNOWN, type Field } from './fields.js';
import type { DayCounters } from './report.js';

export const CSV_HEADER = ['day', 'team', 'category', 'source', 'metric', 'bucket', 'count'] as const;

/** One cell: a leading =, +, -, @, tab or CR is neutralised with a quote mark; always quoted. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Two more columns in a region: the organisation of the row's team and of its source. */
export const CSV_REGION_HEADER = ['team_organisation', 'source_organisation'] as const;

/**
 * The counters `include` selects (a set of teams; null: all), one row each. With `orgs` (a region),
 * each row also names its team's and its source's organisation.
 */
export function toCsv(days: readonly DayCounters[], include: ReadonlySet<string> | null | ((f: Field) => boolean), orgs?: OrgResolver): string {
  const selected = typeof include === 'function' ? include : (f: Field) => include === null || include.has(f.team);
  const header: string[] = [...CSV_HEADER, ...(orgs === undefined ? [] : CSV_REGION_HEADER)];
  const rows: string[] = [header.map(csvCell).join(',')];
  for (const { day, counts } of days) {
    const lines = counts
      .filter(({ field }) => selected(field))
      .map(({ field: f, count }) => [day, f.team, f.category, f.source, f.metric, f.extra, count, ...(orgs === undefined ? [] : [orgs.team(f.team) ?? '', f.source === UNKNOWN ? '' : orgs.source(f.source)])]);
    lines.sort((a, b) => a.slice(1, 6).join('\u0000').localeCompare(b.slice(1, 6).join('\u0000')));
    for (const line of lines) rows.push(line.map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
