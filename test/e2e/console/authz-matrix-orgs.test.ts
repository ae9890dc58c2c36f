// The authorisation matrix over two organisations of a region (issue 17): Huddinge's staff (a
// responder on duty, a supervisor, an admin) against Botkyrka's and the regional night team's, on
// everything of Huddinge's — conversations (HTTP and socket), callbacks, consents, colleagues, staff,
// audit, statistics, teams, sources, invitations — each cell asserted against one real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisitorApi, type Opened } from '../../../client/shared/api-client.js';
import { systemClock } from '../../../server/clock.js';
import type { OrgId, Role } from '../../../server/store/ports.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { fakeCipher, newCid, seedResponder, solvePow } from '../../support/harness.js';
import { seedRegion } from '../../support/region.js';
import { WsFrameError, connectWs, type WsClient } from '../../support/ws-client.js';

type Actor = 'hOnDuty' | 'hSupervisor' | 'hAdmin' | 'bOnDuty' | 'bSupervisor' | 'bAdmin' | 'regionOnDuty';
const ACTORS: readonly Actor[] = ['hOnDuty', 'hSupervisor', 'hAdmin', 'bOnDuty', 'bSupervisor', 'bAdmin', 'regionOnDuty'];
type Row = Record<Actor, string>;
/** A row where everyone gets `others` except the listed actors. */
const row = (others: string, cells: Partial<Row>): Row => Object.fromEntries(ACTORS.map((a) => [a, cells[a] ?? others])) as Row;

let server: E2eServer;
const sessions = new Map<Actor, { cookie: string; csrf: string; id: string }>();
const sockets: WsClient[] = [];
const H = 'huddinge-unga';
const B = 'botkyrka-unga';
const R = 'regionjouren';
const today = new Date().toISOString().slice(0, 10);

