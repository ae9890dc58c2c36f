// The app as a whole: OpenAPI document, security headers, health and readiness.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test/support/harness.js';

describe('app', () => {
  it('serves an OpenAPI 3.1 document generated from the validating schemas', async () => {
    const t = await createTestApp();
    const doc = (await (await t.fetch('http://localhost/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/conversations', '/api/v1/conversations/{id}/messages', '/api/v1/responder/conversations/{id}/claim']),
    );
    expect(doc.paths['/api/v1/conversations']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Envelope', 'OpenConversation', 'Error']));
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['visitorBearer', 'responderSession']);
    const ws = (await (await t.fetch('http://localhost/api/websocket.json')).json()) as { path: string };
    expect(ws.path).toBe('/api/v1/ws');
  });

  it('sets strict security headers and no-store on every response', async () => {
    const t = await createTestApp();
    const response = await t.fetch('http://localhost/api/v1/status');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(response.headers.get('content-security-policy')).not.toContain("'unsafe-eval'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('is ready while the store answers and not while shutting down', async () => {
    const t = await createTestApp();
    expect((await t.fetch('http://localhost/healthz')).status).toBe(200);
    expect((await t.fetch('http://localhost/readyz')).status).toBe(200);
    t.created.beginShutdown();
    const response = await t.fetch('http://localhost/readyz');
    expect(response.status).toBe(503);
    expect((await t.fetch('http://localhost/healthz')).status).toBe(200);
  });

  it('answers 503 with a retry hint when the store refuses writes', async () => {
    const t = await createTestApp();
    const { StoreUnavailableError } = await import('./store/errors.js');
    t.store.conversations.create = async () => {
      throw new StoreUnavailableError('OOM command not allowed when used memory > maxmemory');
    };
    const error = await t
      .visitor()
      .open({ category: 'chat', language: 'sv' }, (await import('../test/support/harness.js')).solvePow)
      .catch((e: unknown) => e as { status: number; code: string; retryAfter: number });
    expect(error).toMatchObject({ status: 503, code: 'store_unavailable', retryAfter: 5 });
  });
});
