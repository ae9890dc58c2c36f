// The authorisation matrix over the HTTP and WebSocket API: every actor (anonymous, the visitor of the
// conversation, the visitor of another, a responder on duty / off duty / of another team, an admin)
// against every operation, each cell asserted. One real server (sockets need one), no browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi, createVisitorApi, type Opened } from '../../../client/shared/api-client.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { fakeCipher, newCid, seedResponder, solvePow } from '../../support/harness.js';
import { WsFrameError, connectWs, type WsClient } from '../../support/ws-client.js';

type Actor = 'anonymous' | 'visitorOfThis' | 'visitorOfOther' | 'onDuty' | 'offDuty' | 'otherTeam' | 'admin';
const ACTORS: readonly Actor[] = ['anonymous', 'visitorOfThis', 'visitorOfOther', 'onDuty', 'offDuty', 'otherTeam', 'admin'];
type Row = Record<Actor, string>;

let server: E2eServer;
const responders = new Map<Actor, { cookie: string; csrf: string }>();
const sockets: WsClient[] = [];

/** A row where everyone gets `others` except the listed actors. */
const row = (others: string, cells: Partial<Row>): Row => Object.fromEntries(ACTORS.map((a) => [a, cells[a] ?? others])) as Row;

beforeAll(async () => {
  server = await startE2eServer();
  const seeded: Array<[Actor, string, string[], Array<'responder' | 'admin'>]> = [
    ['onDuty', 'on', ['unga'], ['responder']],
    ['offDuty', 'off', ['unga'], ['responder']],
    ['otherTeam', 'other', ['foraldrar'], ['responder']],
    ['admin', 'adm', [], ['admin']],
  ];
  for (const [actor, login, teams, roles] of seeded) {
    const s = await seedResponder(server.store, login, teams, roles);
    const jar = createCookieJar();
    const api = createResponderApi({ baseUrl: server.url, cookies: jar });
    await api.login(login, s.authKey);
    const raw = await fetch(`${server.url}/api/v1/responder/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, authKey: Buffer.from(s.authKey).toString('base64url') }),
    });
    const body = (await raw.json()) as { csrfToken: string };
    responders.set(actor, { cookie: (raw.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: body.csrfToken });
  }
  const call = (actor: Actor, method: string, path: string, body?: unknown) => request(actor, method, path, body, null);
  expect(await call('onDuty', 'POST', '/api/v1/responder/duty', { team: 'unga', onDuty: true, capacity: 20 })).toBe('204');
  expect(await call('otherTeam', 'POST', '/api/v1/responder/duty', { team: 'foraldrar', onDuty: true })).toBe('204');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) await s.close().catch(() => undefined);
  await server?.stop();
});

const visitorTokens: { self: Opened | null; other: Opened | null } = { self: null, other: null };

/** One HTTP call as `actor`: status, plus ":code" for errors. Visitors present their bearer token. */
async function request(actor: Actor, method: string, path: string, body: unknown, conv: { self: Opened; other: Opened } | null): Promise<string> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const session = responders.get(actor);
  if (session !== undefined) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  if (actor === 'visitorOfThis' && conv !== null) headers.authorization = `Bearer ${conv.self.token}`;
  if (actor === 'visitorOfOther' && conv !== null) headers.authorization = `Bearer ${conv.other.token}`;
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status < 300) return String(response.status);
  const error = ((await response.json()) as { error?: { code?: string } }).error?.code ?? '';
  return `${response.status}:${error}`;
}

/** Runs `op` for every actor (in ACTORS order unless `order` says otherwise) and compares with `expected`. */
async function matrix(name: string, expected: Row, op: (actor: Actor) => Promise<string>, order: readonly Actor[] = ACTORS): Promise<string[]> {
  const wrong: string[] = [];
  for (const actor of order) {
    const got = await op(actor);
    if (got !== expected[actor]) wrong.push(`${name} × ${actor}: expected ${expected[actor]}, got ${got}`);
  }
  return wrong;
}

async function open(): Promise<Opened> {
  return createVisitorApi({ baseUrl: server.url }).open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
}

/** A conversation the on-duty responder has claimed, and the other visitor's conversation. */
async function claimedPair(): Promise<{ self: Opened; other: Opened }> {
  const self = await open();
  const other = await open();
  expect(await request('onDuty', 'POST', `/api/v1/responder/conversations/${self.id}/claim`, undefined, null)).toBe('200');
  return { self, other };
}

/** Tries to read `c` over a socket as `actor`: "subscribed" or "denied:<code or close>". */
async function wsRead(actor: Actor, c: { self: Opened; other: Opened }, origin = new URL(server.url).origin): Promise<string> {
  const session = responders.get(actor);
  const ws = await connectWs(server.url, session === undefined ? { timeoutMs: 3000 } : { cookie: session.cookie, origin, timeoutMs: 3000 });
  sockets.push(ws);
  try {
    if (actor === 'visitorOfThis') await ws.helloVisitor(c.self.id, c.self.token, null);
    else if (actor === 'visitorOfOther') {
      await ws.helloVisitor(c.other.id, c.other.token, null);
      await ws.sub(c.self.id, null);
    } else if (session === undefined) {
      ws.sendRaw({ t: 'hello', v: 1 });
      return `denied:${(await ws.closed()).code}`;
    } else {
      await ws.helloResponder();
      await ws.sub(c.self.id, null);
    }
    return 'subscribed';
  } catch (error) {
    if (error instanceof WsFrameError) return `denied:${error.code}`;
    return `denied:${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await ws.close().catch(() => undefined);
  }
}

/** Tries to send into `c` over a socket as `actor`: "ack" or "denied:<code>". */
async function wsSend(actor: Actor, c: { self: Opened; other: Opened }): Promise<string> {
  const session = responders.get(actor);
  const ws = await connectWs(server.url, session === undefined ? { timeoutMs: 3000 } : { cookie: session.cookie, origin: new URL(server.url).origin, timeoutMs: 3000 });
  sockets.push(ws);
  try {
    if (actor === 'visitorOfThis') await ws.helloVisitor(c.self.id, c.self.token, null);
    else if (actor === 'visitorOfOther') await ws.helloVisitor(c.other.id, c.other.token, null);
    else if (session === undefined) {
      ws.sendRaw({ t: 'send', c: c.self.id, e: { cid: newCid(), kind: 'message', body: fakeCipher() } });
      return `denied:${(await ws.closed()).code}`;
    } else await ws.helloResponder();
    await ws.send(c.self.id, { cid: newCid(), kind: 'message', body: fakeCipher() });
    return 'ack';
  } catch (error) {
    if (error instanceof WsFrameError) return `denied:${error.code}`;
    return `denied:${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await ws.close().catch(() => undefined);
  }
}

describe('authorisation matrix', () => {
  it('a waiting conversation: who sees it, reads it and may claim it', async () => {
    const self = await open();
    const other = await open();
    const c = { self, other };
    visitorTokens.self = self;
    visitorTokens.other = other;
    const http = (method: string, path: string, body?: unknown) => (actor: Actor) => request(actor, method, path, body, c);
    const noBearer = '401:unauthorized';
    const noSession = '401:unauthorized';
    const wrong = [
      ...(await matrix('GET visitor conversation', row(noBearer, { visitorOfThis: '200' }), http('GET', `/api/v1/conversations/${self.id}`))),
      ...(await matrix('GET visitor messages', row(noBearer, { visitorOfThis: '200' }), http('GET', `/api/v1/conversations/${self.id}/messages`))),
      ...(await matrix('GET responder queue', row('200', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession, onDuty: '200:offered' }), async (actor) => {
        const status = await http('GET', '/api/v1/responder/queue')(actor);
        if (status !== '200') return status;
        const session = responders.get(actor);
        const items = ((await (await fetch(`${server.url}/api/v1/responder/queue`, { headers: { cookie: session?.cookie ?? '' } })).json()) as { items: Array<{ id: string }> }).items;
        return items.some((i) => i.id === self.id) ? '200:offered' : '200';
      })),
      ...(await matrix(
        'GET responder messages (waiting)',
        row('403:forbidden', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession, onDuty: '200' }),
        http('GET', `/api/v1/responder/conversations/${self.id}/messages`),
      )),
      ...(await matrix('WS read (waiting)', row('denied:forbidden', { anonymous: 'denied:1008', visitorOfThis: 'subscribed', onDuty: 'subscribed' }), (a) => wsRead(a, c))),
      // The claim last, the on-duty responder last of all (it changes the state).
      ...(await matrix(
        'POST claim',
        row('403:forbidden', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession, offDuty: '403:off_duty', onDuty: '200' }),
        http('POST', `/api/v1/responder/conversations/${self.id}/claim`),
        ['anonymous', 'visitorOfThis', 'visitorOfOther', 'offDuty', 'otherTeam', 'admin', 'onDuty'],
      )),
    ];
    expect(wrong).toEqual([]);
  });

  it('an active conversation: only its visitor and its assignee read and write', async () => {
    const c = await claimedPair();
    const http = (method: string, path: string, body?: unknown) => (actor: Actor) => request(actor, method, path, body, c);
    const envelope = () => ({ cid: newCid(), kind: 'message', body: fakeCipher() });
    const noSession = '401:unauthorized';
    const responderOnly = (cells: Partial<Row>) => row('403:forbidden', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession, ...cells });
    const wrong = [
      ...(await matrix('GET visitor conversation', row('401:unauthorized', { visitorOfThis: '200' }), http('GET', `/api/v1/conversations/${c.self.id}`))),
      ...(await matrix('POST visitor message', row('401:unauthorized', { visitorOfThis: '201' }), (a) => http('POST', `/api/v1/conversations/${c.self.id}/messages`, envelope())(a))),
      ...(await matrix('GET responder messages', responderOnly({ onDuty: '200' }), http('GET', `/api/v1/responder/conversations/${c.self.id}/messages`))),
      ...(await matrix('POST responder message', responderOnly({ onDuty: '201' }), (a) => http('POST', `/api/v1/responder/conversations/${c.self.id}/messages`, envelope())(a))),
      ...(await matrix('POST claim (taken)', responderOnly({ onDuty: '409:already_claimed', offDuty: '409:already_claimed' }), http('POST', `/api/v1/responder/conversations/${c.self.id}/claim`))),
      ...(await matrix('WS read', row('denied:forbidden', { anonymous: 'denied:1008', visitorOfThis: 'subscribed', onDuty: 'subscribed' }), (a) => wsRead(a, c))),
      ...(await matrix('WS send', row('denied:forbidden', { anonymous: 'denied:1008', visitorOfThis: 'ack', onDuty: 'ack', offDuty: 'denied:forbidden' }), (a) => wsSend(a, c))),
    ];
    expect(wrong).toEqual([]);
  });

  it('transfer and close: only the assignee', async () => {
    const t = await claimedPair();
    const c = await claimedPair();
    const noSession = '401:unauthorized';
    const assigneeOnly = (onDuty: string) =>
      row('403:not_assignee', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession, onDuty });
    const assigneeLast: readonly Actor[] = ['anonymous', 'visitorOfThis', 'visitorOfOther', 'offDuty', 'otherTeam', 'admin', 'onDuty'];
    const wrong = [
      ...(await matrix('POST transfer to a team', assigneeOnly('200'), (a) => request(a, 'POST', `/api/v1/responder/conversations/${t.self.id}/transfer`, { toTeam: 'konsult' }, t), assigneeLast)),
      ...(await matrix('POST close', assigneeOnly('200'), (a) => request(a, 'POST', `/api/v1/responder/conversations/${c.self.id}/close`, { outcome: 'helped' }, c), assigneeLast)),
    ];
    expect(wrong).toEqual([]);
  });

  it('administration, audit, keys and delete-now', async () => {
    const c = await claimedPair();
    const noSession = '401:unauthorized';
    const staff = (cells: Partial<Row>) => row('403:forbidden', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession, ...cells });
    const http = (method: string, path: string, body?: unknown) => (actor: Actor) => request(actor, method, path, body, c);
    const wrong = [
      ...(await matrix('GET admin invitations', staff({ admin: '200' }), http('GET', '/api/v1/admin/invitations'))),
      ...(await matrix('POST admin invitation', staff({ admin: '201' }), http('POST', '/api/v1/admin/invitations', { displayName: 'Ny', teams: ['unga'], roles: ['responder'] }))),
      ...(await matrix('GET admin audit', staff({ admin: '200' }), http('GET', '/api/v1/admin/audit'))),
      ...(await matrix('PUT team settings', staff({ admin: '204' }), http('PUT', '/api/v1/admin/teams/konsult/settings', { dutyHours: null, autoAssign: false, defaultCapacity: 3, specialist: true }))),
      ...(await matrix('GET responder keys', row('404:not_found', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession }), http('GET', '/api/v1/responder/keys'))),
      ...(await matrix('GET consents', row('200', { anonymous: noSession, visitorOfThis: noSession, visitorOfOther: noSession }), http('GET', '/api/v1/responder/consents'))),
      // Delete now last: the visitor of the conversation erases it.
      ...(await matrix('DELETE visitor conversation', row('401:unauthorized', { visitorOfThis: '204' }), http('DELETE', `/api/v1/conversations/${c.self.id}`), [
        'anonymous',
        'visitorOfOther',
        'onDuty',
        'offDuty',
        'otherTeam',
        'admin',
        'visitorOfThis',
      ])),
    ];
    expect(wrong).toEqual([]);
  });

  it('a responder cookie counts on the socket only from the service origin', async () => {
    const c = await claimedPair();
    expect(await wsRead('onDuty', c, 'https://evil.example')).toBe('denied:unauthorized');
    expect(await wsRead('onDuty', c)).toBe('subscribed');
  });
});