async function request(actor: Actor, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; code: string }> {
  const session = sessions.get(actor)!;
  const headers: Record<string, string> = { cookie: session.cookie, 'x-csrf-token': session.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const code = response.status >= 300 ? (((JSON.parse(text) as { error?: { code?: string } }).error?.code) ?? '') : '';
  return { status: response.status, text, code };
}

/** Status ("403:forbidden" for errors), and ":sees" when a 200 body contains `needle`. */
const sees = (method: string, path: string, needle: string, body?: unknown) => async (actor: Actor) => {
  const r = await request(actor, method, path, body);
  if (r.status >= 300) return `${r.status}:${r.code}`;
  return r.text.includes(needle) ? `${r.status}:sees` : String(r.status);
};
const status = (method: string, path: string, body?: unknown) => async (actor: Actor) => {
  const r = await request(actor, method, path, body);
  return r.status >= 300 ? `${r.status}:${r.code}` : String(r.status);
};

async function matrix(name: string, expected: Row, op: (actor: Actor) => Promise<string>, order: readonly Actor[] = ACTORS): Promise<string[]> {
  const wrong: string[] = [];
  for (const actor of order) {
    const got = await op(actor);
    if (got !== expected[actor]) wrong.push(`${name} × ${actor}: expected ${expected[actor]}, got ${got}`);
  }
  return wrong;
}

const open = (category: 'chat' | 'callback', source: string): Promise<Opened> =>
  createVisitorApi({ baseUrl: server.url }).open({ category, language: 'sv', source, intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);

async function wsRead(actor: Actor, id: string): Promise<string> {
  const ws = await connectWs(server.url, { cookie: sessions.get(actor)!.cookie, origin: new URL(server.url).origin, timeoutMs: 3000 });
  sockets.push(ws);
  try {
    await ws.helloResponder();
    await ws.sub(id, null);
    return 'subscribed';
  } catch (error) {
    return error instanceof WsFrameError ? `denied:${error.code}` : `denied:${String(error)}`;
  } finally {
    await ws.close().catch(() => undefined);
  }
}

let waiting: Opened;
let claimed: Opened;
let callback: Opened;
let botkyrkaClaimed: Opened;

beforeAll(async () => {
  server = await startE2eServer();
  await seedRegion(server.store, systemClock);
  const seeded: Array<[Actor, string, string, Role[], OrgId]> = [
    ['hOnDuty', 'h-on', H, ['responder'], 'huddinge' as OrgId],
    ['hSupervisor', 'h-sup', H, ['responder', 'supervisor'], 'huddinge' as OrgId],
    ['hAdmin', 'h-adm', H, ['admin'], 'huddinge' as OrgId],
    ['bOnDuty', 'b-on', B, ['responder'], 'botkyrka' as OrgId],
    ['bSupervisor', 'b-sup', B, ['responder', 'supervisor'], 'botkyrka' as OrgId],
    ['bAdmin', 'b-adm', B, ['admin'], 'botkyrka' as OrgId],
    ['regionOnDuty', 'r-on', R, ['responder'], 'regionen' as OrgId],
  ];
  for (const [actor, login, team, roles, org] of seeded) {
    const s = await seedResponder(server.store, login, [team], roles, org);
    const raw = await fetch(`${server.url}/api/v1/responder/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, authKey: Buffer.from(s.authKey).toString('base64url') }),
    });
    const body = (await raw.json()) as { csrfToken: string };
    sessions.set(actor, { cookie: (raw.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: body.csrfToken, id: s.id });
  }
  for (const [actor, team] of [['hOnDuty', H], ['bOnDuty', B], ['regionOnDuty', R]] as const) {
    expect(await status('POST', '/api/v1/responder/duty', { team, onDuty: true, capacity: 20 })(actor)).toBe('204');
  }
  // Huddinge's things: a waiting and a claimed chat, a callback, a consent; Botkyrka's claimed chat.
  waiting = await open('chat', 'huddinge');
  claimed = await open('chat', 'huddinge');
  callback = await open('callback', 'huddinge');
  botkyrkaClaimed = await open('chat', 'botkyrka');
  expect(await status('POST', `/api/v1/responder/conversations/${claimed.id}/claim`)('hOnDuty')).toBe('200');
  expect(await status('POST', `/api/v1/responder/conversations/${botkyrkaClaimed.id}/claim`)('bOnDuty')).toBe('200');
  const consent = await fetch(`${server.url}/api/v1/conversations/${claimed.id}/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${claimed.token}` },
    body: JSON.stringify({ sealed: fakeCipher(), retentionDays: 30 }),
  });
  expect(consent.status).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) await s.close().catch(() => undefined);
  await server?.stop();
});

describe('authorisation matrix over two organisations', () => {
  it('conversations, callbacks, consents and colleagues: only Huddinge’s own staff', async () => {
    const wrong = [
      ...(await matrix('GET queue (Huddinge’s waiting chat)', row('200', { hOnDuty: '200:sees' }), sees('GET', '/api/v1/responder/queue', waiting.id))),
      ...(await matrix('GET messages (waiting)', row('403:forbidden', { hOnDuty: '200' }), status('GET', `/api/v1/responder/conversations/${waiting.id}/messages`))),
      ...(await matrix('GET messages (claimed)', row('403:forbidden', { hOnDuty: '200' }), status('GET', `/api/v1/responder/conversations/${claimed.id}/messages`))),
      ...(await matrix('WS read (claimed)', row('denied:forbidden', { hOnDuty: 'subscribed' }), (a) => wsRead(a, claimed.id))),
      // A waiting callback is listed to its team's members on duty or not (issue 15: off duty the list
      // must not say nobody waits); the number stays sealed until one of them claims it.
      ...(await matrix('GET callbacks', row('200', { hOnDuty: '200:sees', hSupervisor: '200:sees', hAdmin: '200:sees' }), sees('GET', '/api/v1/responder/callbacks', callback.id))),
      ...(await matrix('GET consents', row('200', { hOnDuty: '200:sees', hSupervisor: '200:sees', hAdmin: '200:sees' }), sees('GET', '/api/v1/responder/consents', H))),
      ...(await matrix('GET colleagues', row('200', { hOnDuty: '200:sees', hSupervisor: '200:sees', hAdmin: '200:sees' }), sees('GET', '/api/v1/responder/colleagues', '"r-huddinge"'))),
      ...(await matrix(
        'POST claim (waiting)',
        row('403:forbidden', { hSupervisor: '403:off_duty', hAdmin: '403:off_duty', hOnDuty: '200' }),
        status('POST', `/api/v1/responder/conversations/${waiting.id}/claim`),
        ['hSupervisor', 'hAdmin', 'bOnDuty', 'bSupervisor', 'bAdmin', 'regionOnDuty', 'hOnDuty'],
      )),
    ];
    expect(wrong).toEqual([]);
  });

  it('staff, audit, statistics, teams, sources and invitations: only Huddinge’s admin (and supervisor where supervisors may)', async () => {
    const period = `from=${today}&to=${today}`;
    const staffOnly = (cells: Partial<Row>) => row('403:forbidden', cells);
    const wrong = [
      ...(await matrix('GET staff', staffOnly({ hAdmin: '200:sees', bAdmin: '200' }), sees('GET', '/api/v1/admin/staff', '"r-huddinge"'))),
      ...(await matrix('PUT staff (Huddinge’s responder)', staffOnly({ hAdmin: '204', bAdmin: '404:not_found' }), status('PUT', '/api/v1/admin/staff/r-h-sup', { teams: [H], roles: ['responder', 'supervisor'] }))),
      ...(await matrix('GET audit', staffOnly({ hAdmin: '200:sees', hSupervisor: '200:sees', bAdmin: '200', bSupervisor: '200' }), sees('GET', '/api/v1/admin/audit', 'r-h-on'))),
      ...(await matrix('GET stats', staffOnly({ hAdmin: '200:sees', hSupervisor: '200:sees', bAdmin: '200', bSupervisor: '200' }), sees('GET', `/api/v1/admin/stats?${period}`, 'huddinge'))),
      ...(await matrix('GET stats of Huddinge’s team', staffOnly({ hAdmin: '200:sees', hSupervisor: '200:sees' }), sees('GET', `/api/v1/admin/stats?${period}&team=${H}`, 'huddinge'))),
      ...(await matrix('GET stats CSV', staffOnly({ hAdmin: '200:sees', hSupervisor: '200:sees', bAdmin: '200', bSupervisor: '200' }), sees('GET', `/api/v1/admin/stats/csv?${period}`, 'huddinge'))),
      ...(await matrix('GET teams', staffOnly({ hAdmin: '200:sees', hSupervisor: '200:sees', bAdmin: '200', bSupervisor: '200' }), sees('GET', '/api/v1/admin/teams', H))),
      ...(await matrix(
        'PUT team settings',
        staffOnly({ hAdmin: '204', hSupervisor: '204', bAdmin: '404:not_found', bSupervisor: '404:not_found' }),
        status('PUT', `/api/v1/admin/teams/${H}/settings`, { dutyHours: null, autoAssign: false, defaultCapacity: 3, specialist: false }),
      )),
      ...(await matrix('GET sources', staffOnly({ hAdmin: '200:sees', hSupervisor: '200:sees', bAdmin: '200', bSupervisor: '200' }), sees('GET', '/api/v1/admin/sources', '"huddinge"'))),
      ...(await matrix('PUT source', staffOnly({ hAdmin: '200', bAdmin: '404:not_found' }), status('PUT', '/api/v1/admin/sources/huddinge', { label: 'Huddinge – affisch', team: H, language: null, active: true }))),
      ...(await matrix('POST invitation to Huddinge’s team', staffOnly({ hAdmin: '201', bAdmin: '400:invalid_request' }), status('POST', '/api/v1/admin/invitations', { displayName: 'Ny i Huddinge', teams: [H], roles: ['responder'] }))),
      ...(await matrix('GET invitations', staffOnly({ hAdmin: '200:sees', bAdmin: '200' }), sees('GET', '/api/v1/admin/invitations', 'Ny i Huddinge'))),
      ...(await matrix('PUT retention (the deployment’s)', staffOnly({ hAdmin: '403:forbidden', bAdmin: '403:forbidden' }), status('PUT', '/api/v1/admin/retention', { auditDays: 365, statsDays: 730 }))),
    ];
    expect(wrong).toEqual([]);
  });

  it('the region: organisation and agreements, its own retention, its signing list, handover offers', async () => {
    const adminsOnly = (cells: Partial<Row>) => row('403:forbidden', cells);
    const wrong = [
      // Each admin reads and changes only their own organisation (no route names another's); the
      // others appear in it by id and name only, to agree on overflow with.
      ...(await matrix('GET organisation (whose)', adminsOnly({ hAdmin: '200:huddinge', bAdmin: '200:botkyrka' }), async (actor) => {
        const r = await request(actor, 'GET', '/api/v1/admin/organisation');
        return r.status >= 300 ? `${r.status}:${r.code}` : `${r.status}:${(JSON.parse(r.text) as { id: string }).id}`;
      })),
      ...(await matrix('GET own retention', adminsOnly({ hAdmin: '200', bAdmin: '200' }), status('GET', '/api/v1/admin/retention/organisation'))),
      ...(await matrix('PUT own retention', adminsOnly({ hAdmin: '200', bAdmin: '200' }), status('PUT', '/api/v1/admin/retention/organisation', { consentDays: 30, callbackDays: 3 }))),
      ...(await matrix('GET what awaits the organisation key', adminsOnly({ hAdmin: '200:sees', bAdmin: '200' }), sees('GET', '/api/v1/admin/org/pending', '"huddinge"'))),
      // Offering Huddinge's chat elsewhere: only the responder who has it (the region takes Huddinge's overflow).
      ...(await matrix(
        'POST handover offer (Huddinge’s claimed chat)',
        row('403:not_assignee', { hOnDuty: '200' }),
        status('POST', `/api/v1/responder/conversations/${claimed.id}/handover`, { toTeam: R }),
        ['hSupervisor', 'hAdmin', 'bOnDuty', 'bSupervisor', 'bAdmin', 'regionOnDuty', 'hOnDuty'],
      )),
    ];
    expect(wrong).toEqual([]);
  });

  it('a handover to another organisation’s team is refused without the young person’s acceptance', async () => {
    expect(await status('POST', `/api/v1/responder/conversations/${botkyrkaClaimed.id}/transfer`, { toTeam: H })('bOnDuty')).toBe('403:forbidden');
    expect(await status('POST', `/api/v1/responder/conversations/${botkyrkaClaimed.id}/transfer`, { toResponder: 'r-h-on' })('bOnDuty')).toBe('403:forbidden');
  });
});
