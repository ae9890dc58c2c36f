// The statistics dashboard in real Chromium: a supervisor picks the period, sees the charts drawn from
// the counters, downloads the CSV with the same numbers, and axe finds no violations in Swedish or
// Arabic (right to left); the retention section stores what the admin saves.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisitorApi } from '../../client/shared/api-client.js';
import { stockholmDay } from '../../server/stats/stockholm-day.js';
import { createStatsCounter } from '../../server/stats/counter.js';
import { launchChromium } from '../support/chromium.js';
import { startE2eServer, type E2eServer } from '../support/e2e-server.js';
import { solvePow } from '../support/harness.js';
import { loginConsole } from '../e2e/console/support.js';

const SHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../.tmp/screenshots/', import.meta.url));

/** Screens looked at while working, never committed. */
const PREVIEW = fileURLToPath(new URL('../../.tmp/screenshots/', import.meta.url));

let browser: Browser;
let server: E2eServer;
let context: BrowserContext;
let page: Page;

async function expectNoViolations(p: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page: p }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['affisch-e2e'] })]);
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  // Today's counters: one conversation through the real API, the rest counted as the service would.
  await createVisitorApi({ baseUrl: server.url }).open({ category: 'chat', language: 'sv', source: 'affisch-e2e' }, solvePow);
  const count = createStatsCounter({ stats: server.store.stats, now: () => Date.now() });
  const unga = { team: 'unga', category: 'chat', source: 'skolsida' } as const;
  for (let i = 0; i < 3; i += 1) await count.opened(unga);
  await count.claimed(unga, 20_000, true);
  await count.claimed(unga, 50_000, true);
  await count.claimed(unga, 400_000, true);
  await count.abandoned({ team: 'unga', category: 'parent', source: 'skolsida' }, 'left');
  await count.closed(unga, 'helped', { messages: 12, durationMs: 25 * 60_000 });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe('statistics dashboard', () => {
  it('shows the charts, downloads the CSV with the same numbers, and has no axe violations', { timeout: 90_000 }, async () => {
    await loginConsole(page, server, server.login, server.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('button', { name: 'Statistik', exact: true }).click();
    await page.getByRole('heading', { name: 'Statistik', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Visa' }).click();
    const opened = page.locator('tr[data-total="opened"] td');
    await expect.poll(() => opened.textContent(), { timeout: 10_000 }).toBe('4');
    expect(await page.locator('tr[data-total="claimed"] td').textContent()).toBe('3');
    expect(await page.locator('tr[data-total="abandoned"] td').textContent()).toBe('1');

    // The charts: today's bars, the wait histogram with p50 and p90 marked, sources as bars.
    const days = page.getByRole('img', { name: /Samtal per dag/ });
    await days.waitFor();
    expect(await days.locator('rect[data-series="opened"]').count()).toBe(1);
    const wait = page.locator('figure[data-chart="stats-wait"]');
    expect(await wait.locator('svg').textContent()).toContain('p50');
    expect(await wait.locator('svg').textContent()).toContain('p90');
    expect(await wait.locator('figcaption').textContent()).toContain('Hälften väntade högst 1 min (p50), nio av tio högst 8 min (p90)');
    expect(await page.locator('figure[data-chart="stats-sources"] rect[data-row="skolsida"]').count()).toBe(1);
    expect(await page.locator('figure[data-chart="stats-sources"] rect[data-row="affisch-e2e"]').count()).toBe(1);
    // Outcomes under the names the close form gives them, not their stored tags.
    expect(await page.locator('figure[data-chart="stats-outcomes"] svg').textContent()).toContain('Fick stöd');
    expect(await page.locator('figure[data-chart="stats-outcomes"] svg').textContent()).not.toContain('helped');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}statistics.png`, fullPage: true });
    // The table alternative holds the same numbers.
    await page.locator('figure[data-chart="stats-days"] summary').click();
    const today = stockholmDay(Date.now());
    expect(await page.locator(`figure[data-chart="stats-days"] tr:has(th:text("${today}")) td`).allTextContents()).toEqual(['4', '3', '1']);
    await expectNoViolations(page, 'statistics sv');

    // CSV: a file download with one row per counter.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ner CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^utvag-statistik-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const rows = csv
      .trim()
      .split('\r\n')
      .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1] ?? ''));
    expect(rows[0]).toEqual(['day', 'team', 'category', 'source', 'metric', 'bucket', 'count']);
    const sum = (pred: (r: string[]) => boolean) => rows.slice(1).filter(pred).reduce((s, r) => s + Number(r[6]), 0);
    expect(sum((r) => r[4] === 'opened')).toBe(4);
    expect(sum((r) => r[4] === 'opened' && r[3] === 'affisch-e2e')).toBe(1);
    expect(sum((r) => r[4] === 'claimed')).toBe(3);
    expect(sum((r) => r[4] === 'wait' && r[5] === '480')).toBe(1);
    expect(rows.slice(1).every((r) => r[0] === today)).toBe(true);

    // Arabic, right to left: mirrored charts, no violations.
    await page.getByLabel('Språk').selectOption('ar');
    await page.getByRole('heading', { name: 'الإحصاءات', level: 2 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('img', { name: /المحادثات في اليوم/ }).waitFor();
    await expectNoViolations(page, 'statistics ar');
    mkdirSync(PREVIEW, { recursive: true });
    await page.screenshot({ path: `${PREVIEW}statistics-ar.png`, fullPage: true });
    await page.getByLabel('اللغة').selectOption('sv');
  });

  it('the retention section stores what the admin saves', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Lagringstider' }).click();
    // The deployment's form (every organisation's admin also has the organisation's own, above it).
    const consents = page.getByRole('region', { name: 'Hur länge uppgifter sparas' }).getByLabel(/Samtycken till identitet/);
    await expect.poll(() => consents.inputValue()).toBe('180');
    await consents.fill('90');
    await page.getByRole('button', { name: 'Spara lagringstider' }).click();
    await page.getByText('Sparat. Äldre uppgifter raderas vid nästa rensning.').waitFor();
    expect(JSON.parse((await server.store.records.get('retention', 'settings')) ?? '{}')).toMatchObject({ consentDays: 90, auditDays: 365 });
    await expectNoViolations(page, 'retention sv');
  });
});
