// Delivery: the build stores brotli and gzip copies of every asset; the real server sends the one the
// browser accepts, with Vary: Accept-Encoding, a strong ETag per representation and 304 on
// If-None-Match; Chromium's bytes on the wire for the QR page's first load (CDP encodedDataLength)
// stay within a budget only compression meets (before: 560 KB, the crypto chunk alone 468 KB).
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../server/static/precompressed.js';
import { launchChromium } from '../support/chromium.js';
import { startE2eServer, type E2eServer } from '../support/e2e-server.js';
import { firstLoadBytes } from '../support/wire-bytes.js';

/** The QR page's first load on the wire, compressed (KB = 1000 bytes). */
const QR_FIRST_LOAD_BUDGET_BYTES = 250_000;

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: E2eServer;
let browser: Browser;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['wire-poster'] })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('precompressed assets', () => {
  // The widget's crypto chunk (crypto/visitor.ts and libsodium): the largest file a visitor downloads.
  const crypto = readdirSync('dist/public/assets').find((f) => /^visitor-.*\.js$/.test(f))!;
  const identity = () => readFileSync(`dist/public/assets/${crypto}`);

  it('sends brotli, gzip or the file itself as Accept-Encoding allows, each with its own strong ETag and Vary', async () => {
    const url = `${server.url}/assets/${crypto}`;
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    const plain = await get(url, {});
    const refused = await get(url, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect([br.headers['content-encoding'], gz.headers['content-encoding'], plain.headers['content-encoding'], refused.headers['content-encoding']]).toEqual(['br', 'gzip', undefined, undefined]);
    expect(brotliDecompressSync(br.body).equals(identity())).toBe(true);
    expect(gunzipSync(gz.body).equals(identity())).toBe(true);
    expect(plain.body.equals(identity())).toBe(true);
    expect(br.body.length).toBeLessThan(identity().length * 0.35);
    for (const r of [br, gz, plain]) {
      expect(r.status).toBe(200);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    }
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
  });

  it('answers 304 to If-None-Match with the representation’s ETag, 200 with another one', async () => {
    const url = `${server.url}/assets/${crypto}`;
    const first = await get(url, { 'accept-encoding': 'br' });
    const again = await get(url, { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers.vary).toBe('Accept-Encoding');
    // The brotli ETag does not validate the gzip representation.
    expect((await get(url, { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) })).status).toBe(200);
    expect((await get(`${server.url}/assets/..%2Fwidget%2Findex.html`, {})).status).toBe(404);
    expect((await get(`${server.url}/assets/${crypto}.br`, {})).status).toBe(404);
  });

  it('chooses by q-values: brotli first, gzip next, `*` counts, q=0 refuses', () => {
    const both = ['br', 'gzip', 'identity'] as const;
    expect(chooseEncoding('gzip, br', [...both])).toBe('br');
    expect(chooseEncoding('br;q=0, gzip', [...both])).toBe('gzip');
    expect(chooseEncoding('*', [...both])).toBe('br');
    expect(chooseEncoding('*;q=0', [...both])).toBe('identity');
    expect(chooseEncoding('br', ['gzip', 'identity'])).toBe('identity');
    expect(chooseEncoding(undefined, [...both])).toBe('identity');
    expect(chooseEncoding('GZIP;Q=0.5', [...both])).toBe('gzip');
  });

  it('the QR page’s first load in Chromium stays within the compressed budget on the wire', async () => {
    const load = await firstLoadBytes(browser, `${server.url}/c/wire-poster`, async (page) => {
      await page.getByRole('button', { name: 'Chatta nu' }).waitFor();
    });
    expect(load.total).toBeGreaterThan(50_000);
    expect(load.total).toBeLessThan(QR_FIRST_LOAD_BUDGET_BYTES);
    // Every script and style came compressed (but the tiniest: under 1 KiB the build keeps no copy).
    expect(load.resources.filter((r) => /\.(js|css)$/.test(r.url) && r.encoding === null && r.bytes > 2_000)).toEqual([]);
  });
});
