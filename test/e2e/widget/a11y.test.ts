// Every widget screen, in Swedish and in Arabic (right-to-left), has no axe-core violation at
// 360×740; the Swedish (and two Arabic) screens are saved as screenshots for the README.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, type Responder } from './support.js';

// The README's screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1 npx vitest run
// test/e2e/widget/a11y.test.ts); an ordinary run writes them under .tmp/ so the tree stays clean.
const SHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../../docs/screenshots/' : '../../../.tmp/screenshots/', import.meta.url));
let browser: Browser;
let server: E2eServer;
let responder: Responder;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['a11y-sv', 'a11y-en', 'a11y-ar'] })]);
  responder = await createResponder(server);
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Lang = 'sv' | 'ar';
const T = {
  sv: { chat: 'Chatta nu', callback: 'Bli uppringd', code: 'Jag har en kod och vill fortsätta', firstLabel: 'Vad vill du berätta eller fråga?', send: 'Skicka', back: 'Tillbaka', phone: 'Telefonnummer', ask: 'Be om samtal', done: 'Klart!', nobody: 'Ingen kan svara just nu.', someone: 'Någon är här just nu och kan svara.', del: 'Radera chatten nu', yes: 'Ja, radera', deleted: 'Raderad', connected: 'Du pratar med', waiting: 'Ditt meddelande är skickat' },
  ar: { chat: 'دردش الآن', callback: 'اطلب أن نتصل بك', code: 'لدي رمز وأريد أن أكمل', firstLabel: 'ماذا تريد أن تقول أو تسأل؟', send: 'إرسال', back: 'رجوع', phone: 'رقم الهاتف', ask: 'اطلب مكالمة', done: 'تم!', nobody: 'لا يوجد أحد يمكنه الرد الآن.', someone: 'يوجد شخص هنا الآن ويمكنه الرد.', del: 'احذف الدردشة الآن', yes: 'نعم، احذف', deleted: 'تم الحذف', connected: 'أنت تتحدث مع', waiting: 'تم إرسال رسالتك' },
} as const;

async function open(lang: Lang, source: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/c/${source}`);
  await page.getByRole('combobox').first().selectOption(lang);
  expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, lang === 'ar' ? 'rtl' : 'ltr']);
  return page;
}

async function check(page: Page, lang: Lang, screen: string, shot: boolean) {
  await page.evaluate(() => document.fonts.ready);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(result.violations.map((v) => `${screen}/${lang}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  if (shot) await page.screenshot({ path: `${SHOTS}${screen}${lang === 'ar' ? '-ar' : ''}.png` });
}

describe('widget accessibility (axe-core) and screenshots', () => {
  it.each(['sv', 'ar'] as const)('nobody on duty: first screen and out-of-hours screen (%s)', async (lang) => {
    const page = await open(lang, 'a11y');
    const t = T[lang];
    await page.getByText(t.nobody).waitFor();
    await check(page, lang, 'home-nobody-on-duty', true);
    await page.getByRole('button', { name: t.chat }).click();
    await page.getByRole('link', { name: /112/ }).first().waitFor();
    await check(page, lang, 'out-of-hours', lang === 'sv');
    await page.context().close();
  });

  it.each(['sv', 'ar'] as const)('on duty: first screen, first message, chat waiting and active, resume, delete (%s)', async (lang) => {
    await responder.onDuty(['unga', 'foraldrar']);
    const page = await open(lang, `a11y-${lang}`);
    const t = T[lang];
    await page.getByText(t.someone).waitFor();
    await check(page, lang, 'home', true);
    await page.getByRole('button', { name: t.code }).click();
    await check(page, lang, 'resume-code', lang === 'sv');
    await page.getByRole('button', { name: t.back }).click();
    await page.getByRole('button', { name: t.chat }).click();
    await page.getByLabel(t.firstLabel).fill(lang === 'sv' ? 'Jag vill sluta men vet inte hur.' : 'أريد أن أتوقف لكن لا أعرف كيف.');
    await check(page, lang, 'first-message', lang === 'sv');
    await page.getByRole('button', { name: t.send }).click();
    await page.getByText(t.waiting).waitFor();
    await check(page, lang, 'chat-waiting', lang === 'sv');
    const item = await responder.queued((i) => i.source === `a11y-${lang}`);
    const chat = await responder.take(item);
    await chat.send(lang === 'sv' ? 'Hej! Bra att du skriver. Vad har hänt?' : 'مرحباً! جيد أنك كتبت. ماذا حدث؟');
    await page.getByText(t.connected).waitFor();
    await page.locator('.msg.them').waitFor();
    await check(page, lang, 'chat', true);
    await page.getByRole('button', { name: t.del }).click();
    await page.getByRole('button', { name: t.yes }).click();
    await page.getByRole('heading', { name: t.deleted }).waitFor();
    await check(page, lang, 'deleted', lang === 'sv');
    await page.context().close();
  }, 40_000);

  it.each(['sv', 'ar'] as const)('callback form and its confirmation (%s)', async (lang) => {
    const page = await open(lang, 'a11y-cb');
    const t = T[lang];
    await page.getByRole('button', { name: t.callback }).click();
    await page.getByTestId('verification-word').getByText(/"|«/).waitFor();
    await check(page, lang, 'callback', lang === 'sv');
    await page.getByLabel(t.phone).fill('0701234567');
    await page.getByRole('button', { name: t.ask }).click();
    await page.getByRole('heading', { name: t.done }).waitFor();
    await check(page, lang, 'callback-done', lang === 'sv');
    await page.context().close();
  });
});
