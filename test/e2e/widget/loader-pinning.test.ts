// Code delivery pins: a widget file that differs from the hash the build recorded does not run in the
// loader's frame, and a loader with a wrong hash in the snippet does not run at all. Its own Chromium:
// the renderer's resource cache must not already hold the genuine files.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippet } from '../../../client/widget/embed-snippet.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';

let browser: Browser;
let server: E2eServer;
let host: Server;
let hostUrl: string;
const manifest = () =>
  JSON.parse(readFileSync('dist/public/widget-manifest.json', 'utf8')) as { loader: { integrity: string }; widget: { entry: { file: string } } };
/** A copy of the built clients whose widget entry was changed after the build (a server serving other code). */
const staticDir = mkdtempSync(join(tmpdir(), 'utvag-tampered-'));

beforeAll(async () => {
  cpSync('dist/public', staticDir, { recursive: true });
  appendFileSync(join(staticDir, manifest().widget.entry.file), '\n;document.title="changed";\n');
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ env: { STATIC_DIR: staticDir } })]);
  host = createServer((req, res) => {
    const integrity = req.url === '/tampered' ? 'sha384-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' : manifest().loader.integrity;
    const snippet = embedSnippet({ origin: server.url, rootPublicKey: server.rootPublicKey, loaderIntegrity: integrity, source: 'web-kommun', exitUrl: 'https://www.smhi.se/' });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="sv"><head><title>Kommunen</title></head><body><h1>Kommunen</h1><p>Stöd för unga.</p>${snippet}</body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => host?.close(r));
  rmSync(staticDir, { recursive: true, force: true });
});

async function hostPage(path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.route('https://www.smhi.se/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Väder</title>' }));
  await page.goto(`${hostUrl}${path}`);
  return page;
}

describe('code delivery pins', () => {
  it('does not run a widget file that differs from the pinned hash, nor a loader with a wrong hash', async () => {
    const page = await hostPage();
    await page.getByRole('button', { name: 'Prata med socialtjänsten' }).click();
    const frame = page.frameLocator('iframe[title="Utväg"]');
    await page.waitForTimeout(1500);
    expect(await frame.locator('#app').innerHTML()).toBe('');
    await page.context().close();

    const tampered = await hostPage('/tampered');
    await tampered.waitForTimeout(500);
    expect(await tampered.getByRole('button', { name: 'Prata med socialtjänsten' }).count()).toBe(0);
    await tampered.context().close();
  });
});
