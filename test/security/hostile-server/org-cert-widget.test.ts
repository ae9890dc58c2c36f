// The organisation certificate's life as the young person's widget sees it, in real Chromium against
// a real server: an expired certificate (nobody renewed it for 90 days) and a certificate the root
// revoked make the widget fail closed — it sends nothing and says, in a human sentence, that it could
// not check it is social services — and a renewal made the way `npm run org renew-org-cert` makes it
// (server/cli/org-root.ts, the root's signature, the publication check) is accepted again. The root
// is the demo organisation's, which the demo server keeps for exactly this (server/directory/demo-org.ts).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, issueOrgCert, issueOrgRevocation, toBase64url, type Ed25519PublicKey, type Ed25519SecretKey } from '../../../crypto/index.js';
import { createDirectory, type OrgBundle } from '../../../server/directory/directory.js';
import { checkPublication, orgCertState, planOrgCertRenewal, planOrgRevocation } from '../../../server/cli/org-root.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, type Responder } from '../../e2e/widget/support.js';

const DAY = 86_400_000;
const REFUSED = 'Vi kunde inte kontrollera att det är socialtjänsten. Skriv inget känsligt och försök igen senare.';
let browser: Browser;
let server: E2eServer;
let responder: Responder;
let rootSecret: Ed25519SecretKey;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['e2e-org'] })]);
  responder = await createResponder(server);
  await responder.onDuty(['unga']);
  rootSecret = fromBase64url((await server.store.records.get('demo-org-signing-key', 'root')) ?? '') as Ed25519SecretKey;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const directory = () => createDirectory(server.store.records);
const root = () => fromBase64url(server.rootPublicKey) as Ed25519PublicKey;
async function published(): Promise<OrgBundle> {
  const org = await directory().getOrg();
  if (org === null) throw new Error('no organisation');
  return org;
}
/** Publishes root-signed objects as `npm run org publish-org` does: only after checkPublication. */
async function publish(offered: { orgCert?: Uint8Array; orgRevocation?: Uint8Array }) {
  const org = await published();
  const checked = checkPublication(root(), { orgCert: fromBase64url(org.orgCert), orgRevocation: org.orgRevocation === undefined ? null : fromBase64url(org.orgRevocation) }, { orgCert: offered.orgCert ?? null, orgRevocation: offered.orgRevocation ?? null });
  await directory().putOrg({ ...org, orgCert: toBase64url(checked.orgCert), ...(checked.orgRevocation === null ? {} : { orgRevocation: toBase64url(checked.orgRevocation) }) });
}
const state = async () => {
  const org = await published();
  return orgCertState(root(), { orgCert: fromBase64url(org.orgCert), orgRevocation: org.orgRevocation === undefined ? null : fromBase64url(org.orgRevocation) });
};

/** A young person opens the QR page and writes a first message; returns the page and its API calls. */
async function writeFirstMessage(text: string): Promise<{ page: Page; apiCalls: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const apiCalls: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) apiCalls.push(`${r.method()} ${url.pathname}`);
  });
  await page.goto(`${server.url}/c/e2e-org`);
  await page.getByText('Någon är här just nu och kan svara.').waitFor();
  await page.getByRole('button', { name: 'Chatta nu' }).click();
  await page.getByLabel('Vad vill du berätta eller fråga?').fill(text);
  await page.getByRole('button', { name: 'Skicka' }).click();
  return { page, apiCalls };
}

async function expectRefused(text: string) {
  const before = (await responder.api.queue()).items.length;
  const { page, apiCalls } = await writeFirstMessage(text);
  await page.getByText(REFUSED).waitFor();
  expect(apiCalls.some((c) => c.startsWith('GET /api/v1/directory/teams/'))).toBe(true);
  expect(apiCalls.filter((c) => c.startsWith('POST /api/v1/conversations'))).toEqual([]);
  expect((await responder.api.queue()).items.length).toBe(before);
  await page.context().close();
}

describe('the organisation certificate in the widget (real Chromium, real server)', () => {
  it('an expired organisation certificate: the widget sends nothing and says why; the root’s renewal makes it work again', { timeout: 90_000 }, async () => {
    const current = await state();
    // Nobody renewed it: a certificate of the same key that ended an hour ago.
    const expired = issueOrgCert(rootSecret, { serial: current.cert.serial + 1, publicKey: current.cert.publicKey, notBefore: Date.now() - 80 * DAY, expires: Date.now() - 3_600_000 });
    await publish({ orgCert: expired });
    await expectRefused('Hej, certifikatet har gått ut');

    const renewal = planOrgCertRenewal(await state(), Date.now(), 90);
    await publish({ orgCert: issueOrgCert(rootSecret, renewal.next) });
    const { page, apiCalls } = await writeFirstMessage('Hej, nu är det förnyat');
    await responder.queued(() => true);
    expect(apiCalls.filter((c) => c === 'POST /api/v1/conversations')).toHaveLength(1);
    await expect(page.getByText(REFUSED).count()).resolves.toBe(0);
    await page.context().close();
  });

  it('a root revocation of the organisation certificate: the widget fails closed with a human sentence', { timeout: 60_000 }, async () => {
    const plan = planOrgRevocation(await state(), Date.now());
    await publish({ orgRevocation: issueOrgRevocation(rootSecret, plan.revocation) });
    await expectRefused('Hej, är det här på riktigt?');
  });
});
