// Property-based abuse of every route: random and malformed bodies, paths, queries and headers
// always get a 4xx JSON error with a code — never a 5xx — and the server keeps serving.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../contract/categories.js';
import { createTestApp, fakeCipher, newCid, seedResponder, solvePow, type TestApp } from '../support/harness.js';

interface Target {
  readonly method: string;
  readonly path: string;
  readonly responder?: boolean;
}

let t: TestApp;
let conversation: { id: string; token: string };
let cookie = '';
let csrf = '';
let targets: Target[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedResponder(t.store, 'fuzz');
  conversation = await t.visitor().open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
  const login = await t.fetch('http://localhost/api/v1/responder/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'fuzz', authKey: Buffer.from(seeded.authKey).toString('base64url') }),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  // Every documented route, from the OpenAPI document itself.
  const doc = (await (await t.fetch('http://localhost/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  targets = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      path: path.replace('{id}', conversation.id),
      responder: path.startsWith('/api/v1/responder/') && !path.includes('/login'),
    })),
  );
  expect(targets.length).toBeGreaterThanOrEqual(18);
});

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.constantFrom('{', '[]', 'null', '{"category":"chat"}', '{"cid":"x","kind":"message","body":"%%%"}', '\u0000', '{"__proto__":{"a":1}}'),
  fc.record({
    category: fc.oneof(fc.constantFrom(...CATEGORIES), fc.string()),
    language: fc.oneof(fc.constant('sv'), fc.string()),
    pow: fc.record({ challenge: fc.string(), nonce: fc.string() }),
    cid: fc.string(),
    kind: fc.string(),
    body: fc.string(),
    login: fc.string(),
    authKey: fc.string(),
    team: fc.string(),
    onDuty: fc.anything(),
    outcome: fc.anything(),
  }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
);

const badSuffix = fc.constantFrom('', '/x', '/../../etc/passwd', '%00', '?after=-1', '?after=99999999999999999-1&limit=0', '?limit=abc', '/%E0%A4%A');

async function assertClientError(response: Response): Promise<void> {
  expect(response.status, `status ${response.status}`).toBeLessThan(500);
  if (response.status >= 400) {
    const parsed = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof parsed.error?.code).toBe('string');
    expect(typeof parsed.error?.message).toBe('string');
  }
}

describe('every route under random input', () => {
  it('answers 4xx with an error code, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        body,
        badSuffix,
        fc.boolean(),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
        async (index, payload, suffix, withAuth, contentType) => {
          const target = targets[index % targets.length] as Target;
          const headers: Record<string, string> = {};
          if (contentType !== '') headers['content-type'] = contentType;
          if (withAuth) {
            headers.authorization = `Bearer ${conversation.token}`;
            if (target.responder === true) Object.assign(headers, { cookie, 'x-csrf-token': csrf });
          }
          const hasBody = target.method !== 'GET' && target.method !== 'HEAD';
          const response = await t.fetch(`http://localhost${target.path}${suffix}`, {
            method: target.method,
            headers,
            body: hasBody ? payload : undefined,
          });
          await assertClientError(response);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('rejects oversized bodies with 413 and keeps serving', async () => {
    // The fuzzer above may have deleted the shared conversation: use a fresh one.
    conversation = await t.visitor().open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
    const big = JSON.stringify({ cid: newCid(), kind: 'message', body: 'A'.repeat(200_000) });
    const response = await t.fetch(`http://localhost/api/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${conversation.token}` },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
    expect((await t.fetch('http://localhost/healthz')).status).toBe(200);
    const still = await t.visitor().messages(conversation.id, conversation.token);
    expect(still.messages.length).toBeGreaterThanOrEqual(1);
  });

  it('unknown routes and methods get a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['PUT', '/api/v1/conversations'],
      ['GET', '/api/v2/status'],
    ] as const) {
      const response = await t.fetch(`http://localhost${path}`, { method });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
