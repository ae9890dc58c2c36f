// Consent over the API: grant with a chosen retention, listed to the team, revocable only with the
// visitor's token, expiring on its own; bad input gets 4xx codes.
import { describe, expect, it } from 'vitest';
import { createTestApp, fakeCipher, seedResponder, solvePow } from '../../test/support/harness.js';

const DAY = 86_400_000;

async function setup(env: Record<string, string> = {}) {
  const t = await createTestApp({ manualClock: true, env });
  const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
  return { t, opened, call: t.call };
}

describe('consent', () => {
  it('is stored sealed, listed to the team only, revocable by the visitor and expires', async () => {
    const { t, opened, call } = await setup();
    const sealed = fakeCipher(300);
    const res = await call('POST', `/api/v1/conversations/${opened.id}/consent`, { sealed, retentionDays: 30 }, opened.token);
    expect(res.status).toBe(201);
    const { id, expiresAt } = (await res.json()) as { id: string; expiresAt: number };
    expect(expiresAt).toBe(t.clock.now() + 30 * DAY);

    const listed = await t.fetch('http://localhost/api/v1/responder/consents', { headers: {} });
    expect(listed.status).toBe(401);
    const items = (await t.store.expiring.list('consent:unga')).map((r) => JSON.parse(r.value) as { sealed: string });
    expect(items.map((i) => i.sealed)).toEqual([sealed]);

    expect((await call('DELETE', `/api/v1/consents/${id}`, undefined, 'x'.repeat(43))).status).toBe(401);
    expect((await call('DELETE', `/api/v1/consents/${id}`, undefined, opened.token)).status).toBe(204);
    expect(await t.store.expiring.list('consent:unga')).toEqual([]);
    expect((await call('DELETE', `/api/v1/consents/${id}`, undefined, opened.token)).status).toBe(401);

    await call('POST', `/api/v1/conversations/${opened.id}/consent`, { sealed, retentionDays: 90 }, opened.token);
    t.clock.advance?.(91 * DAY);
    expect(await t.store.expiring.list('consent:unga')).toEqual([]);
  });

  it('lists to responders of the team and lets them erase it', async () => {
    const { opened, call, t } = await setup();
    const granted = (await (await call('POST', `/api/v1/conversations/${opened.id}/consent`, { sealed: fakeCipher(100), retentionDays: 180 }, opened.token)).json()) as { id: string };
    const login = async (name: string, teams: string[]) => {
      const seeded = await seedResponder(t.store, name, teams);
      const res = await t.fetch('http://localhost/api/v1/responder/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: seeded.login, authKey: Buffer.from(seeded.authKey).toString('base64url') }),
      });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return (method: string, path: string) => t.fetch(`http://localhost${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken } });
    };
    const member = await login('kim', ['unga']);
    const outsider = await login('per', ['foraldrar']);
    const items = ((await (await member('GET', '/api/v1/responder/consents')).json()) as { items: Array<{ id: string; team: string; retentionDays: number }> }).items;
    expect(items).toEqual([expect.objectContaining({ id: granted.id, team: 'unga', retentionDays: 180 })]);
    expect(((await (await outsider('GET', '/api/v1/responder/consents')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await outsider('DELETE', `/api/v1/responder/consents/${granted.id}`)).status).toBe(403);
    expect((await member('DELETE', `/api/v1/responder/consents/${granted.id}`)).status).toBe(204);
    expect((await member('DELETE', `/api/v1/responder/consents/${granted.id}`)).status).toBe(404);
  });

  it('pages the team list and audits each consent as viewed when the server hands it out, not on the client’s word', async () => {
    const { t, call } = await setup({ CONSENT_PAGE_SIZE: '2', CONSENTS_PER_CONVERSATION: '5' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
      const res = await call('POST', `/api/v1/conversations/${opened.id}/consent`, { sealed: fakeCipher(60), retentionDays: 30 }, opened.token);
      ids.push(((await res.json()) as { id: string }).id);
      t.clock.advance?.(1000);
    }
    const seeded = await seedResponder(t.store, 'lo', ['unga']);
    const loggedIn = await t.fetch('http://localhost/api/v1/responder/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: seeded.login, authKey: Buffer.from(seeded.authKey).toString('base64url') }),
    });
    const cookie = (loggedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await loggedIn.json()) as { csrfToken: string };
    const views = async () => (await t.store.audit.recent(100)).filter((e) => e.action === 'consent-view').length;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.fetch(`http://localhost/api/v1/responder/consents${cursor === null ? '' : `?cursor=${cursor}`}`, { headers: { cookie } });
      const page = (await res.json()) as { items: Array<{ id: string }>; next: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      pages += 1;
      // Each consent handed out is in the audit by now, without the console saying so.
      expect(await views()).toBe(seen.length);
      cursor = page.next;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    // The client can no longer write views into the audit (nor leave them out).
    const claimed = await t.fetch('http://localhost/api/v1/responder/audit/consent', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ consents: [ids[0]], action: 'view' }),
    });
    expect(claimed.status).toBe(400);
    expect(await views()).toBe(5);
  });

  it('answers bad input with 4xx codes', async () => {
    const { opened, call } = await setup();
    const bad = [
      [{ sealed: fakeCipher(10), retentionDays: 7 }, 400],
      [{ sealed: 'not base64!', retentionDays: 30 }, 400],
      [{ sealed: 'a'.repeat(12_001), retentionDays: 30 }, 400],
      [{ sealed: fakeCipher(10), retentionDays: 30, extra: 1 }, 400],
    ] as const;
    for (const [body, status] of bad) {
      const res = await call('POST', `/api/v1/conversations/${opened.id}/consent`, body, opened.token);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    expect((await call('POST', `/api/v1/conversations/${opened.id}/consent`, { sealed: 'abc', retentionDays: 30 })).status).toBe(401);
    expect((await call('DELETE', '/api/v1/consents/short')).status).toBe(400);
  });
});
