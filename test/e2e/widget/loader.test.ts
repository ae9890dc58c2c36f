// The embed path: a host page on another origin pastes the snippet (loader pinned by SRI); the loader
// opens the widget in a sandboxed, opaque-origin iframe whose scripts are pinned by the hashes
// recorded at build time. The host cannot read the frame; a changed widget file does not run; a chat
// works end to end from inside the frame; quick exit in the frame makes the host page leave.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, marker, startHostPage, type Responder } from './support.js';

let browser: Browser;
let server: E2eServer;
let responder: Responder;
let host: Awaited<ReturnType<typeof startHostPage>>;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['web-kommun'] })]);
  responder = await createResponder(server);
  await responder.onDuty(['unga']);
  host = await startHostPage(browser, server);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
});

describe('embedded widget (loader + sandboxed iframe)', () => {
  it('runs the pinned widget in an opaque-origin frame the host cannot read, and chats end to end', async () => {
    const page = await host.openPage();
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
