// Bug: quick exit's Clear-Site-Data came on a credential-less fetch, which Chromium ignores (and says
// so in the console). Quick exit is now a top-level navigation through the server's /exit, which
// answers Clear-Site-Data and redirects to the neutral site. In real Chromium: no console warning,
// and the service origin's local storage, session storage, IndexedDB, Cache Storage and service
// workers are gone; Back skips the widget.
import type { Browser, ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startNeutralSite, type NeutralSite } from '../../support/neutral-site.js';

let browser: Browser;
let server: E2eServer;
let neutral: NeutralSite;

beforeAll(async () => {
  neutral = await startNeutralSite();
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['exit-poster'], env: { QUICK_EXIT_URL: neutral.url } })]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await neutral?.stop();
});

/** What the service origin keeps in this browser profile, read from a page of that origin. */
const leftovers = () =>
  (async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
  }))();

describe('quick exit', () => {
  it('navigates through /exit: Chromium honours Clear-Site-Data (storage, cache, service workers gone) and Back skips the widget', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const messages: string[] = [];
    const collect = (m: ConsoleMessage) => messages.push(`${m.type()}: ${m.text()}`);
    page.on('console', collect);
    // A service worker script of the service origin (the service itself registers none).
    await context.route(`${server.url}/e2e-sw.js`, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: "self.addEventListener('fetch', () => {});" }));

    await page.goto(`${server.url}/api/v1/status?category=chat`);
    await page.goto(`${server.url}/c/exit-poster`);
    await page.getByRole('button', { name: 'Chatta nu' }).waitFor();
    await page.evaluate(async () => {
      localStorage.setItem('probe', '1');
      sessionStorage.setItem('probe', '1');
      await new Promise((resolve, reject) => {
        const open = indexedDB.open('probe', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('s');
        open.onsuccess = () => {
          open.result.close();
          resolve(null);
        };
        open.onerror = () => reject(open.error);
      });
      await (await caches.open('probe')).put('/probe', new Response('x'));
      await navigator.serviceWorker.register('/e2e-sw.js');
      await navigator.serviceWorker.ready;
    });
    const before = await page.evaluate(leftovers);
    expect(Object.entries(before).filter(([, n]) => n === 0)).toEqual([]);

    const exits: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(server.url) && /exit/.test(r.url())) exits.push(`${r.method()} ${r.resourceType()} ${new URL(r.url()).pathname}`);
    });
    await page.getByRole('button', { name: 'Lämna snabbt' }).click();
    await page.waitForURL(neutral.url);
    await page.getByRole('heading', { name: 'Väder' }).waitFor();
    expect(exits).toEqual(['GET document /exit']);

    await page.goBack();
    expect(page.url()).toBe(`${server.url}/api/v1/status?category=chat`);
    expect(await page.evaluate(leftovers)).toEqual({ localStorage: 0, sessionStorage: 0, indexedDB: 0, caches: 0, serviceWorkers: 0 });
    // Chromium says what it did with Clear-Site-Data: cleared, and no warning that it ignored it. The line
    // belongs to a document that redirected away at once, so under load it can reach Playwright late or not
    // at all; the storage check above is what proves the clearing, this one proves nothing was refused.
    const said = () => messages.filter((m) => /Clear-Site-Data|credentials mode|prohibits/i.test(m));
    await expect.poll(() => said().length, { timeout: 3_000 }).toBeGreaterThan(0).catch(() => undefined);
    expect(said().filter((m) => !m.startsWith('info: '))).toEqual([]);
    for (const line of said()) expect(line).toBe(`info: Clear-Site-Data header on '${server.url}/exit': Cleared data types: "cache", "storage".`);
    await context.close();
  });

  it('/exit answers Clear-Site-Data, no-store and a redirect to the configured neutral site', async () => {
    const response = await fetch(`${server.url}/exit`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(neutral.url);
    expect(response.headers.get('clear-site-data')).toBe('"cache", "storage"');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
