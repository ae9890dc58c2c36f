// Request logs never carry a visitor's address, user agent, token or conversation id.
import { describe, expect, it } from 'vitest';
import { createTestApp, fakeCipher, newCid, solvePow } from '../test/support/harness.js';

describe('request logging', () => {
  it('logs one line per request with the route pattern and nothing identifying', async () => {
    const t = await createTestApp();
    const ua = 'Mozilla/5.0 (Linux; Android 9; SM-J530F) FuzzyPhone/1.0';
    const opened = await t.visitor().open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
    const response = await t.fetch(`http://localhost/api/v1/conversations/${opened.id}/messages?after=0-0`, {
      headers: { authorization: `Bearer ${opened.token}`, 'user-agent': ua, 'x-forwarded-for': '203.0.113.77', cookie: 'tracking=abc' },
    });
    expect(response.status).toBe(200);
    const lines = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThanOrEqual(3);
    for (const secret of [opened.id, opened.token, ua, '203.0.113.77', 'tracking=abc', '127.0.0.1']) expect(lines).not.toContain(secret);
    const last = JSON.parse(t.logs.at(-1) ?? '{}') as Record<string, unknown>;
    expect(last).toMatchObject({ method: 'GET', route: '/api/v1/conversations/:id/messages', status: 200 });
  });

  it('redacts identifying fields that slip into a log object', async () => {
    const { captureLogs } = await import('../test/support/harness.js');
    const captured = captureLogs();
    const logger = captured.logger('info');
    logger.info({ token: 'tok-secret', conversationId: 'conv-secret', nested: { ip: '198.51.100.1', userAgent: 'UA-secret' } }, 'oops');
    await new Promise((r) => setTimeout(r, 10));
    const line = captured.lines.join('\n');
    for (const secret of ['tok-secret', 'conv-secret', '198.51.100.1', 'UA-secret']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });
});
