// Bug: HEAD answered without the security headers (Hono copied the GET response through a
// lightweight Response that lost what middleware had set). Against the real server: every route
// family answers HEAD with exactly GET's status and security headers, and no body.
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer, type E2eServer } from '../support/e2e-server.js';

const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
  'cache-control',
];

/** Status, headers and body length as they come off the socket (node:http, no fetch rewriting). */
function send(url: string, method: 'GET' | 'HEAD'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bodyBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let bodyBytes = 0;
      res.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bodyBytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HEAD and GET carry the same security headers on every route family', () => {
  let server: E2eServer;
  beforeAll(async () => {
    server = await startE2eServer({ sources: ['head-poster'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(['/', '/c/head-poster', '/widget', '/console', '/api/v1/status?category=chat', '/api/openapi.json', '/api/v1/directory/teams/nosuchteam', '/no/such/path', 'ASSET'])(
    'HEAD %s',
    async (route) => {
      const path = route === 'ASSET' ? `/assets/${readdirSync('dist/public/assets').find((f) => f.endsWith('.js'))}` : route;
      const get = await send(`${server.url}${path}`, 'GET');
      const head = await send(`${server.url}${path}`, 'HEAD');
      expect(head.status).toBe(get.status);
      expect(head.bodyBytes).toBe(0);
      for (const name of SECURITY_HEADERS) {
        expect({ name, value: get.headers[name] }).not.toEqual({ name, value: undefined });
        expect({ name, value: head.headers[name] }).toEqual({ name, value: get.headers[name] });
      }
      expect(String(head.headers['content-security-policy'])).toContain('frame-ancestors');
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
    },
  );
});
