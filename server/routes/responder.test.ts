// Responder routes through app.request(): login with a derived auth key, CSRF, duty, queue, claim
// race, messages, transfer, close, audit without content.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, fakeCipher, newCid, seedResponder, solvePow } from '../../test/support/harness.js';
import { createSources } from '../sources/index.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

describe('responder routes', () => {
  it('logs in with the auth key, refuses a wrong one, and needs a session everywhere else', async () => {
    const t = await createTestApp();
    const seeded = await seedResponder(t.store, 'anna');
    const api = t.responder();
    expect(await codeOf(api.me())).toBe('unauthorized');
    expect(await codeOf(api.login('anna', new Uint8Array(32)))).toBe('login_failed');
    // Issue 14 §4: an unknown login is asked for a code like any account with one (the answer says
    // nothing about the login or the password); with a code it fails like a wrong password.
    expect(await codeOf(api.login('nobody', seeded.authKey))).toBe('totp_required');
    expect(await codeOf(api.login('nobody', seeded.authKey, '123456'))).toBe('login_failed');
    const me = await api.login('anna', seeded.authKey);
    expect(me).toMatchObject({ id: seeded.id, teams: ['unga', 'foraldrar', 'konsult'] });
    expect((await api.me()).id).toBe(seeded.id);
    await api.logout();
    expect(await codeOf(api.me())).toBe('unauthorized');
  });

  it('answers login parameters for unknown logins with a stable fake salt', async () => {
    const t = await createTestApp();
    await seedResponder(t.store, 'anna');
    const api = t.responder();
    const a = await api.loginParams('ghost');
    const b = await api.loginParams('ghost');
    expect(a).toEqual(b);
    expect(a.opslimit).toBeGreaterThanOrEqual(3);
    expect((await api.loginParams('anna')).salt).not.toBe(a.salt);
  });

  it('rejects state changes without the CSRF token', async () => {
    const t = await createTestApp();
    const seeded = await seedResponder(t.store, 'anna');
    const api = t.responder();
    await api.login('anna', seeded.authKey);
    const cookie = await (async () => {
      const r = await t.fetch('http://localhost/api/v1/responder/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'anna', authKey: Buffer.from(seeded.authKey).toString('base64url') }),
      });
      const setCookie = r.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      return setCookie.split(';')[0] ?? '';
    })();
    const noCsrf = await t.fetch('http://localhost/api/v1/responder/duty', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ team: 'unga', onDuty: true }),
    });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    expect(await t.store.duty.onDuty('unga' as never)).toEqual([]);
  });

  it('queue shows the sealed intake; of concurrent claims exactly one wins', async () => {
    const t = await createTestApp();
    const a = await seedResponder(t.store, 'anna');
    const b = await seedResponder(t.store, 'bo');
    const apiA = t.responder();
    const apiB = t.responder();
    await apiA.login('anna', a.authKey);
    await apiB.login('bo', b.authKey);
    await apiA.duty('unga', true);
    await apiB.duty('unga', true);
    await createSources({ records: t.store.records, clock: t.clock }).create({ tag: 'qr-1', label: 'QR 1', team: null, language: null });
    const intake = { cid: newCid(), kind: 'intake' as const, body: fakeCipher() };
    const opened = await t.visitor().open({ category: 'chat', language: 'ar', source: 'qr-1', intake }, solvePow);
    const queue = await apiA.queue();
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ id: opened.id, language: 'ar', source: 'qr-1', category: 'chat' });
    expect(queue.items[0]?.intake?.body).toBe(intake.body);
    const results = await Promise.all([codeOf(apiA.claim(opened.id)), codeOf(apiB.claim(opened.id)), codeOf(apiA.claim(opened.id))]);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'already_claimed')).toHaveLength(2);
    expect((await apiA.queue()).items).toEqual([]);
    expect((await t.visitor().get(opened.id, opened.token)).status).toBe('active');
  });

  it('only the assignee reads and writes; a responder of another team cannot claim', async () => {
    const t = await createTestApp();
    const a = await seedResponder(t.store, 'anna', ['unga']);
    const p = await seedResponder(t.store, 'per', ['foraldrar']);
    const apiA = t.responder();
    const apiP = t.responder();
    await apiA.login('anna', a.authKey);
    await apiP.login('per', p.authKey);
    await apiA.duty('unga', true);
    await apiP.duty('foraldrar', true);
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    expect(await codeOf(apiP.claim(opened.id))).toBe('forbidden');
    expect(await codeOf(apiP.messages(opened.id))).toBe('forbidden');
    await apiA.claim(opened.id);
    await apiA.post(opened.id, { cid: newCid(), kind: 'handshake', body: fakeCipher() });
    expect(await codeOf(apiP.post(opened.id, { cid: newCid(), kind: 'message', body: fakeCipher() }))).toBe('forbidden');
    const seen = await t.visitor().messages(opened.id, opened.token);
    expect(seen.messages.map((m) => [m.from, m.kind, m.session])).toEqual([['responder', 'handshake', 1]]);
  });

  it('transfer to a colleague moves access and bumps the session; close records the outcome', async () => {
    const t = await createTestApp();
    const a = await seedResponder(t.store, 'anna');
    const b = await seedResponder(t.store, 'bo');
    const apiA = t.responder();
    const apiB = t.responder();
    await apiA.login('anna', a.authKey);
    await apiB.login('bo', b.authKey);
    await apiA.duty('unga', true);
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    await apiA.claim(opened.id);
    const moved = await apiA.transfer(opened.id, { toResponder: b.id });
    expect(moved).toMatchObject({ status: 'active', session: 2 });
    expect(await codeOf(apiA.messages(opened.id))).toBe('forbidden');
    expect(await codeOf(apiA.close(opened.id, 'helped'))).toBe('not_assignee');
    const closed = await apiB.close(opened.id, 'helped');
    expect(closed.status).toBe('closed');
    expect(await codeOf(t.visitor().post(opened.id, opened.token, { cid: newCid(), kind: 'message', body: fakeCipher() }))).toBe(
      'conversation_closed',
    );
    const audit = await t.store.audit.recent(10);
    expect(audit.slice(0, 3).map((e) => e.action)).toEqual(['close', 'transfer', 'claim']);
    expect(JSON.stringify(audit)).not.toContain(opened.id);
  });

  it('transfer to a team puts it back in that team’s queue', async () => {
    const t = await createTestApp();
    const a = await seedResponder(t.store, 'anna');
    const apiA = t.responder();
    await apiA.login('anna', a.authKey);
    await apiA.duty('unga', true);
    await apiA.duty('konsult', true);
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    await apiA.claim(opened.id);
    const moved = await apiA.transfer(opened.id, { toTeam: 'konsult' });
    expect(moved).toMatchObject({ status: 'waiting', team: 'konsult' });
    expect((await apiA.queue()).items.map((i) => [i.id, i.team])).toEqual([[opened.id, 'konsult']]);
  });

  it('duty needs heartbeats: availability follows presence', async () => {
    const t = await createTestApp({ manualClock: true });
    const a = await seedResponder(t.store, 'anna', ['unga']);
    const apiA = t.responder();
    await apiA.login('anna', a.authKey);
    expect(await codeOf(apiA.duty('foraldrar', true))).toBe('forbidden');
    await apiA.duty('unga', true);
    expect((await t.visitor().status('chat')).staffed).toBe(true);
    t.clock.advance?.(t.config.presenceTtlMs - 1000);
    await apiA.heartbeat();
    t.clock.advance?.(t.config.presenceTtlMs - 1000);
    expect((await t.visitor().status('chat')).staffed).toBe(true);
    t.clock.advance?.(2000);
    expect((await t.visitor().status('chat')).staffed).toBe(false);
  });

  it('danger goes to the front of the queue', async () => {
    const t = await createTestApp();
    const a = await seedResponder(t.store, 'anna');
    const apiA = t.responder();
    await apiA.login('anna', a.authKey);
    await apiA.duty('unga', true);
    const first = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    const urgent = await t.visitor().open({ category: 'chat', language: 'sv', danger: true }, solvePow);
    expect((await apiA.queue()).items.map((i) => [i.id, i.danger])).toEqual([
      [urgent.id, true],
      [first.id, false],
    ]);
    expect((await t.visitor().get(first.id, first.token)).queuePosition).toBe(1);
  });
});
