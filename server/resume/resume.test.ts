// Resume blobs over the API: stored under the lookup hash with the conversation's token, fetched by
// the hash alone, replaced on re-store, erased by "delete now" and with the conversation's expiry.
import { describe, expect, it } from 'vitest';
import { createTestApp, fakeCipher, solvePow } from '../../test/support/harness.js';

const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

async function setup() {
  const t = await createTestApp({ manualClock: true });
  const opened = await t.visitor().open({ category: 'chat', language: 'sv' }, solvePow);
  return { t, opened, call: t.call };
}

describe('resume blobs', () => {
  it('round-trips by lookup hash, replaces the old lookup, and is erased by delete now', async () => {
    const { t, opened, call } = await setup();
    const blob = fakeCipher(200);
    expect((await call('PUT', `/api/v1/conversations/${opened.id}/resume`, { lookup: hex(1), blob }, opened.token)).status).toBe(200);
    const got = await call('GET', `/api/v1/resume/${hex(1)}`);
    expect(await got.json()).toEqual({ conversation: opened.id, blob });
    expect(got.headers.get('cache-control')).toBe('no-store');

    const blob2 = fakeCipher(200);
    await call('PUT', `/api/v1/conversations/${opened.id}/resume`, { lookup: hex(2), blob: blob2 }, opened.token);
    expect((await call('GET', `/api/v1/resume/${hex(1)}`)).status).toBe(404);
    expect(((await (await call('GET', `/api/v1/resume/${hex(2)}`)).json()) as { blob: string }).blob).toBe(blob2);

    expect((await call('DELETE', `/api/v1/conversations/${opened.id}`, undefined, opened.token)).status).toBe(204);
    expect((await call('GET', `/api/v1/resume/${hex(2)}`)).status).toBe(404);
    expect(t.store.expiring).toBeDefined();
    expect(await t.store.expiring.list('resume')).toEqual([]);
    expect(await t.store.expiring.list('resume-conv')).toEqual([]);
  });

  it('expires with the conversation and needs the conversation token', async () => {
    const { t, opened, call } = await setup();
    expect((await call('PUT', `/api/v1/conversations/${opened.id}/resume`, { lookup: hex(3), blob: 'abc' })).status).toBe(401);
    expect((await call('PUT', `/api/v1/conversations/${opened.id}/resume`, { lookup: hex(3), blob: 'abc' }, 'y'.repeat(43))).status).toBe(401);
    await call('PUT', `/api/v1/conversations/${opened.id}/resume`, { lookup: hex(3), blob: 'abc' }, opened.token);
    t.clock.advance?.(t.config.conversationTtlMs + 1000);
    expect((await call('GET', `/api/v1/resume/${hex(3)}`)).status).toBe(404);
  });

  it('answers bad input with 4xx codes', async () => {
    const { opened, call } = await setup();
    for (const body of [{ lookup: 'ABC', blob: 'abc' }, { lookup: hex(4), blob: '' }, { lookup: hex(4), blob: 'a'.repeat(16_385) }, { lookup: hex(4) }]) {
      const res = await call('PUT', `/api/v1/conversations/${opened.id}/resume`, body, opened.token);
      expect(res.status).toBe(400);
    }
    expect((await call('GET', '/api/v1/resume/xyz')).status).toBe(400);
    expect((await call('GET', `/api/v1/resume/${hex(9)}`)).status).toBe(404);
  });
});
