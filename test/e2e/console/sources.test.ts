// Outreach sources in real Chromium: the demo admin creates a source in the console, downloads its
// QR code as PNG, the code is decoded (jsqr) and followed to the widget, which opens in the source's
// language; a conversation opened there is counted under the source. The sources section and the
// A4 poster have no axe violations, the poster makes no request beyond the service, and the embed
// snippet pins the loader this build serves. The poster screenshot goes to the README on request.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippet } from '../../../client/shared/embed-snippet.js';
import { stockholmDay } from '../../../server/stats/stockholm-day.js';
import { DEFAULT_TEAM_SETTINGS, createTeamSettings } from '../../../server/routing/team-settings.js';
import type { TeamId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, type Responder } from '../widget/support.js';
import { addResponder, loginConsole } from './support.js';

// jsqr is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const jsQR = jsQRModule.default;
// Refreshed only on request (UPDATE_SCREENSHOTS=1); an ordinary run writes under .tmp/.
const SHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../../docs/screenshots/' : '../../../.tmp/screenshots/', import.meta.url));
const TAG = 'affisch-e2e';

let browser: Browser;
let server: E2eServer;
let admin: BrowserContext;
let page: Page;
let responder: Responder;

async function expectNoViolations(p: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page: p }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** In print media only the sheet remains, exactly A4 (794 × 1123 CSS pixels at 96 dpi), nothing cut off at its foot. */
async function expectPrintedA4(p: Page, sheet: ReturnType<Page['locator']>): Promise<void> {
  await p.setViewportSize({ width: 794, height: 1123 });
  await p.emulateMedia({ media: 'print' });
  expect(await p.locator('header.top').isVisible()).toBe(false);
  expect(await p.locator('.poster-toolbar').isVisible()).toBe(false);
  const box = await sheet.boundingBox();
  expect([Math.round(box?.width ?? 0), Math.round(box?.height ?? 0)]).toEqual([794, 1123]);
  const foot = await sheet.locator('.poster-footer').boundingBox();
  expect((foot?.y ?? Infinity) + (foot?.height ?? 0)).toBeLessThanOrEqual((box?.y ?? 0) + (box?.height ?? 0));
}

/** Conversations opened today under `tag`: every `opened:team:category:source:extra` field with that source. */
async function openedUnder(tag: string): Promise<number> {
  const day = await server.store.stats.day(stockholmDay(Date.now()));
  return Object.entries(day)
    .filter(([field]) => field.startsWith('opened:') && field.split(':')[3] === tag)
    .reduce((sum, [, n]) => sum + n, 0);
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  admin = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await admin.newPage();
  responder = await createResponder(server);
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(fileURLToPath(new URL('../../../.tmp/screenshots/', import.meta.url)), { recursive: true });
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await server?.stop();
});

