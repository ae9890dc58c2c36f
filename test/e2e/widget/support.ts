// Helpers of the widget browser tests: a responder driven from Node through the API (login through
// Argon2id, keys unwrapped, team inbox keys opened), capture of every WebSocket frame and HTTP body
// of a page, a dump of everything a store holds (to look for plaintext markers), and a municipality's
// page embedding the widget.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { embedSnippet } from '../../../client/shared/embed-snippet.js';
import { createCookieJar, createResponderApi, type LogEntry, type QueueItem } from '../../../client/shared/api-client.js';
import {
  acceptIntake,
  boxKeyPairFromSecret,
  closeSession,
  createHandshake,
  createTrustAnchor,
  decryptMessage,
  encryptMessage,
  fromBase64url,
  openCallbackRequest,
  openIntake,
  openSessionRequest,
  openTeamInboxKey,
  parseIntakeEnvelope,
  signingKeyPairFromSecret,
  toBase64url,
  verifyResponderCert,
  verifyTeamCert,
  type Ed25519PublicKey,
  type ResponderIdentity,
  type SessionState,
  type TeamInboxKey,
} from '../../../crypto/index.js';
import { deriveLoginKeys, loadSumoSodium, unwrapPrivateKeys } from '../../../crypto/api-sumo.js';
import type { MemoryStore } from '../../../server/store/memory/memory-store.js';
import type { Store } from '../../../server/store/ports.js';
import type { E2eServer } from '../../support/e2e-server.js';

export const cid = () => randomBytes(12).toString('base64url');
/** A random marker that must never appear in clear outside the two endpoints. */
export const marker = (tag: string) => `${tag}-${randomBytes(9).toString('hex')}`;

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The demo responder, logged in from Node, with its identity and every team inbox key it holds. */
export async function createResponder(server: E2eServer) {
  await loadSumoSodium();
  const jar = createCookieJar();
  const api = createResponderApi({ baseUrl: server.url, cookies: jar });
  const params = await api.loginParams(server.login);
  const keys = deriveLoginKeys(server.password, fromBase64url(params.salt), params);
  await api.login(server.login, keys.authKey);
  const res = await fetch(`${server.url}/api/v1/responder/keys`, { headers: { cookie: jar.get() ?? '' } });
  const k = (await res.json()) as { orgCert: string; revocationList: string; cert: string; wrappedKeys: string; inbox: Array<{ team: string; epoch: number; cert: string; sealed: string }> };
  const now = new Date();
  const anchor = createTrustAnchor({
    rootPublicKey: fromBase64url(server.rootPublicKey) as Ed25519PublicKey,
    orgCert: fromBase64url(k.orgCert),
    revocationList: fromBase64url(k.revocationList),
    now,
  });
  const cert = verifyResponderCert(anchor, fromBase64url(k.cert), { now });
  const priv = unwrapPrivateKeys(keys.wrapKey, fromBase64url(k.wrappedKeys));
  const identity: ResponderIdentity = { cert, signKeyPair: signingKeyPairFromSecret(priv.signSecretKey) };
  const box = boxKeyPairFromSecret(priv.boxSecretKey);
  const inbox = new Map<string, TeamInboxKey>();
  for (const entry of k.inbox) {
    const teamCert = verifyTeamCert(anchor, fromBase64url(entry.cert), { now, team: entry.team });
    inbox.set(`${entry.team}:${entry.epoch}`, openTeamInboxKey(fromBase64url(entry.sealed), box, teamCert));
  }
  const inboxFor = (wire: Uint8Array) => {
    const env = parseIntakeEnvelope(wire);
    const key = inbox.get(`${env.team}:${env.epoch}`);
    if (key === undefined) throw new Error(`no inbox key for ${env.team}:${env.epoch}`);
    return key;
  };

  return {
    api,
    identity,
    inboxFor,
    /** Live consents of the responder's teams, opened with the team inbox key. */
    async consents(): Promise<Array<{ id: string; team: string; retentionDays: number; identity: { name: string; phone: string; conversation: string } }>> {
      const res = await fetch(`${server.url}/api/v1/responder/consents`, { headers: { cookie: jar.get() ?? '' } });
      const { items } = (await res.json()) as { items: Array<{ id: string; team: string; retentionDays: number; sealed: string }> };
      return items.map((item) => {
        const wire = fromBase64url(item.sealed);
        const opened = openIntake(wire, inboxFor(wire));
        if (opened.category !== 'consent') throw new Error('not a consent');
        return { id: item.id, team: item.team, retentionDays: item.retentionDays, identity: JSON.parse(opened.text) as { name: string; phone: string; conversation: string } };
      });
    },
    async onDuty(teams: string[]) {
      for (const team of teams) await api.duty(team, true);
      await api.heartbeat();
    },
    /** Waits for a queued conversation matching `match`. */
    async queued(match: (item: QueueItem) => boolean): Promise<QueueItem> {
      return waitFor('a queued conversation', async () => {
        await api.heartbeat();
        return (await api.queue()).items.find(match) ?? null;
      });
    },
    openIntake: (item: QueueItem) => {
      const wire = fromBase64url(item.intake?.body ?? '');
      return openIntake(wire, inboxFor(wire));
    },
    /** Waits for a waiting callback request matching `match`, takes it and opens the sealed copy handed to its claimer. */
    async takeCallback(match: (item: { id: string; team: string; source: string }) => boolean) {
      const item = await waitFor('a waiting callback', async () => {
        await api.heartbeat();
        const lists = await api.call<{ waiting: Array<{ id: string; team: string; source: string }> }>('GET', '/api/v1/responder/callbacks');
        return lists.waiting.find(match) ?? null;
      });
      await api.call('POST', `/api/v1/responder/callbacks/${item.id}/claim`);
      const { sealed } = await api.call<{ sealed: string }>('GET', `/api/v1/responder/callbacks/${item.id}/sealed`);
      const wire = fromBase64url(sealed);
      return openCallbackRequest(wire, inboxFor(wire));
    },
    /** Claims the conversation, answers with the handshake, and returns a chat handle. */
    async take(item: QueueItem) {
      const wire = fromBase64url(item.intake?.body ?? '');
      const intake = this.openIntake(item);
      await api.claim(item.id);
      const accepted = acceptIntake(intake, identity, inboxFor(wire));
      await api.post(item.id, { cid: cid(), kind: 'handshake', body: toBase64url(accepted.wire) });
      return createResponderChat(api, identity, inbox, item.id, intake.team, accepted.state, intake.text);
    },
  };
}

