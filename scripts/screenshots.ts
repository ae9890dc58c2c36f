// `npm run screenshots`: starts the demo server (built clients, in-memory store, demo organisation),
// drives /usr/bin/chromium through playwright-core as a young person and as the demo responder, and
// saves the README's pictures to docs/screenshots/ at 1x scale: the widget in Swedish and Arabic,
// waiting, chat, callback, the console at work (three chats, one waiting, a note) and the poster.
// Run `npm run build` first. Nothing is mocked: the pictures show what this build shows.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import { startE2eServer, type E2eServer } from '../test/support/e2e-server.js';
import { goOnDuty, loginConsole, openVisitor, until, type TestVisitor } from '../test/e2e/console/support.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1366, height: 800 };
const TEAM = 'Socialtjänsten – unga';

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${OUT}${name}.png` });
  process.stdout.write(`  docs/screenshots/${name}.png\n`);
}

async function widget(browser: Browser, server: E2eServer, lang: 'sv' | 'ar', source: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${server.url}/c/${source}`);
  await page.getByRole('combobox').first().selectOption(lang);
  return page;
}

async function main(): Promise<void> {
  if (!existsSync('dist/public/console/index.html')) throw new Error('run "npm run build" first: the screenshots show the built clients');
  mkdirSync(OUT, { recursive: true });
  const [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['skolan', 'fritidsgarden'] })]);
  try {
    // The responder's console, on duty with room for four.
    const desk = await browser.newContext({ viewport: DESK, deviceScaleFactor: 1 });
    const console = await desk.newPage();
    await loginConsole(console, server, server.login, server.password);
    await console.locator('#capacity').fill('4');
    await goOnDuty(console, TEAM);

    // The young person's first screens, in Swedish and Arabic.
    const sv = await widget(browser, server, 'sv', 'skolan');
    await sv.getByText('Någon är här just nu och kan svara.').waitFor();
    await shot(sv, 'home');
    const ar = await widget(browser, server, 'ar', 'skolan');
    await ar.getByText('يوجد شخص هنا الآن ويمكنه الرد.').waitFor();
    await shot(ar, 'home-ar');

    // Writes, waits, is answered.
    await sv.getByRole('button', { name: 'Chatta nu' }).click();
    await sv.getByLabel('Vad vill du berätta eller fråga?').fill('Jag vill sluta men vet inte hur. Kan ni hjälpa mig?');
    await sv.getByRole('button', { name: 'Skicka' }).click();
    await sv.getByText('Ditt meddelande är skickat').waitFor();
    await shot(sv, 'chat-waiting');
    const row = console.locator('li.queue-item', { hasText: 'Jag vill sluta men vet inte hur.' });
    await row.getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
    await console.locator('.safety .code').waitFor({ timeout: 15_000 });
    await console.getByRole('textbox', { name: 'Meddelande' }).fill('Hej! Bra att du skriver. Du behöver inte säga vem du är. Vad har hänt?');
    await console.getByRole('button', { name: 'Skicka', exact: true }).click();
    await sv.locator('.msg.them').waitFor({ timeout: 15_000 });
    await sv.getByLabel(/Skriv/).first().fill('Jag är med i ett gäng och vill ut.').catch(() => undefined);
    await shot(sv, 'chat');

    // A callback request.
    const cb = await widget(browser, server, 'sv', 'fritidsgarden');
    await cb.getByRole('button', { name: 'Bli uppringd' }).click();
    await cb.getByTestId('verification-word').getByText(/"|«/).waitFor();
    await cb.getByLabel('Telefonnummer').fill('070-123 45 67');
    await shot(cb, 'callback');

    // The console at work: three chats (one unread), one more waiting, a note in the open chat.
    const others: TestVisitor[] = [];
    for (const text of ['Min kompis blev hotad igår och jag är rädd.', 'Hur funkar det om jag vill prata med någon på riktigt?']) {
      const visitor = await openVisitor(server, { category: 'chat', text, source: 'skolan' });
      await console.locator(`li[data-conversation="${visitor.id}"]`).getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
      await visitor.connected();
      others.push(visitor);
    }
    await others[0]?.send('Dom sa att jag är skyldig dom pengar.');
    await openVisitor(server, { category: 'chat', text: 'Hej, jag är 15 och behöver prata med någon.', source: 'fritidsgarden', danger: true });
    await console.locator('.chat-tab').first().click();
    await console.getByText('Jag vill sluta men vet inte hur.', { exact: false }).first().waitFor();
    const note = console.getByLabel('Ny anteckning');
    if ((await note.count()) > 0) {
      await note.fill('Vill ut ur gänget. Föreslå möte med avhopparverksamheten. Inga namn ännu.');
      await console.getByRole('button', { name: 'Spara anteckningen' }).click();
      await console.locator('.note').first().waitFor();
    }
    await until(async () => ((await console.locator('.queue-item').count()) > 0 ? true : undefined), 'a waiting conversation in the queue');
    await until(async () => ((await console.locator('.badge').count()) > 0 ? true : undefined), 'an unread badge');
    await shot(console, 'console');

    // The poster of an outreach source, from a server that knows its public address (the QR code
    // and the printed address carry it, not the address this script browses from).
    const deployed = await startE2eServer({ sources: ['fritidsgarden'], env: { PUBLIC_URL: 'https://utvag.example.se' } });
    try {
      const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 })).newPage();
      await admin.goto(`${deployed.url}/console`);
      await admin.getByLabel('Användarnamn').fill(deployed.login);
      await admin.getByLabel('Lösenord').fill(deployed.password);
      await admin.getByRole('button', { name: 'Logga in' }).click();
      await admin.getByRole('button', { name: 'Administration' }).click({ timeout: 20_000 });
      await admin.getByRole('button', { name: 'Källor och QR-koder' }).click();
      await admin.getByRole('button', { name: 'Visa affisch för fritidsgarden' }).click();
      const sheet = admin.locator('article.poster-sheet');
      await until(() => sheet.locator('img').evaluate((img: HTMLImageElement) => (img.complete && img.naturalWidth > 0 ? true : undefined)), 'the poster QR code');
      await shot(admin, 'poster');
    } finally {
      await deployed.stop();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
