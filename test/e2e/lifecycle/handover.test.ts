// Issue 17's story in real Chromium through a real server: a young person scans Huddinge's QR code at
// night, when nobody in Huddinge is on duty; the regional night team answers. The next morning
// Huddinge's responder goes on duty and the regional responder offers the conversation to Huddinge;
// the young person sees in plain words who it goes to (the organisation's name from the root-signed
// certificate) and accepts. Huddinge's responder continues with a fresh handshake: the young person
// sees the new safety code, the same one the responder sees, and the first messages after the
// handover arrive on both sides; the regional responder can no longer read it. Huddinge's admin sees
// none of the regional team's other chats, and both organisations' statistics count it once.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLoginKeys } from '../../../crypto/password.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { seedDemoRegion } from '../../../server/demo-region.js';
import { createDirectory } from '../../../server/directory/directory.js';
import { refreshDemoOrg } from '../../../server/directory/demo-org.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { goOnDuty, loginConsole } from '../console/support.js';
import { marker } from '../widget/support.js';

let browser: Browser;
let server: E2eServer;
const passwords = new Map<string, string>();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  const deps = { store: server.store, directory: createDirectory(server.store.records), clock: systemClock, random: systemRandom };
  for (const l of await seedDemoRegion(deps, async (p, s, params) => deriveLoginKeys(p, s, params))) passwords.set(l.login, l.password);
  await refreshDemoOrg(deps);
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

/** A GET of the API with the page's own session (its cookies). */
const apiGet = async <T>(page: Page, path: string): Promise<{ status: number; body: T }> => {
  const res = await page.context().request.get(`${server.url}${path}`);
  return { status: res.status(), body: (await res.json()) as T };
};

/** The young person opens `source`'s QR page and writes `text`; the regional team answers it. */
async function youngPerson(source: string, text: string): Promise<Page> {
  const young = await newPage();
  await young.goto(`${server.url}/c/${source}`);
  await young.getByRole('button', { name: 'Chatta nu' }).click();
  await young.getByText('Just nu svarar Regionjouren.').waitFor({ timeout: 20_000 }).catch(async (e: unknown) => {
    throw new Error(`${String(e)}\n${await young.locator('main').innerText().catch(() => '')}`);
  });
  await young.getByLabel('Vad vill du berätta eller fråga?').fill(text);
  await young.getByRole('button', { name: 'Skicka' }).click();
  return young;
}

const safetyCodeOf = async (young: Page) => {
  await young.getByRole('button', { name: 'Visa säkerhetskod' }).click();
  const text = (await young.locator('.panel.code').textContent()) ?? '';
  await young.getByRole('button', { name: 'Visa säkerhetskod' }).click();
  return /(\d{6})/.exec(text)?.[1] ?? '';
};

