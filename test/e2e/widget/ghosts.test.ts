// Ghost conversations and messages left while nobody is there, in real Chromium against a real
// server (VISITOR_GONE_AFTER_SECONDS=2): the resume code is shown at the first message; a young person
// who closes the tab leaves the queue after the grace (nobody's place goes up for them, they are not
// served first) and comes back in their place with the code; a claimed chat whose young person left
// stops using capacity and can be closed; a message left with nobody on duty stays queued, is
// answered by the first responder on duty, and is read with the code — then "delete now" erases it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, dumpMemoryStore, marker, waitFor, type Responder } from './support.js';

let browser: Browser;
let server: E2eServer;
let responder: Responder;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['ghost-a', 'ghost-b', 'ghost-c', 'left-msg'], env: { VISITOR_GONE_AFTER_SECONDS: '2' } })]);
  responder = await createResponder(server);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function young(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  return { context, page: await context.newPage() };
}

/** Writes a first message through `source` and returns the resume code the widget shows at once. */
async function write(page: Page, source: string, text: string, writeAnyway = false): Promise<string> {
  await page.goto(`${server.url}/c/${source}`);
  await page.getByRole('button', { name: 'Chatta nu' }).click();
  if (writeAnyway) await page.getByRole('button', { name: 'Skriv ändå' }).click();
  await page.getByLabel('Vad vill du berätta eller fråga?').fill(text);
  await page.getByRole('button', { name: 'Skicka' }).click();
  const code = (await page.getByTestId('resume-code').textContent({ timeout: 20_000 })) ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
  return code;
}

async function resume(page: Page, code: string) {
  await page.goto(`${server.url}/c/ghost-a`);
  await page.getByRole('button', { name: 'Jag har en kod och vill fortsätta' }).click();
  await page.getByLabel('Din kod (18 tecken)').fill(code);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
}

const queuedIds = async (source: string) => (await responder.api.queue()).items.filter((i) => i.source === source).map((i) => i.id);

describe('ghost conversations', () => {
  it('a closed tab leaves the queue after the grace, no longer raises anyone\'s place, and comes back in its place with the code', async () => {
    await responder.onDuty(['unga']);
    const a = await young();
    const code = await write(a.page, 'ghost-a', marker('a'));
    await a.page.waitForTimeout(1500); // the pending blob is sealed at the first message
    const b = await young();
    await write(b.page, 'ghost-b', marker('b'));
    await b.page.getByText('Du är nummer 2 i kön.').waitFor({ timeout: 15_000 });
    const [idA] = await queuedIds('ghost-a');
    expect(idA).toBeDefined();

    await a.context.close();
    // After the grace the queue shows and counts it no more: the one behind moves up.
    await waitFor('the ghost out of the queue', async () => ((await queuedIds('ghost-a')).length === 0 ? true : null));
    await b.page.getByText('Du är först i kön.').waitFor({ timeout: 15_000 });
    expect(await server.store.queues.size('unga' as never)).toBe(1);

    // With the code the young person comes back, in the old place (first), and is answered.
    const again = await young();
    await resume(again.page, code);
    await waitFor('the ghost back in the queue', async () => ((await queuedIds('ghost-a')).length === 1 ? true : null));
    expect((await responder.api.queue()).items.map((i) => i.source).filter((s) => s.startsWith('ghost-'))).toEqual(['ghost-a', 'ghost-b']);
    await b.page.getByText('Du är nummer 2 i kön.').waitFor({ timeout: 15_000 });
    const chat = await responder.take(await responder.queued((i) => i.id === idA));
    const reply = marker('reply');
    await chat.send(reply);
    await again.page.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 15_000 });
    await again.page.locator('.msg.them', { hasText: reply }).waitFor();
    await again.context.close();
    await b.context.close();
  }, 90_000);

  it('a taken chat whose young person left stops using capacity, says so, and can be closed', async () => {
    const c = await young();
    await write(c.page, 'ghost-c', marker('c'));
    const item = await responder.queued((i) => i.source === 'ghost-c');
    await responder.take(item);
    await c.page.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor({ timeout: 15_000 });
    const load = async () => (await responder.api.call<{ load: number }>('GET', '/api/v1/responder/duty')).load;
    const all = async () => (await responder.api.call<{ items: Array<{ id: string; gone: boolean }> }>('GET', '/api/v1/responder/assigned')).items;
    const assigned = async () => (await all()).find((i) => i.id === item.id);
    expect(await assigned()).toMatchObject({ gone: false });
    await c.context.close();
    await waitFor('the young person marked gone', async () => ((await assigned())?.gone === true ? true : null));
    // Still listed (the responder sees it and may close it), but no longer counted against capacity.
    expect(await load()).toBe((await all()).filter((i) => !i.gone).length);
    await responder.api.close(item.id, 'no-contact');
    expect(await assigned()).toBeUndefined();
  }, 60_000);
});

describe('a message left when nobody is there', () => {
  it('stays queued after the tab closes, is answered by the first responder on duty, read with the code, and deleted at once', async () => {
    for (const team of ['unga', 'foraldrar', 'konsult']) await responder.api.duty(team, false);
    const y = await young();
    const text = marker('left');
    const code = await write(y.page, 'left-msg', text, true);
    await y.page.getByText('Ingen har svarat än. Kom tillbaka när vi är här igen och skriv in koden. Då ser du svaret.').waitFor();
    await y.page.waitForTimeout(1500);
    await y.context.close();
    await new Promise((r) => setTimeout(r, 3500)); // past the grace: a left message is no ghost

    await responder.onDuty(['unga']);
    const item = await responder.queued((i) => i.source === 'left-msg');
    const chat = await responder.take(item);
    expect(chat.received).toEqual([text]);
    const answer = marker('answer');
    await chat.send(answer);

    const back = await young();
    await resume(back.page, code);
    await back.page.locator('.msg.them', { hasText: answer }).waitFor({ timeout: 20_000 });
    await back.page.locator('.msg.me', { hasText: text }).waitFor();
    await back.page.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor();
    // The chat goes on from here: the responder reads what the young person writes now.
    const more = marker('more');
    const box = back.page.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(more);
    await box.press('Enter');
    await chat.waitForText(more);

    const blobs = (await server.store.expiring.list('resume')).length;
    await back.page.getByRole('button', { name: 'Radera chatten nu' }).click();
    await back.page.getByRole('button', { name: 'Ja, radera' }).click();
    await back.page.getByRole('heading', { name: 'Raderad' }).waitFor();
    expect(dumpMemoryStore(server.store)).not.toContain(`conv:{${item.id}}`);
    expect(await server.store.expiring.get('visitor-presence', item.id)).toBeNull();
    expect((await server.store.expiring.list('resume')).length).toBe(blobs - 1);
    await back.context.close();
  }, 90_000);
});
