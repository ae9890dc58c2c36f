// The console of one organisation of a region in real Chromium: Huddinge's admin (Argon2id login, as
// printed by npm start) sees only Huddinge's team on the team screen, with the regional night team
// (which accepted Huddinge's overflow) offered and selected as its overflow — and nothing of Botkyrka's.
// Administration → Samverkan: Huddinge's admin asks Botkyrka to take its overflow, Botkyrka's admin
// sees the request and accepts it, and the regional body's admin ends its agreement with Huddinge —
// after which a young person from Huddinge's poster no longer reaches the regional team.
// Statistik: the regional body's admin sees what its team answered per municipality; Huddinge's admin
// sees how many of Huddinge's young people the regional team answered, and nothing of Botkyrka's.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLoginKeys } from '../../../crypto/password.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { seedDemoRegion } from '../../../server/demo-region.js';
import { createDirectory } from '../../../server/directory/directory.js';
import { refreshDemoOrg } from '../../../server/directory/demo-org.js';
import { createStatsCounter } from '../../../server/stats/counter.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { goOnDuty, loginConsole } from './support.js';

let browser: Browser;
let server: E2eServer;
let password = '';
const passwords = new Map<string, string>();

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  const deps = { store: server.store, directory: createDirectory(server.store.records), clock: systemClock, random: systemRandom };
  const logins = await seedDemoRegion(deps, async (p, s, params) => deriveLoginKeys(p, s, params));
  await refreshDemoOrg(deps);
  for (const l of logins) passwords.set(l.login, l.password);
  password = passwords.get('huddinge') ?? '';
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the console of one organisation of a region', () => {
  it('shows Huddinge’s admin its own team only, with the regional team as its agreed overflow', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    await loginConsole(page, server, 'huddinge', password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Team' }).click();
    const overflow = page.getByLabel('När ingen är i tjänst går samtalen till');
    await overflow.first().waitFor();
    expect(await overflow.count()).toBe(1);
    expect(await overflow.inputValue()).toBe('regionjouren');
    expect(await overflow.locator('option:checked').textContent()).toBe('Regionjouren');
    expect(await page.getByText('Botkyrka – unga').count()).toBe(0);
    expect(await page.getByText('Socialtjänsten – unga').count()).toBe(0);
    await context.close();
  });

  it('Samverkan: a request is asked and accepted, and an ended agreement stops routing there', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const open = async (login: string, onDutyIn?: string) => {
      const page = await context.newPage();
      await loginConsole(page, server, login, passwords.get(login)!);
      if (onDutyIn !== undefined) await goOnDuty(page, onDutyIn);
      await page.getByRole('button', { name: 'Administration' }).click();
      await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Samverkan' }).click();
      await page.getByRole('heading', { name: 'Samverkan med andra organisationer' }).waitFor();
      return page;
    };
    const row = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(`^${name}`) });
    const status = async () => ((await (await fetch(`${server.url}/api/v1/status?category=chat&source=huddinge`)).json()) as { team: string }).team;

    // Huddinge asks Botkyrka; its agreement with the regional body is in force.
    const huddinge = await open('huddinge');
    await row(huddinge, 'Regionjouren').getByText('Avtal gäller: de tar emot').waitFor();
    await huddinge.getByRole('button', { name: 'Be Botkyrka kommun ta emot era samtal' }).click();
    await huddinge.getByRole('status').getByText('Frågan är skickad. Botkyrka kommun ser den under Samverkan.').waitFor();
    await row(huddinge, 'Botkyrka kommun').getByText('Ni har frågat, väntar på svar').waitFor();

    // Botkyrka sees the request and accepts it.
    const botkyrka = await open('botkyrka');
    await row(botkyrka, 'Huddinge kommun').getByText('Ber att få skicka sina samtal hit').waitFor();
    await botkyrka.getByRole('button', { name: 'Godkänn Huddinge kommun' }).click();
    await row(botkyrka, 'Huddinge kommun').getByText('Avtal gäller: ni tar emot').waitFor();

    // The regional responder goes on duty: Huddinge's young people reach the regional team, until its
    // admin ends the agreement (a second click confirms).
    const regionen = await open('regionen', 'Regionjouren');
    expect(await status()).toBe('regionjouren');
    await regionen.getByRole('button', { name: 'Avsluta avtalet med Huddinge kommun' }).click();
    await regionen.getByText('Nya samtal från Huddinge kommun går då inte längre till era team.', { exact: false }).waitFor();
    expect(await status()).toBe('regionjouren');
    await regionen.getByRole('button', { name: 'Bekräfta: avsluta avtalet med Huddinge kommun' }).click();
    await regionen.getByRole('status').getByText('Avtalet med Huddinge kommun är avslutat. Nya samtal från dem kommer inte längre hit.').waitFor();
    // Huddinge still asks; the regional admin sees that, and routing stays in Huddinge.
    await row(regionen, 'Huddinge kommun').getByText('Ber att få skicka sina samtal hit').waitFor();
    expect(await status()).toBe('huddinge-unga');
    await context.close();
  });

  it('Statistik: the region per municipality, and a municipality its own young people the region answered', { timeout: 90_000 }, async () => {
    // Counters as the app writes them: the regional team took three from Huddinge and five from Botkyrka.
    const counter = createStatsCounter({ stats: server.store.stats, now: () => Date.now() });
    for (let i = 0; i < 3; i++) await counter.opened({ team: 'regionjouren', category: 'chat', source: 'huddinge' });
    for (let i = 0; i < 5; i++) await counter.opened({ team: 'regionjouren', category: 'chat', source: 'botkyrka' });
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const statistics = async (login: string) => {
      const page = await context.newPage();
      await loginConsole(page, server, login, passwords.get(login)!);
      await page.getByRole('button', { name: 'Administration' }).click();
      await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Statistik' }).click();
      await page.getByRole('heading', { name: 'Summering för perioden' }).waitFor();
      return page;
    };
    const regionen = await statistics('regionen');
    const orgs = regionen.locator('[data-chart="stats-source-orgs"]');
    await orgs.getByRole('heading', { name: 'Per organisation som källan hör till (kommun)' }).waitFor();
    await orgs.locator('summary').click();
    await orgs.getByRole('row', { name: /Botkyrka kommun\s*5/ }).waitFor();
    await orgs.getByRole('row', { name: /Huddinge kommun\s*3/ }).waitFor();
    expect(await regionen.getByRole('heading', { name: 'Era unga som en annan organisation svarade' }).count()).toBe(0);

    const huddinge = await statistics('huddinge');
    const elsewhere = huddinge.getByRole('table', { name: 'Era unga som en annan organisation svarade' });
    await elsewhere.waitFor();
    expect((await elsewhere.getByRole('row').allInnerTexts()).slice(1)).toEqual([expect.stringMatching(/^Regionjouren\s+3\s+0\s+0$/)]);
    expect(await huddinge.getByText('Botkyrka kommun').count()).toBe(0);
    await context.close();
  });
});
