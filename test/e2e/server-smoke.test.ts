// The e2e server serves the built widget with the pinned root key, in real Chromium, with no
// third-party request and no CSP violation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { startE2eServer, type E2eServer } from '../support/e2e-server.js';

let browser: Browser;
let server: E2eServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('served pages', () => {
  it('load from the service origin only, pin the root key and break no CSP rule', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    const violations: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${server.url}/c/poster-1`);
    await expect.poll(() => page.getByRole('status').textContent()).not.toContain('Kollar');
    expect(await page.locator('meta[name="utvag-root-key"]').getAttribute('content')).toBe(server.rootPublicKey);
    expect(requests.every((u) => u.startsWith(server.url))).toBe(true);
    expect(violations).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});