export type Responder = Awaited<ReturnType<typeof createResponder>>;

function createResponderChat(
  api: ReturnType<typeof createResponderApi>,
  identity: ResponderIdentity,
  inbox: ReadonlyMap<string, TeamInboxKey>,
  id: string,
  team: string,
  first: SessionState,
  intakeText: string,
) {
  let state = first;
  let after: string | null = null;
  let psk: Uint8Array | null = null;
  const received: string[] = [intakeText];
  const pull = async () => {
    const { messages } = await api.messages(id, after);
    for (const e of messages) {
      after = e.id;
      handle(e);
    }
  };
  const pending: LogEntry[] = [];
  const handle = (e: LogEntry) => {
    if (e.from !== 'visitor') return;
    if (e.kind === 'message') {
      try {
        const out = decryptMessage(state, fromBase64url(e.body), { now: new Date() });
        state = out.state;
        if (out.content.type === 'text') received.push(out.content.text);
        if (out.content.type === 'resume-psk') psk = out.content.psk;
      } catch {
        // Messages of an older session after a resume: not ours to read any more.
      }
    }
    if (e.kind === 'resume') pending.push(e);
  };
  return {
    id,
    received,
    get session() {
      return state;
    },
    async waitForText(text: string) {
      await waitFor(`"${text}" at the responder`, async () => {
        await pull();
        return received.includes(text) ? true : null;
      });
    },
    async waitForPsk() {
      await waitFor('the resume psk', async () => {
        await pull();
        return psk;
      });
    },
    async send(text: string) {
      const out = encryptMessage(state, { type: 'text', text });
      state = out.state;
      await api.post(id, { cid: cid(), kind: 'message', body: toBase64url(out.wire) });
    },
    /** Answers the visitor's resume request with a fresh handshake bound to the psk. */
    async acceptResume() {
      const request = await waitFor('a resume request', async () => {
        await pull();
        return pending.shift() ?? null;
      });
      if (psk === null) throw new Error('no psk');
      const { context, inbox: key } = openSessionRequest(fromBase64url(request.body), {
        mode: 'resume',
        conversationId: state.conversationId,
        team,
        lastSessionNumber: state.sessionNumber,
        psk,
        inboxKeyOf: (epoch) => inbox.get(`${team}:${epoch}`) ?? null,
      });
      const hs = createHandshake({ context, responder: identity, inbox: key });
      state = hs.state;
      await api.post(id, { cid: cid(), kind: 'handshake', body: toBase64url(hs.wire) });
    },
    async close() {
      const out = closeSession(state);
      state = out.state;
      await api.post(id, { cid: cid(), kind: 'close', body: toBase64url(out.wire) });
    },
  };
}

