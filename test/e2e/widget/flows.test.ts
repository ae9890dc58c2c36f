// The visitor widget in real Chromium against a real server, the responder driven from Node through
// the API: out of hours, chat both ways with resume after a reload and delete now, callback request,
// parent guidance routing, quick exit. Every WebSocket frame and HTTP body of the page is captured:
// no marker the visitor types appears in clear in them, nor anywhere in the store.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUME_UPLOAD_MS } from '../../../client/widget/state/resume-padding.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startNeutralSite, type NeutralSite } from '../../support/neutral-site.js';
import { captureTraffic, createResponder, dumpMemoryStore, forms, marker, waitFor, type Responder } from './support.js';

let browser: Browser;
let server: E2eServer;
let responder: Responder;
let neutral: NeutralSite;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Quick exit leaves through the server's /exit redirect to the configured neutral site (here a local page).
  neutral = await startNeutralSite();
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['e2e-poster', 'e2e-reconnect', 'e2e-callback', 'e2e-parent'], env: { QUICK_EXIT_URL: neutral.url } })]);
  responder = await createResponder(server);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await neutral?.stop();
});

async function visitorPage(): Promise<{ page: Page; traffic: ReturnType<typeof captureTraffic>; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, traffic: captureTraffic(page), errors };
}

function expectNowhere(texts: string[], haystacks: Record<string, string>) {
  for (const text of texts) {
    for (const [where, hay] of Object.entries(haystacks)) {
      for (const form of forms(text)) expect(hay.includes(form), `${text} in ${where}`).toBe(false);
    }
  }
}

