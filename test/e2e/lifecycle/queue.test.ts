// An honest queue, seen on both pages through a real server: a responder at capacity reads what
// waits ("1 väntar – du har fullt") instead of "Ingen väntar"; the young person gets no time estimate
// while nobody on duty has room, and no place in a queue nobody works on; a claim beyond capacity is
// refused with a sentence.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../contract/errors.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { goOnDuty, loginConsole, openVisitor } from '../console/support.js';
import { createResponder, marker } from '../widget/support.js';

let browser: Browser;
let server: E2eServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['queue-full'] })]);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

describe('an honest queue', () => {
  it('says what waits when the responder is full, promises no time while nobody has room, and refuses a claim beyond capacity', { timeout: 90_000 }, async () => {
    const consolePage = await newPage({ width: 1366, height: 800 });
    await loginConsole(consolePage, server, server.login, server.password);
    await consolePage.locator('#capacity').fill('1');
    await goOnDuty(consolePage, 'Socialtjänsten – unga');

    // One conversation fills the responder's capacity of 1.
    const first = await openVisitor(server, { category: 'chat', text: 'Hej, första' });
    await consolePage.locator(`li[data-conversation="${first.id}"]`).getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
    await first.connected();

    // A young person writes while the only responder on duty is full.
    const young = await newPage({ width: 390, height: 844 });
    await young.goto(`${server.url}/c/queue-full`);
    await young.getByRole('button', { name: 'Chatta nu' }).click();
    await young.getByLabel('Vad vill du berätta eller fråga?').fill(marker('waiting'));
    await young.getByRole('button', { name: 'Skicka' }).click();
    const waiting = young.locator('.waiting');
    await expect.poll(() => waiting.textContent(), { timeout: 15_000 }).toContain('Alla som jobbar nu pratar med någon annan.');
    const text = (await waiting.textContent()) ?? '';
    expect(text).not.toContain('någon svarar snart');
    expect(text).not.toMatch(/minut|Vi vet inte hur länge/);

    // The responder reads that someone waits, not "Ingen väntar".
    await expect.poll(() => consolePage.getByTestId('queue-state').textContent(), { timeout: 15_000 }).toBe('1 väntar – du har fullt. Avsluta ett samtal eller höj hur många du kan ta.');
    expect(await consolePage.locator('#queue-title').textContent()).toBe('Väntande (1)');

    // A claim beyond capacity is refused with its code (the console turns it into a sentence).
    const api = await createResponder(server);
    const item = (await server.store.queues.list('unga' as never, 10))[0];
    expect(item).toBeDefined();
    const refused = await api.api.claim(item!.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiRequestError);
    expect((refused as ApiRequestError).code).toBe('at_capacity');
    expect((refused as ApiRequestError).status).toBe(409);

    // Nobody on duty any more: no place in a queue nobody works on.
    await consolePage.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).click();
    await expect.poll(() => waiting.textContent(), { timeout: 15_000 }).toContain('Ingen kan svara just nu.');
    expect(await waiting.textContent()).not.toMatch(/Du är (först|nummer)/);
  });
});
