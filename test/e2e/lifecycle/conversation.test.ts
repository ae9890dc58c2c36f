// A conversation as people live it, in real Chromium on both sides through a real server: the young
// person's page (the widget at /c/<source>) and the responder's page (the console). What each SEES:
// phone numbers readable in every language, the first message in the responder's chat after the
// claim, after a console reload and a new login, and after the young person resumes with a code; the
// idle lock drops the decrypted chat from the page's memory and the password brings it back.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startNeutralSite, type NeutralSite } from '../../support/neutral-site.js';
import { goOnDuty, loginConsole } from '../console/support.js';
import { createResponder, marker } from '../widget/support.js';

let browser: Browser;
let server: E2eServer;
let neutral: NeutralSite;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  neutral = await startNeutralSite();
  [browser, server] = await Promise.all([
    launchChromium(),
    startE2eServer({ sources: ['life-numbers', 'life-chat', 'life-blob', 'life-danger'], env: { QUICK_EXIT_URL: neutral.url } }),
  ]);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await neutral?.stop();
});

async function newPage(viewport = { width: 390, height: 844 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

/**
 * Where each character of `number` is drawn inside the first link whose text contains it: left edge
 * and top of every digit, in reading (logical) order.
 */
async function digitBoxes(page: Page, number: string): Promise<Array<{ x: number; top: number }>> {
  return page.evaluate((wanted) => {
    const link = [...document.querySelectorAll('a')].find((a) => (a.textContent ?? '').includes(wanted));
    if (link === undefined) throw new Error(`no link with ${wanted}`);
    const chars: Array<{ c: string; x: number; top: number }> = [];
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node !== null; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        chars.push({ c: node.data[i] ?? '', x: rect.left, top: rect.top });
      }
    }
    const at = chars.map((c) => c.c).join('').indexOf(wanted);
    return chars.slice(at, at + wanted.length).filter((c) => c.c !== ' ').map(({ x, top }) => ({ x, top }));
  }, number);
}

describe('a conversation as people live it', () => {
  it('shows the emergency numbers left to right and unbroken in Swedish, English and Arabic', { timeout: 60_000 }, async () => {
    // Narrow enough that a number at the end of a line would be split if it could be.
    const page = await newPage({ width: 230, height: 700 });
    await page.goto(`${server.url}/c/life-numbers`);
    for (const lang of ['ar', 'en', 'sv'] as const) {
      await page.getByRole('combobox').first().selectOption(lang);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      for (const number of ['114 14', '116 111']) {
        const boxes = await digitBoxes(page, number);
        expect(boxes.length, `${lang} ${number}`).toBe(number.replace(/ /g, '').length);
        // Read left to right: every digit further right than the one before ("114 14", never "14 114").
        for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.x, `${lang} ${number} digit ${i}`).toBeGreaterThan(boxes[i - 1]!.x);
        // On one line.
        expect(new Set(boxes.map((b) => Math.round(b.top))).size, `${lang} ${number} on one line`).toBe(1);
      }
    }
  });

  it('the responder sees the first message after the claim, after a reload and a new login, and after the young person resumes', { timeout: 120_000 }, async () => {
    const [first, second, reply, afterResume] = [marker('first'), marker('second'), marker('reply'), marker('after-resume')];
    const consolePage = await newPage({ width: 1366, height: 800 });
    await loginConsole(consolePage, server, server.login, server.password);
    await goOnDuty(consolePage, 'Socialtjänsten – unga');

    const young = await newPage();
    await young.goto(`${server.url}/c/life-chat`);
    await young.getByText('Någon är här just nu och kan svara.').waitFor();
    await young.getByRole('button', { name: 'Chatta nu' }).click();
    await young.getByLabel('Vad vill du berätta eller fråga?').fill(first);
    await young.getByRole('button', { name: 'Skicka' }).click();

    const row = consolePage.locator('li.queue-item', { hasText: first });
    await row.getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
    const log = consolePage.locator('section.chat .log');
    // The first line of the chat is the young person's first message, not the responder's reply.
    await expect.poll(() => log.locator('li').first().textContent(), { timeout: 15_000 }).toContain(first);

    await young.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 15_000 });
    const box = young.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(second);
    await box.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain(second);
    await consolePage.locator('#draft').fill(reply);
    await consolePage.getByRole('button', { name: 'Skicka', exact: true }).click();
    await young.locator('.msg.them', { hasText: reply }).waitFor();

    // The responder's page reloads: after logging in again the chat is back with its whole history.
    await consolePage.reload();
    await loginConsole(consolePage, server, server.login, server.password);
    await consolePage.locator('.chat-tab').first().click({ timeout: 15_000 });
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain(first);
    const history = (await log.textContent()) ?? '';
    expect(history.indexOf(first)).toBeLessThan(history.indexOf(second));
    expect(history).toContain(reply);
    // Nothing of it is readable in the browser's storage.
    const stored = await consolePage.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    for (const text of [first, second, reply]) expect(stored).not.toContain(text);

    // The young person keeps a code, closes the page, and comes back with it.
    const code = (await young.getByTestId('resume-code').textContent()) ?? '';
    await young.waitForTimeout(1700); // the sealed blob is stored at the first message and when the session starts (then on a fixed beat)
    await young.reload();
    await young.getByRole('button', { name: 'Jag har en kod och vill fortsätta' }).click();
    await young.getByLabel('Din kod (18 tecken)').fill(code);
    await young.getByRole('button', { name: 'Fortsätt' }).click();
    await young.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 20_000 });
    await box.fill(afterResume);
    await box.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain(afterResume);
    expect(await log.locator('li').first().textContent()).toContain(first);

    // The idle lock: the decrypted chat leaves the page's memory, not only the screen.
    await consolePage.getByRole('button', { name: 'Lås', exact: true }).click();
    await consolePage.getByRole('heading', { name: 'Konsolen är låst' }).waitFor();
    const heap = await heapStrings(consolePage);
    for (const text of [first, second, reply, afterResume]) expect(heap.includes(text), `${text} in the locked page's memory`).toBe(false);
    await consolePage.getByLabel('Lösenord').fill(server.password);
    await consolePage.getByRole('button', { name: 'Lås upp' }).click();
    await consolePage.locator('.chat-tab').first().click({ timeout: 15_000 });
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain(afterResume);
    expect(await log.locator('li').first().textContent()).toContain(first);
  });
});

