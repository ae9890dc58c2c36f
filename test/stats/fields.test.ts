// The counters' one schema: fields round-trip, free text never reaches a field, quantiles come from
// buckets, and CSV cells cannot start a formula.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../server/stats/csv.js';
import { MESSAGE_BUCKETS, WAIT_BUCKETS, encodeField, parseField, quantileOf } from '../../server/stats/fields.js';
import { daysBetween, isDay, parseDay } from '../../server/stats/report.js';

describe('statistics fields', () => {
  it('keeps the opened layout <metric>:<team>:<category>:<source>:<extra> and round-trips', () => {
    const field = { metric: 'opened', team: 'unga', category: 'chat', source: 'poster-malmo', extra: '' } as const;
    expect(encodeField(field)).toBe('opened:unga:chat:poster-malmo:');
    expect(parseField('opened:unga:chat:poster-malmo:')).toEqual(field);
    expect(parseField('wait:unga:chat:web:inf')).toMatchObject({ metric: 'wait', extra: 'inf' });
  });

  it('turns anything outside the small alphabet into "other" and refuses foreign layouts', () => {
    expect(encodeField({ metric: 'closed', team: 'unga', category: 'chat', source: 'Zk3Lq0pR7sT1uV2wX3yZ4a', extra: 'a:b' })).toBe('closed:unga:chat:other:other');
    expect(encodeField({ metric: 'opened', team: 'unga', category: 'chat', source: '2026-11-23 15:04:05', extra: '' })).toBe('opened:unga:chat:other:');
    expect(parseField('unga:chat:poster:helped')).toBeNull();
    expect(parseField('secret:unga:chat:web:')).toBeNull();
    expect(parseField('opened:UNGA:chat:web:')).toBeNull();
  });

  it('puts values into buckets and reads quantiles from them', () => {
    expect(WAIT_BUCKETS.indexOf(0)).toBe(0);
    expect(WAIT_BUCKETS.label(WAIT_BUCKETS.indexOf(30))).toBe('30');
    expect(WAIT_BUCKETS.label(WAIT_BUCKETS.indexOf(31))).toBe('60');
    expect(WAIT_BUCKETS.label(WAIT_BUCKETS.indexOf(99_999))).toBe('inf');
    expect(MESSAGE_BUCKETS.label(MESSAGE_BUCKETS.indexOf(6))).toBe('10');
    const counts = [2, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    expect(quantileOf(WAIT_BUCKETS, counts, 0.5)).toBe(60);
    expect(quantileOf(WAIT_BUCKETS, counts, 0.9)).toBe(300);
    expect(quantileOf(WAIT_BUCKETS, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0.5)).toBeNull();
    expect(quantileOf(WAIT_BUCKETS, [], 0.5)).toBeUndefined();
  });

  it('checks days and periods', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(daysBetween('2026-03-28', '2026-04-01')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31', '2026-04-01']);
    expect(daysBetween('2026-04-01', '2026-03-31')).toEqual([]);
  });
});

describe('statistics CSV', () => {
  it('quotes every cell and neutralises formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1`)).toBe(`"'${lead}1"`);
    expect(csvCell(12)).toBe('"12"');
    const csv = toCsv([parseDay('2026-11-23', { 'opened:unga:chat:-x:': 2, 'foreign-field': 9 })], null);
    expect(csv).toBe('"day","team","category","source","metric","bucket","count"\r\n"2026-11-23","unga","chat","\'-x","opened","","2"\r\n');
    expect(toCsv([parseDay('2026-11-23', { 'opened:unga:chat:web:': 2 })], new Set(['foraldrar']))).not.toContain('unga');
  });
});
