// Visitor routes through app.request(): open with proof of work, post, replay, close, delete now.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, fakeCipher, newCid, solvePow } from '../../test/support/harness.js';

const rejects = async (p: Promise<unknown>, code: string, status?: number) => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiRequestError);
  expect((error as ApiRequestError).code).toBe(code);
  if (status !== undefined) expect((error as ApiRequestError).status).toBe(status);
};

describe('visitor routes', () => {
  it('opens a conversation after proof of work and stores only the token hash', async () => {
    const t = await createTestApp();
    const opened = await t.visitor().open({ category: 'chat', language: 'sv', source: 'poster-a' }, solvePow);
    expect(opened.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(opened.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.team).toBe('unga');
    const record = await t.store.conversations.get(opened.id as never);
    expect(record?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(opened.token);
    const view = await t.visitor().get(opened.id, opened.token);
    expect(view).toMatchObject({ status: 'waiting', queuePosition: 0, category: 'chat' });
  });

  it('uses the id the visitor drew, and refuses it twice', async () => {
    const t = await createTestApp();
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    const opened = await t.visitor().open({ id, category: 'chat', language: 'sv' }, solvePow);
    expect(opened.id).toBe(id);
    await rejects(t.visitor().open({ id, category: 'chat', language: 'sv' }, solvePow), 'conversation_exists', 409);
  });

  it('refuses a wrong, reused or missing proof of work', async () => {
    const t = await createTestApp({ env: { POW_DIFFICULTY: '12' } });
    const wrong = async () => new Uint8Array(8);
    await rejects(t.visitor().open({ category: 'chat', language: 'sv' }, wrong), 'pow_invalid', 400);
    const { challenge } = (await (await t.fetch('http://localhost/api/v1/pow', { method: 'POST' })).json()) as { challenge: string };
    const nonce = Buffer.from(await solvePow(new Uint8Array(Buffer.from(challenge, 'base64url')), 12)).toString('base64url');
    const body = JSON.stringify({ category: 'chat', language: 'sv', pow: { challenge, nonce } });
    const post = () => t.fetch('http://localhost/api/v1/conversations', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post()).status).toBe(201);
    const again = await post();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('pow_reused');
  });

  it('refuses an expired challenge', async () => {
    const t = await createTestApp({ manualClock: true });
    const { challenge, difficulty } = (await (await t.fetch('http://localhost/api/v1/pow', { method: 'POST' })).json()) as {
      challenge: string;
      difficulty: number;
    };
    const nonce = Buffer.from(await solvePow(new Uint8Array(Buffer.from(challenge, 'base64url')), difficulty)).toString('base64url');
    t.clock.advance?.(t.config.powTtlMs + 1);
    const response = await t.fetch('http://localhost/api/v1/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'chat', language: 'sv', pow: { challenge, nonce } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('pow_expired');
  });

  it('posts idempotently and replays after an id', async () => {
    const t = await createTestApp();
    const v = t.visitor();
    const intake = { cid: newCid(), kind: 'intake' as const, body: fakeCipher() };
    const opened = await v.open({ category: 'chat', language: 'sv', intake }, solvePow);
    const cid = newCid();
    const first = await v.post(opened.id, opened.token, { cid, kind: 'message', body: fakeCipher() });
    const retry = await v.post(opened.id, opened.token, { cid, kind: 'message', body: fakeCipher() });
    expect(retry).toEqual({ id: first.id, at: first.at, duplicate: true });
    const all = await v.messages(opened.id, opened.token);
    expect(all.messages.map((m) => m.kind)).toEqual(['intake', 'message']);
    expect(all.messages[1]?.at).toBe(first.at);
    expect(all.messages[0]?.body).toBe(intake.body);
    const after = await v.messages(opened.id, opened.token, all.messages[0]?.id ?? null);
    expect(after.messages.map((m) => m.id)).toEqual([first.id]);
  });

  it('keeps one visitor out of another visitor’s conversation', async () => {
    const t = await createTestApp();
    const v = t.visitor();
    const a = await v.open({ category: 'chat', language: 'sv' }, solvePow);
    const b = await v.open({ category: 'chat', language: 'sv' }, solvePow);
    await rejects(v.messages(a.id, b.token), 'unauthorized', 401);
    await rejects(v.post(a.id, b.token, { cid: newCid(), kind: 'message', body: fakeCipher() }), 'unauthorized', 401);
    await rejects(v.erase(a.id, b.token), 'unauthorized', 401);
    await rejects(v.get(a.id, ''), 'unauthorized', 401);
  });

  it('rejects a message over the size limit with 413', async () => {
    const t = await createTestApp({ env: { MAX_MESSAGE_BYTES: '1024' } });
    const v = t.visitor();
    const opened = await v.open({ category: 'chat', language: 'sv' }, solvePow);
    await rejects(v.post(opened.id, opened.token, { cid: newCid(), kind: 'message', body: fakeCipher(2048) }), 'message_too_large', 413);
  });

  it('delete now erases record, log and queue entry at once', async () => {
    const t = await createTestApp();
    const v = t.visitor();
    const opened = await v.open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
    const response = await t.fetch(`http://localhost/api/v1/conversations/${opened.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${opened.token}` },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('clear-site-data')).toContain('storage');
    expect(await t.store.conversations.get(opened.id as never)).toBeNull();
    expect(await t.store.log.after(opened.id as never, null, 10)).toEqual([]);
    expect(await t.store.queues.list('unga' as never, 10)).toEqual([]);
    await rejects(v.get(opened.id, opened.token), 'unauthorized', 401);
  });

  it('reports availability: nobody on duty, then someone', async () => {
    const t = await createTestApp();
    expect(await t.visitor().status('chat')).toMatchObject({ team: 'unga', staffed: false, onDuty: 0 });
    await t.store.duty.setOnDuty('unga' as never, 'r-x' as never, true);
    await t.store.duty.heartbeat('r-x' as never, 60_000);
    expect(await t.visitor().status('chat')).toMatchObject({ team: 'unga', staffed: true, onDuty: 1 });
    expect(await t.visitor().status('parent')).toMatchObject({ team: 'unga', staffed: true });
  });

  it('slides the idle TTL with activity and expires when idle', async () => {
    const t = await createTestApp({ manualClock: true, env: { CONVERSATION_TTL_HOURS: '1' } });
    const v = t.visitor();
    const opened = await v.open({ category: 'chat', language: 'sv' }, solvePow);
    for (let i = 0; i < 3; i++) {
      t.clock.advance?.(50 * 60_000);
      await v.post(opened.id, opened.token, { cid: newCid(), kind: 'message', body: fakeCipher() });
    }
    expect((await v.get(opened.id, opened.token)).status).toBe('waiting');
    t.clock.advance?.(61 * 60_000);
    await rejects(v.get(opened.id, opened.token), 'unauthorized', 401);
    expect(await t.store.log.after(opened.id as never, null, 10)).toEqual([]);
  });
});