describe('the resume blob', () => {
  it('is uploaded on a fixed beat and padded, so neither its timing nor its size follows the messages', { timeout: 90_000 }, async () => {
    const responder = await createResponder(server);
    await responder.onDuty(['unga']);
    const young = await newPage();
    const puts: Array<{ at: number; size: number }> = [];
    young.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().endsWith('/resume')) puts.push({ at: Date.now(), size: (JSON.parse(r.postData() ?? '{}') as { blob: string }).blob.length });
    });
    await young.goto(`${server.url}/c/life-blob`);
    await young.getByRole('button', { name: 'Chatta nu' }).click();
    await young.getByLabel('Vad vill du berätta eller fråga?').fill('hej');
    await young.getByRole('button', { name: 'Skicka' }).click();
    await responder.take(await responder.queued((i) => i.source === 'life-blob'));
    await young.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 15_000 });
    await young.getByTestId('resume-code').waitFor();
    const box = young.getByRole('textbox', { name: 'Skriv ett meddelande' });
    for (const text of ['ok', 'x'.repeat(600), 'ja']) {
      await young.waitForTimeout(1200);
      await box.fill(text);
      await box.press('Enter');
    }
    await young.waitForTimeout(22_000);
    expect(puts.length).toBeGreaterThanOrEqual(3);
    // One size whatever was written (a 2-letter and a 600-letter message look the same).
    expect(new Set(puts.map((p) => p.size)).size).toBe(1);
    // After the upload the code itself caused, one every beat: not 1.5 s after each message.
    const gaps = puts.slice(1).map((p, i) => p.at - puts[i]!.at);
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThan(9_000);
  });
});

describe('danger and the quick exit', () => {
  it('keeps the emergency numbers on the waiting screen after "I am in danger"; in a live chat Escape does nothing, Shift three times leaves', { timeout: 60_000 }, async () => {
    const responder = await createResponder(server);
    await responder.onDuty(['unga']);
    const young = await newPage();
    await young.goto(`${server.url}/c/life-danger`);
    await young.getByText('Någon är här just nu och kan svara.').waitFor();
    await young.getByRole('button', { name: 'Chatta nu' }).click();
    await young.getByLabel('Vad vill du berätta eller fråga?').fill('De letar efter mig');
    await young.getByLabel('Jag är i fara just nu').check();
    await young.getByRole('button', { name: 'Skicka' }).click();
    await young.getByRole('heading', { name: 'Chatt' }).waitFor();
    // Someone is on duty, and still the numbers are there while the young person waits.
    expect(await young.getByRole('link', { name: 'Ring 112 vid akut fara.' }).getAttribute('href')).toBe('tel:112');
    expect(await young.getByRole('link', { name: 'Polisen: 114 14' }).isVisible()).toBe(true);

    await responder.take(await responder.queued((i) => i.source === 'life-danger'));
    await young.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 15_000 });
    const chatUrl = young.url();
    await young.keyboard.press('Escape');
    await young.waitForTimeout(500);
    expect(young.url()).toBe(chatUrl);
    expect(await young.getByRole('textbox', { name: 'Skriv ett meddelande' }).isVisible()).toBe(true);
    for (let i = 0; i < 3; i++) await young.keyboard.press('Shift');
    await young.waitForURL(neutral.url);
  });
});

/** Every string in the page's JavaScript heap (a heap snapshot over the DevTools protocol, after a GC). */
async function heapStrings(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  const snapshot = JSON.parse(chunks.join('')) as { strings: string[] };
  return snapshot.strings.join('\n');
}
