// Hostile server (d): at claim the server offers the visitor's widget a handshake for keys of its own —
// a certificate signed by an organisation key of its own making, and a certificate the organisation key
// really signed for the server's keys (what a swapped key at renewal would buy) but without the team
// inbox private key. The widget in real Chromium refuses both and says so, sends nothing under them,
// and still completes the genuine responder's handshake afterwards. Protocol v2 (crypto/PROTOCOL.md §4).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptIntake,
  createHandshake,
  decryptMessage,
  fromBase64url,
  generateBoxKeyPair,
  generateSigningKeyPair,
  intakeHash,
  issueResponderCert,
  parseIntakeEnvelope,
  parseResponderCert,
  parseTeamCert,
  toBase64url,
  type ResponderIdentity,
  type SessionState,
  type TeamInboxKey,
} from '../../../crypto/index.js';
import { orgSecret } from '../../../server/directory/demo-org.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { createResponder, marker, type Responder } from '../../e2e/widget/support.js';

let browser: Browser;
let server: E2eServer;
let responder: Responder;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['e2e-claim'] })]);
  responder = await createResponder(server);
  await responder.onDuty(['unga']);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const DAY = 86_400_000;

/** A responder identity for keys the server made, certified by `orgSecretKey` for team `unga`. */
function serverMadeIdentity(orgSecretKey: Parameters<typeof issueResponderCert>[0], serial: number): ResponderIdentity {
  const signKeyPair = generateSigningKeyPair();
  const now = Date.now();
  const bytes = issueResponderCert(orgSecretKey, {
    serial,
    id: 'server-made',
    displayName: 'Demo responder',
    teams: ['unga'],
    roles: ['responder'],
    signPublicKey: signKeyPair.publicKey,
    boxPublicKey: generateBoxKeyPair().publicKey,
    notBefore: now - 60_000,
    expires: now + 20 * DAY,
  });
  return { cert: { ...parseResponderCert(bytes).value, bytes }, signKeyPair };
}

describe('hostile server: a certificate for its own keys at claim (issue 14 §1, attack d)', () => {
  it('the widget refuses a forged certificate and a certified one without the inbox key; the server reads nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page: Page = await context.newPage();
    const first = marker('first');
    const secret = marker('written-while-forged');
    await page.goto(`${server.url}/c/e2e-claim`);
    await page.getByText('Någon är här just nu och kan svara.').waitFor();
    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(first);
    await page.getByRole('button', { name: 'Skicka' }).click();
    await page.getByRole('heading', { name: 'Chatt' }).waitFor();

    const item = await responder.queued((i) => i.source === 'e2e-claim');
    await responder.api.claim(item.id);
    // What the server sees of the intake: routing fields and its hash, never its contents.
    const intakeWire = fromBase64url(item.intake?.body ?? '');
    const env = parseIntakeEnvelope(intakeWire);
    const bundle = (await (await fetch(`${server.url}/api/v1/directory/teams/unga`)).json()) as { teamCert: string };
    const teamCert = { ...parseTeamCert(fromBase64url(bundle.teamCert)).value, bytes: fromBase64url(bundle.teamCert) };
    // The server does not hold the team inbox private key: it can only use a key of its own.
    const noInbox: TeamInboxKey = { cert: teamCert, keyPair: generateBoxKeyPair() };
    const context1 = {
      conversationId: env.conversationId,
      team: env.team,
      epoch: env.epoch,
      teamInboxPublicKey: teamCert.boxPublicKey,
      sessionNumber: 1,
      visitorPublicKey: env.visitorPublicKey,
      binding: intakeHash(intakeWire),
      psk: null,
    };
    const rogueOrg = generateSigningKeyPair();
    const realOrg = await orgSecret(server.store);
    if (realOrg === null) throw new Error('the demo server holds its organisation key');
    const forged: SessionState[] = [];
    const offers = [
      { what: 'certificate signed by an organisation key of the server', identity: serverMadeIdentity(rogueOrg.secretKey, 9001) },
      { what: 'certified by the organisation key, but no team inbox key', identity: serverMadeIdentity(realOrg, 9002) },
    ];
    for (const offer of offers) {
      const hs = createHandshake({ context: context1, responder: offer.identity, inbox: noInbox });
      forged.push(hs.state);
      await responder.api.post(item.id, { cid: `forged-handshake-${forged.length}-cid0000`, kind: 'handshake', body: toBase64url(hs.wire) });
      // The user sees why: the widget could not check who answers.
      await page.getByText('Vi kunde inte kontrollera att det är socialtjänsten som svarar.', { exact: false }).waitFor();
      expect(await page.getByText('Kontrollerad: personen jobbar på socialtjänsten.').count(), offer.what).toBe(0);
    }
    // The visitor writes while the forged offers stand: nothing may leave under the server's keys.
    const box = page.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(secret);
    await box.press('Enter');
    await page.waitForTimeout(1500);
    const log = (await responder.api.messages(item.id, null)).messages;
    const fromVisitor = log.filter((e) => e.from === 'visitor' && e.kind === 'message');
    expect(fromVisitor).toEqual([]);

    // The genuine responder (certificate and inbox key) still completes the same pending handshake,
    // and only it reads what the visitor wrote meanwhile.
    const intake = responder.openIntake(item);
    expect(intake.text).toBe(first);
    const genuine = acceptIntake(intake, responder.identity, responder.inboxFor(intakeWire));
    await responder.api.post(item.id, { cid: 'genuine-handshake-cid0000', kind: 'handshake', body: toBase64url(genuine.wire) });
    await page.getByText('Kontrollerad: personen jobbar på socialtjänsten.').waitFor();
    let state = genuine.state;
    const read: string[] = [];
    await expect
      .poll(
        async () => {
          for (const entry of (await responder.api.messages(item.id, null)).messages) {
            if (entry.from !== 'visitor' || entry.kind !== 'message') continue;
            for (const forgedState of forged) expect(() => decryptMessage(forgedState, fromBase64url(entry.body), { now: new Date() })).toThrow();
            try {
              const out = decryptMessage(state, fromBase64url(entry.body), { now: new Date() });
              state = out.state;
              if (out.content.type === 'text') read.push(out.content.text);
            } catch {
              // already read in an earlier round (Replay)
            }
          }
          return read;
        },
        { timeout: 10_000 },
      )
      .toContain(secret);
    await context.close();
  }, 60_000);
});
