// Routing through app.request(): duty hours and holidays decide who counts as on duty (and so overflow), offers
// respect capacity, auto-assignment picks the least-loaded responder, "under threat" goes to the
// specialist team.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, seedResponder, solvePow } from '../../test/support/harness.js';
import type { TeamId } from '../store/ports.js';
import { createTeamSettings, DEFAULT_TEAM_SETTINGS } from './team-settings.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

async function setup() {
  // Monday 2026-11-23 12:00 UTC = 13:00 in Stockholm.
  const t = await createTestApp({ manualClock: true });
  t.clock.advance?.(Date.UTC(2026, 10, 23, 12, 0) - t.clock.now());
  const settings = createTeamSettings(t.store.records);
  const login = async (name: string, teams: string[]) => {
    const seeded = await seedResponder(t.store, name, teams);
    const api = t.responder();
    await api.login(name, seeded.authKey);
    return { api, id: seeded.id };
  };
  return { t, settings, login };
}

describe('routing', () => {
  it('outside its duty hours a team counts as unstaffed and new conversations overflow', async () => {
    const { t, settings, login } = await setup();
    const anna = await login('anna', ['unga']);
    const kim = await login('kim', ['konsult']);
    await anna.api.duty('unga', true);
    await kim.api.duty('konsult', true);
    expect((await t.visitor().status('chat')).team).toBe('unga');
    await settings.put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, dutyHours: { mon: [['08:00', '12:00']] } });
    const status = await t.visitor().status('chat');
    expect(status).toMatchObject({ team: 'konsult', staffed: true });
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    expect(opened.team).toBe('konsult');
    expect((await anna.api.queue()).items).toEqual([]);
    expect((await kim.api.queue()).items.map((i) => i.id)).toEqual([opened.id]);
    t.clock.advance?.(-2 * 3_600_000); // 11:00 in Stockholm: open again
    await anna.api.heartbeat();
    await kim.api.heartbeat();
    expect((await t.visitor().status('chat')).team).toBe('unga');
  });

  it('on one of its holidays a team is closed: conversations overflow; special hours and public holidays', async () => {
    const { t, settings, login } = await setup();
    const anna = await login('anna', ['unga']);
    const kim = await login('kim', ['konsult']);
    await anna.api.duty('unga', true);
    await kim.api.duty('konsult', true);
    // Monday 23 November in Stockholm: a holiday of "unga" with no hours (closed all day).
    await settings.put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, holidays: [{ date: '2026-11-23', label: 'Studiedag', hours: [] }] });
    expect(await t.visitor().status('chat')).toMatchObject({ team: 'konsult', staffed: true });
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    expect(opened.team).toBe('konsult');
    expect((await t.store.conversations.get(opened.id as never))?.team).toBe('konsult');
    expect((await anna.api.queue()).items).toEqual([]);
    expect((await kim.api.queue()).items.map((i) => i.id)).toEqual([opened.id]);
    // Special hours that day instead (12:00–14:00; it is 13:00): open, so no overflow.
    await settings.put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, holidays: [{ date: '2026-11-23', label: '', hours: [['12:00', '14:00']] }] });
    expect((await t.visitor().status('chat')).team).toBe('unga');
    // Closed on public holidays: not today (an ordinary Monday), but on Christmas Eve.
    await settings.put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, publicHolidays: true });
    expect((await t.visitor().status('chat')).team).toBe('unga');
    expect(await (await t.call('GET', '/api/v1/teams/unga/notice')).json()).toMatchObject({ open: true, holiday: false });
    t.clock.advance?.(Date.UTC(2026, 11, 24, 12, 0) - t.clock.now());
    expect(await (await t.call('GET', '/api/v1/teams/unga/notice')).json()).toMatchObject({ open: false, holiday: true });
    expect(await t.visitor().status('chat')).toMatchObject({ team: 'unga', staffed: false, onDuty: 0 });
  });

  it('offers stop at capacity; the load falls when a conversation closes', async () => {
    const { t, login } = await setup();
    const anna = await login('anna', ['unga']);
    await anna.api.call('POST', '/api/v1/responder/duty', { team: 'unga', onDuty: true, capacity: 1 });
    const first = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    await anna.api.claim(first.id);
    const second = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    expect((await anna.api.queue()).items).toEqual([]);
    expect(await anna.api.call('GET', '/api/v1/responder/duty')).toMatchObject({ capacity: 1, load: 1 });
    await anna.api.close(first.id, 'helped');
    expect((await anna.api.queue()).items.map((i) => i.id)).toEqual([second.id]);
    expect(await anna.api.call('GET', '/api/v1/responder/duty')).toMatchObject({ load: 0 });
  });

  it('auto-assigns to the least-loaded responder on duty with room', async () => {
    const { t, settings, login } = await setup();
    await settings.put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, autoAssign: true, defaultCapacity: 2 });
    const anna = await login('anna', ['unga']);
    const bo = await login('bo', ['unga']);
    const per = await login('per', ['unga']);
    await anna.api.duty('unga', true);
    await bo.api.duty('unga', true);
    const assignees: string[] = [];
    for (let i = 0; i < 4; i++) {
      const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
      const record = await t.store.conversations.get(opened.id as never);
      expect(record?.status).toBe('active');
      assignees.push(record?.assignee ?? '');
    }
    // Alternates between the two on duty (least loaded first); nobody off duty gets one.
    expect(assignees.filter((a) => a === anna.id)).toHaveLength(2);
    expect(assignees.filter((a) => a === bo.id)).toHaveLength(2);
    expect(assignees).not.toContain(per.id);
    const assigned = await anna.api.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/responder/assigned');
    expect(assigned.items).toHaveLength(2);
    // Both full: the next one waits in the queue, offered to nobody until someone has room.
    const waiting = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    expect((await t.store.conversations.get(waiting.id as never))?.status).toBe('waiting');
    expect(await codeOf(per.api.claim(waiting.id))).toBe('off_duty');
  });

  it('"under threat" hands the conversation to the specialist team', async () => {
    const { t, settings, login } = await setup();
    const anna = await login('anna', ['unga']);
    await anna.api.duty('unga', true);
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    await anna.api.claim(opened.id);
    expect(await codeOf(anna.api.call('POST', `/api/v1/responder/conversations/${opened.id}/threat`))).toBe('not_found');
    await settings.put('konsult' as TeamId, { ...DEFAULT_TEAM_SETTINGS, specialist: true });
    const moved = await anna.api.call<{ team: string; status: string }>('POST', `/api/v1/responder/conversations/${opened.id}/threat`);
    expect(moved).toMatchObject({ team: 'konsult', status: 'waiting' });
    expect(await codeOf(anna.api.messages(opened.id))).toBe('forbidden');
    expect((await t.store.audit.recent(5)).map((e) => e.action)).toContain('threat-handover');
  });
});
