// The source registry over a real RecordStore adapter (memory), the team preference routing uses,
// and the language hint of the /c/<tag> page.
import { describe, expect, it } from 'vitest';
import { chooseTeam } from '../routing/choose-team.js';
import { createManualClock } from '../clock.js';
import { isApiError } from '../errors.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { TeamId, TeamRecord } from '../store/ports.js';
import { createSources, preferTeam, withSourceLanguage } from './index.js';

const team = (id: string, categories: TeamRecord['categories'], overflow: string | null = null): TeamRecord => ({ id: id as TeamId, name: id, categories, overflow: overflow as TeamId | null });
const TEAMS = [team('parents', ['parent'], 'youth'), team('region', ['chat'], 'youth'), team('youth', ['chat', 'callback'])];

describe('sources', () => {
  it('creates once per tag, updates all but tag and creation time, and hints language and team', async () => {
    const clock = createManualClock(1_700_000_000_000);
    const sources = createSources({ records: createMemoryStore({ clock, sweepIntervalMs: 0 }).records, clock });
    const created = await sources.create({ tag: 'poster-a', label: 'A', team: 'region' as TeamId, language: 'ar' });
    expect(created).toEqual({ tag: 'poster-a', label: 'A', team: 'region', language: 'ar', createdAt: 1_700_000_000_000, active: true });
    await expect(sources.create({ tag: 'poster-a', label: 'B', team: null, language: null })).rejects.toSatisfy((e: unknown) => isApiError(e, 'source_exists'));
    expect(await sources.hint('poster-a')).toEqual({ language: 'ar', team: 'region', org: null });
    expect(await sources.hint('unknown')).toEqual({ language: null, team: null, org: null });
    expect(await sources.hint('Not A Tag')).toEqual({ language: null, team: null, org: null });
    // What a conversation records: a registered tag by name, anything else as "other".
    expect(await sources.forConversation('poster-a')).toEqual({ source: 'poster-a', team: 'region', org: null });
    expect(await sources.forConversation('direct')).toEqual({ source: 'direct', team: null, org: null });
    expect(await sources.forConversation('anna-0701234567')).toEqual({ source: 'other', team: null, org: null });
    await expect(sources.create({ tag: 'other', label: 'O', team: null, language: null })).rejects.toSatisfy((e: unknown) => isApiError(e, 'invalid_request'));
    clock.advance?.(1000);
    expect(await sources.update('poster-a', { active: false, label: 'A (ended)' })).toMatchObject({ tag: 'poster-a', label: 'A (ended)', createdAt: 1_700_000_000_000, active: false });
    // Ended: the poster still speaks its language, but no longer routes to its team.
    expect(await sources.hint('poster-a')).toEqual({ language: 'ar', team: null, org: null });
    expect(await sources.forConversation('poster-a')).toEqual({ source: 'poster-a', team: null, org: null });
    await expect(sources.update('nope', { active: false })).rejects.toSatisfy((e: unknown) => isApiError(e, 'not_found'));
    expect((await sources.list()).map((s) => s.tag)).toEqual(['poster-a']);
  });

  it('prefers the source team where it takes the category, then its overflow path; otherwise routing is unchanged', () => {
    const onDuty = (ids: string[]) => new Map(ids.map((id) => [id as TeamId, 1]));
    expect(chooseTeam('chat', preferTeam(TEAMS, 'region' as TeamId, 'chat'), onDuty(['region', 'youth']))?.team.id).toBe('region');
    expect(chooseTeam('chat', preferTeam(TEAMS, null, 'chat'), onDuty(['region', 'youth']))?.team.id).toBe('region'); // first by id, as before
    expect(chooseTeam('chat', preferTeam(TEAMS, 'youth' as TeamId, 'chat'), onDuty(['region', 'youth']))?.team.id).toBe('youth');
    // Nobody on duty in the source team: its overflow takes it.
    expect(chooseTeam('chat', preferTeam(TEAMS, 'region' as TeamId, 'chat'), onDuty(['youth']))?.team.id).toBe('youth');
    // The category does not allow it: parents go where parents go, callbacks where callbacks go.
    expect(preferTeam(TEAMS, 'region' as TeamId, 'parent')).toBe(TEAMS);
    expect(chooseTeam('callback', preferTeam(TEAMS, 'region' as TeamId, 'callback'), onDuty([]))?.team.id).toBe('youth');
    expect(preferTeam(TEAMS, 'gone' as TeamId, 'chat')).toBe(TEAMS);
  });

  it('tells the widget page the source language only when it has one', () => {
    const html = '<html><head><title>x</title></head><body></body></html>';
    expect(withSourceLanguage(html, null)).toBe(html);
    expect(withSourceLanguage(html, 'ar')).toContain('<meta name="utvag-source-lang" content="ar" />\n  </head>');
  });
});
