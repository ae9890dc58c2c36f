// Bytes on the wire for a page's first load in Chromium: the sum of CDP Network.loadingFinished
// encodedDataLength (headers and compressed bodies as received) over every request of a fresh
// profile, until the page is ready and the network is idle.
import type { Browser, Page } from 'playwright-core';

export interface WireLoad {
  readonly total: number;
  readonly resources: ReadonlyArray<{ url: string; bytes: number; encoding: string | null }>;
}

export async function firstLoadBytes(browser: Browser, url: string, ready: (page: Page) => Promise<void>): Promise<WireLoad> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const urls = new Map<string, { url: string; encoding: string | null }>();
    const resources: Array<{ url: string; bytes: number; encoding: string | null }> = [];
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      urls.set(e.requestId, { url: new URL(e.response.url).pathname, encoding: headers['content-encoding'] ?? null });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = urls.get(e.requestId);
      resources.push({ url: r?.url ?? '?', bytes: e.encodedDataLength, encoding: r?.encoding ?? null });
    });
    await page.goto(url);
    await ready(page);
    await page.waitForLoadState('networkidle');
    return { total: resources.reduce((n, r) => n + r.bytes, 0), resources };
  } finally {
    await context.close();
  }
}
