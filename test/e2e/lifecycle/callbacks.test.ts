// Callbacks that get called (issue 15, bug 3), on both pages through a real server: the young person
// asks to be called back; the responder's Återuppringningar shows it waiting (off duty too, never
// "no requests"), then — taken by hand, or assigned by the server when the team auto-assigns — in
// "Mina" with the number, the time and the word to say; "Nådde inte" keeps it there with the attempt;
// "Klart" moves it to "Klara" without the number. The console reloads and logs in again between the
// steps and shows the same each time; callbacks never count as chats ("0 av 3 samtal"). The widget
// stores the number in international form (070-111 22 33 → +46701112233).
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamSettings } from '../../../server/routing/team-settings.js';
import type { TeamId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { goOnDuty, loginConsole, until } from '../console/support.js';
import { marker } from '../widget/support.js';

let browser: Browser;
let server: E2eServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['cb-life'] })]);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function newPage(viewport = { width: 390, height: 844 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

/** The young person asks to be called back on `phone`; returns the word the responder will say. */
async function requestCallback(phone: string, note: string): Promise<string> {
  const young = await newPage();
  await young.goto(`${server.url}/c/cb-life`);
  await young.getByRole('button', { name: 'Bli uppringd' }).click();
  const word = await until(async () => /"(.+)"/.exec((await young.getByTestId('verification-word').textContent()) ?? '')?.[1], 'the verification word');
  await young.getByLabel('Telefonnummer').fill(phone);
  await young.getByLabel('Eftermiddag (12–16)').check();
  await young.getByLabel('Något vi ska veta? (om du vill)').fill(note);
  await young.getByRole('button', { name: 'Be om samtal' }).click();
  await young.getByRole('heading', { name: 'Klart!' }).waitFor();
  return word;
}

async function setAutoAssign(on: boolean): Promise<void> {
  const settings = createTeamSettings(server.store.records);
  await settings.put('unga' as TeamId, { ...(await settings.get('unga' as TeamId)), autoAssign: on });
}

describe('callbacks that get called', () => {
  it('request → waiting (off duty too) → taken → not reached → done, and auto-assigned to me; the same after each reload', { timeout: 180_000 }, async () => {
    const consolePage = await newPage({ width: 1366, height: 800 });
    const section = (name: RegExp): Locator => consolePage.getByRole('list', { name });
    const openCallbacks = async () => {
      await consolePage.getByRole('button', { name: 'Återuppringningar' }).click();
      await consolePage.getByRole('heading', { name: 'Återuppringningar', level: 1 }).waitFor();
    };
    const relogin = async () => {
      await consolePage.reload();
      await loginConsole(consolePage, server, server.login, server.password);
      await openCallbacks();
    };
    await loginConsole(consolePage, server, server.login, server.password);
    await goOnDuty(consolePage, 'Socialtjänsten – unga');
    await setAutoAssign(false);

    // 1. Auto-assign off: the request waits, without its number.
    const note = marker('note');
    const word = await requestCallback('070-111 22 33', note);
    await openCallbacks();
    const waiting = section(/^Väntar/);
    await expect.poll(() => waiting.locator('li').count(), { timeout: 15_000 }).toBe(1);
    expect(await consolePage.locator('main').textContent()).not.toContain('1112233');

    // Off duty it still shows (and says how to take it), never "no requests".
    await consolePage.getByRole('button', { name: 'Samtal' }).click();
    await consolePage.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).click();
    await consolePage.getByRole('button', { name: 'Gå i tjänst i Socialtjänsten – unga' }).waitFor();
    await relogin();
    await expect.poll(() => waiting.locator('li').count(), { timeout: 15_000 }).toBe(1);
    const main = consolePage.locator('main');
    expect(await main.textContent()).toContain('Du är inte i tjänst. Gå i tjänst för att ta en återuppringning.');
    expect(await main.textContent()).not.toContain('Inga önskemål om återuppringning.');
    expect(await waiting.getByRole('button', { name: 'Ta och visa' }).isDisabled()).toBe(true);
    await consolePage.getByRole('button', { name: 'Samtal' }).click();
    await goOnDuty(consolePage, 'Socialtjänsten – unga');
    await openCallbacks();

    // 2. Taken ("Ta och visa"): mine, with the number, time and word, opened in this browser.
    await waiting.getByRole('button', { name: 'Ta och visa' }).click();
    const mine = section(/^Mina/);
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('+46701112233');
    const mineText = (await mine.textContent()) ?? '';
    for (const expected of ['Eftermiddag (12–16)', word, note, 'Inga försök ännu']) expect(mineText).toContain(expected);
    await relogin();
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('+46701112233');

    // 3. "Nådde inte": it stays mine with the attempt, after a reload too.
    await mine.getByRole('button', { name: 'Nådde inte' }).click();
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('1 försök');
    expect(await mine.textContent()).toContain('Den stannar hos dig.');
    await relogin();
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('1 försök');
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('+46701112233');

    // 4. "Klart": in "Klara", without the number; the same after a reload.
    await mine.getByRole('button', { name: 'Klart – radera numret' }).click();
    const done = section(/^Klara/);
    await expect.poll(() => done.locator('li').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => consolePage.getByRole('heading', { name: 'Mina (0)' }).count()).toBe(1);
    expect(await main.textContent()).not.toContain('1112233');
    await relogin();
    await expect.poll(() => done.locator('li').count(), { timeout: 15_000 }).toBe(1);
    expect(await done.textContent()).toContain('1 försök');

    // 5. Auto-assign on: the server gives the next request to me; it is in "Mina" with its number without a click.
    await setAutoAssign(true);
    const word2 = await requestCallback('070-444 55 66', marker('note'));
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('+46704445566');
    expect(await mine.textContent()).toContain('Tilldelad dig automatiskt');
    expect(await mine.textContent()).toContain(word2);
    expect(await consolePage.getByRole('heading', { name: /^Väntar/ }).textContent()).toBe('Väntar (0)');
    // A callback is not a chat: the load stays honest.
    await consolePage.getByRole('button', { name: 'Samtal' }).click();
    await expect.poll(() => main.textContent(), { timeout: 10_000 }).toMatch(/(^|\D)0 av \d+ samtal/);
    await relogin();
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('+46704445566');
    await mine.getByRole('button', { name: 'Nådde inte' }).click();
    await expect.poll(() => mine.textContent(), { timeout: 15_000 }).toContain('1 försök');
    await mine.getByRole('button', { name: 'Klart – radera numret' }).click();
    await expect.poll(() => done.locator('li').count(), { timeout: 15_000 }).toBe(2);
    await relogin();
    await expect.poll(() => done.locator('li').count(), { timeout: 15_000 }).toBe(2);
    expect(await main.textContent()).not.toContain('4445566');
  });
});
