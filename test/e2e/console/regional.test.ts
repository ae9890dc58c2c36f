// The console of one organisation of a region in real Chromium: Huddinge's admin (Argon2id login, as
// printed by npm start) sees only Huddinge's team on the team screen, with the regional night team
// (which accepted Huddinge's overflow) offered and selected as its overflow — and nothing of Botkyrka's.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLoginKeys } from '../../../crypto/password.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { seedDemoRegion } from '../../../server/demo-region.js';
import { createDirectory } from '../../../server/directory/directory.js';
import { refreshDemoOrg } from '../../../server/directory/demo-org.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { loginConsole } from './support.js';

let browser: Browser;
let server: E2eServer;
let password = '';

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  const deps = { store: server.store, directory: createDirectory(server.store.records), clock: systemClock, random: systemRandom };
  const logins = await seedDemoRegion(deps, async (p, s, params) => deriveLoginKeys(p, s, params));
  await refreshDemoOrg(deps);
  password = logins.find((l) => l.login === 'huddinge')?.password ?? '';
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
});
