// Callback routes through app.request(): own records and lists (waiting, mine, done) that survive a new
// login, take on duty only, the sealed copy for its claimer only, re-seal deletes the team copy, not
// reached stays mine, done erases every copy, auto-assign on and off with honest load, delete now.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, fakeCipher, newCid, seedResponder, solvePow, type TestApp } from '../../test/support/harness.js';
import { createCallbacks } from '../callbacks/callbacks.js';
import { createRouting } from '../routing/routing.js';
import { DEFAULT_TEAM_SETTINGS } from '../routing/team-settings.js';
import type { TeamId } from '../store/ports.js';
import { sampleConversation } from '../store/store.case.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

interface View {
  id: string;
  state: string;
  attempts: Array<{ at: number }>;
  autoAssigned: boolean;
  resealed: boolean;
  heldBy: string | null;
}
interface Lists {
  waiting: View[];
  mine: View[];
  done: View[];
  team: View[];
  onDutyTeams: string[];
}

async function login(t: TestApp, name: string, roles: Array<'responder' | 'supervisor'> = ['responder']) {
  const seeded = await seedResponder(t.store, name, ['unga'], roles);
  const api = t.responder();
  await api.login(name, seeded.authKey);
  return { id: seeded.id, api, authKey: seeded.authKey, name };
}

async function request(t: TestApp, sealed = fakeCipher(300)) {
  const opened = await t.visitor().open({ category: 'callback', language: 'sv', source: 'web', intake: { cid: newCid(), kind: 'intake', body: sealed } }, solvePow);
  return { ...opened, sealed };
}

const lists = (api: ReturnType<TestApp['responder']>) => api.call<Lists>('GET', '/api/v1/responder/callbacks');
const cb = (id: string, what: string) => `/api/v1/responder/callbacks/${id}/${what}`;

