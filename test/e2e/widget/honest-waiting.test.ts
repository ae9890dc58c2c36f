// Honest words while nobody is there, in real Chromium against a real server: the team's opening hours
// on the first screen, on the "nobody can answer" screen and after "Skriv ändå", with when it is back;
// parents get their own out-of-hours screen (adults' help lines, not BRIS's line for children) and
// waiting words written for a parent.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNextOpening } from '../../../client/shared/opening-hours.js';
import { stockholmLocal } from '../../../server/routing/duty-hours.js';
import { WEEKDAYS } from '../../../contract/teams.js';
import type { TeamSettings } from '../../../contract/rest.js';
import { nextOpening } from '../../../server/routing/opening.js';
import { DEFAULT_TEAM_SETTINGS, createTeamSettings } from '../../../server/routing/team-settings.js';
import type { TeamId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { marker } from './support.js';

let browser: Browser;
let server: E2eServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['hours-poster'] })]);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function visitorPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  contexts.push(context);
  return context.newPage();
}

describe('honest waiting', () => {
  it('shows the opening hours on the first screen, when nobody can answer and after "Skriv ändå", with when we are back', async () => {
    // Open 09:00–17:00 every day but today (Stockholm): closed now, back tomorrow at 09:00.
    const today = stockholmLocal(Date.now()).weekday;
    const dutyHours = Object.fromEntries(WEEKDAYS.filter((d) => d !== today).map((d) => [d, [['09:00', '17:00'] as [string, string]]]));
    const settings: TeamSettings = { ...DEFAULT_TEAM_SETTINGS, dutyHours };
    await createTeamSettings(server.store.records).put('unga' as TeamId, settings);
    const back = `Vi är här igen ${formatNextOpening(nextOpening(settings, Date.now()) ?? 0, 'sv')}.`;

    const page = await visitorPage();
    await page.goto(`${server.url}/c/hours-poster`);
    await page.getByText('Ingen kan svara just nu.').waitFor();
    const hours = page.locator('main p.hours').first();
    await expect.poll(() => hours.textContent()).toMatch(/^Här svarar vi: .*09:00–17:00\.$/);
    await page.getByText(back).waitFor();

    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByRole('heading', { name: 'Ingen kan svara just nu', level: 1 }).waitFor();
    expect(await page.locator('main p.hours').first().textContent()).toMatch(/^Här svarar vi: /);
    await page.getByText(back).waitFor();

    await page.getByRole('button', { name: 'Skriv ändå' }).click();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(marker('left'));
    await page.getByRole('button', { name: 'Skicka' }).click();
    await page.getByText('Ingen kan svara just nu. Ditt meddelande sparas. Vi läser det när vi är här igen.').waitFor({ timeout: 20_000 });
    await page.getByText(back).waitFor();
    // No queue place and no time estimate while nobody works on the queue.
    expect(await page.getByText(/i kön|brukar ta/).count()).toBe(0);

    // Arabic: the time ranges stay left to right.
    await page.getByLabel('Språk').selectOption('ar');
    const range = page.locator('main p.hours bdi[dir="ltr"]').first();
    expect(await range.textContent()).toBe('09:00–17:00');
    await createTeamSettings(server.store.records).put('unga' as TeamId, DEFAULT_TEAM_SETTINGS);
  });

  it('gives a parent their own out-of-hours screen, help lines for adults and waiting words for a parent', async () => {
    const page = await visitorPage();
    await page.goto(`${server.url}/c/hours-poster`);
    await page.getByText('Ingen kan svara just nu.').waitFor();
    await page.getByRole('button', { name: 'Jag är förälder eller anhörig' }).click();
    await page.getByRole('heading', { name: 'Ingen kan svara just nu', level: 1 }).waitFor();
    await page.getByText('Ingen från föräldrarådgivningen är här just nu. Du kan skriva ändå. Vi svarar när vi är här igen. Du kan också be oss ringa dig.').waitFor();
    await page.getByRole('heading', { name: 'Är någon i fara nu?' }).waitFor();
    for (const name of ['Ring 112 vid akut fara.', 'Polisen: 114 14', 'BRIS vuxentelefon om barn: 077-150 50 50', 'Föräldralinjen: 020-85 20 00']) {
      expect(await page.getByRole('link', { name }).getAttribute('href')).toMatch(/^tel:\d+$/);
    }
    expect(await page.getByText('BRIS (för dig under 18): 116 111').count()).toBe(0);

    await page.getByRole('button', { name: 'Skriv ändå' }).click();
    await page.getByRole('heading', { name: 'Skriv till föräldrarådgivningen' }).waitFor();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(marker('worried'));
    await page.getByRole('button', { name: 'Skicka' }).click();
    await page.getByText('Ingen från föräldrarådgivningen är här just nu. Ditt meddelande sparas. Vi läser det när vi är här igen.').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('link', { name: 'Föräldralinjen: 020-85 20 00' }).count()).toBe(1);
  });
});