/** Records every WebSocket frame and every HTTP request and response body the page exchanges. */
export function captureTraffic(page: Page): { all(): string } {
  const parts: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => parts.push(String(f.payload)));
    ws.on('framereceived', (f) => parts.push(String(f.payload)));
  });
  page.on('request', (r) => {
    parts.push(r.url());
    const body = r.postData();
    if (body !== null) parts.push(body);
  });
  page.on('response', (r) => {
    if (!r.url().includes('/api/')) return;
    void r
      .text()
      .then((t) => parts.push(t))
      .catch(() => undefined);
  });
  return { all: () => parts.join('\n') };
}

/** Everything the in-memory store holds (keys and values of every type), as one string. */
export function dumpMemoryStore(store: Store): string {
  const db = (store as MemoryStore).db;
  const out: string[] = [];
  for (const key of db.keys()) {
    out.push(key);
    const readers = [() => db.get(key), () => db.hgetall(key), () => db.xrangeAfter(key, null, 1_000_000), () => db.zrange(key), () => db.smembers(key)];
    for (const read of readers) {
      try {
        const v = read();
        if (v !== null && v !== undefined) out.push(JSON.stringify(v));
      } catch {
        // Another type: the matching reader prints it.
      }
    }
  }
  return out.join('\n');
}

/** The text and its base64url (a leak that merely encodes it is still a leak). */
export function forms(text: string): string[] {
  return [text, Buffer.from(text).toString('base64url'), Buffer.from(text).toString('base64')];
}

/**
 * A municipality's page on another origin embedding the widget with the snippet (source
 * "web-kommun"): `/` pins the loader this build serves, `/tampered` a wrong hash. `openPage` opens
 * it in a fresh phone-sized context of `browser` (the exit link's site answered locally).
 */
export async function startHostPage(browser: Browser, server: E2eServer): Promise<{ openPage(path?: string): Promise<Page>; close(): Promise<void> }> {
  const loaderIntegrity = () => (JSON.parse(readFileSync('dist/public/widget-manifest.json', 'utf8')) as { loader: { integrity: string } }).loader.integrity;
  const host = createServer((req, res) => {
    const integrity = req.url === '/tampered' ? `sha384-${'A'.repeat(64)}` : loaderIntegrity();
    const snippet = embedSnippet({ origin: server.url, rootPublicKey: server.rootPublicKey, loaderIntegrity: integrity, source: 'web-kommun', exitUrl: 'https://www.smhi.se/' });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="sv"><head><title>Kommunen</title></head><body><h1>Kommunen</h1><p>Stöd för unga.</p>${snippet}</body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(host.address() as AddressInfo).port}`;
  return {
    async openPage(path = '/') {
      const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
      const page = await context.newPage();
      await page.route('https://www.smhi.se/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Väder</title>' }));
      await page.goto(`${url}${path}`);
      return page;
    },
    close: () => new Promise<void>((resolve) => host.close(() => resolve())),
  };
}
