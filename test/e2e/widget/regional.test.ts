// A region in real Chromium: a young person scans Huddinge's QR code while nobody in Huddinge is on
// duty; before writing, the widget says that the regional night team answers (its name from the
// organisation certificate the pinned root signed), seals the first message to that team, and the
// regional responder finds it in its queue. The first organisation's page says nothing of the kind.
// A young person who ticks "Jag är i fara just nu" while Huddinge (no specialist team) is on duty is
// told, before writing, that the regional team answers, and the regional team gets it, flagged.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi } from '../../../client/shared/api-client.js';
import { systemClock } from '../../../server/clock.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { regionAuthKey, seedRegion } from '../../support/region.js';
import { waitFor } from './support.js';
import { ar } from '../../../client/widget/i18n/ar.js';
import { fill } from '../../../client/widget/i18n/index.js';
import { createSources } from '../../../server/sources/index.js';
import type { OrgId, TeamId } from '../../../server/store/ports.js';

let browser: Browser;
let server: E2eServer;
const contexts: BrowserContext[] = [];
let regional: ReturnType<typeof createResponderApi>;
let region: Awaited<ReturnType<typeof seedRegion>>;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  region = await seedRegion(server.store, systemClock);
  regional = createResponderApi({ baseUrl: server.url, cookies: createCookieJar() });
  await regional.login('regionen', regionAuthKey(region.passwords.get('regionen')!));
  await regional.duty('regionjouren', true);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function page(path: string) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  contexts.push(context);
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${server.url}${path}`);
  return { page: p, errors };
}

describe('the widget in a region', () => {
  it('tells the young person that the regional team answers before they write, and the regional team gets it', async () => {
    const { page: p, errors } = await page('/c/huddinge');
    await p.getByText('Någon är här just nu och kan svara.').waitFor();
    await p.getByRole('button', { name: 'Chatta nu' }).click();
    await p.getByText('Just nu svarar Regionjouren.').waitFor();
    await p.getByLabel('Vad vill du berätta eller fråga?').fill('Hej, jag vill prata med någon.');
    await p.getByRole('button', { name: 'Skicka' }).click();
    const queued = await waitFor('the conversation in the regional queue', async () => ((await regional.queue()).items.length > 0 ? (await regional.queue()).items : null));
    expect(queued.map((i) => i.team)).toEqual(['regionjouren']);
    expect(errors).toEqual([]);
  });

  it('in Arabic too, and nothing of the kind on the first organisation’s page', async () => {
    await createSources({ records: server.store.records, clock: systemClock }).create({ tag: 'botkyrka-ar', label: 'Botkyrka (arabiska)', team: 'botkyrka-unga' as TeamId, language: 'ar', org: 'botkyrka' as OrgId });
    const { page: p } = await page('/c/botkyrka-ar');
    await p.getByRole('button', { name: ar.chatTitle }).click();
    await p.getByText(fill(ar.answeredBy, { org: 'Regionjouren' })).waitFor();
    // The first organisation (certificate version 1, no name): nobody on duty, the visitor writes anyway.
    const { page: demo } = await page('/c/demo');
    await demo.getByRole('button', { name: 'Chatta nu' }).click();
    await demo.getByRole('button', { name: 'Skriv ändå' }).click();
    await demo.getByRole('heading', { name: 'Skriv till oss' }).waitFor();
    await demo.waitForTimeout(1000);
    expect(await demo.getByText(/Just nu svarar/).count()).toBe(0);
  });

  it('in danger, with Huddinge on duty but no specialist team there, the regional team answers and says so first', async () => {
    const huddinge = createResponderApi({ baseUrl: server.url, cookies: createCookieJar() });
    await huddinge.login('huddinge', regionAuthKey(region.passwords.get('huddinge')!));
    await huddinge.duty('huddinge-unga', true);
    const before = new Set((await regional.queue()).items.map((i) => i.id));
    const { page: p, errors } = await page('/c/huddinge');
    await p.getByRole('button', { name: 'Chatta nu' }).click();
    await p.getByText('Just nu svarar Huddinge kommun.').waitFor();
    const danger = p.getByLabel('Jag är i fara just nu');
    await danger.check();
    await p.getByText('Just nu svarar Regionjouren.').waitFor();
    expect(await p.getByText('Just nu svarar Huddinge kommun.').count()).toBe(0);
    // Unticked, the municipality answers again; ticked once more, the region.
    await danger.uncheck();
    await p.getByText('Just nu svarar Huddinge kommun.').waitFor();
    await danger.check();
    await p.getByText('Just nu svarar Regionjouren.').waitFor();
    await p.getByLabel('Vad vill du berätta eller fråga?').fill('Jag är rädd, någon hotar mig.');
    await p.getByRole('button', { name: 'Skicka' }).click();
    const added = await waitFor('the conversation in the regional queue', async () => {
      const items = (await regional.queue()).items.filter((i) => !before.has(i.id));
      return items.length > 0 ? items : null;
    });
    expect(added.map((i) => ({ team: i.team, danger: i.danger }))).toEqual([{ team: 'regionjouren', danger: true }]);
    expect((await huddinge.queue()).items).toEqual([]);
    expect(errors).toEqual([]);
    await huddinge.duty('huddinge-unga', false);
  });
});
