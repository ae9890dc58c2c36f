// A console for a shift, in real Chromium against a real server: at 1366×800 with three chats and one
// more waiting, the open chat (its log, composer and close button) is in the window without scrolling,
// also in Arabic (right to left) and in a narrower window; "Avsluta" and "Under hot" ask first and do
// nothing until confirmed.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { goOnDuty, loginConsole, openVisitor, type TestVisitor } from './support.js';

let browser: Browser;
let server: E2eServer;
let context: BrowserContext;
let page: Page;
const visitors: TestVisitor[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Whether the element's box lies wholly inside the window (nothing scrolled). */
async function inWindow(p: Page, selector: string): Promise<{ top: number; bottom: number; left: number; right: number; inside: boolean }> {
  return p.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, inside: r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0 };
  });
}

async function expectPaneInView(p: Page, what: string): Promise<void> {
  expect(await p.evaluate(() => [window.scrollX, window.scrollY])).toEqual([0, 0]);
  for (const selector of ['section.chat .log', 'section.chat textarea#draft', 'section.chat button.primary[type="submit"]', '.chat-tab', '.queue-item']) {
    const box = await inWindow(p, selector);
    expect([what, selector, box.inside, box]).toEqual([what, selector, true, box]);
  }
}

describe('a console for a shift', () => {
  it('at 1366×800 with three chats and one waiting, the open chat is in view (also in Arabic and at 1024×700)', { timeout: 90_000 }, async () => {
    await loginConsole(page, server, server.login, server.password);
    await page.locator('#capacity').fill('3');
    await goOnDuty(page, 'Socialtjänsten – unga');
    // Once on duty the settings fold away; the switch stays at hand.
    expect(await page.locator('#capacity').count()).toBe(0);
    await page.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).waitFor();
    for (const text of ['Första', 'Andra', 'Tredje']) {
      const visitor = await openVisitor(server, { category: 'chat', text: `${text} samtalet` });
      await page.locator(`li[data-conversation="${visitor.id}"]`).getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
      await visitor.connected();
      visitors.push(visitor);
    }
    for (let i = 0; i < 12; i += 1) await visitors[2]?.send(`Rad ${i} i ett långt samtal som fyller loggen`);
    await expect.poll(() => page.locator('section.chat .log li').count(), { timeout: 15_000 }).toBeGreaterThan(12);
    // Full: what waits is still said.
    await openVisitor(server, { category: 'chat', text: 'Fjärde, väntar' });
    await page.getByTestId('queue-state').waitFor({ timeout: 15_000 });
    expect(await page.locator('.chat-tab').count()).toBe(3);
    await page.locator('#capacity').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Ändra tjänstgöring' }).click();
    await page.locator('#capacity').fill('4');
    await page.getByRole('button', { name: 'Dölj inställningar' }).click();
    await page.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).click();
    await page.getByRole('button', { name: 'Gå i tjänst i Socialtjänsten – unga' }).click();
    await page.locator('.queue-item').waitFor({ timeout: 15_000 });
    await expectPaneInView(page, 'sv 1366×800');
    await page.getByRole('combobox', { name: 'Språk' }).selectOption('ar');
    await page.getByRole('heading', { name: 'المناوبة' }).waitFor();
    await expectPaneInView(page, 'ar 1366×800');
    // Right to left: the queue sits on the right, the chat on its left.
    const [side, pane] = await Promise.all([inWindow(page, '.side'), inWindow(page, '.pane')]);
    expect(side.left).toBeGreaterThan(pane.left);
    await page.setViewportSize({ width: 1024, height: 700 });
    await expectPaneInView(page, 'ar 1024×700');
    await page.getByRole('combobox', { name: 'اللغة' }).selectOption('sv');
    await page.setViewportSize({ width: 1366, height: 800 });
  });

  it('"Avsluta samtalet" and "Under hot" ask first; nothing happens until yes', { timeout: 60_000 }, async () => {
    const [first] = visitors;
    if (first === undefined) throw new Error('no chat from the first test');
    await page.locator('.chat-tab').first().click();
    const chat = page.locator(`section.chat[data-conversation="${first.id}"]`);
    await chat.waitFor();
    await chat.getByLabel('Utfall').selectOption('referred');
    await chat.getByRole('button', { name: 'Avsluta samtalet' }).click();
    const dialog = chat.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('Avsluta samtalet med utfallet "Hänvisad vidare"?');
    // The way back has the focus (an Enter meant for the message box loses nothing); going back changes nothing.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Nej, tillbaka');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await server.store.conversations.get(first.id as never))?.status).toBe('active');
    await chat.getByRole('button', { name: 'Under hot – till specialistteamet' }).click();
    expect(await chat.getByRole('alertdialog').textContent()).toContain('Lämna samtalet till specialistteamet?');
    await page.keyboard.press('Escape');
    await chat.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect((await server.store.conversations.get(first.id as never))?.team).toBe('unga');
    await chat.getByRole('button', { name: 'Avsluta samtalet' }).click();
    await chat.getByRole('button', { name: 'Ja, avsluta' }).click();
    await expect.poll(async () => (await server.store.conversations.get(first.id as never))?.status, { timeout: 10_000 }).toBe('closed');
    expect((await server.store.conversations.get(first.id as never))?.outcome).toBe('referred');
  });

  it('alerts are on after the first login, and the tab title counts unread messages', { timeout: 60_000 }, async () => {
    expect(await page.getByLabel('Avisering och ljud vid nya samtal').isChecked()).toBe(true);
    const waiting = visitors[1];
    if (waiting === undefined) throw new Error('no chat from the first test');
    // Another chat is open: the young person's texts count in the title until their chat is opened.
    expect(await page.title()).toBe('Utväg – konsol');
    await waiting.send('Är du kvar?');
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('(1) Utväg – konsol');
    await waiting.send('Hallå?');
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('(2) Utväg – konsol');
    await page.locator('.chat-tab', { hasText: waiting.id.slice(0, 6) }).click();
    await expect.poll(() => page.title()).toBe('Utväg – konsol');
    // Turned off, it stays off after a reload (a preference of this browser, not a secret).
    await page.getByLabel('Avisering och ljud vid nya samtal').uncheck();
    expect(await page.evaluate(() => localStorage.getItem('utvag.console.alerts'))).toBe('off');
    await page.getByLabel('Avisering och ljud vid nya samtal').check();
  });

  it('a team note survives a reload and a new login; the server holds only its ciphertext', { timeout: 90_000 }, async () => {
    const chatted = visitors[1];
    if (chatted === undefined) throw new Error('no chat from the first test');
    const secret = `Anteckning-${Date.now().toString(36)} vill ut ur gänget`;
    const chat = page.locator(`section.chat[data-conversation="${chatted.id}"]`);
    await chat.getByLabel('Ny anteckning').fill(secret);
    await chat.getByRole('button', { name: 'Spara anteckningen' }).click();
    await expect.poll(() => chat.locator('.note').textContent(), { timeout: 10_000 }).toContain(secret);
    // The store: one note, by this responder, and no trace of its text (nor in its decoded bytes).
    const stored = await server.store.notes.list(chatted.id as never);
    expect(stored).toHaveLength(1);
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain('Anteckning-');
    expect(Buffer.from(stored[0]?.body ?? '', 'base64url').toString('latin1')).not.toContain('Anteckning-');
    // Reload: log in again, open the chat, the note is there.
    await page.reload();
    await loginConsole(page, server, server.login, server.password);
    await page.locator('.chat-tab', { hasText: chatted.id.slice(0, 6) }).click({ timeout: 20_000 });
    await expect.poll(() => page.locator(`section.chat[data-conversation="${chatted.id}"] .note`).textContent(), { timeout: 15_000 }).toContain(secret);
  });
});
