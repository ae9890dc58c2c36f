// Team administration through app.request(): who may change what, a new team, the category mapping
// (complete, known teams), overflow without loops, holiday dates and text lengths refused with a 4xx,
// what is stored, and the widget's notice of a closed team.
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../contract/categories.js';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, seedResponder } from '../../test/support/harness.js';
import { createTeamSettings, DEFAULT_TEAM_SETTINGS } from '../routing/team-settings.js';
import type { TeamSettings } from '../../contract/rest.js';
import type { TeamId } from '../store/ports.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? `${e.status}:${e.code}` : String(e)),
  );

async function setup() {
  // Monday 2026-11-23 12:00 UTC = 13:00 in Stockholm.
  const t = await createTestApp({ manualClock: true });
  t.clock.advance?.(Date.UTC(2026, 10, 23, 12, 0) - t.clock.now());
  const as = async (login: string, teams: string[], roles: Array<'responder' | 'supervisor' | 'admin'>) => {
    const seeded = await seedResponder(t.store, login, teams, roles);
    const api = t.responder();
    await api.login(login, seeded.authKey);
    return api;
  };
  return { t, settings: createTeamSettings(t.store.records), admin: await as('admin', [], ['admin']), as };
}

const withSettings = (extra: Partial<TeamSettings>) => ({ ...DEFAULT_TEAM_SETTINGS, ...extra });
/** Every category to `team`: a complete mapping the cases change a few categories of. */
const allTo = (team: string) => Object.fromEntries(CATEGORIES.map((c) => [c, team]));

