// Staff administration in real Chromium, in a real organisation (the server holds no organisation
// key): the admin unlocks the passphrase-sealed key in the console, certifies an enrolled responder
// after the fingerprint check (the browser rotates the team inbox key), deactivates a responder (the
// browser revokes and rotates), and the key is gone after logout. axe finds no violations.
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
  it('unlocks the organisation key, certifies an enrolled responder and deactivates one; no axe violations', { timeout: 120_000 }, async () => {
    const page = await newPage();
    await loginConsole(page, asServer(), admin.login, admin.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Organisationsnyckel' }).waitFor();
    await page.getByRole('table', { name: 'Alla handläggare med team, roller och certifikat' }).waitFor();
    await expectNoViolations(page, 'staff, key locked');

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

    // Certifying needs the organisation key here: the server cannot sign.
    await page.getByRole('button', { name: 'Samtal' }).click();
    await page.getByRole('button', { name: 'Administration' }).click();
    const field = page.getByLabel('Jämför fingeravtrycket med handläggaren och skriv det här');
    await field.fill(fingerprint);
    await page.getByRole('button', { name: 'Certifiera' }).click();
    await page.getByText('Lås upp organisationsnyckeln först.').waitFor();

    // A wrong passphrase opens nothing; the right one unlocks.
    await page.getByLabel('Lösenfras för organisationsnyckeln').fill('inte rätt lösenfras');
    await page.getByRole('button', { name: 'Lås upp organisationsnyckeln' }).click();
    await page.getByText('Fel lösenfras, eller nyckeln hör inte till organisationens certifikat.').waitFor({ timeout: 20_000 });
    await page.getByLabel('Lösenfras för organisationsnyckeln').fill(org.passphrase);
    await page.getByRole('button', { name: 'Lås upp organisationsnyckeln' }).click();
    await page.getByRole('button', { name: 'Lås organisationsnyckeln' }).waitFor({ timeout: 20_000 });

    // A fingerprint that is not the keys' is refused in the browser; the right one certifies.
    await field.fill('0000 0000 0000 0000 0000 0000 0000 0000');
    await page.getByRole('button', { name: 'Certifiera' }).click();
    await page.getByText('Fingeravtrycket stämmer inte med nycklarna. Jämför igen med handläggaren.').waitFor();
    await field.fill(fingerprint);
    await page.getByRole('button', { name: 'Certifiera' }).click();
    await page.getByText('Certifierad.').waitFor({ timeout: 20_000 });
    const noraId = (await org.store.staff.findResponderByLogin('nora'))?.id as ResponderId;
    expect((await org.store.staff.getResponder(noraId))?.active).toBe(true);
    const unga = await org.directory.currentTeamKey('unga' as TeamId);
    expect(Object.keys(unga?.deliveries ?? {}).sort()).toEqual([admin.id, leaver.id, noraId].sort());
    await page.getByRole('cell', { name: 'nora', exact: true }).waitFor();
    await expectNoViolations(page, 'staff, key unlocked');

    // Nora can log in with keys certified in the admin's browser.
    await invitee.getByRole('button', { name: 'Logga in' }).click();
    await invitee.getByLabel('Användarnamn').fill('nora');
    await invitee.getByLabel('Lösenord').fill(password);
    await invitee.getByLabel('Kod från autentiseringsappen').fill(totpCode(secret, 1));
    await invitee.getByRole('button', { name: 'Logga in' }).click();
    await invitee.getByRole('heading', { name: 'Tjänstgöring' }).waitFor({ timeout: 20_000 });

    // Deactivation, signed here: revoked, removed from the new epoch.
    const serial = parseResponderCert(fromBase64url((await org.directory.getResponderKeys(leaver.id))?.cert ?? '')).value.serial;
    await page.getByRole('button', { name: 'Avaktivera Handläggare ludvig' }).click();
    await page.getByRole('button', { name: 'Bekräfta: avaktivera Handläggare ludvig' }).click();
    await page.getByText('Handläggare ludvig är avaktiverad. Nya inkorgsnycklar för: Socialtjänsten – unga.').waitFor({ timeout: 20_000 });
    expect((await org.store.staff.getResponder(leaver.id))?.active).toBe(false);
    expect(parseRevocationList(fromBase64url((await org.directory.getOrg())?.revocationList ?? '')).value.serials).toContain(serial);
    const rotated = await org.directory.currentTeamKey('unga' as TeamId);
    expect(rotated?.epoch).toBe((unga?.epoch ?? 0) + 1);
    expect(Object.keys(rotated?.deliveries ?? {}).sort()).toEqual([admin.id, noraId].sort());
    await expectNoViolations(page, 'staff after deactivation');
    await page.getByLabel('Språk').selectOption('ar');
    await page.getByRole('heading', { name: 'مفتاح المنظمة' }).waitFor();
    await expectNoViolations(page, 'staff in Arabic (right to left)');
    await page.getByLabel('اللغة').selectOption('sv');

    // Logging out wipes the key: after logging in again it must be unlocked anew.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await loginConsole(page, asServer(), admin.login, admin.password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('button', { name: 'Lås upp organisationsnyckeln' }).waitFor();
  });
});
