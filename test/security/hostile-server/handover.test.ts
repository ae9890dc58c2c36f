// Issue 17, handover across organisations, against a hostile server (real Redis, real sockets): the
// young person's widget (its own lifecycle code) with the regional responder's and Huddinge's responder's
// chat engines (the console's code, their real certified keys). The server may move records as it
// likes, serve any bundle and feed any entry to anyone; what it cannot do:
// - move the conversation without the young person's "yes" and get them to seal to the new team;
// - get a team the pinned root did not certify through the offered organisation accepted in an offer;
// - let the previous responder read what follows the handover.
import { randomBytes, createHash } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as visitorCrypto from '../../../crypto/visitor.js';
import { createIntake, conversationIdToString, createTrustAnchor, fromBase64url, issueOrgCert, issueRevocationList, issueTeamCert, generateBoxKeyPair, generateSigningKeyPair, toBase64url, verifyTeamCert, type Ed25519PublicKey } from '../../../crypto/index.js';
import { createCookieJar, createResponderApi, createVisitorApi, type LogEntry } from '../../../client/shared/api-client.js';
import { createWidgetApi } from '../../../client/widget/state/api.js';
import { startConversation, type Conversation } from '../../../client/widget/state/conversation-lifecycle.js';
import { verifyHandoverOffer } from '../../../client/widget/state/handover-offer.js';
import { createChatEngine, type ChatEngine, type ChatEvent } from '../../../client/console/state/chat-engine.js';
import type { ResponderKeys } from '../../../contract/rest.js';
import { unlockKeys } from '../../../client/console/crypto/keys.js';
import { systemClock } from '../../../server/clock.js';
import type { ConversationId, ResponderId, Store, TeamId } from '../../../server/store/ports.js';
import { createRedisStore } from '../../../server/store/redis/redis-store.js';
import { solvePow } from '../../support/harness.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { regionAuthKey, seedRegion, type SeededRegion } from '../../support/region.js';

let redis: RedisServer;
let store: Store;
let server: E2eServer;
let region: SeededRegion;