describe('visitor widget', () => {
  it('says at once when nobody is on duty and shows the emergency numbers and a callback', async () => {
    const { page, errors } = await visitorPage();
    await page.goto(`${server.url}/c/e2e-poster`);
    await page.getByText('Ingen kan svara just nu.').waitFor();
    await expect(page.getByRole('link', { name: 'Ring 112 vid akut fara.' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByRole('heading', { name: 'Ingen kan svara just nu', level: 1 }).waitFor();
    for (const name of ['Ring 112 vid akut fara.', 'Polisen: 114 14', 'BRIS (för dig under 18): 116 111']) {
      expect(await page.getByRole('link', { name }).getAttribute('href')).toMatch(/^tel:/);
    }
    await expect(page.getByRole('button', { name: 'Be oss ringa upp' }).isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('chats both ways end to end, resumes after a reload with the code, and deletes now', async () => {
    await responder.onDuty(['unga', 'foraldrar']);
    const { page, traffic, errors } = await visitorPage();
    const m1 = marker('first');
    const m2 = marker('second');
    const m3 = marker('after-resume');
    const r1 = marker('reply');
    const r2 = marker('reply-again');
    await page.goto(`${server.url}/c/e2e-poster`);
    await page.getByText('Någon är här just nu och kan svara.').waitFor();
    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(`Hej ${m1}`);
    await page.getByRole('button', { name: 'Skicka' }).click();
    await page.getByRole('heading', { name: 'Chatt' }).waitFor();

    const item = await responder.queued((i) => i.category === 'chat' && i.source === 'e2e-poster');
    expect(item.team).toBe('unga');
    const chat = await responder.take(item);
    expect(chat.received).toEqual([`Hej ${m1}`]);

    await page.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor();
    await page.getByText('Kontrollerad: personen jobbar på socialtjänsten.').waitFor();
    const box = page.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(m2);
    await box.press('Enter');
    await chat.waitForText(m2);
    await page.locator('.msg.me', { hasText: m2 }).getByText('Skickat').waitFor();
    await chat.send(r1);
    await page.locator('.msg.them', { hasText: r1 }).waitFor();

    await page.getByRole('button', { name: 'Visa säkerhetskod' }).click();
    await page.getByText(`Säkerhetskod: ${chat.session.safetyCode}.`).waitFor();
    const code = (await page.getByTestId('resume-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    await chat.waitForPsk();
    // The code exists from the first message; its sealed blob follows the transcript on a fixed beat,
    // so wait one beat for it to hold m2 and r1.
    await page.waitForTimeout(RESUME_UPLOAD_MS + 1500);

    await page.reload();
    // Nothing of the conversation was kept on the device: the reload lands on the first screen.
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain(m2);
    await page.getByRole('button', { name: 'Jag har en kod och vill fortsätta' }).click();
    await page.getByLabel('Din kod (18 tecken)').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await chat.acceptResume();
    await page.getByText('Du pratar med Demo responder, socialtjänsten för unga.').waitFor();
    await page.locator('.msg.me', { hasText: m2 }).waitFor();
    await page.locator('.msg.them', { hasText: r1 }).waitFor();
    await box.fill(m3);
    await box.press('Enter');
    await chat.waitForText(m3);
    await chat.send(r2);
    await page.locator('.msg.them', { hasText: r2 }).waitFor();

    const store = dumpMemoryStore(server.store);
    expect(store).toContain(item.id);
    expectNowhere([m1, m2, m3, r1, r2], { store, logs: server.logs.join('\n') });
    expectNowhere([m1, m2, m3, code, code.replace(/-/g, '')], { traffic: traffic.all() });

    await page.getByRole('button', { name: 'Radera chatten nu' }).click();
    await page.getByRole('button', { name: 'Ja, radera' }).click();
    await page.getByRole('heading', { name: 'Raderad' }).waitFor();
    const after = dumpMemoryStore(server.store);
    expect(after).not.toContain(`conv:{${item.id}}`);
    expect(await server.store.expiring.list('resume')).toEqual([]);
    expect(errors.filter((e) => !/status of 40[14]/.test(e))).toEqual([]);
  }, 60_000);

  it('reconnects after the network drops and loses nothing in either direction', async () => {
    await responder.onDuty(['unga', 'foraldrar']);
    const { page } = await visitorPage();
    const [first, whileOffline, replyOffline] = [marker('hi'), marker('offline'), marker('reply-offline')];
    await page.goto(`${server.url}/c/e2e-reconnect`);
    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(first);
    await page.getByRole('button', { name: 'Skicka' }).click();
    const chat = await responder.take(await responder.queued((i) => i.source === 'e2e-reconnect'));
    await page.getByText('Du pratar med Demo responder', { exact: false }).waitFor();

    // The network goes away (no new connection can be made) and the open socket drops.
    await page.context().setOffline(true);
    server.server.created.beginShutdown();
    await page.getByText('Anslutningen bröts. Vi försöker igen…').waitFor();
    const box = page.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(whileOffline);
    await box.press('Enter');
    await chat.send(replyOffline);
    await page.context().setOffline(false);
    await page.getByText('Ansluten igen. Inget har försvunnit.').waitFor();
    await chat.waitForText(whileOffline);
    await page.locator('.msg.them', { hasText: replyOffline }).waitFor();
    await page.locator('.msg.me', { hasText: whileOffline }).getByText('Skickat').waitFor();
    expect(chat.received.filter((t) => t === whileOffline)).toHaveLength(1);
    expect(await page.locator('.msg.them', { hasText: replyOffline }).count()).toBe(1);
  }, 30_000);

  it('sends a callback request the team opens with its key, with the word the young person sees', async () => {
    const { page, traffic } = await visitorPage();
    const note = marker('note');
    await page.goto(`${server.url}/c/e2e-callback`);
    await page.getByRole('button', { name: 'Bli uppringd' }).click();
    const word = await waitFor('the verification word', async () => {
      const text = (await page.getByTestId('verification-word').textContent()) ?? '';
      return /"(.+)"/.exec(text)?.[1] ?? null;
    });
    await page.getByLabel('Telefonnummer').fill('12345');
    await page.getByRole('button', { name: 'Be om samtal' }).click();
    await page.getByText('Numret ser inte rätt ut.', { exact: false }).waitFor();
    await page.getByLabel('Telefonnummer').fill('070-123 45 67');
    await page.getByLabel('Eftermiddag (12–16)').check();
    await page.getByLabel('Något vi ska veta? (om du vill)').fill(note);
    await page.getByRole('button', { name: 'Be om samtal' }).click();
    await page.getByRole('heading', { name: 'Klart!' }).waitFor();
    await page.getByText(`Kom ihåg orden: ${word}.`, { exact: false }).waitFor();

    const opened = await responder.takeCallback((i) => i.source === 'e2e-callback');
    expect(opened.callback).toEqual({ phone: '+46701234567', timeWindow: 'Eftermiddag (12–16)', language: 'sv', note, verificationWord: word });
    expectNowhere([note, '701234567', word], { traffic: traffic.all(), store: dumpMemoryStore(server.store) });
  });

  it('routes a parent to the parent-guidance team with wording for parents', async () => {
    const { page } = await visitorPage();
    const text = marker('parent');
    await page.goto(`${server.url}/c/e2e-parent`);
    await page.getByText('Någon är här just nu och kan svara.').waitFor();
    await page.getByRole('button', { name: 'Jag är förälder eller anhörig' }).click();
    await page.getByRole('heading', { name: 'Skriv till föräldrarådgivningen' }).waitFor();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(text);
    await page.getByRole('button', { name: 'Skicka' }).click();
    const item = await responder.queued((i) => i.category === 'parent' && i.source === 'e2e-parent');
    expect(item.team).toBe('foraldrar');
    const chat = await responder.take(item);
    expect(chat.received).toEqual([text]);
    await page.getByText('Du pratar med Demo responder, föräldrarådgivningen.').waitFor();
  });

  it('quick exit (Escape) replaces the page, clears the widget storage, and Back does not return', async () => {
    const { page } = await visitorPage();
    await page.goto(`${server.url}/api/v1/status`);
    await page.goto(`${server.url}/c/e2e-exit`);
    await page.getByRole('combobox', { name: 'Språk' }).selectOption('en');
    await page.getByRole('button', { name: 'Chat now' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Chat now' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(neutral.url);
    await page.goBack();
    expect(page.url()).toBe(`${server.url}/api/v1/status`);
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
    expect(await page.context().cookies()).toEqual([]);
    // The always-visible button does the same.
    await page.goto(`${server.url}/c/e2e-exit`);
    await page.getByRole('button', { name: /Lämna snabbt|Leave quickly/ }).click();
    await page.waitForURL(neutral.url);
  });
});
