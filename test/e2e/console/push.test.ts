// The console is pushed, not polled, in real Chromium against a real server (memory store and a real
// redis-server): an idle console asks for the queue not once while its socket is up, a new visitor's
// card appears from the push alone, and when the socket drops the console falls back to reading the
// queue every few seconds until it is back.
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../../server/store/redis/redis-store.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { goOnDuty, loginConsole, openVisitor } from './support.js';

const QUEUE = '/api/v1/responder/queue';
/** Longer than two of the fallback's polling intervals (2 s). */
const IDLE_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let browser: Browser;
let redis: RedisServer;
const servers: E2eServer[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, redis] = await Promise.all([launchChromium(), startRedisServer()]);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  for (const s of servers) await s.stop();
  await redis?.stop();
});

/**
 * A console page whose WebSocket goes through a switch: connected to the server while `up`, refused
 * (closed at once) while down; `drop()` also closes the sockets that are open.
 */
async function consolePage(): Promise<{ page: Page; queueReads: () => number; drop(): Promise<void>; restore(): void; connections: () => number }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  let up = true;
  let connections = 0;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
    if (!up) {
      void ws.close({ code: 1012, reason: 'test: the socket is down' });
      return;
    }
    connections += 1;
    open.add({ page: ws, server: ws.connectToServer() });
  });
  let reads = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === QUEUE) reads += 1;
  });
  return {
    page,
    queueReads: () => reads,
    async drop() {
      up = false;
      for (const ws of open) {
        await ws.server.close().catch(() => undefined);
        await ws.page.close({ code: 1012, reason: 'test: the socket is down' }).catch(() => undefined);
      }
      open.clear();
    },
    restore() {
      up = true;
    },
    connections: () => connections,
  };
}

describe.each([
  ['memory store', async () => startE2eServer({ sources: ['push'] })],
  [
    'Redis store',
    async () => {
      const store = await createRedisStore({ url: redis.url, prefix: 'push' });
      return startE2eServer({ store, env: { REDIS_PREFIX: 'push' }, sources: ['push'] });
    },
  ],
] as const)('a console pushed over its socket (%s)', (_name, start) => {
  it('shows a new visitor without reading the queue while idle, and reads it every few seconds while the socket is down', { timeout: 120_000 }, async () => {
    const server = await start();
    servers.push(server);
    const c = await consolePage();
    await loginConsole(c.page, server, server.login, server.password);
    await goOnDuty(c.page, 'Socialtjänsten – unga');
    // Let the reads that follow login and going on duty settle.
    await sleep(2_000);

    // Idle with the socket up: not one queue read.
    const idleFrom = c.queueReads();
    await sleep(IDLE_MS);
    expect(c.queueReads() - idleFrom).toBe(0);

    // A young person writes: the card comes from the push (one read of the queue because of it).
    const first = await openVisitor(server, { category: 'chat', text: 'Hej, jag vill prata', source: 'push' });
    await c.page.locator(`li[data-conversation="${first.id}"]`).waitFor({ timeout: 10_000 });
    expect(await c.page.locator(`li[data-conversation="${first.id}"]`).textContent()).toContain('Hej, jag vill prata');
    await sleep(1_000);
    const afterPush = c.queueReads();
    expect(afterPush - idleFrom).toBeGreaterThanOrEqual(1);
    expect(afterPush - idleFrom).toBeLessThanOrEqual(2);

    // The socket drops and cannot come back: the console falls back to reading the queue.
    await c.drop();
    const downFrom = c.queueReads();
    await expect.poll(() => c.queueReads() - downFrom, { timeout: 15_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    const second = await openVisitor(server, { category: 'chat', text: 'Finns det någon där?', source: 'push' });
    await c.page.locator(`li[data-conversation="${second.id}"]`).waitFor({ timeout: 15_000 });

    // Back: the socket reconnects and the reading stops again.
    const before = c.connections();
    c.restore();
    await expect.poll(() => c.connections(), { timeout: 20_000, interval: 250 }).toBeGreaterThan(before);
    await sleep(2_000);
    const backFrom = c.queueReads();
    await sleep(IDLE_MS);
    expect(c.queueReads() - backFrom).toBe(0);
  });
});
