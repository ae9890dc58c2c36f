// Hostile server (c): the server serves the widget and the console with a root key of its own. A build
// that pins the root refuses a page offering another one; a build without a pin refuses a real
// deployment's page that supplies a root; only a demo page may, and then the client says "demo". A
// pinned widget on a server that quietly swaps the whole chain (its own organisation certificate)
// cannot verify it and sends nothing. Real Chromium; the pinned build is made here with
// VITE_UTVAG_ROOT_KEY, as `docker build --build-arg ROOT_PUBLIC_KEY=…` does.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder } from '../../e2e/widget/support.js';

const PINNED_ROOT = randomBytes(32).toString('base64url');
let browser: Browser;
let pinnedDir: string;
const stops: Array<() => Promise<void>> = [];

/** `vite build` of both clients with the root compiled in (what the Containerfile does). */
function buildPinned(outDir: string, root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
      env: { ...process.env, VITE_UTVAG_ROOT_KEY: root },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed: ${err}`))));
  });
}

/** The server as a hostile operator runs it: every HTML page rewritten on its way to the browser. */
async function rewritingProxy(target: string, rewrite: (html: string) => string): Promise<string> {
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'accept-encoding', 'content-length'].includes(k)) headers[k] = v;
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined, redirect: 'manual' });
      let body = Buffer.from(await upstream.arrayBuffer());
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
      });
      if ((upstream.headers.get('content-type') ?? '').startsWith('text/html')) body = Buffer.from(rewrite(body.toString('utf8')));
      res.writeHead(upstream.status, out);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => proxy.close(() => resolve())));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy address');
  return `http://127.0.0.1:${address.port}`;
}

async function server(env: Record<string, string>): Promise<E2eServer> {
  const s = await startE2eServer({ env, sources: ['e2e-pin'] });
  stops.push(() => s.stop());
  return s;
}

async function open(url: string): Promise<{ page: Page; apiCalls: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  stops.push(() => context.close());
  const page = await context.newPage();
  const apiCalls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(url);
  return { page, apiCalls };
}

/** The refusal the user sees, in Swedish, English and Arabic. */
async function expectRefusal(page: Page, reason: 'unpinned' | 'mismatch') {
  const main = page.locator(`main[data-root-refused="${reason}"]`);
  await main.waitFor();
  const text = (await main.textContent()) ?? '';
  const sv = reason === 'mismatch' ? /försöker byta ut nyckeln|annan rotnyckel/ : /ingen inbyggd/;
  const en = reason === 'mismatch' ? /replace the key|root key other than/ : /no built-in/;
  expect(text).toMatch(sv);
  expect(text).toMatch(en);
  expect(await page.locator('section[lang="ar"][dir="rtl"]').count()).toBe(1);
  expect(await page.getByRole('alert').count()).toBe(3);
}

beforeAll(async () => {
  pinnedDir = mkdtempSync(join(tmpdir(), 'utvag-pinned-'));
  [browser] = await Promise.all([launchChromium(), buildPinned(pinnedDir, PINNED_ROOT)]);
}, 120_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await browser?.close();
  rmSync(pinnedDir, { recursive: true, force: true });
});

describe('hostile server: the root key the clients trust (issue 14 §1, attack c)', () => {
  it('a pinned build refuses pages that carry the server’s own root, and says why before any request', async () => {
    // The server serves the pinned build but puts its own root (and a demo marker) into every page.
    const s = await server({ STATIC_DIR: pinnedDir, DEMO: 'true' });
    expect(s.rootPublicKey).not.toBe(PINNED_ROOT);
    const widget = await open(`${s.url}/c/e2e-pin`);
    await expectRefusal(widget.page, 'mismatch');
    const consolePage = await open(`${s.url}/console`);
    await expectRefusal(consolePage.page, 'mismatch');
    // Nothing ran: no status, no team keys, no login parameters were asked for.
    expect(widget.apiCalls).toEqual([]);
    expect(consolePage.apiCalls).toEqual([]);
  }, 60_000);

  it('a pinned widget on a server that swaps the whole chain (no page key, its own organisation) verifies nothing and sends nothing', async () => {
    const s = await server({ STATIC_DIR: pinnedDir, DEMO: 'true' });
    const responder = await createResponder(s);
    await responder.onDuty(['unga']);
    // Strip the page's key: the pinned root is used, and the server's organisation certificate
    // (signed by the server's root, not the pinned one) must fail against it.
    const url = await rewritingProxy(s.url, (html) => html.replace(/<meta name="utvag-(root-key|demo)"[^>]*>/g, ''));
    const { page, apiCalls } = await open(`${url}/c/e2e-pin`);
    await page.getByText('Någon är här just nu och kan svara.').waitFor();
    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill('Hej, det här får servern inte läsa');
    await page.getByRole('button', { name: 'Skicka' }).click();
    await page.getByText('Vi kunde inte kontrollera att det är socialtjänsten. Skriv inget känsligt och försök igen senare.').waitFor();
    expect(apiCalls.some((c) => c.startsWith('GET /api/v1/directory/teams/'))).toBe(true);
    expect(apiCalls.filter((c) => c.startsWith('POST /api/v1/conversations'))).toEqual([]);
    expect((await responder.api.queue()).items).toEqual([]);
  }, 60_000);

  it('a build without a pin refuses a real deployment’s page that supplies a root, instead of trusting it', async () => {
    // Not a demo: the honest server puts no key in its pages (the build must pin one) ...
    const honest = await server({ STATIC_DIR: 'dist/public', DEMO: 'false' });
    await expectRefusal((await open(`${honest.url}/c/e2e-pin`)).page, 'unpinned');
    await expectRefusal((await open(`${honest.url}/console`)).page, 'unpinned');
    // ... and a hostile one that adds its root (here even the genuine one, so the chain would verify)
    // without calling itself a demo gets the same refusal.
    const inject = (html: string) => html.replace('</head>', `<meta name="utvag-root-key" content="${honest.rootPublicKey}" /></head>`);
    const url = await rewritingProxy(honest.url, inject);
    const widget = await open(`${url}/c/e2e-pin`);
    await expectRefusal(widget.page, 'unpinned');
    expect(widget.apiCalls).toEqual([]);
    await expectRefusal((await open(`${url}/console`)).page, 'unpinned');
  }, 60_000);

  it('a demo page may supply the root of a build without a pin, and every screen then says it is a demo', async () => {
    const demo = await server({ STATIC_DIR: 'dist/public', DEMO: 'true' });
    const widget = await open(`${demo.url}/c/e2e-pin`);
    await widget.page.getByRole('note').filter({ hasText: 'Demo – inte för riktiga samtal' }).waitFor();
    const consolePage = await open(`${demo.url}/console`);
    await consolePage.page.getByRole('note').filter({ hasText: 'Demoläge' }).waitFor();
    await consolePage.page.getByLabel('Användarnamn').waitFor();
  }, 60_000);
});
