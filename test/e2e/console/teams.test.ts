// The teams administration in real Chromium: an admin makes today a holiday of the young people's
// team with its own out-of-hours text; a visitor's widget then shows that text (as plain text, in the
// visitor's language or Swedish) with the emergency numbers, and once someone is on duty in the
// overflow team the conversation goes there. A supervisor changes only their own team's settings.
// axe-core finds no violation in the section (admin sv and ar, supervisor).
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamSettings } from '../../../server/routing/team-settings.js';
import type { TeamId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder } from '../widget/support.js';
import { addResponder, loginConsole } from './support.js';

let browser: Browser;
let server: E2eServer;
let admin: BrowserContext;
let page: Page;

const SV_TEXT = 'Vi har stängt i dag för studiedag. <b>Vi svarar i morgon från 08:00.</b>';
const AR_TEXT = 'نحن مغلقون اليوم. سنرد غداً من الساعة 08:00.';
/** Today in Stockholm, as the server decides holidays. */
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

async function expectNoViolations(p: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page: p }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['e2e-teams'] })]);
  admin = await browser.newContext();
  page = await admin.newPage();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await server?.stop();
});

describe('teams administration', () => {
  it('an admin sets today as a holiday with a closed text; the widget shows it with the emergency numbers; the overflow team takes the chat', { timeout: 90_000 }, async () => {
    await loginConsole(page, server, server.login, server.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Teamens inställningar' }).waitFor();
    await page.getByLabel('Team att visa').selectOption('unga');
    const form = page.getByRole('form', { name: 'Socialtjänsten – unga' });
    await form.getByRole('group', { name: 'Öppettider (Europe/Stockholm)' }).waitFor();
    await expectNoViolations(page, 'teams sv');
    // The mapping names every category of the contract, each with the team that takes it.
    const mapping = page.getByRole('group', { name: 'Vilket team tar vad' });
    const mapped = await Promise.all(['Chatt (ung person)', 'Bli uppringd', 'Förälder eller närstående'].map((label) => mapping.getByLabel(label, { exact: true }).inputValue()));
    expect(mapped).toEqual(['unga', 'unga', 'foraldrar']);

    // Weekday hours through the per-weekday editor: Monday gets a second window.
    await form.getByRole('checkbox', { name: 'Alltid öppet' }).uncheck();
    await form.getByRole('group', { name: 'Måndag' }).getByRole('button', { name: 'Lägg till tid för Måndag' }).click();
    await form.getByLabel('Måndag, tid 1: från').fill('09:00');
    await form.getByLabel('Måndag, tid 1: till').fill('24:00');
    // Today as a holiday, closed all day, with texts in Swedish and Arabic (none in English).
    await form.getByLabel('Ny avvikande dag').fill(today());
    await form.getByRole('button', { name: 'Lägg till dagen' }).click();
    await form.getByLabel('Benämning').fill('Studiedag');
    await form.getByLabel('Svenska', { exact: true }).fill(SV_TEXT);
    await form.getByLabel('Arabiska', { exact: true }).fill(AR_TEXT);
    expect(await form.getByLabel('Arabiska', { exact: true }).getAttribute('dir')).toBe('rtl');
    await expectNoViolations(page, 'teams sv edited');
    await form.getByRole('button', { name: 'Spara Socialtjänsten – unga' }).click();
    await expect.poll(() => form.getByRole('status').textContent(), { timeout: 10_000 }).toBe('Sparat.');

    const stored = await createTeamSettings(server.store.records).get('unga' as TeamId);
    expect(stored.holidays).toEqual([{ date: today(), label: 'Studiedag', hours: [] }]);
    expect(stored.outOfHoursText).toEqual({ sv: SV_TEXT, en: '', ar: AR_TEXT });
    expect(stored.dutyHours).toEqual({ mon: [['09:00', '24:00']] });
    await page.getByLabel('Team att visa').selectOption('unga');
    await expect.poll(() => page.getByLabel('Team att visa').locator('option:checked').textContent()).toBe('Socialtjänsten – unga – Stängt nu');

    await page.getByLabel('Språk').selectOption('ar');
    await page.getByRole('heading', { name: 'إعدادات الفرق' }).waitFor();
    await expectNoViolations(page, 'teams ar');
    await page.getByLabel('اللغة').selectOption('sv');

    // A visitor: nobody can answer (the team is closed today, nobody is on duty in the overflow team).
    const visitor = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const widget = await visitor.newPage();
    await widget.goto(`${server.url}/c/e2e-teams`);
    await widget.getByText('Ingen kan svara just nu.').waitFor();
    const notice = widget.locator('.team-notice');
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toBe(SV_TEXT);
    expect(await notice.locator('b').count()).toBe(0); // shown as text, never as HTML
    await widget.getByRole('button', { name: 'Chatta nu' }).click();
    await widget.getByRole('heading', { name: 'Ingen kan svara just nu', level: 1 }).waitFor();
    expect(await widget.locator('main .team-notice').textContent()).toBe(SV_TEXT);
    for (const name of ['Ring 112 vid akut fara.', 'Polisen: 114 14', 'BRIS (för dig under 18): 116 111']) {
      expect(await widget.getByRole('link', { name }).getAttribute('href')).toMatch(/^tel:/);
    }
    // Arabic shows the Arabic text; English has none and falls back to Swedish (marked as Swedish).
    await widget.getByRole('combobox').first().selectOption('ar');
    await expect.poll(() => widget.locator('main .team-notice').textContent()).toBe(AR_TEXT);
    expect(await widget.locator('main .team-notice').getAttribute('lang')).toBe('ar');
    await widget.getByRole('combobox').first().selectOption('en');
    await expect.poll(() => widget.locator('main .team-notice').getAttribute('lang')).toBe('sv');
    expect(await widget.locator('main .team-notice').textContent()).toBe(SV_TEXT);
    await widget.getByRole('combobox').first().selectOption('sv');

    // Someone goes on duty in the overflow team (konsult): the chat is answered there.
    const responder = await createResponder(server);
    await responder.onDuty(['konsult']);
    await widget.reload();
    await widget.getByText('Någon är här just nu och kan svara.').waitFor({ timeout: 15_000 });
    expect(await widget.locator('.team-notice').count()).toBe(0);
    await widget.getByRole('button', { name: 'Chatta nu' }).click();
    await widget.getByLabel('Vad vill du berätta eller fråga?').fill('Hej, är någon där i dag?');
    await widget.getByRole('button', { name: 'Skicka' }).click();
    await widget.getByRole('heading', { name: 'Chatt' }).waitFor();
    const item = await responder.queued((i) => i.source === 'e2e-teams');
    expect(item.team).toBe('konsult');
    expect(responder.openIntake(item).text).toBe('Hej, är någon där i dag?');
    await visitor.close();
  });

  it('a supervisor changes the settings of their own team only (name, overflow and specialist flag stay with admins)', { timeout: 60_000 }, async () => {
    const sup = await addResponder(server, 'arbetsledare', ['foraldrar'], { roles: ['responder', 'supervisor'] });
    const context = await browser.newContext();
    const p = await context.newPage();
    await loginConsole(p, server, sup.login, sup.password);
    await p.getByRole('button', { name: 'Administration' }).click();
    await p.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Team' }).click();
    await p.getByRole('heading', { name: 'Teamens inställningar' }).waitFor();
    expect(await p.getByRole('group', { name: 'Vilket team tar vad' }).count()).toBe(0);
    expect(await p.getByRole('group', { name: 'Nytt team' }).count()).toBe(0);
    const own = p.getByRole('form', { name: 'Föräldrarådgivning' });
    await own.waitFor();
    expect(await own.getByLabel('Namn', { exact: true }).isDisabled()).toBe(true);
    expect(await own.getByLabel('När ingen är i tjänst går samtalen till').isDisabled()).toBe(true);
    expect(await own.getByRole('checkbox', { name: 'Specialistteam (under hot)' }).isDisabled()).toBe(true);
    await own.getByRole('checkbox', { name: 'Stängt på röda dagar och på midsommar-, jul- och nyårsafton' }).check();
    await own.getByText('Kommande röda dagar').click();
    await own.getByText(/Julafton/).first().waitFor();
    await own.getByLabel('Engelska', { exact: true }).fill('Parent guidance is closed on public holidays.');
    await expectNoViolations(p, 'teams supervisor');
    await own.getByRole('button', { name: 'Spara Föräldrarådgivning' }).click();
    await expect.poll(() => own.getByRole('status').textContent(), { timeout: 10_000 }).toBe('Sparat.');
    const stored = await createTeamSettings(server.store.records).get('foraldrar' as TeamId);
    expect(stored).toMatchObject({ publicHolidays: true, outOfHoursText: { en: 'Parent guidance is closed on public holidays.' }, specialist: false });
    // Another team: shown, not changeable.
    await p.getByLabel('Team att visa').selectOption('konsult');
    const other = p.getByRole('form', { name: 'Konsultationsteamet' });
    await other.getByText('Du kan se men inte ändra det här teamet.').waitFor();
    expect(await other.getByRole('button', { name: /^Spara/ }).count()).toBe(0);
    expect(await other.getByLabel('Svenska', { exact: true }).isDisabled()).toBe(true);
    await context.close();
  });
});
