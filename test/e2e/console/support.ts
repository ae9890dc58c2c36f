// Support for the console's browser tests: a visitor driven from Node with crypto/ and the HTTP API
// (the widget is tested on its own), responders with real certified keys, and console page helpers.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import {
  completeHandshake,
  conversationIdToString,
  createIntake,
  createSessionRequest,
  createTrustAnchor,
  decryptMessage,
  encryptMessage,
  fromBase64url,
  toBase64url,
  verifyTeamCert,
  type Ed25519PublicKey,
  type PendingVisitor,
  type SessionState,
  type TrustAnchor,
  type VerifiedTeamCert,
} from '../../../crypto/index.js';
import { deriveLoginKeys } from '../../../crypto/password.js';
import { createCookieJar, createResponderApi, createVisitorApi, type Category, type LogEntry } from '../../../client/shared/api-client.js';
import { systemClock, systemRandom } from '../../../server/clock.js';
import { createDirectory } from '../../../server/directory/directory.js';
import { enrolDemoResponder, refreshDemoOrg } from '../../../server/directory/demo-org.js';
import { createTotp } from '../../../server/enrolment/totp.js';
import { DEFAULT_KDF, authKeyHash } from '../../../server/routes/responder.js';
import type { ResponderId, ResponderRecord, Role, TeamId } from '../../../server/store/ports.js';
import { solvePow } from '../../support/harness.js';
import type { E2eServer } from '../../support/e2e-server.js';

export const newCid = () => randomBytes(12).toString('base64url');

/** Polls `check` until it returns a value other than undefined (or throws after `timeoutMs`). */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface TestVisitor {
  readonly id: string;
  readonly token: string;
  readonly team: string;
  /** Waits for the responder's handshake (and answers transfers on the way); returns the safety code. */
  connected(): Promise<string>;
  send(text: string): Promise<void>;
  /** Waits until a text from the responder arrives; returns every text received so far. */
  received(count: number): Promise<string[]>;
  readonly session: SessionState | null;
}

/** A team's inbox certificate as the widget gets it: fetched, verified against the pinned root key. */
export async function verifiedTeamCert(server: E2eServer, team: string): Promise<{ anchor: TrustAnchor; teamCert: VerifiedTeamCert }> {
  const bundle = (await (await fetch(`${server.url}/api/v1/directory/teams/${team}`)).json()) as { orgCert: string; revocationList: string; teamCert: string };
  const now = new Date();
  const anchor = createTrustAnchor({
    rootPublicKey: fromBase64url(server.rootPublicKey) as Ed25519PublicKey,
    orgCert: fromBase64url(bundle.orgCert),
    revocationList: fromBase64url(bundle.revocationList),
    now,
  });
  return { anchor, teamCert: verifyTeamCert(anchor, fromBase64url(bundle.teamCert), { now, team }) };
}

/** Opens a conversation as the widget does: verified team certificate, sealed intake, proof of work. */
export async function openVisitor(server: E2eServer, input: { category: Category; text: string; language?: string; source?: string; danger?: boolean }): Promise<TestVisitor> {
  const visitorApi = createVisitorApi({ baseUrl: server.url });
  const status = await visitorApi.status(input.category);
  const { anchor, teamCert } = await verifiedTeamCert(server, status.team);
  const intake = createIntake({ teamCert, category: input.category, text: input.text });
  const id = conversationIdToString(intake.pending.conversationId);
  const opened = await visitorApi.open(
    { id, category: input.category, language: input.language ?? 'sv', source: input.source ?? 'e2e', danger: input.danger ?? false, intake: { cid: newCid(), kind: 'intake', body: toBase64url(intake.wire) } },
    solvePow,
  );
  let pending: PendingVisitor = intake.pending;
  let session: SessionState | null = null;
  let after: string | null = null;
  const texts: string[] = [];

  /** Reads new log entries: handshakes complete the pending state, messages decrypt, transfers are answered. */
  const pump = async () => {
    const { messages } = await visitorApi.messages(opened.id, opened.token, after);
    for (const entry of messages as LogEntry[]) {
      after = entry.id;
      if (entry.from !== 'responder') continue;
      if (entry.kind === 'handshake') {
        try {
          session = completeHandshake(pending, fromBase64url(entry.body), { anchor, now: new Date() });
        } catch {
          // A handshake not for our pending state (a replay or another session).
        }
      } else if (entry.kind === 'message' && session !== null) {
        const { state, content } = decryptMessage(session, fromBase64url(entry.body), { now: new Date() });
        session = state;
        if (content.type === 'text') texts.push(content.text);
        if (content.type === 'transfer') {
          // A transfer announcement: request a fresh handshake from the named responder (or any, all-zero).
          const pinned = content.nextCertHash.some((b) => b !== 0) ? content.nextCertHash : null;
          const request = createSessionRequest({
            mode: 'transfer',
            conversationId: session.conversationId,
            team: session.team,
            teamCert: (await verifiedTeamCert(server, session.team)).teamCert,
            sessionNumber: content.nextSessionNumber,
            psk: content.transferKey,
            expectedResponderCertHash: pinned,
          });
          pending = request.pending;
          session = null;
          await visitorApi.post(opened.id, opened.token, { cid: newCid(), kind: 'transfer', body: toBase64url(request.wire) });
        }
      }
    }
  };

  return {
    id: opened.id,
    token: opened.token,
    team: opened.team,
    get session() {
      return session;
    },
    async connected() {
      return until(async () => {
        await pump();
        return session?.safetyCode;
      }, `handshake of ${opened.id}`, 15_000);
    },
    async send(text) {
      await pump();
      if (session === null) throw new Error('no session');
      const { state, wire } = encryptMessage(session, { type: 'text', text });
      session = state;
      await visitorApi.post(opened.id, opened.token, { cid: newCid(), kind: 'message', body: toBase64url(wire) });
    },
    async received(count) {
      return until(async () => {
        await pump();
        return texts.length >= count ? [...texts] : undefined;
      }, `${count} texts in ${opened.id}`, 15_000);
    },
  };
}

