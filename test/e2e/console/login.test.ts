// Console login in real Chromium: wrong password, wrong TOTP, lockout with back-off, CSRF without
// token, the typed password never leaves the browser, logout wipes, enrolment end to end.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../contract/errors.js';
import { createCookieJar, createResponderApi } from '../../../client/shared/api-client.js';
import { deriveLoginKeys } from '../../../crypto/password.js';
import { fromBase64url } from '../../../crypto/index.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { addResponder, loginConsole, totpCode, type TestResponder } from './support.js';

let browser: Browser;
let server: E2eServer;
let tove: TestResponder;
const contexts: BrowserContext[] = [];

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

/** Everything a page sends: URLs, headers, bodies (also of workers) and WebSocket frames. */
function captureTraffic(page: Page): string[] {
  const sent: string[] = [];
  const record = (r: Request) => {
    sent.push(r.url(), JSON.stringify(r.headers()), r.postData() ?? '');
  };
  page.context().on('request', record);
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  return sent;
}

async function submitLogin(page: Page, login: string, password: string, totp = '') {
  await page.getByLabel('Användarnamn').fill(login);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByLabel('Kod från autentiseringsappen').fill(totp);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer()]);
  tove = await addResponder(server, 'tove', ['unga'], { totp: true });
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('console login', () => {
  it('logs in without the password ever leaving the browser, and logout wipes the session', { timeout: 40_000 }, async () => {
    const page = await newPage();
    const sent = captureTraffic(page);
    await loginConsole(page, server, server.login, server.password);
    await page.getByRole('button', { name: 'Gå i tjänst i Socialtjänsten – unga' }).click();
    await page.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).waitFor();
    expect(sent.some((s) => s.includes('/api/v1/responder/login'))).toBe(true);
    expect(sent.some((s) => s.includes('"authKey"'))).toBe(true);
    for (const item of sent) expect(item).not.toContain(server.password);
    // Not even encoded: base64 / URL encoding of the password.
    const encodings = [Buffer.from(server.password).toString('base64'), encodeURIComponent(server.password)];
    for (const item of sent) for (const e of encodings) expect(item).not.toContain(e);
    // The session cookie is HttpOnly: page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect((await page.context().cookies()).find((c) => c.name === 'utvag_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('utvag.console.session.')))).toEqual([]);
    expect(await page.evaluate(async () => (await fetch('/api/v1/responder/me')).status)).toBe(401);
    expect(await server.store.duty.onDuty('unga' as never)).not.toContain('r-demo');
  });

  it('refuses a wrong password and a wrong TOTP code, and accepts the right code', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto(`${server.url}/console`);
    // Issue 14 §4: without a code the answer is the same for a wrong and a right password (it
    // used to be "wrong" here and "enter the code" only once the password was right: an oracle).
    await submitLogin(page, tove.login, 'fel lösenord');
    // (test/security/login-guesses.test.ts plays a wrong password with a code: login_failed.)
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Ange koden från din autentiseringsapp.');
    await submitLogin(page, tove.login, tove.password);
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Ange koden från din autentiseringsapp.');
    const wrong = totpCode(tove.totpSecret ?? '', 10); // five minutes off: outside the ±1 step window
    await submitLogin(page, tove.login, tove.password, wrong === totpCode(tove.totpSecret ?? '') ? '000000' : wrong);
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Fel användarnamn, lösenord eller kod.');
    // The code confirmed at enrolment was used once already: take the next one (±1 step is accepted).
    const used = totpCode(tove.totpSecret ?? '', 1);
    await submitLogin(page, tove.login, tove.password, used);
    await page.getByRole('heading', { name: 'Tjänstgöring' }).waitFor({ timeout: 20_000 });
    // The same code cannot be used twice (the very code just accepted; the current step's code may
    // be unused when enrolment happened a step earlier).
    const params = await createResponderApi({ baseUrl: server.url }).loginParams(tove.login);
    const keys = deriveLoginKeys(tove.password, fromBase64url(params.salt), params);
    expect(await codeOf(createResponderApi({ baseUrl: server.url, cookies: createCookieJar() }).login(tove.login, keys.authKey, used))).toBe('login_failed');
  });

  it('locks a login after repeated failures, with a growing wait, also for the right password', async () => {
    const victim = await addResponder(server, 'ville', ['unga']);
    const api = createResponderApi({ baseUrl: server.url, cookies: createCookieJar() });
    for (let i = 0; i < 5; i++) expect(await codeOf(api.login(victim.login, new Uint8Array(32)))).toBe('login_failed');
    const locked = await api.login(victim.login, new Uint8Array(32)).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(ApiRequestError);
    expect((locked as ApiRequestError).code).toBe('login_locked');
    expect((locked as ApiRequestError).status).toBe(429);
    expect((locked as ApiRequestError).retryAfter).toBeGreaterThan(0);
    // Locked: even the right key is refused until the wait is over.
    expect(await codeOf(api.login(victim.login, victim.authKey))).toBe('login_locked');
    // The console says how long to wait.
    const page = await newPage();
    await page.goto(`${server.url}/console`);
    await submitLogin(page, victim.login, victim.password);
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toMatch(/För många misslyckade försök. Vänta \d+ sekunder/);
  });

  it('rejects state changes without the CSRF token, from the page and from outside', async () => {
    const carl = await addResponder(server, 'carl', ['unga']);
    const page = await newPage();
    await loginConsole(page, server, carl.login, carl.password);
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/v1/responder/duty', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ team: 'unga', onDuty: true }) });
      return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
    });
    expect(status).toEqual({ status: 403, code: 'csrf_failed' });
    const cookie = (await page.context().cookies()).find((c) => c.name === 'utvag_session');
    const outside = await fetch(`${server.url}/api/v1/responder/conversations/${'a'.repeat(22)}/claim`, { method: 'POST', headers: { cookie: `utvag_session=${cookie?.value ?? ''}` } });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    expect(await server.store.duty.onDuty('unga' as never)).not.toContain(carl.id);
  });

  it('enrols a responder from an invitation: keys made in the browser, certified after the fingerprint check', { timeout: 60_000 }, async () => {
    const admin = await newPage();
    await loginConsole(admin, server, server.login, server.password);
    await admin.getByRole('button', { name: 'Administration' }).click();
    await admin.getByLabel('Namn som visas').fill('Nora Nyanställd');
    await admin.getByRole('group', { name: 'Team' }).getByLabel('Socialtjänsten – unga').check();
    await admin.getByRole('button', { name: 'Skapa inbjudan' }).click();
    const link = (await admin.locator('code.link-out').textContent()) ?? '';
    expect(link).toMatch(/\/console#enrol=[A-Za-z0-9_-]{43}$/);

    const invitee = await newPage();
    const sent = captureTraffic(invitee);
    const password = 'ett långt lösenord för Nora';
    await invitee.goto(link);
    await invitee.getByLabel('Användarnamn').fill('nora');
    await invitee.getByLabel('Lösenord', { exact: true }).fill(password);
    await invitee.getByLabel('Lösenordet igen').fill(password);
    await invitee.getByRole('button', { name: 'Skapa nycklar och registrera' }).click();
    const fingerprint = (await invitee.getByTestId('fingerprint').textContent({ timeout: 20_000 })) ?? '';
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    const secret = (await invitee.getByTestId('totp-secret').textContent()) ?? '';
    await invitee.getByLabel('Kod från autentiseringsappen').fill(totpCode(secret));
    await invitee.getByRole('button', { name: 'Bekräfta koden' }).click();
    await invitee.getByText('Klart. Du kan logga in när en administratör har certifierat dina nycklar.').waitFor();
    for (const item of sent) expect(item).not.toContain(password);

    // Not certified yet: the login is refused.
    await invitee.getByRole('button', { name: 'Logga in' }).click();
    await submitLogin(invitee, 'nora', password, totpCode(secret, 1));
    await expect.poll(() => invitee.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Fel användarnamn, lösenord eller kod.');

    // The admin compares the fingerprint; a wrong one is refused, the right one certifies.
    await admin.getByRole('button', { name: 'Samtal' }).click();
    await admin.getByRole('button', { name: 'Administration' }).click();
    const field = admin.getByLabel('Jämför fingeravtrycket med handläggaren och skriv det här');
    await field.fill('0000 0000 0000 0000 0000 0000 0000 0000');
    await admin.getByRole('button', { name: 'Certifiera' }).click();
    await expect.poll(() => admin.getByText('Något gick fel. Försök igen.').count()).toBe(1);
    await field.fill(fingerprint);
    await admin.getByRole('button', { name: 'Certifiera' }).click();
    await admin.getByText('Certifierad.').waitFor();

    await submitLogin(invitee, 'nora', password, totpCode(secret, 1)); // the refused attempt above consumed no code
    await invitee.getByRole('heading', { name: 'Tjänstgöring' }).waitFor({ timeout: 20_000 });
    expect(await invitee.getByText('Nora Nyanställd').count()).toBeGreaterThan(0);
    for (const item of sent) expect(item).not.toContain(password);
  });
});
