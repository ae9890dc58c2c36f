// Routing through the console in real Chromium: two responders race for one conversation, a transfer
// moves it (and the first responder reads nothing new), off duty / a stopped heartbeat gets no offers,
// another team can neither claim nor read, and overflow goes to the fallback team.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../contract/errors.js';
import type { TeamId } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { addResponder, apiAs, goOnDuty, loginConsole, openVisitor, until, type TestResponder } from './support.js';

let browser: Browser;
let server: E2eServer;
let anna: TestResponder;
let bo: TestResponder;
let per: TestResponder;
const contexts: BrowserContext[] = [];

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

async function consolePage(who: TestResponder): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`pageerror ${who.login}: ${e.message}\n`));
  await loginConsole(page, server, who.login, who.password);
  return page;
}

const queueItem = (page: Page, id: string) => page.locator(`li[data-conversation="${id}"]`);

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ env: { PRESENCE_TTL_SECONDS: '5' }, sources: ['qr-skola'] })]);
  anna = await addResponder(server, 'anna', ['unga']);
  bo = await addResponder(server, 'bo', ['unga']);
  per = await addResponder(server, 'per', ['foraldrar']);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('console routing', () => {
  let pageA: Page;
  let pageB: Page;

  it('two responders race to claim one conversation and exactly one gets it', { timeout: 60_000 }, async () => {
    [pageA, pageB] = await Promise.all([consolePage(anna), consolePage(bo)]);
    await Promise.all([goOnDuty(pageA, 'Socialtjänsten – unga'), goOnDuty(pageB, 'Socialtjänsten – unga')]);
    const visitor = await openVisitor(server, { category: 'chat', text: 'Jag vill sluta, kan någon prata?', language: 'sv', source: 'qr-skola' });
    for (const page of [pageA, pageB]) {
      await expect.poll(() => queueItem(page, visitor.id).textContent(), { timeout: 10_000 }).toContain('Jag vill sluta, kan någon prata?');
      expect(await queueItem(page, visitor.id).textContent()).toContain('qr-skola');
    }
    // Both press "Ta samtalet" at the same moment. A click in the page itself, not Playwright's
    // click: that one first waits for the button to be stable, and on a loaded machine the winner's
    // claim is pushed to the other console (which drops the card) before the second click lands.
    const press = (page: Page) => queueItem(page, visitor.id).getByRole('button', { name: 'Ta samtalet' }).evaluate((b) => (b as HTMLButtonElement).click());
    await Promise.all([press(pageA), press(pageB)]);
    const record = await until(async () => {
      const r = await server.store.conversations.get(visitor.id as never);
      return r?.status === 'active' ? r : undefined;
    }, 'claim');
    const [winner, loser] = record.assignee === anna.id ? [pageA, pageB] : [pageB, pageA];
    expect([anna.id, bo.id]).toContain(record.assignee);
    await winner.locator(`section.chat[data-conversation="${visitor.id}"]`).waitFor();
    await expect.poll(() => loser.getByRole('status').first().textContent()).toContain('Någon annan hann före.');
    expect(await loser.locator('section.chat').count()).toBe(0);

    // The winner's console ran the handshake: the visitor verifies it and both see the same safety code.
    const code = await visitor.connected();
    await expect.poll(() => winner.locator('.safety .code').textContent(), { timeout: 10_000 }).toBe(code);
    await visitor.send('Hej, jag är 15 och vill ut.');
    await expect.poll(() => winner.locator('.log').textContent(), { timeout: 10_000 }).toContain('Hej, jag är 15 och vill ut.');
    await winner.getByLabel('Meddelande', { exact: true }).fill('Hej! Bra att du hör av dig.');
    await winner.getByRole('button', { name: 'Skicka' }).click();
    expect(await visitor.received(1)).toEqual(['Hej! Bra att du hör av dig.']);

    // A transfer moves it to the colleague with a fresh handshake; the first responder reads no more.
    const [fromPage, toPage, from, to] = winner === pageA ? [pageA, pageB, anna, bo] : [pageB, pageA, bo, anna];
    await fromPage.getByLabel('Till').selectOption(`r:${to.id}`);
    await fromPage.getByRole('button', { name: 'Lämna över', exact: true }).click();
    await expect.poll(() => fromPage.locator('section.chat').getAttribute('data-phase'), { timeout: 10_000 }).toBe('transferred');
    const newCode = await visitor.connected();
    const toChat = toPage.locator(`section.chat[data-conversation="${visitor.id}"]`);
    await toPage.getByRole('button', { name: /Ung person · sv/ }).click();
    await expect.poll(() => toChat.getAttribute('data-phase'), { timeout: 15_000 }).toBe('open');
    expect(await toChat.locator('.safety .code').textContent()).toBe(newCode);
    expect(newCode).not.toBe(code === newCode ? '' : code);
    await visitor.send('Efter överlämningen: hemligt');
    await expect.poll(() => toChat.locator('.log').textContent(), { timeout: 10_000 }).toContain('Efter överlämningen: hemligt');
    expect(await fromPage.locator('.log').textContent()).not.toContain('Efter överlämningen');
    const { api: fromApi } = await apiAs(server, from);
    expect(await codeOf(fromApi.messages(visitor.id))).toBe('forbidden');
    expect(await codeOf(fromApi.post(visitor.id, { cid: 'c'.repeat(16), kind: 'message', body: 'AAAA' }))).toBe('forbidden');
    await toPage.getByLabel('Utfall').selectOption('helped');
    await toPage.getByRole('button', { name: 'Avsluta samtalet' }).click();
    await toPage.getByRole('button', { name: 'Ja, avsluta' }).click();
    await expect.poll(async () => (await server.store.conversations.get(visitor.id as never))?.status).toBe('closed');
  });

  it('a responder who goes off duty, or whose heartbeat stops, gets no new offers', { timeout: 40_000 }, async () => {
    await pageB.getByRole('button', { name: 'Gå ur tjänst i Socialtjänsten – unga' }).click();
    await pageB.getByRole('button', { name: 'Gå i tjänst i Socialtjänsten – unga' }).waitFor();
    const first = await openVisitor(server, { category: 'chat', text: 'Första efter rast' });
    await queueItem(pageA, first.id).waitFor({ timeout: 10_000 });
    await expect.poll(() => pageB.getByText('Gå i tjänst för att se väntande samtal.').count()).toBe(1);
    expect(await queueItem(pageB, first.id).count()).toBe(0);
    const { api: boApi } = await apiAs(server, bo);
    expect(await codeOf(boApi.claim(first.id))).toBe('off_duty');

    // Anna's laptop "closes": her heartbeats stop reaching the server, and after the presence TTL she is off duty.
    await pageA.route('**/api/v1/responder/heartbeat', (route) => route.abort());
    await until(async () => ((await server.store.duty.onDuty('unga' as TeamId)).includes(anna.id) ? undefined : true), 'presence to expire', 15_000);
    const second = await openVisitor(server, { category: 'chat', text: 'Ingen där?' });
    expect(second.team).toBe('unga'); // nobody on duty anywhere on the path: it waits in its own team
    await new Promise((r) => setTimeout(r, 2500)); // two queue polls
    expect(await queueItem(pageA, first.id).count()).toBe(0);
    expect(await queueItem(pageA, second.id).count()).toBe(0);
    const { api: annaApi } = await apiAs(server, anna);
    expect((await annaApi.queue()).items).toEqual([]);
    expect(await codeOf(annaApi.claim(first.id))).toBe('off_duty');
    await pageA.unroute('**/api/v1/responder/heartbeat');
  });

  it('a responder of another team can neither claim nor read', { timeout: 40_000 }, async () => {
    const pageP = await consolePage(per);
    await goOnDuty(pageP, 'Föräldrarådgivning');
    await goOnDuty(pageB, 'Socialtjänsten – unga');
    const young = await openVisitor(server, { category: 'chat', text: 'Bara för unga-teamet' });
    expect(young.team).toBe('unga');
    await queueItem(pageB, young.id).waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await queueItem(pageP, young.id).count()).toBe(0);
    const { api: perApi } = await apiAs(server, per);
    expect(await codeOf(perApi.claim(young.id))).toBe('forbidden');
    expect(await codeOf(perApi.messages(young.id))).toBe('forbidden');
    await queueItem(pageB, young.id).getByRole('button', { name: 'Ta samtalet' }).click();
    await young.connected();
    expect(await codeOf(perApi.messages(young.id))).toBe('forbidden');
    expect(await codeOf(perApi.transfer(young.id, { toTeam: 'foraldrar' }))).toBe('not_assignee');
  });

  it('overflow routes to the fallback team when nobody is on duty', async () => {
    const pageP = (await browser.contexts().at(-1)?.pages())?.[0];
    if (pageP === undefined) throw new Error('per page');
    await pageP.getByRole('button', { name: 'Gå ur tjänst i Föräldrarådgivning' }).click();
    await pageP.getByRole('button', { name: 'Gå i tjänst i Föräldrarådgivning' }).waitFor();
    // Parent guidance has nobody on duty: the conversation goes to its overflow team, "unga", where Bo is.
    const parent = await openVisitor(server, { category: 'parent', text: 'Jag oroar mig för min son', language: 'ar' });
    expect(parent.team).toBe('unga');
    const row = queueItem(pageB, parent.id);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Jag oroar mig för min son');
    expect(await row.textContent()).toContain('Förälder');
    // The status the widget shows says the fallback team is staffed.
    const status = (await (await fetch(`${server.url}/api/v1/status?category=parent`)).json()) as { team: string; staffed: boolean };
    expect(status).toMatchObject({ team: 'unga', staffed: true });
  });

  it('"under threat" hands the conversation to the specialist team with a fresh handshake', { timeout: 60_000 }, async () => {
    // The specialist must also be certified for the conversation's own team (the visitor checks it).
    const kim = await addResponder(server, 'kim', ['unga', 'konsult']);
    const lea = await addResponder(server, 'lea', ['unga']);
    const [pageK, pageA] = await Promise.all([consolePage(kim), consolePage(lea)]);
    await goOnDuty(pageK, 'Konsultationsteamet');
    await goOnDuty(pageA, 'Socialtjänsten – unga');
    const visitor = await openVisitor(server, { category: 'chat', text: 'De hotar mig' });
    await queueItem(pageA, visitor.id).getByRole('button', { name: 'Ta samtalet' }).click({ timeout: 10_000 });
    const first = await visitor.connected();
    await pageA.getByRole('button', { name: 'Under hot – till specialistteamet' }).click();
    await pageA.getByRole('button', { name: 'Ja, lämna över' }).click();
    await expect.poll(() => pageA.locator(`section.chat[data-conversation="${visitor.id}"]`).getAttribute('data-phase'), { timeout: 10_000 }).toBe('transferred');
    expect((await server.store.conversations.get(visitor.id as never))?.team).toBe('konsult');
    const row = queueItem(pageK, visitor.id);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Överlämnat från en kollega');
    await row.getByRole('button', { name: 'Ta samtalet' }).click();
    const second = await until(async () => {
      const code = await visitor.connected();
      return code !== first ? code : undefined;
    }, 'the specialist handshake');
    const chat = pageK.locator(`section.chat[data-conversation="${visitor.id}"]`);
    await expect.poll(() => chat.getAttribute('data-phase'), { timeout: 15_000 }).toBe('open');
    expect(await chat.locator('.safety .code').textContent()).toBe(second);
    await visitor.send('Tack, till specialisten');
    await expect.poll(() => chat.locator('.log').textContent(), { timeout: 10_000 }).toContain('Tack, till specialisten');
    expect(await pageA.locator('.log').last().textContent()).not.toContain('Tack, till specialisten');
    const audit = (await server.store.audit.recent(50)).map((e) => e.action);
    expect(audit).toContain('threat-handover');
  });
});