export interface TestResponder {
  readonly id: ResponderId;
  readonly login: string;
  readonly password: string;
  readonly authKey: Uint8Array;
  /** TOTP secret (base32) when the account has a second factor. */
  readonly totpSecret: string | null;
}

/** A responder with a password, keys generated and certified as the demo organisation does, and optionally TOTP. */
export async function addResponder(
  server: E2eServer,
  login: string,
  teams: readonly string[],
  options: { roles?: Role[]; totp?: boolean } = {},
): Promise<TestResponder> {
  const password = `pw-${login}-${randomBytes(6).toString('base64url')}`;
  const salt = new Uint8Array(randomBytes(16));
  const { authKey, wrapKey } = deriveLoginKeys(password, salt, DEFAULT_KDF);
  const record: ResponderRecord = {
    id: `r-${login}` as ResponderId,
    login,
    displayName: `Handläggare ${login}`,
    teams: teams as TeamId[],
    roles: options.roles ?? ['responder'],
    salt: Buffer.from(salt).toString('base64url'),
    opslimit: DEFAULT_KDF.opslimit,
    memlimit: DEFAULT_KDF.memlimit,
    authHash: authKeyHash(authKey),
    active: true,
  };
  await server.store.staff.putResponder(record);
  const deps = { store: server.store, directory: createDirectory(server.store.records), clock: systemClock, random: systemRandom };
  await enrolDemoResponder(deps, record, wrapKey);
  await refreshDemoOrg(deps);
  let totpSecret: string | null = null;
  if (options.totp === true) {
    const totp = createTotp({ records: server.store.records, once: server.store.once, clock: systemClock });
    totpSecret = (await totp.begin(record.id, login)).secret;
    if (!(await totp.confirm(record.id, totpCode(totpSecret)))) throw new Error('totp setup');
  }
  return { id: record.id, login, password, authKey, totpSecret };
}

/** The current TOTP code of a base32 secret, `offsetSteps` periods away. */
export function totpCode(secret: string, offsetSteps = 0): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** A Node API client logged in as `who` (for checks the UI does not offer). */
export async function apiAs(server: E2eServer, who: { login: string; authKey: Uint8Array }, totp?: string) {
  const jar = createCookieJar();
  const api = createResponderApi({ baseUrl: server.url, cookies: jar });
  await api.login(who.login, who.authKey, totp);
  return { api, jar };
}

/** Logs in through the console UI and waits for the workspace. */
export async function loginConsole(page: Page, server: E2eServer, login: string, password: string, totp?: string): Promise<void> {
  await page.goto(`${server.url}/console`);
  await page.getByLabel('Användarnamn').fill(login);
  await page.getByLabel('Lösenord').fill(password);
  if (totp !== undefined) await page.getByLabel('Kod från autentiseringsappen').fill(totp);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: 'Tjänstgöring' }).waitFor({ timeout: 20_000 });
}

/** Goes on duty in the team named `teamName` through the UI. */
export async function goOnDuty(page: Page, teamName: string): Promise<void> {
  await page.getByRole('button', { name: `Gå i tjänst i ${teamName}` }).click();
  await page.getByRole('button', { name: `Gå ur tjänst i ${teamName}` }).waitFor();
}
