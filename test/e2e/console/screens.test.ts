// Every console screen in real Chromium: axe-core finds no violations (Swedish and Arabic, right to
// left); callbacks are opened in the browser once taken, done erases the number, "not reached" counts an attempt;
// the lock screen wipes the keys and the password unlocks them again.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisitorApi } from '../../../client/shared/api-client.js';
import { conversationIdToString, createCallbackRequest, createIntake, toBase64url } from '../../../crypto/index.js';
import type { ConversationId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { solvePow } from '../../support/harness.js';
import { goOnDuty, loginConsole, newCid, openVisitor, verifiedTeamCert, type TestVisitor } from './support.js';

let browser: Browser;
let server: E2eServer;
let context: BrowserContext;
let page: Page;
let visitor: TestVisitor;

async function expectNoViolations(p: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page: p }).analyze();
  const violations = result.violations.map((v) => `${what}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(violations).toEqual([]);
}

/** A callback request as the widget sends it: sealed to the team inbox key, with a verification word. */
async function requestCallback(phone: string, timeWindow: string, word: string): Promise<string> {
  const status = await createVisitorApi({ baseUrl: server.url }).status('callback');
  const { teamCert } = await verifiedTeamCert(server, status.team);
  const request = createCallbackRequest({ teamCert, callback: { phone, timeWindow, language: 'sv', note: 'Ring efter skolan', verificationWord: word } });
  const opened = await createVisitorApi({ baseUrl: server.url }).open(
    { id: conversationIdToString(request.conversationId), category: 'callback', language: 'sv', source: 'e2e', intake: { cid: newCid(), kind: 'intake', body: toBase64url(request.wire) } },
    solvePow,
  );
  return opened.id;
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  context = await browser.newContext();
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe('console screens', () => {
  it('login screen: no axe violations in Swedish and in Arabic (right to left)', async () => {
    await page.goto(`${server.url}/console`);
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    await expectNoViolations(page, 'login sv');
    await page.getByLabel('Språk').selectOption('ar');
    await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await expectNoViolations(page, 'login ar');
    await page.getByLabel('اللغة').selectOption('sv');
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    await expect.poll(() => page.evaluate(() => localStorage.getItem('utvag.console.locale'))).toBe('sv');
  });

  it('workspace with a waiting conversation and an open chat: no violations', { timeout: 60_000 }, async () => {
    await loginConsole(page, server, server.login, server.password);
    await goOnDuty(page, 'Socialtjänsten – unga');
    visitor = await openVisitor(server, { category: 'chat', text: 'Hej, är det någon där?', danger: true });
    const row = page.locator(`li[data-conversation="${visitor.id}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Hej, är det någon där?');
    expect(await row.textContent()).toContain('I fara just nu');
    await expectNoViolations(page, 'workspace queue');
    await row.getByRole('button', { name: 'Ta samtalet' }).click();
    const code = await visitor.connected();
    await expect.poll(() => page.locator('.safety .code').textContent(), { timeout: 10_000 }).toBe(code);
    await visitor.send('Jag är rädd');
    await expect.poll(() => page.locator('.log').textContent(), { timeout: 10_000 }).toContain('Jag är rädd');
    // Team template and emergency snippet in the visitor's language.
    await page.getByText('Snabbsvar', { exact: true }).click();
    await page.getByRole('button', { name: /Du behöver inte säga vem du är/ }).click();
    expect(await page.getByLabel('Meddelande', { exact: true }).inputValue()).toContain('Du behöver inte säga vem du är');
    await page.getByRole('button', { name: 'Nödinformation' }).click();
    expect(await page.getByLabel('Meddelande', { exact: true }).inputValue()).toContain('112');
    await expectNoViolations(page, 'workspace chat');
    await page.getByRole('button', { name: 'Skicka' }).click();
    const [first] = await visitor.received(1);
    expect(first).toContain('112');
    await page.getByLabel('Språk').selectOption('ar');
    await page.getByRole('heading', { name: 'المناوبة' }).waitFor();
    await expectNoViolations(page, 'workspace ar');
    await page.getByLabel('اللغة').selectOption('sv');
    await page.getByRole('heading', { name: 'Tjänstgöring' }).waitFor();
  });

  it('callbacks: the number only after taking, opened in the browser; not reached stays mine; done erases it; no violations', { timeout: 60_000 }, async () => {
    const id = await requestCallback('070-123 45 67', 'i dag 15–17', 'Blåbär');
    await page.getByRole('button', { name: 'Återuppringningar' }).click();
    const item = page.locator(`li[data-callback="${id}"]`);
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    expect(await item.textContent()).not.toContain('070-123 45 67');
    await expectNoViolations(page, 'callbacks list');
    await item.getByRole('button', { name: 'Ta och visa' }).click();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('070-123 45 67');
    expect(await item.textContent()).toContain('Blåbär');
    expect(await item.textContent()).toContain('i dag 15–17');
    await expectNoViolations(page, 'callback revealed');
    await item.getByRole('button', { name: 'Nådde inte' }).click();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('1 försök');
    expect(await item.textContent()).toContain('070-123 45 67');
    await item.getByRole('button', { name: 'Klart – radera numret' }).click();
    await expect.poll(() => item.getByRole('button').count(), { timeout: 10_000 }).toBe(0);
    expect(await item.textContent()).not.toContain('070-123 45 67');
    expect(await server.store.callbacks.get(id as ConversationId)).toMatchObject({ state: 'done', teamSealed: null, claimerSealed: null, supervisorSealed: {} });
  });

  it('consents: decrypted in the browser, copy and view audited, delete; consents and administration screens: no violations', { timeout: 30_000 }, async () => {
    // The young person shares a name and number (sealed to the team inbox key, as the widget does).
    const { teamCert } = await verifiedTeamCert(server, 'unga');
    const sealed = createIntake({ teamCert, category: 'consent', text: JSON.stringify({ v: 1, conversation: visitor.id, name: 'Sam Exempel', phone: '070-000 00 00', retentionDays: 90 }) });
    const granted = await fetch(`${server.url}/api/v1/conversations/${visitor.id}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visitor.token}` },
      body: JSON.stringify({ sealed: toBase64url(sealed.wire), retentionDays: 90 }),
    });
    expect(granted.status).toBe(201);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Samtycken' }).click();
    await page.getByRole('heading', { name: 'Samtycken' }).waitFor();
    await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toContain('Sam Exempel');
    expect(await page.locator('main').textContent()).toContain('070-000 00 00');
    // Field names from the catalogues, not the sealed JSON's keys.
    const identity = (await page.locator('main dl.identity').textContent()) ?? '';
    expect(identity).toContain('Namn');
    expect(identity).toContain('Telefon');
    expect(identity).not.toMatch(/name|phone/);
    await expectNoViolations(page, 'consents');
    await page.getByRole('button', { name: 'Kopiera till ärendesystemet' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('Namn: Sam Exempel');
    await expect.poll(async () => (await server.store.audit.recent(20)).map((e) => e.action)).toContain('consent-copy');
    expect((await server.store.audit.recent(20)).map((e) => e.action)).toContain('consent-view');
    expect(JSON.stringify(await server.store.audit.recent(50))).not.toContain('Sam Exempel');
    await page.getByRole('button', { name: 'Radera' }).click();
    await page.getByText('Inga sparade samtycken.').waitFor();
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('group', { name: 'Team' }).waitFor();
    await expectNoViolations(page, 'admin');
    await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Teamens inställningar' }).waitFor();
    await expectNoViolations(page, 'admin-teams');
    await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('button', { name: 'Logg' }).click();
    await page.getByRole('heading', { name: 'Logg över åtgärder (utan innehåll)' }).waitFor();
    await expectNoViolations(page, 'admin-audit');
    const audit = (await page.locator('table').textContent()) ?? '';
    // Actions named from the catalogues, never as the server's identifiers (issue 15, bug 7).
    expect(audit).toContain('Tog ett samtal');
    expect(audit).toContain('Återuppringning klar');
    expect(audit).toContain('Gick i tjänst');
    for (const identifier of ['claim', 'callback-done', 'duty-on', 'login']) expect(audit).not.toContain(identifier);
    expect(audit).not.toContain('Jag är rädd');
  });

  it('lock wipes the keys; the password unlocks and the chat goes on; no violations', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Samtal' }).click();
    await page.getByRole('button', { name: 'Lås', exact: true }).click();
    await page.getByRole('heading', { name: 'Konsolen är låst' }).waitFor();
    await expectNoViolations(page, 'locked');
    await page.getByLabel('Lösenord').fill('fel');
    await page.getByRole('button', { name: 'Lås upp' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Fel användarnamn, lösenord eller kod.');
    await page.getByLabel('Lösenord').fill(server.password);
    await page.getByRole('button', { name: 'Lås upp' }).click();
    await page.getByRole('heading', { name: 'Tjänstgöring' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: /Ung person · sv/ }).first().click();
    await expect.poll(() => page.locator('section.chat').getAttribute('data-phase'), { timeout: 10_000 }).toBe('open');
    // The session survived the lock (sealed in this tab, reopened with the password): the chat goes on.
    await visitor.send('Efter låsningen');
    await expect.poll(() => page.locator('.log').textContent(), { timeout: 10_000 }).toContain('Efter låsningen');
    // A second tab of the same browser does not take the conversation over (Web Locks).
    const second = await context.newPage();
    await loginConsole(second, server, server.login, server.password);
    await second.getByRole('button', { name: /Ung person · sv/ }).first().click({ timeout: 10_000 });
    await second.getByText('Samtalet är öppet i en annan flik.').waitFor();
    expect((await server.store.log.after(visitor.id as ConversationId, null, 100)).filter((e) => e.kind === 'handshake')).toHaveLength(1);
    await second.close();
    // That login replaced the browser's session cookie: the first tab's next change asks to log in again.
    await page.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Du loggade in i en annan flik. Logga in igen här.');
    await loginConsole(page, server, server.login, server.password);
  });

  it('enrolment screen: no violations', { timeout: 45_000 }, async () => {
    const other = await browser.newContext();
    const p = await other.newPage();
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByLabel('Namn som visas').fill('Test Person');
    await page.getByRole('group', { name: 'Team' }).getByLabel('Föräldrarådgivning').check();
    await page.getByRole('button', { name: 'Skapa inbjudan' }).click();
    const link = (await page.locator('code.link-out').textContent()) ?? '';
    await p.goto(link);
    await p.getByRole('heading', { name: 'Registrera dig' }).waitFor();
    await expectNoViolations(p, 'enrol');
    await other.close();
  });
});
