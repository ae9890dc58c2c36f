// Team notes through app.request(): the assignee and members of the conversation's team read and add
// them, others are refused; the budget (count and bytes) answers 409 notes_full; "delete now" takes
// the notes with the conversation.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, fakeCipher, seedResponder, solvePow } from '../../test/support/harness.js';
import type { ConversationId } from '../store/ports.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

type Note = { id: string; author: string; at: number; body: string };

describe('note routes', () => {
  it('the assignee and the team add and read notes; another team is refused; the budget holds; delete-now takes them', async () => {
    const t = await createTestApp({ env: { NOTES_MAX_PER_CONVERSATION: '3' } });
    const a = await seedResponder(t.store, 'anna', ['unga']);
    const b = await seedResponder(t.store, 'bo', ['unga']);
    const p = await seedResponder(t.store, 'per', ['foraldrar']);
    const [apiA, apiB, apiP] = [t.responder(), t.responder(), t.responder()];
    await apiA.login('anna', a.authKey);
    await apiB.login('bo', b.authKey);
    await apiP.login('per', p.authKey);
    await apiA.duty('unga', true);
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    await apiA.claim(opened.id);
    const path = `/api/v1/responder/conversations/${opened.id}/notes`;
    const body = fakeCipher();
    const added = await apiA.call<Note>('POST', path, { body });
    expect(added).toMatchObject({ id: '1', author: a.id, body });
    await apiB.call<Note>('POST', path, { body: fakeCipher() });
    expect((await apiB.call<{ notes: Note[] }>('GET', path)).notes.map((n) => [n.id, n.author])).toEqual([
      ['1', a.id],
      ['2', b.id],
    ]);
    expect(await codeOf(apiP.call('GET', path))).toBe('forbidden');
    expect(await codeOf(apiP.call('POST', path, { body: fakeCipher() }))).toBe('forbidden');
    expect(await codeOf(apiA.call('POST', path, { body: 'not base64url!' }))).toBe('invalid_request');
    expect(await codeOf(apiA.call('POST', path, { body: 'A'.repeat(4097) }))).toBe('invalid_request');
    await apiA.call('POST', path, { body: fakeCipher() });
    expect(await codeOf(apiA.call('POST', path, { body: fakeCipher() }))).toBe('notes_full');
    expect(await t.store.notes.list(opened.id as ConversationId)).toHaveLength(3);
    await t.visitor().erase(opened.id, opened.token);
    expect(await t.store.notes.list(opened.id as ConversationId)).toEqual([]);
    expect(await codeOf(apiA.call('GET', path))).toBe('conversation_gone');
  });

  it('counts the bytes of all notes against NOTES_MAX_BYTES_PER_CONVERSATION', async () => {
    const t = await createTestApp({ env: { NOTES_MAX_BYTES_PER_CONVERSATION: '4096' } });
    const a = await seedResponder(t.store, 'anna', ['unga']);
    const api = t.responder();
    await api.login('anna', a.authKey);
    await api.duty('unga', true);
    const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
    await api.claim(opened.id);
    const path = `/api/v1/responder/conversations/${opened.id}/notes`;
    // 4,000 base64url characters are 3,000 bytes: one fits, a second does not.
    await api.call('POST', path, { body: 'A'.repeat(4000) });
    expect(await codeOf(api.call('POST', path, { body: 'A'.repeat(4000) }))).toBe('notes_full');
  });
});