describe('callback routes', () => {
  it('waiting → mine → attempts → done, each list surviving a new login; the number only for its claimer', async () => {
    const t = await createTestApp();
    const anna = await login(t, 'anna');
    const bo = await login(t, 'bo');
    const req = await request(t);

    // Off duty the request is listed (it waits), but cannot be taken; it is no /queue row.
    const offDuty = await lists(anna.api);
    expect(offDuty.waiting.map((v) => v.id)).toEqual([req.id]);
    expect(offDuty.onDutyTeams).toEqual([]);
    expect(await codeOf(anna.api.call('POST', cb(req.id, 'claim')))).toBe('off_duty');
    await anna.api.duty('unga', true);
    await bo.api.duty('unga', true);
    expect((await anna.api.queue()).items).toEqual([]);
    expect(await codeOf(anna.api.claim(req.id))).toBe('invalid_request');

    // Nobody gets the sealed request before it is taken.
    expect(await codeOf(anna.api.call('GET', cb(req.id, 'sealed')))).toBe('not_assignee');
    expect(await anna.api.call('POST', cb(req.id, 'claim'))).toMatchObject({ id: req.id, state: 'claimed', autoAssigned: false });
    expect(await codeOf(bo.api.call('POST', cb(req.id, 'claim')))).toBe('already_claimed');
    expect(await codeOf(bo.api.call('GET', cb(req.id, 'sealed')))).toBe('not_assignee');
    expect(await anna.api.call('GET', cb(req.id, 'sealed'))).toEqual({ kind: 'team', sealed: req.sealed });

    // Re-sealed by anna's console: the team-sealed copy is gone for good.
    const own = fakeCipher(300);
    await anna.api.call('PUT', cb(req.id, 'sealed'), { own, supervisors: {} });
    expect(await anna.api.call('GET', cb(req.id, 'sealed'))).toEqual({ kind: 'own', sealed: own });
    expect(await codeOf(anna.api.call('PUT', cb(req.id, 'sealed'), { own: fakeCipher(300), supervisors: {} }))).toBe('invalid_request');
    expect((await t.store.callbacks.get(req.id as never))?.teamSealed).toBeNull();

    // Not reached: it stays anna's, with the attempt; a new login (a reload) shows the same.
    await anna.api.call('POST', cb(req.id, 'not-reached'));
    expect(await codeOf(bo.api.call('POST', cb(req.id, 'not-reached')))).toBe('not_assignee');
    const again = t.responder();
    await again.login('anna', anna.authKey);
    const afterReload = await lists(again);
    expect(afterReload.waiting).toEqual([]);
    expect(afterReload.mine).toEqual([expect.objectContaining({ id: req.id, state: 'claimed', resealed: true, attempts: [expect.any(Object)] })]);
    expect((await lists(bo.api)).mine).toEqual([]);

    // Done: every copy erased; in anna's done list; the visitor's handle is closed but can still be deleted.
    await again.call('POST', cb(req.id, 'done'));
    const done = await lists(again);
    expect(done.mine).toEqual([]);
    expect(done.done).toEqual([expect.objectContaining({ id: req.id, state: 'done', attempts: [expect.any(Object)] })]);
    expect(await codeOf(again.call('GET', cb(req.id, 'sealed')))).toBe('not_assignee');
    const stored = await t.store.callbacks.get(req.id as never);
    expect(stored).toMatchObject({ teamSealed: null, claimerSealed: null, supervisorSealed: {} });
    await t.visitor().erase(req.id, req.token);
    expect(await t.store.callbacks.get(req.id as never)).toBeNull();
    expect((await lists(again)).done).toEqual([]);
  });

  it('a callback stored before callbacks had their own records (queued, the request in the log) is moved over once', async () => {
    const t = await createTestApp();
    const anna = await login(t, 'anna');
    const handle = sampleConversation({ category: 'callback', team: 'unga' as TeamId, createdAt: t.clock.now(), queuedAt: t.clock.now() });
    await t.store.conversations.create(handle, 60_000);
    const sealed = fakeCipher(300);
    await t.store.log.append(handle.id, 'visitor', 0, { cid: newCid(), kind: 'intake', body: sealed }, 60_000, 100);
    await t.store.queues.add('unga' as TeamId, handle.id, handle.queuedAt);
    expect((await lists(anna.api)).waiting.map((v) => v.id)).toEqual([handle.id]);
    expect(await t.store.queues.size('unga' as TeamId)).toBe(0);
    expect((await lists(anna.api)).waiting.map((v) => v.id)).toEqual([handle.id]);
    await anna.api.duty('unga', true);
    await anna.api.call('POST', cb(handle.id, 'claim'));
    expect(await anna.api.call('GET', cb(handle.id, 'sealed'))).toEqual({ kind: 'team', sealed });
  });

  it('a deactivated holder\'s callbacks wait again: a colleague opens a not yet re-sealed one, a supervisor takes over a re-sealed one with the copy sealed to them', async () => {
    const t = await createTestApp();
    const anna = await login(t, 'anna');
    const sara = await login(t, 'sara', ['supervisor']);
    const bo = await login(t, 'bo');
    for (const r of [anna, sara, bo]) await r.api.duty('unga', true);
    const fresh = await request(t);
    const resealed = await request(t);
    for (const r of [fresh, resealed]) await anna.api.call('POST', cb(r.id, 'claim'));
    const forSara = fakeCipher(300);
    await anna.api.call('PUT', cb(resealed.id, 'sealed'), { own: fakeCipher(300), supervisors: { [sara.id]: forSara } });
    const callbacks = createCallbacks({ store: t.store, clock: t.clock, callbackTtlMs: 60_000, audit: async () => undefined });
    expect(await callbacks.releaseAll(anna.id as never)).toBe(2);
    expect((await lists(bo.api)).waiting.map((v) => v.id).sort()).toEqual([fresh.id, resealed.id].sort());
    await bo.api.call('POST', cb(fresh.id, 'claim'));
    expect(await bo.api.call('GET', cb(fresh.id, 'sealed'))).toEqual({ kind: 'team', sealed: fresh.sealed });
    await bo.api.call('POST', cb(resealed.id, 'claim'));
    expect(await codeOf(bo.api.call('GET', cb(resealed.id, 'sealed')))).toBe('not_found');
    await bo.api.call('POST', cb(resealed.id, 'done'));
    const again = await request(t);
    await anna.api.call('POST', cb(again.id, 'claim'));
    await anna.api.call('PUT', cb(again.id, 'sealed'), { own: fakeCipher(300), supervisors: { [sara.id]: forSara } });
    await callbacks.releaseAll(anna.id as never);
    await sara.api.call('POST', cb(again.id, 'claim'));
    expect(await sara.api.call('GET', cb(again.id, 'sealed'))).toEqual({ kind: 'supervisor', sealed: forSara });
    await sara.api.call('PUT', cb(again.id, 'sealed'), { own: fakeCipher(300), supervisors: {} });
    expect((await sara.api.call<{ kind: string }>('GET', cb(again.id, 'sealed'))).kind).toBe('own');
  });

  it('delete now erases a waiting request at once', async () => {
    const t = await createTestApp();
    const anna = await login(t, 'anna');
    const req = await request(t);
    await t.visitor().erase(req.id, req.token);
    expect((await lists(anna.api)).waiting).toEqual([]);
    expect(await t.store.callbacks.get(req.id as never)).toBeNull();
  });

  it('auto-assign: the server gives it to an on-duty responder (in "mine"), the chat load stays honest; later if nobody was there', async () => {
    const t = await createTestApp();
    await createRouting({ store: t.store, clock: t.clock }).settings.put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, autoAssign: true, defaultCapacity: 1 });
    const anna = await login(t, 'anna');
    // Nobody on duty: it waits, and says so.
    const early = await request(t);
    expect((await lists(anna.api)).waiting.map((v) => v.id)).toEqual([early.id]);
    await anna.api.duty('unga', true);
    // Someone on duty now: the waiting one is assigned when the lists are read.
    expect((await lists(anna.api)).mine).toEqual([expect.objectContaining({ id: early.id, autoAssigned: true })]);
    const late = await request(t);
    const mine = (await lists(anna.api)).mine;
    expect(mine.map((v) => v.id)).toEqual([early.id, late.id]);
    // Callbacks do not count against the chat capacity: "0 av 1", and a chat can still be taken.
    const duty = await anna.api.call<{ load: number; capacity: number }>('GET', '/api/v1/responder/duty');
    expect(duty).toMatchObject({ load: 0, capacity: 1 });
    // Least held first: bo, on duty with none, gets the next one.
    const bo = await login(t, 'bo');
    await bo.api.duty('unga', true);
    const third = await request(t);
    expect((await lists(bo.api)).mine.map((v) => v.id)).toEqual([third.id]);
    expect(await codeOf(bo.api.call('GET', cb(early.id, 'sealed')))).toBe('not_assignee');
  });

  it('supervisor reveal: only a supervisor of the team, audited before the copy is handed over', async () => {
    const t = await createTestApp();
    const anna = await login(t, 'anna');
    const sara = await login(t, 'sara', ['supervisor']);
    const bo = await login(t, 'bo');
    await anna.api.duty('unga', true);
    const req = await request(t);
    await anna.api.call('POST', cb(req.id, 'claim'));
    const forSara = fakeCipher(300);
    expect(await codeOf(anna.api.call('PUT', cb(req.id, 'sealed'), { own: fakeCipher(300), supervisors: { [bo.id]: fakeCipher(300) } }))).toBe('invalid_request');
    await anna.api.call('PUT', cb(req.id, 'sealed'), { own: fakeCipher(300), supervisors: { [sara.id]: forSara } });
    expect((await lists(sara.api)).team).toEqual([expect.objectContaining({ id: req.id, heldBy: 'Responder anna' })]);
    expect((await lists(bo.api)).team).toEqual([]);
    expect(await codeOf(bo.api.call('POST', cb(req.id, 'reveal')))).toBe('forbidden');
    const before = (await t.store.audit.recent(50)).filter((e) => e.action === 'callback-reveal');
    expect(before).toEqual([]);
    expect(await sara.api.call('POST', cb(req.id, 'reveal'))).toEqual({ kind: 'supervisor', sealed: forSara });
    expect((await t.store.audit.recent(50)).filter((e) => e.action === 'callback-reveal')).toEqual([expect.objectContaining({ actor: sara.id })]);
  });
});
