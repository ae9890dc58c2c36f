// The embed path: a host page on another origin pastes the snippet (loader pinned by SRI); the loader
// opens the widget in a sandboxed, opaque-origin iframe whose scripts are pinned by the hashes
// recorded at build time. The host cannot read the frame; a changed widget file does not run; a chat
// works end to end from inside the frame; quick exit in the frame makes the host page leave.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippet } from '../../../client/widget/embed-snippet.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, marker, type Responder } from './support.js';

let browser: Browser;
let server: E2eServer;
let responder: Responder;
let host: Server;
let hostUrl: string;
const manifest = () => JSON.parse(readFileSync('dist/public/widget-manifest.json', 'utf8')) as { loader: { integrity: string } };

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['web-kommun'] })]);
  responder = await createResponder(server);
  await responder.onDuty(['unga']);
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
});

async function hostPage(path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.route('https://www.smhi.se/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Väder</title>' }));
  await page.goto(`${hostUrl}${path}`);
  return page;
}

describe('embedded widget (loader + sandboxed iframe)', () => {
  it('runs the pinned widget in an opaque-origin frame the host cannot read, and chats end to end', async () => {
    const page = await hostPage();
    await page.getByRole('button', { name: 'Prata med socialtjänsten' }).click();
    const iframe = page.locator('iframe[title="Utväg"]');
    expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts allow-forms');
    const frame = page.frameLocator('iframe[title="Utväg"]');
    await frame.getByText('Någon är här just nu och kan svara.').waitFor();
    expect(await page.evaluate(() => document.querySelector('iframe')?.contentDocument ?? null)).toBeNull();

    const text = marker('embedded');
    await frame.getByRole('button', { name: 'Chatta nu' }).click();
    await frame.getByLabel('Vad vill du berätta eller fråga?').fill(text);
    await frame.getByRole('button', { name: 'Skicka' }).click();
    const item = await responder.queued((i) => i.source === 'web-kommun');
    const chat = await responder.take(item);
    expect(chat.received).toEqual([text]);
    await frame.getByText('Du pratar med Demo responder', { exact: false }).waitFor();
    await chat.send('Hej från socialtjänsten');
    await frame.getByText('Hej från socialtjänsten').waitFor();

    await frame.getByRole('button', { name: 'Lämna snabbt' }).click();
    await page.waitForURL('https://www.smhi.se/');
    await page.context().close();
  }, 40_000);
});