describe('a conversation handed over from the regional night team to the municipality', () => {
  it('moves only with the young person’s acceptance, with a new safety code, and each organisation sees and counts only its own', { timeout: 180_000 }, async () => {
    const [first, night, morning, reply, other] = [marker('first'), marker('night'), marker('morning'), marker('reply'), marker('other')];

    // Night: nobody in Huddinge is on duty; the regional responder is.
    const regional = await newPage({ width: 1366, height: 800 });
    await loginConsole(regional, server, 'regionen', passwords.get('regionen')!);
    await goOnDuty(regional, 'Regionjouren');
    const young = await youngPerson('huddinge', first);
    await regional.locator('li.queue-item', { hasText: first }).getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
    const regionalLog = regional.locator('section.chat .log');
    await expect.poll(() => regionalLog.textContent(), { timeout: 15_000 }).toContain(first);
    await young.getByText(/Du pratar med Regionjouren \(demo\)/).waitFor({ timeout: 15_000 });
    const nightCode = await safetyCodeOf(young);
    expect(nightCode).toMatch(/^\d{6}$/);
    await regional.locator('#draft').fill(night);
    await regional.getByRole('button', { name: 'Skicka', exact: true }).click();
    await young.locator('.msg.them', { hasText: night }).waitFor();

    // Another young person, from Botkyrka, also waits for the regional team: none of Huddinge's business.
    const otherYoung = await youngPerson('botkyrka', other);
    await regional.locator('li.queue-item', { hasText: other }).waitFor({ timeout: 15_000 });

    // Morning: Huddinge's responder goes on duty.
    const huddinge = await newPage({ width: 1366, height: 800 });
    await loginConsole(huddinge, server, 'huddinge', passwords.get('huddinge')!);
    await goOnDuty(huddinge, 'Huddinge – unga');

    // The regional responder offers the conversation to Huddinge; nothing moves yet.
    const handover = regional.getByRole('group', { name: 'Lämna över till en annan organisation' });
    await handover.getByLabel('Organisation och team').selectOption({ label: 'Huddinge – unga (Huddinge kommun)' });
    await handover.getByRole('button', { name: 'Fråga den unga' }).click();
    await regional.getByText('Den unga har fått frågan om Huddinge – unga (Huddinge kommun).', { exact: false }).waitFor();
    const offer = young.getByRole('heading', { name: 'Vill du fortsätta prata med Huddinge – unga hos Huddinge kommun?' });
    await offer.waitFor({ timeout: 15_000 });
    expect((await apiGet<{ items: unknown[] }>(huddinge, '/api/v1/responder/queue')).body.items).toEqual([]);

    // The young person accepts.
    await young.getByRole('button', { name: 'Ja, gå vidare' }).click();
    await young.getByText('Samtalet har gått vidare till Huddinge – unga hos Huddinge kommun.').waitFor({ timeout: 15_000 });
    await regional.getByText('Den unga sa ja.', { exact: false }).waitFor({ timeout: 15_000 });

    // Huddinge's responder takes it from the queue and runs a fresh handshake.
    const row = huddinge.locator('li.queue-item');
    await row.getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 15_000 });
    const huddingeCode = ((await huddinge.locator('section.chat .safety .code').textContent({ timeout: 20_000 })) ?? '').trim();
    await young.getByText(`Ny säkerhetskod: ${huddingeCode}.`, { exact: false }).waitFor({ timeout: 20_000 });
    expect(huddingeCode).toMatch(/^\d{6}$/);
    expect(huddingeCode).not.toBe(nightCode);
    await young.getByText(/Du pratar med Huddinge kommun \(demo\)/).waitFor();

    // The first messages after the handover arrive on both sides.
    const box = young.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(morning);
    await box.press('Enter');
    const huddingeLog = huddinge.locator('section.chat .log');
    await expect.poll(() => huddingeLog.textContent(), { timeout: 15_000 }).toContain(morning);
    await huddinge.locator('#draft').fill(reply);
    await huddinge.getByRole('button', { name: 'Skicka', exact: true }).click();
    await young.locator('.msg.them', { hasText: reply }).waitFor({ timeout: 15_000 });
    // What came before stays with the regional responder's chat: Huddinge's console shows nothing of the night.
    expect(await huddingeLog.textContent()).not.toContain(night);

    // The regional responder can no longer read it, and its page never showed what came after.
    const id = (await huddinge.locator('section.chat').getAttribute('data-conversation')) ?? '';
    expect((await apiGet(regional, `/api/v1/responder/conversations/${id}/messages`)).status).toBe(403);
    expect(await regionalLog.textContent()).not.toContain(morning);

    // Huddinge's admin sees none of the regional team's other chats.
    expect(await huddinge.getByText(other).count()).toBe(0);
    const otherId = (await regional.locator('li.queue-item', { hasText: other }).getAttribute('data-conversation')) ?? '';
    expect(otherId).not.toBe('');
    expect((await apiGet<{ items: Array<{ id: string }> }>(huddinge, '/api/v1/responder/queue')).body.items.map((i) => i.id)).not.toContain(otherId);
    expect((await apiGet(huddinge, `/api/v1/responder/conversations/${otherId}/messages`)).status).toBe(403);

    // Statistics: the conversation is counted once in each organisation, under its own team; the
    // region's counts say it came through Huddinge.
    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    type Report = { totals: { opened: number; claimed: number; claimedAgain: number; transferred: number }; bySourceOrganisation: Array<{ org: string; opened: number; claimed: number }> };
    const h = (await apiGet<Report>(huddinge, `/api/v1/admin/stats?from=${day}&to=${day}`)).body;
    expect([h.totals.opened, h.totals.claimed, h.totals.claimedAgain]).toEqual([1, 1, 0]);
    const r = (await apiGet<Report>(regional, `/api/v1/admin/stats?from=${day}&to=${day}`)).body;
    expect([r.totals.opened, r.totals.claimed, r.totals.transferred]).toEqual([2, 1, 1]);
    expect(r.bySourceOrganisation.find((x) => x.org === 'huddinge')).toMatchObject({ opened: 1, claimed: 1 });
    await otherYoung.close();
  });
});
