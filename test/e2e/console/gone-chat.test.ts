// A chat whose young person closed the tab, in real Chromium on both sides (VISITOR_GONE_AFTER_SECONDS=2):
// the console says the visitor has left and the chat closes (its capacity: test/e2e/widget/ghosts.test.ts).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { goOnDuty, loginConsole } from './support.js';

let browser: Browser;
let server: E2eServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['gone-chat'], env: { VISITOR_GONE_AFTER_SECONDS: '2' } })]);
  context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe('a chat whose young person has gone', () => {
  it('says so in the console and closes', { timeout: 90_000 }, async () => {
    await loginConsole(page, server, server.login, server.password);
    await goOnDuty(page, 'Socialtjänsten – unga');
    const young = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const phone = await young.newPage();
    await phone.goto(`${server.url}/c/gone-chat`);
    await phone.getByRole('button', { name: 'Chatta nu' }).click();
    await phone.getByLabel('Vad vill du berätta eller fråga?').fill('Jag vill prata.');
    await phone.getByRole('button', { name: 'Skicka' }).click();
    await page.locator('.queue-item').first().getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 20_000 });
    await phone.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 20_000 });
    const chat = page.locator('section.chat');
    const id = (await chat.getAttribute('data-conversation')) as ConversationId;

    await young.close();
    await chat.getByText('Besökaren har lämnat', { exact: false }).waitFor({ timeout: 30_000 });
    await chat.getByRole('button', { name: 'Avsluta samtalet' }).click();
    await chat.getByRole('button', { name: 'Ja, avsluta' }).click();
    await expect.poll(async () => (await server.store.conversations.get(id))?.status, { timeout: 15_000 }).toBe('closed');
  });
});