describe('team administration', () => {
  it('lists the teams with the mapping, the coming public holidays and what the caller may change', async () => {
    const { admin, as } = await setup();
    const list = await admin.call<{ items: Array<{ id: string; editable: string; overflow: string | null; openNow: boolean }>; mapping: Record<string, string>; publicHolidays: Array<{ date: string; key: string }> }>('GET', '/api/v1/admin/teams');
    expect(list.items.map((i) => [i.id, i.editable, i.overflow, i.openNow])).toEqual([
      ['foraldrar', 'all', 'unga', true],
      ['konsult', 'all', null, true],
      ['unga', 'all', 'konsult', true],
    ]);
    expect(list.mapping).toEqual({ ...allTo('unga'), parent: 'foraldrar' });
    expect(list.publicHolidays[0]).toEqual({ date: '2026-12-24', key: 'christmasEve' });
    const supervisor = await as('sup', ['unga'], ['supervisor']);
    const seen = await supervisor.call<{ items: Array<{ id: string; editable: string }> }>('GET', '/api/v1/admin/teams');
    expect(seen.items.map((i) => i.editable)).toEqual(['none', 'none', 'settings']);
    const responder = await as('resp', ['unga'], ['responder']);
    expect(await codeOf(responder.call('GET', '/api/v1/admin/teams'))).toBe('403:forbidden');
  });

  it('creates a team with a slug id (admin only); a taken or malformed id is refused', async () => {
    const { t, admin, as } = await setup();
    await admin.call('POST', '/api/v1/admin/teams', { id: 'region-syd', name: 'Regionala teamet' });
    expect(await t.store.staff.getTeam('region-syd' as TeamId)).toEqual({ id: 'region-syd', name: 'Regionala teamet', categories: [], overflow: null });
    expect(await codeOf(admin.call('POST', '/api/v1/admin/teams', { id: 'region-syd', name: 'Igen' }))).toBe('400:invalid_request');
    for (const id of ['Region', '-syd', 'syd-', 'a b', 'x'.repeat(41)]) expect(await codeOf(admin.call('POST', '/api/v1/admin/teams', { id, name: 'X' }))).toBe('400:invalid_request');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/teams', { id: 'tom', name: '   ' }))).toBe('400:invalid_request');
    const supervisor = await as('sup', ['unga'], ['supervisor']);
    expect(await codeOf(supervisor.call('POST', '/api/v1/admin/teams', { id: 'egen', name: 'Eget' }))).toBe('403:forbidden');
    expect(await t.store.staff.getTeam('egen' as TeamId)).toBeNull();
    expect((await t.store.audit.recent(5)).map((e) => e.action)).toContain('team-create');
  });

  it('maps every category to exactly one known team; an incomplete mapping or an unknown team is refused', async () => {
    const { t, admin } = await setup();
    await admin.call('POST', '/api/v1/admin/teams', { id: 'region', name: 'Region' });
    expect(await codeOf(admin.call('PUT', '/api/v1/admin/category-mapping', { chat: 'region', callback: 'unga' }))).toBe('400:invalid_request');
    expect(await codeOf(admin.call('PUT', '/api/v1/admin/category-mapping', { ...allTo('unga'), chat: 'nope', parent: 'foraldrar' }))).toBe('400:invalid_request');
    expect(await codeOf(admin.call('PUT', '/api/v1/admin/category-mapping', { ...allTo('unga'), chat: 'region', parent: 'foraldrar', other: 'unga' }))).toBe('400:invalid_request');
    expect((await t.store.staff.getTeam('unga' as TeamId))?.categories).toEqual(CATEGORIES.filter((c) => c !== 'parent'));
    await admin.call('PUT', '/api/v1/admin/category-mapping', { ...allTo('unga'), chat: 'region', parent: 'region' });
    const stored = Object.fromEntries((await t.store.staff.listTeams()).map((team) => [team.id, team.categories]));
    expect(stored).toEqual({ foraldrar: [], konsult: [], region: ['chat', 'parent'], unga: CATEGORIES.filter((c) => c !== 'chat' && c !== 'parent') });
    expect((await t.visitor().status('parent')).team).toBe('region');
  });

  it('refuses an overflow loop of any length, an unknown overflow team and itself; stores name and overflow', async () => {
    const { t, admin } = await setup();
    const put = (team: string, overflow: string | null, name = team) => admin.call('PUT', `/api/v1/admin/teams/${team}`, { name, overflow, settings: DEFAULT_TEAM_SETTINGS });
    // unga → konsult already; foraldrar → unga.
    expect(await codeOf(put('konsult', 'unga'))).toBe('400:invalid_request');
    expect(await codeOf(put('konsult', 'foraldrar'))).toBe('400:invalid_request');
    expect(await codeOf(put('konsult', 'konsult'))).toBe('400:invalid_request');
    expect(await codeOf(put('konsult', 'nope'))).toBe('400:invalid_request');
    expect(await codeOf(put('nope', null))).toBe('404:not_found');
    expect((await t.store.staff.getTeam('konsult' as TeamId))?.overflow).toBeNull();
    await put('foraldrar', 'konsult', 'Föräldrastöd');
    expect(await t.store.staff.getTeam('foraldrar' as TeamId)).toMatchObject({ name: 'Föräldrastöd', overflow: 'konsult', categories: ['parent'] });
    // Now konsult → foraldrar would loop through foraldrar → konsult.
    expect(await codeOf(put('konsult', 'foraldrar'))).toBe('400:invalid_request');
  });

  it('validates holidays and texts: real dates once each, windows in order, texts up to 500 characters without control characters', async () => {
    const { admin, settings } = await setup();
    const put = (extra: Partial<TeamSettings> | Record<string, unknown>) => admin.call('PUT', '/api/v1/admin/teams/unga/settings', { ...DEFAULT_TEAM_SETTINGS, ...extra });
    const bad = [
      { holidays: [{ date: '2026-02-30', hours: [] }] },
      { holidays: [{ date: '24/12/2026', hours: [] }] },
      { holidays: [{ date: '1999-12-24', hours: [] }] },
      { holidays: [{ date: '2026-12-24' }, { date: '2026-12-24', label: 'igen' }] },
      { holidays: [{ date: '2026-12-24', hours: [['14:00', '10:00']] }] },
      { holidays: [{ date: '2026-12-24', hours: [['10:00', '14:00'], ['13:00', '15:00']] }] },
      { holidays: [{ date: '2026-12-24', label: 'x'.repeat(61) }] },
      { dutyHours: { mon: [['08:00', '12:00'], ['11:00', '17:00']] } },
      { dutyHours: { mon: [['08:00', '09:00'], ['09:00', '10:00'], ['10:00', '11:00'], ['11:00', '12:00'], ['12:00', '13:00']] } },
      { outOfHoursText: { sv: 'x'.repeat(501), en: '', ar: '' } },
      { outOfHoursText: { sv: 'Stängt\u0007', en: '', ar: '' } },
      { outOfHoursText: { sv: 'Stängt', en: '' } },
    ];
    for (const extra of bad) expect([JSON.stringify(extra).slice(0, 60), await codeOf(put(extra))]).toEqual([JSON.stringify(extra).slice(0, 60), '400:invalid_request']);
    expect(await settings.get('unga' as TeamId)).toEqual(DEFAULT_TEAM_SETTINGS);
    const good = withSettings({
      dutyHours: { mon: [['08:00', '12:00'], ['13:00', '17:00']] },
      holidays: [{ date: '2026-12-24', label: 'Julafton', hours: [['10:00', '14:00']] }, { date: '2027-06-25', label: 'Midsommarafton', hours: [] }],
      publicHolidays: true,
      outOfHoursText: { sv: 'Vi har stängt.\nRing 112 vid fara.', en: 'We are closed.', ar: 'نحن مغلقون.'.padEnd(500, '.') },
    });
    await put(good);
    expect(await settings.get('unga' as TeamId)).toEqual(good);
    // A holiday without label or hours is a closed day.
    await put({ holidays: [{ date: '2026-12-31' }] });
    expect((await settings.get('unga' as TeamId)).holidays).toEqual([{ date: '2026-12-31', label: '', hours: [] }]);
  });

  it('lets a supervisor change the settings of their own teams only, and never the specialist flag', async () => {
    const { t, as, settings } = await setup();
    const supervisor = await as('sup', ['unga'], ['supervisor']);
    await supervisor.call('PUT', '/api/v1/admin/teams/unga/settings', withSettings({ publicHolidays: true }));
    expect((await settings.get('unga' as TeamId)).publicHolidays).toBe(true);
    expect(await codeOf(supervisor.call('PUT', '/api/v1/admin/teams/foraldrar/settings', DEFAULT_TEAM_SETTINGS))).toBe('403:forbidden');
    expect(await codeOf(supervisor.call('PUT', '/api/v1/admin/teams/unga/settings', withSettings({ specialist: true })))).toBe('403:forbidden');
    expect(await codeOf(supervisor.call('PUT', '/api/v1/admin/teams/unga', { name: 'Nytt', overflow: null, settings: DEFAULT_TEAM_SETTINGS }))).toBe('403:forbidden');
    expect(await codeOf(supervisor.call('PUT', '/api/v1/admin/category-mapping', allTo('unga')))).toBe('403:forbidden');
    expect((await t.store.staff.getTeam('unga' as TeamId))?.name).toBe('Socialtjänsten – unga');
    expect(await supervisor.call('GET', '/api/v1/admin/teams/foraldrar/settings')).toEqual(DEFAULT_TEAM_SETTINGS);
  });

  it('tells the widget when a team is closed for a holiday, with its texts as given (plain text)', async () => {
    const { t, admin } = await setup();
    const notice = async (team: string) => (await t.call('GET', `/api/v1/teams/${team}/notice`)).json();
    expect(await notice('unga')).toEqual({ team: 'unga', open: true, holiday: false, text: { sv: '', en: '', ar: '' }, hours: null, nextOpen: null });
    const text = { sv: 'Stängt i dag <b>studiedag</b>', en: 'Closed today', ar: '' };
    await admin.call('PUT', '/api/v1/admin/teams/unga/settings', withSettings({ holidays: [{ date: '2026-11-23', label: 'Studiedag', hours: [] }], outOfHoursText: text }));
    expect(await notice('unga')).toEqual({ team: 'unga', open: false, holiday: true, text, hours: null, nextOpen: Date.UTC(2026, 10, 23, 23, 0) });
    // Weekly hours: shown to visitors; closed at 13:00 on a Monday that opens 17:00.
    await admin.call('PUT', '/api/v1/admin/teams/unga/settings', withSettings({ dutyHours: { mon: [['17:00', '21:00']], sat: [['10:00', '14:00']] } }));
    expect(await notice('unga')).toMatchObject({ open: false, holiday: false, hours: { mon: [['17:00', '21:00']], sat: [['10:00', '14:00']] }, nextOpen: Date.UTC(2026, 10, 23, 16, 0) });
    expect((await t.call('GET', '/api/v1/teams/nope/notice')).status).toBe(404);
    expect((await t.call('GET', '/api/v1/teams/NOPE/notice')).status).toBe(400);
  });
});