beforeAll(async () => {
  redis = await startRedisServer();
  store = await createRedisStore({ url: redis.url, prefix: `hh-${randomBytes(4).toString('hex')}` });
  server = await startE2eServer({ store });
  region = await seedRegion(store, systemClock);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

const wait = async <T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const marker = (tag: string) => `${tag}-${randomBytes(6).toString('hex')}`;

/** A responder of the region in Node: logged in, its keys unlocked (the console's code), a chat engine per conversation fed from the log. */
async function responder(login: string, team: string) {
  const password = region.passwords.get(login)!;
  const api = createResponderApi({ baseUrl: server.url, cookies: createCookieJar() });
  await api.login(login, regionAuthKey(password));
  await api.duty(team, true);
  const bundle = await api.call<ResponderKeys>('GET', '/api/v1/responder/keys');
  const wrapKey = new Uint8Array(createHash('sha256').update(`wrap:${password}`).digest());
  const keys = await unlockKeys(bundle, wrapKey, fromBase64url(region.rootPublicKey), new Date());
  /** A chat engine for `id` whose entries come from `entries()` (the server's, or whatever a hostile one feeds). */
  const engine = (id: string) => {
    const events: ChatEvent[] = [];
    const e: ChatEngine = createChatEngine({
      id,
      team,
      keys,
      post: async (envelope) => api.post(id, envelope),
      emit: (event) => void events.push(event),
      now: () => new Date(),
      newCid: () => randomBytes(12).toString('base64url'),
    });
    let fed = 0;
    const feed = async (entries: readonly LogEntry[]) => {
      for (const entry of entries.slice(fed)) await e.onEntry(entry);
      fed = entries.length;
    };
    const texts = () => events.flatMap((x) => (x.type === 'text' ? [x.text] : []));
    return { engine: e, events, feed, texts };
  };
  return { api, keys, engine };
}

/** The whole log as the server holds it (what a hostile server could feed anyone). */
const logOf = (id: string) => store.log.after(id as ConversationId, null, 1000);

/** A young person on Huddinge's QR page at night: the widget's own lifecycle over a real socket. */
async function youngPerson(text: string): Promise<{ id: string; conversation: Conversation }> {
  const visitor = createVisitorApi({ baseUrl: server.url });
  const bundle = (await (await fetch(`${server.url}/api/v1/directory/teams/regionjouren`)).json()) as { orgCert: string; revocationList: string; teamCert: string };
  const now = new Date();
  const anchor = createTrustAnchor({ rootPublicKey: fromBase64url(region.rootPublicKey) as Ed25519PublicKey, orgCert: fromBase64url(bundle.orgCert), revocationList: fromBase64url(bundle.revocationList), now });
  const teamCert = verifyTeamCert(anchor, fromBase64url(bundle.teamCert), { now, team: 'regionjouren' });
  const intake = createIntake({ teamCert, category: 'chat', text });
  const id = conversationIdToString(intake.pending.conversationId);
  const opened = await visitor.open({ id, category: 'chat', language: 'sv', source: 'huddinge', danger: false, intake: { cid: randomBytes(12).toString('base64url'), kind: 'intake', body: toBase64url(intake.wire) } }, solvePow);
  expect(opened.team).toBe('regionjouren');
  const conversation = startConversation(
    {
      api: createWidgetApi(server.url),
      crypto: visitorCrypto,
      solve: solvePow,
      rootPublicKey: region.rootPublicKey,
      wsUrl: `${server.url.replace('http', 'ws')}/api/v1/ws`,
      source: 'huddinge',
      language: 'sv',
      createSocket: (url) => new WebSocket(url) as unknown as globalThis.WebSocket,
    },
    { id, token: opened.token, category: 'chat', team: 'regionjouren', staffed: true, anchor, pending: intake.pending, messages: [], lastId: null, resumeKeys: null, resumeCode: null },
  );
  return { id, conversation };
}

/** The regional responder claims it and the young person's widget completes the handshake. */
async function answeredAtNight(text: string) {
  // Night: nobody in Huddinge is on duty (an earlier test's morning is over).
  await store.duty.setOnDuty(HUDDINGE.team as TeamId, 'r-huddinge' as ResponderId, false);
  const regional = await responder('regionen', 'regionjouren');
  const young = await youngPerson(text);
  await regional.api.claim(young.id);
  const chat = regional.engine(young.id);
  await chat.feed(await logOf(young.id));
  await chat.engine.replayed();
  await wait('the young person’s session', () => (young.conversation.view.get().phase === 'active' ? true : undefined));
  return { regional, young, chat };
}

const HUDDINGE = { team: 'huddinge-unga', org: 'huddinge', teamName: 'Huddinge – unga' };

/** The regional responder offers Huddinge (server and channel); the widget verifies and shows it. */
async function offerHuddinge(regional: Awaited<ReturnType<typeof responder>>, chat: ReturnType<Awaited<ReturnType<typeof responder>>['engine']>, young: Awaited<ReturnType<typeof youngPerson>>) {
  await regional.api.call('POST', `/api/v1/responder/conversations/${young.id}/handover`, { toTeam: HUDDINGE.team });
  await chat.engine.offerHandover(HUDDINGE);
  await wait('the offer on the young person’s screen', () => young.conversation.view.get().handoverOffer ?? undefined);
  expect(young.conversation.view.get().handoverOffer).toEqual({ teamName: 'Huddinge – unga', orgName: 'Huddinge kommun' });
}

describe('handover to another organisation, against a hostile server', () => {
  it('a server that moves the conversation after the young person said no gets nothing sealed to the new team', async () => {
    const [first, after] = [marker('first'), marker('after-no')];
    const { regional, young, chat } = await answeredAtNight(first);
    await offerHuddinge(regional, chat, young);
    await young.conversation.answerHandover(false);
    await wait('the “no” in the regional chat', async () => {
      await chat.feed(await logOf(young.id));
      return chat.events.find((e) => e.type === 'handover-answer' && !e.accepted);
    });
    // The server ignores the answer and moves it to Huddinge's queue anyway; Huddinge's responder claims it.
    const moved = await store.conversations.transfer(young.id as ConversationId, 'r-regionen' as ResponderId, { kind: 'team', team: HUDDINGE.team as TeamId }, Date.now());
    expect(moved.ok).toBe(true);
    const huddinge = await responder('huddinge', HUDDINGE.team);
    await huddinge.api.claim(young.id);
    const taken = huddinge.engine(young.id);
    // The young person writes on: still to the regional session, whatever the server did.
    const visitorMessages = async () => (await logOf(young.id)).filter((e) => e.from === 'visitor' && e.kind === 'message').length;
    const before = await visitorMessages();
    young.conversation.send(after);
    await wait('the message stored', async () => ((await visitorMessages()) > before ? true : undefined));
    await taken.feed(await logOf(young.id));
    await taken.engine.replayed();
    // Huddinge could not start a session: the widget never asked it for one (no handover request in the log).
    expect((await logOf(young.id)).filter((e) => e.from === 'visitor' && e.kind === 'transfer')).toEqual([]);
    expect(taken.engine.phase).toBe('lost');
    expect(taken.texts()).not.toContain(after);
    expect(young.conversation.view.get().handedOverTo).toBeNull();
    expect(young.conversation.view.get().responder?.name).toBe('Regionjouren (demo)');
    young.conversation.stop();
  });

  it('refuses an offered team that does not chain to the pinned root through the offered organisation', async () => {
    const genuine = await (await fetch(`${server.url}/api/v1/directory/teams/huddinge-unga`)).json();
    const botkyrka = (await (await fetch(`${server.url}/api/v1/directory/teams/botkyrka-unga`)).json()) as Record<string, unknown>;
    const regionjouren = (await (await fetch(`${server.url}/api/v1/directory/teams/regionjouren`)).json()) as Record<string, unknown>;
    // The server's own root, organisation key and team key, naming Huddinge.
    const root = generateSigningKeyPair();
    const org = generateSigningKeyPair();
    const now = Date.now();
    const foreign = {
      orgCert: toBase64url(issueOrgCert(root.secretKey, { serial: 1, publicKey: org.publicKey, notBefore: now - 60_000, expires: now + 30 * 86_400_000, organisation: { id: 'huddinge', name: 'Huddinge kommun' } })),
      revocationList: toBase64url(issueRevocationList(org.secretKey, { issuedAt: now - 60_000, serials: [] })),
      team: 'huddinge-unga',
      epoch: 1,
      teamCert: toBase64url(issueTeamCert(org.secretKey, { serial: 2, team: 'huddinge-unga', epoch: 1, boxPublicKey: generateBoxKeyPair().publicKey, notBefore: now - 60_000, expires: now + 86_400_000 })),
    };
    const served = (bundle: unknown) => ({
      api: { bundle: async () => bundle as never },
      crypto: visitorCrypto,
      rootPublicKey: region.rootPublicKey,
    });
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
    expect(await verifyHandoverOffer(served(genuine), HUDDINGE)).toMatchObject({ team: 'huddinge-unga', orgName: 'Huddinge kommun', teamName: 'Huddinge – unga' });
    // Another root: the pinned one did not sign it.
    expect(await codeOf(verifyHandoverOffer(served(foreign), HUDDINGE))).toBe('UntrustedKey');
    // Huddinge's team certificate under another organisation's certificate.
    expect(await codeOf(verifyHandoverOffer(served({ ...(genuine as object), orgCert: regionjouren.orgCert, revocationList: regionjouren.revocationList }), HUDDINGE))).toBe('UntrustedKey');
    // Another team's genuine bundle in its place.
    expect(await codeOf(verifyHandoverOffer(served(botkyrka), HUDDINGE))).toBe('WrongTeam');
    // A genuine bundle of an organisation other than the one the responder offered.
    expect(await codeOf(verifyHandoverOffer(served(botkyrka), { team: 'botkyrka-unga', org: 'huddinge', teamName: 'Huddinge – unga' }))).toBe('UntrustedKey');
  });

  it('after the young person’s yes, the new session is Huddinge’s alone: the regional responder reads nothing that follows', async () => {
    const [first, before, after] = [marker('first'), marker('before'), marker('after')];
    const { regional, young, chat } = await answeredAtNight(first);
    young.conversation.send(before);
    await wait('the regional responder reads the night', async () => {
      await chat.feed(await logOf(young.id));
      return chat.texts().includes(before) ? true : undefined;
    });
    const nightCode = young.conversation.view.get().safetyCode;
    // The young person shared who they are with the regional team at night.
    await young.conversation.shareIdentity({ name: 'Sam', phone: '0701234567' }, 30);
    await offerHuddinge(regional, chat, young);
    await young.conversation.answerHandover(true);
    expect(young.conversation.view.get().handedOverTo).toEqual({ teamName: 'Huddinge – unga', orgName: 'Huddinge kommun' });
    // It does not travel: it stays with the regional team (and can still be taken back from the widget).
    expect(young.conversation.view.get().consent).toBeNull();
    expect(young.conversation.view.get().earlierConsent).toMatchObject({ orgName: 'Regionjouren' });
    const huddinge = await responder('huddinge', HUDDINGE.team);
    await huddinge.api.claim(young.id);
    const taken = huddinge.engine(young.id);
    await wait('the handover request', async () => ((await logOf(young.id)).some((e) => e.from === 'visitor' && e.kind === 'transfer') ? true : undefined));
    await taken.feed(await logOf(young.id));
    await taken.engine.replayed();
    expect(taken.engine.phase).toBe('open');
    await wait('the new session on the young person’s side', () => (young.conversation.view.get().phase === 'active' ? true : undefined));
    expect(young.conversation.view.get().safetyCode).toBe(taken.engine.safetyCode);
    expect(young.conversation.view.get().safetyCode).not.toBe(nightCode);
    young.conversation.send(after);
    await wait('Huddinge reads it', async () => {
      await taken.feed(await logOf(young.id));
      return taken.texts().includes(after) ? true : undefined;
    });
    // Huddinge holds no consent of it until the young person gives one again, sealed to Huddinge's team.
    type Consents = { items: Array<{ team: string; conversation: string }> };
    expect((await huddinge.api.call<Consents>('GET', '/api/v1/responder/consents')).items).toEqual([]);
    expect((await regional.api.call<Consents>('GET', '/api/v1/responder/consents')).items.map((c) => c.team)).toEqual(['regionjouren']);
    await young.conversation.shareIdentity({ name: 'Sam', phone: '0701234567' }, 30);
    expect((await huddinge.api.call<Consents>('GET', '/api/v1/responder/consents')).items.map((c) => [c.team, c.conversation])).toEqual([['huddinge-unga', young.id]]);
    await young.conversation.withdrawIdentity(true);
    expect((await regional.api.call<Consents>('GET', '/api/v1/responder/consents')).items).toEqual([]);

    // A hostile server feeds the regional responder everything: its old session and keys open none of it.
    await chat.feed(await logOf(young.id));
    const fresh = regional.engine(young.id);
    await fresh.feed(await logOf(young.id));
    await fresh.engine.replayed();
    expect(chat.texts()).not.toContain(after);
    expect(fresh.texts()).not.toContain(after);
    expect(fresh.engine.phase).not.toBe('open');
    // And the server itself refuses it access.
    await expect(regional.api.messages(young.id)).rejects.toMatchObject({ code: 'forbidden' });
    young.conversation.stop();
  });
});
