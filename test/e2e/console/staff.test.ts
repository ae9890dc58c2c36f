// Staff administration in real Chromium, in a real organisation (the server holds no organisation
// key, and the console never opens it): the admin invites, the invitee enrols in its own browser, the
// console lists the enrolment under "Väntar på signering" with the fingerprint the invitee sees, and
// `npm run org sign` (spawned, "yes" piped) certifies it and rotates the team inbox key; a
// deactivation stops the account at once and is signed (revoked, rotated) by the tool. No page ever
// asks for the organisation passphrase or fetches the sealed key. axe finds no violations.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, parseRevocationList, parseResponderCert } from '../../../crypto/index.js';
import type { ResponderId, TeamId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import type { E2eServer } from '../../support/e2e-server.js';
import { startRealOrgServer, type RealOrg } from './real-org.js';
import { loginConsole, totpCode, type TestResponder } from './support.js';

let browser: Browser;
let org: RealOrg;
let admin: TestResponder;
let leaver: TestResponder;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const asServer = () => ({ url: org.url }) as E2eServer;

beforeAll(async () => {
  [browser, org] = await Promise.all([launchChromium(), startRealOrgServer()]);
  admin = await org.addResponder('astrid', ['unga'], ['responder', 'admin']);
  leaver = await org.addResponder('ludvig', ['unga']);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await org?.stop();
});

describe('staff administration (real organisation)', () => {
  it('shows what awaits signing, the tool certifies and revokes; the console never touches the key; no axe violations', { timeout: 180_000 }, async () => {
    const page = await newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await loginConsole(page, asServer(), admin.login, admin.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Väntar på signering' }).waitFor();
    await page.getByText('Inget väntar på signering.').waitFor();
    await page.getByRole('table', { name: 'Alla handläggare med team, roller och certifikat' }).waitFor();
    expect(await page.getByLabel(/lösenfras/i).count()).toBe(0);
    await expectNoViolations(page, 'staff, nothing awaiting');

    // Invite; the invitee enrols in its own browser.
    await page.getByLabel('Namn som visas').fill('Nora Nyanställd');
    await page.getByRole('group', { name: 'Team' }).getByLabel('Socialtjänsten – unga').check();
    await page.getByRole('button', { name: 'Skapa inbjudan' }).click();
    const link = (await page.locator('code.link-out').textContent()) ?? '';
    const invitee = await newPage();
    const password = 'ett långt lösenord för Nora';
    await invitee.goto(link);
    await invitee.getByRole('heading', { name: 'Registrera dig' }).waitFor({ timeout: 45_000 });
    await invitee.getByLabel('Användarnamn').fill('nora');
    await invitee.getByLabel('Lösenord', { exact: true }).fill(password);
    await invitee.getByLabel('Lösenordet igen').fill(password);
    await invitee.getByRole('button', { name: 'Skapa nycklar och registrera' }).click();
    const fingerprint = (await invitee.getByTestId('fingerprint').textContent({ timeout: 20_000 })) ?? '';
    const secret = (await invitee.getByTestId('totp-secret').textContent()) ?? '';
    await invitee.getByLabel('Kod från autentiseringsappen').fill(totpCode(secret));
    await invitee.getByRole('button', { name: 'Bekräfta koden' }).click();
    await invitee.getByText('Klart. Du kan logga in när en administratör har certifierat dina nycklar.').waitFor();

    // The console lists the enrolment with the fingerprint the invitee sees; it cannot certify it.
    await page.getByRole('button', { name: 'Samtal' }).click();
    await page.getByRole('button', { name: 'Administration' }).click();
    const awaiting = page.getByRole('list', { name: 'Väntar på signering' });
    await awaiting.getByText('Nora Nyanställd (nora): nya nycklar att certifiera. Fingeravtryck:').waitFor();
    await awaiting.getByText(fingerprint, { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Certifiera' }).count()).toBe(0);
    await expectNoViolations(page, 'staff, enrolment awaiting signature');

    // The admin runs the tool: it shows the same fingerprint (computed from the keys), one "yes" signs.
    const run = await org.runOrg(['sign'], 'yes\n');
    expect(run.stdout).toContain(`fingerprint ${fingerprint}`);
    expect(run.stdout).toContain('certified Nora Nyanställd');
    const noraId = (await org.store.staff.findResponderByLogin('nora'))?.id as ResponderId;
    expect((await org.store.staff.getResponder(noraId))?.active).toBe(true);
    const unga = await org.directory.currentTeamKey('unga' as TeamId);
    expect(Object.keys(unga?.deliveries ?? {}).sort()).toEqual([admin.id, leaver.id, noraId].sort());
    await page.getByRole('button', { name: 'Samtal' }).click();
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('cell', { name: 'nora', exact: true }).waitFor();
    await page.getByText('Inget väntar på signering.').waitFor();

    // Nora can log in with keys certified in the admin's browser.
    await invitee.getByRole('button', { name: 'Logga in' }).click();
    await invitee.getByLabel('Användarnamn').fill('nora');
    await invitee.getByLabel('Lösenord').fill(password);
    await invitee.getByLabel('Kod från autentiseringsappen').fill(totpCode(secret, 1));
    await invitee.getByRole('button', { name: 'Logga in' }).click();
    await invitee.getByRole('heading', { name: 'Tjänstgöring' }).waitFor({ timeout: 20_000 });

    // Deactivation: the account stops at once; the revocation and the rotation await the tool.
    const serial = parseResponderCert(fromBase64url((await org.directory.getResponderKeys(leaver.id))?.cert ?? '')).value.serial;
    await page.getByRole('button', { name: 'Avaktivera Handläggare ludvig' }).click();
    await page.getByRole('button', { name: 'Bekräfta: avaktivera Handläggare ludvig' }).click();
    await page.getByText('Handläggare ludvig är avaktiverad: inloggning och sessioner är stoppade. Återkallelse och nya inkorgsnycklar väntar på signering.').waitFor({ timeout: 20_000 });
    expect((await org.store.staff.getResponder(leaver.id))?.active).toBe(false);
    await awaiting.getByText('Handläggare ludvig: avaktiverad; certifikatet återkallas och inkorgsnycklarna för Socialtjänsten – unga byts').waitFor();
    await expectNoViolations(page, 'staff, deactivation awaiting signature');
    await page.getByLabel('Språk').selectOption('ar');
    await page.getByRole('heading', { name: 'بانتظار التوقيع' }).waitFor();
    await expectNoViolations(page, 'staff in Arabic (right to left)');
    await page.getByLabel('اللغة').selectOption('sv');
    expect(parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials).not.toContain(serial);
    const revoked = await org.runOrg(['sign'], 'yes\n');
    expect(revoked.stdout).toContain('revoked Handläggare ludvig');
    expect(parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials).toContain(serial);
    const rotated = await org.directory.currentTeamKey('unga' as TeamId);
    expect(rotated?.epoch).toBe((unga?.epoch ?? 0) + 1);
    expect(Object.keys(rotated?.deliveries ?? {}).sort()).toEqual([admin.id, noraId].sort());

    // Nothing the console did ever fetched the sealed organisation key.
    expect(requested.filter((p) => p.startsWith('/api/v1/admin/org/') && p !== '/api/v1/admin/org/pending')).toEqual([]);
    expect(requested).toContain('/api/v1/admin/org/pending');
  });

  it('warns the admins 14 days before the organisation certificate ends, until the root renews it', { timeout: 120_000 }, async () => {
    // The key holders renewed for 10 days only (the tool allows 1–90): the certificate is due.
    const short = await org.runOrg(['renew-org-cert', '--days', '10'], 'yes\n');
    expect(short.stderr).toBe('');
    const page = await newPage();
    await loginConsole(page, asServer(), admin.login, admin.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('alert').filter({ hasText: /Organisationens certifikat går ut .*npm run org -- renew-org-cert/ }).waitFor();
    await expectNoViolations(page, 'staff, organisation certificate due');
    const renewed = await org.runOrg(['renew-org-cert'], 'yes\n');
    expect(renewed.stderr).toBe('');
    await page.reload();
    await loginConsole(page, asServer(), admin.login, admin.password);
    const pending = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/admin/org/pending');
    await page.getByRole('button', { name: 'Administration' }).click();
    expect(((await (await pending).json()) as { orgCert: { due: boolean } }).orgCert.due).toBe(false);
    await page.getByRole('heading', { name: 'Väntar på signering' }).waitFor();
    await page.getByRole('table', { name: 'Alla handläggare med team, roller och certifikat' }).waitFor();
    expect(await page.getByText(/Organisationens certifikat går ut/).count()).toBe(0);
  });
});
