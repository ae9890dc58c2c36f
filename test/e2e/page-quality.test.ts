// What a browser says about the pages, in real Chromium against the real server: the console page
// loads without a single console error (it had no icon: a 404 on every load) and has a meta
// description; the QR page does not shift its layout when the "nobody on duty" box appears (it
// did: CLS 0.097 on Lighthouse mobile).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { startE2eServer, type E2eServer } from '../support/e2e-server.js';

let browser: Browser;
let server: E2eServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['cls-poster'] })]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('page quality in Chromium', () => {
  it('/console: no console error or failed request on load (an icon), and a meta description', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => problems.push(`failed ${r.url()}`));
    await page.goto(`${server.url}/console`);
    await page.getByRole('button', { name: /Logga in/ }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    const description = await page.locator('meta[name="description"]').getAttribute('content');
    expect(description?.length ?? 0).toBeGreaterThan(20);
    await context.close();
  });

  it('/c/<source>: the "nobody on duty" emergency box appears without shifting the layout (CLS < 0.01)', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    // Slow the status answer, as a phone on a slow network sees it: the box comes late.
    await page.route('**/api/v1/status**', async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await page.addInitScript(() => {
      (window as unknown as { __cls: number }).__cls = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as unknown as Array<{ value: number; hadRecentInput: boolean }>) {
          if (!entry.hadRecentInput) (window as unknown as { __cls: number }).__cls += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${server.url}/c/cls-poster`);
    await page.getByText('Ingen kan svara just nu.').waitFor();
    await page.getByRole('link', { name: 'Ring 112 vid akut fara.' }).waitFor();
    await page.waitForTimeout(300);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    expect(cls).toBeLessThan(0.01);
    await context.close();
  });
});