describe('sources, QR codes and posters', () => {
  it('creates a source, downloads its QR code, follows it to the widget, and counts the conversation under it', { timeout: 90_000 }, async () => {
    // The team the source's chats go to keeps opening hours, for the poster (all week, so routing stays open whenever this runs).
    const day = [['00:00', '24:00']] as Array<[string, string]>;
    await createTeamSettings(server.store.records).put('unga' as TeamId, { ...DEFAULT_TEAM_SETTINGS, dutyHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day } });
    await loginConsole(page, server, server.login, server.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('button', { name: 'Källor och QR-koder' }).click();
    await page.getByRole('heading', { name: 'Ny källa' }).waitFor();
    await page.getByLabel('Tagg').fill(TAG);
    await page.getByLabel('Namn', { exact: true }).fill('Affisch på fritidsgården');
    await page.getByLabel('Språk när widgeten öppnas').selectOption('en');
    await page.getByRole('button', { name: 'Skapa källa' }).click();
    await page.getByText(`Källan ${TAG} är skapad.`).waitFor();
    const item = page.locator(`li[data-source="${TAG}"]`);
    await expect.poll(() => item.textContent()).toContain(`${server.url}/c/${TAG}`);
    // The preview image is the server's SVG, loaded.
    await expect.poll(() => item.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // Stored as the console asked.
    expect(JSON.parse((await server.store.records.get('sources', TAG)) ?? 'null')).toMatchObject({ tag: TAG, label: 'Affisch på fritidsgården', language: 'en', team: null, active: true });

    // The same tag again is refused with a sentence.
    await page.getByLabel('Tagg').fill(TAG);
    await page.getByLabel('Namn', { exact: true }).fill('Igen');
    await page.getByRole('button', { name: 'Skapa källa' }).click();
    await page.getByText('Det finns redan en källa med den taggen, också bland avslutade. Välj en annan tagg.').waitFor();
    expect(await page.getByLabel('Namn', { exact: true }).inputValue()).toBe('Igen'); // kept to correct
    await page.getByLabel('Tagg').fill('');
    await page.getByLabel('Namn', { exact: true }).fill('');
    await expectNoViolations(page, 'sources section');
    await page.screenshot({ path: fileURLToPath(new URL('../../../.tmp/screenshots/console-sources.png', import.meta.url)), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Ladda ner QR-kod ${TAG} som PNG` }).click()]);
    expect(download.suggestedFilename()).toBe(`utvag-qr-${TAG}.png`);
    const png = PNG.sync.read(readFileSync(await download.path()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(`${server.url}/c/${TAG}`);

    // A young person scans it: a fresh browser profile, the widget in the poster's language.
    await responder.onDuty(['unga']);
    const visitor = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const phone = await visitor.newPage();
    await phone.goto(decoded?.data ?? 'about:blank');
    await phone.getByText('Someone is here right now and can answer.').waitFor();
    expect(await phone.evaluate(() => document.documentElement.lang)).toBe('en');
    await phone.getByRole('button', { name: 'Chat now' }).click();
    await phone.getByLabel('What do you want to tell or ask?').fill('I want out but I do not know how.');
    await phone.getByRole('button', { name: 'Send' }).click();
    await phone.getByText(/^Your message is sent\./).waitFor();

    const queued = await responder.queued((i) => i.source === TAG);
    expect(queued).toMatchObject({ team: 'unga', category: 'chat', language: 'en', source: TAG });
    expect(responder.openIntake(queued).text).toBe('I want out but I do not know how.');
    expect(await openedUnder(TAG)).toBe(1);
    await visitor.close();
  });

  it('the A4 poster: QR code, the invitation in the source\'s language first, then the others, the opening hours, the link; no violations, nothing from elsewhere', { timeout: 60_000 }, async () => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByRole('button', { name: `Visa affisch för ${TAG}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Affisch: Affisch på fritidsgården' });
    await dialog.waitFor();
    const sheet = dialog.locator('article.poster-sheet');
    await expect.poll(() => sheet.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const text = (await sheet.textContent()) ?? '';
    for (const words of ['Vill du ta dig ur kriminaliteten?', 'Orolig för ditt barn?', 'Want to get out of crime?', 'Worried about your child?', 'هل تريد الخروج من عالم الجريمة؟', 'I fara just nu? Ring 112.']) {
      expect(text).toContain(words);
    }
    expect(text).toContain(`${server.url.replace(/^https?:\/\//, '')}/c/${TAG}`);
    expect(await sheet.locator('section[lang="ar"]').getAttribute('dir')).toBe('rtl');
    // An English source: English leads, and nothing promises someone "now".
    expect(await sheet.getAttribute('lang')).toBe('en');
    expect(await sheet.locator('.poster-lead').getAttribute('lang')).toBe('en');
    expect(text).not.toMatch(/socialtjänsten nu|social services now|الاجتماعية الآن/);
    expect(await sheet.locator('section[lang="sv"] .poster-hours').textContent()).toBe('Vi svarar: mån–sön 00:00–24:00.');
    expect(await sheet.locator('section[lang="en"] .poster-hours').textContent()).toBe('We answer: Mon–Sun 00:00–24:00.');
    await expectNoViolations(page, 'poster');
    expect(requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([]);

    await expectPrintedA4(page, sheet);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await dialog.getByRole('button', { name: 'Stäng affischen' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('an Arabic source\'s poster speaks Arabic first, right to left, and still fits one A4 sheet', { timeout: 60_000 }, async () => {
    await page.getByLabel('Tagg').fill('affisch-ar');
    await page.getByLabel('Namn', { exact: true }).fill('Affisch på arabiska');
    await page.getByLabel('Språk när widgeten öppnas').selectOption('ar');
    await page.getByRole('button', { name: 'Skapa källa' }).click();
    await page.getByText('Källan affisch-ar är skapad.').waitFor();
    await page.getByRole('button', { name: 'Visa affisch för affisch-ar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Affisch: Affisch på arabiska' });
    const sheet = dialog.locator('article.poster-sheet');
    await expect.poll(() => sheet.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect([await sheet.getAttribute('lang'), await sheet.getAttribute('dir')]).toEqual(['ar', 'rtl']);
    expect(await sheet.locator('.poster-lead h3').first().textContent()).toBe('هل تريد الخروج من عالم الجريمة؟');
    expect(await sheet.locator('.poster-lead .poster-hours bdi[dir="ltr"]').textContent()).toBe('00:00–24:00');
    await expectPrintedA4(page, sheet);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await dialog.getByRole('button', { name: 'Stäng affischen' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('on a deployment the poster and its QR code carry the public origin, not the address the admin browses from (README screenshot)', { timeout: 60_000 }, async () => {
    const deployed = await startE2eServer({ env: { PUBLIC_URL: 'https://utvag.example.se' } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p = await context.newPage();
      await p.goto(`${deployed.url}/console`);
      await p.getByLabel('Användarnamn').fill(deployed.login);
      await p.getByLabel('Lösenord').fill(deployed.password);
      await p.getByRole('button', { name: 'Logga in' }).click();
      await p.getByRole('button', { name: 'Administration' }).click({ timeout: 20_000 });
      await p.getByRole('button', { name: 'Källor och QR-koder' }).click();
      await p.getByLabel('Tagg').fill('fritidsgarden');
      await p.getByLabel('Namn', { exact: true }).fill('Fritidsgården');
      await p.getByRole('button', { name: 'Skapa källa' }).click();
      await p.getByRole('button', { name: 'Visa affisch för fritidsgarden' }).click();
      const sheet = p.locator('article.poster-sheet');
      await expect.poll(() => sheet.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await sheet.textContent()).toContain('utvag.example.se/c/fritidsgarden');
      const qr = await p.evaluate(async () => {
        const img = document.querySelector<HTMLImageElement>('article.poster-sheet img');
        const canvas = document.createElement('canvas');
        canvas.width = 400;
        canvas.height = 400;
        const g = canvas.getContext('2d');
        if (img === null || g === null) return null;
        g.drawImage(img, 0, 0, 400, 400);
        return Array.from(g.getImageData(0, 0, 400, 400).data);
      });
      expect(jsQR(new Uint8ClampedArray(qr ?? []), 400, 400)?.data).toBe('https://utvag.example.se/c/fritidsgarden');
      await expectPrintedA4(p, sheet);
      await p.evaluate(() => document.fonts.ready);
      await p.screenshot({ path: `${SHOTS}poster.png` });
    } finally {
      await context.close();
      await deployed.stop();
    }
  });

  it('the embed snippet pins the loader this build serves and the root key, with the chosen source; copy puts it on the clipboard', { timeout: 30_000 }, async () => {
    const code = page.getByLabel('Inbäddningskod');
    await code.waitFor();
    await page.getByLabel('Källa för knappen').selectOption(TAG);
    const loader = Buffer.from(await (await fetch(`${server.url}/loader.js`)).arrayBuffer());
    const integrity = `sha384-${createHash('sha384').update(loader).digest('base64')}`;
    const expected = embedSnippet({ origin: server.url, rootPublicKey: server.rootPublicKey, loaderIntegrity: integrity, source: TAG, language: 'en' });
    expect(expected).toContain(`data-source="${TAG}" data-lang="en"`);
    await expect.poll(() => code.inputValue()).toBe(expected);
    await page.getByRole('button', { name: 'Kopiera koden' }).click();
    await page.getByText('Koden är kopierad.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

    // Pasted into a municipality's page on another origin: the pinned loader runs and the widget
    // opens in the source's language inside its sandboxed frame.
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="sv"><head><title>Kommunen</title></head><body><h1>Kommunen</h1>${expected}</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const site = await browser.newContext();
    try {
      const hostPage = await site.newPage();
      await hostPage.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
      await hostPage.getByRole('button', { name: 'Prata med socialtjänsten' }).click();
      await hostPage.frameLocator('iframe[title="Utväg"]').getByRole('button', { name: 'Chat now' }).waitFor({ timeout: 20_000 });
    } finally {
      await site.close();
      await new Promise((r) => host.close(r));
    }
  });

  it('an admin ends the campaign; a supervisor sees sources and QR codes but no form to change them', { timeout: 60_000 }, async () => {
    const item = page.locator(`li[data-source="${TAG}"]`);
    await item.getByRole('button', { name: `Ändra ${TAG}` }).click();
    await item.getByRole('button', { name: 'Avsluta kampanjen' }).click();
    await page.getByText(`Källan ${TAG} är sparad.`).waitFor();
    await expect.poll(() => item.textContent()).toContain('Avslutad');
    expect(JSON.parse((await server.store.records.get('sources', TAG)) ?? 'null')).toMatchObject({ active: false });

    const chef = await addResponder(server, 'chef', ['unga'], { roles: ['responder', 'supervisor'] });
    const context = await browser.newContext();
    try {
      const p = await context.newPage();
      await loginConsole(p, server, chef.login, chef.password);
      await p.getByRole('button', { name: 'Administration' }).click();
      await p.getByRole('button', { name: 'Källor och QR-koder' }).click();
      const row = p.locator(`li[data-source="${TAG}"]`);
      await row.waitFor();
      expect(await p.getByRole('heading', { name: 'Ny källa' }).count()).toBe(0);
      expect(await row.getByRole('button', { name: `Ändra ${TAG}` }).count()).toBe(0);
      await row.getByRole('link', { name: `Ladda ner QR-kod ${TAG} som SVG` }).waitFor();
    } finally {
      await context.close();
    }
  });
});
