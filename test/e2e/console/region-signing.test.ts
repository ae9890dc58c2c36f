// A second organisation of a region, in real Chromium (issue 17): the root key holders certify
// Huddinge kommun with `npm run org -- add-org`, Huddinge's admin imports the bundle and invites its
// first admin, who enrols in her own browser and is certified with `sign --org huddinge`. In the
// console she sees her own organisation's "Väntar på signering" with her organisation's command,
// invites a colleague, compares the fingerprint, the tool signs it with Huddinge's key, and she sets
// her organisation's own retention (the deployment's settings are not hers). axe finds no violations.
import { AxeBuilder } from '@axe-core/playwright';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as crypto from '../../../crypto/index.js';
import type { OrgId, ResponderId } from '../../../server/store/ports.js';
import { createOrgRetention } from '../../../server/retention/settings.js';
import { launchChromium } from '../../support/chromium.js';
import type { E2eServer } from '../../support/e2e-server.js';
import { runOrgCli, startRealOrgServer, type RealOrg } from './real-org.js';
import { loginConsole } from './support.js';

let browser: Browser;
let org: RealOrg;
let dir: string;
const contexts: BrowserContext[] = [];
const PASSPHRASE = 'huddinges administratörers lösenfras';

const cli = (args: string[]) =>
  runOrgCli(args, 'yes\n', { REDIS_URL: org.redis.url, ROOT_PUBLIC_KEY: org.rootPublicKey, ORG_PASSPHRASE: PASSPHRASE, ROOT_PASSPHRASE: org.rootPassphrase, ROOT_KEY_FILE: org.rootKeyFile, ORG_LEDGER: join(dir, 'huddinge', 'ledger.json') });

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

/** The invitee enrols in its own browser; returns the fingerprint it reads from its own screen. */
async function enrolIn(link: string, login: string, password: string): Promise<string> {
  const invitee = await newPage();
  await invitee.goto(link);
  await invitee.getByRole('heading', { name: 'Registrera dig' }).waitFor({ timeout: 45_000 });
  await invitee.getByLabel('Användarnamn').fill(login);
  await invitee.getByLabel('Lösenord', { exact: true }).fill(password);
  await invitee.getByLabel('Lösenordet igen').fill(password);
  await invitee.getByRole('button', { name: 'Skapa nycklar och registrera' }).click();
  return (await invitee.getByTestId('fingerprint').textContent({ timeout: 20_000 })) ?? '';
}

beforeAll(async () => {
  [browser, org] = await Promise.all([launchChromium(), startRealOrgServer()]);
  dir = await mkdtemp(join(tmpdir(), 'utvag-region-e2e-'));
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await org?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('a second organisation signs with its own key (real Chromium, real CLI)', () => {
  it('its admin sees and signs her own organisation’s list, and sets her own retention', { timeout: 240_000 }, async () => {
    expect((await cli(['add-org', '--org', 'huddinge', '--name', 'Huddinge kommun', '--out', join(dir, 'huddinge')])).code).toBe(0);
    expect((await cli(['import', join(dir, 'huddinge', 'org-bundle.json')])).stdout).toContain('Imported organisation huddinge');
    const invited = await cli(['invite', '--org', 'huddinge', '--name', 'Hanna Huddinge', '--teams', 'huddinge-unga', '--roles', 'responder,admin', '--create-teams']);
    const link = /(\/console#enrol=[A-Za-z0-9_-]+)/.exec(invited.stdout)?.[1];
    expect(link).toBeDefined();
    const password = 'ett långt lösenord för Hanna';
    const hannaPrint = await enrolIn(`${org.url}${link}`, 'hanna', password);
    const first = await cli(['sign', '--org', 'huddinge']);
    expect(first.stdout).toContain(`fingerprint ${hannaPrint}`);
    expect(first.stdout).toContain('certified Hanna Huddinge');

    const page = await newPage();
    await loginConsole(page, { url: org.url } as E2eServer, 'hanna', password);
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Väntar på signering' }).waitFor();
    await page.getByText('Huddinge kommun har en egen organisationsnyckel. Signera med:').waitFor();
    await page.getByText('npm run org -- sign --org huddinge', { exact: true }).waitFor();
    await page.getByText('Inget väntar på signering.').waitFor();

    // She invites a colleague to her own team; the enrolment waits for Huddinge's key, fingerprint shown.
    await page.getByLabel('Namn som visas').fill('Hugo Huddinge');
    await page.getByRole('group', { name: 'Team' }).getByLabel('huddinge-unga').check();
    await page.getByRole('button', { name: 'Skapa inbjudan' }).click();
    const hugoLink = (await page.locator('code.link-out').textContent()) ?? '';
    const hugoPrint = await enrolIn(hugoLink, 'hugo', 'ett långt lösenord för Hugo');
    await page.getByRole('button', { name: 'Samtal' }).click();
    await page.getByRole('button', { name: 'Administration' }).click();
    const awaiting = page.getByRole('list', { name: 'Väntar på signering' });
    await awaiting.getByText('Hugo Huddinge (hugo): nya nycklar att certifiera. Fingeravtryck:').waitFor();
    await awaiting.getByText(hugoPrint, { exact: true }).waitFor();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    // The first organisation's signer does not see it; Huddinge's signs it with Huddinge's key.
    expect((await org.runOrg(['sign'], 'yes\n')).stdout).not.toContain('Hugo');
    const signed = await cli(['sign', '--org', 'huddinge']);
    expect(signed.stdout).toContain(`fingerprint ${hugoPrint}`);
    const hugoId = (await org.store.staff.findResponderByLogin('hugo'))?.id as ResponderId;
    const bundle = (await org.directory.getOrg('huddinge' as OrgId))!;
    const anchor = crypto.createTrustAnchor({ rootPublicKey: crypto.fromBase64url(org.rootPublicKey) as crypto.Ed25519PublicKey, orgCert: crypto.fromBase64url(bundle.orgCert), revocationList: crypto.fromBase64url(bundle.revocationList), now: new Date() });
    expect(anchor.org.organisation?.name).toBe('Huddinge kommun');
    expect(crypto.verifyResponderCert(anchor, crypto.fromBase64url((await org.directory.getResponderKeys(hugoId))!.cert), { now: new Date(), team: 'huddinge-unga' }).id).toBe(hugoId);
    await page.getByRole('button', { name: 'Samtal' }).click();
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByText('Inget väntar på signering.').waitFor();

    // Her organisation's retention is hers; the deployment's is not shown to her.
    const deployment = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/admin/retention');
    await page.getByRole('button', { name: 'Lagringstider' }).click();
    await page.getByRole('heading', { name: 'Er organisations lagringstider' }).waitFor();
    // The console asks for the deployment's settings, is refused, and shows nothing of them.
    expect((await deployment).status()).toBe(403);
    await page.getByLabel('Samtycken till identitet (dagar, 1–180)').waitFor();
    expect(await page.getByRole('heading', { name: 'Hur länge uppgifter sparas' }).count()).toBe(0);
    await page.getByLabel('Samtycken till identitet (dagar, 1–180)').fill('30');
    await page.getByRole('button', { name: 'Spara organisationens lagringstider' }).click();
    await page.getByText('Sparat. Äldre uppgifter raderas vid nästa rensning.').waitFor();
    expect((await createOrgRetention(org.store.records).stored('huddinge' as OrgId))?.consentDays).toBe(30);
  });
});
