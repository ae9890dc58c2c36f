// Issue 14 §5: a callback number is readable only by the responder who holds the callback. A second
// on-duty responder of the same team — who holds the team inbox key the visitor sealed the request to —
// tries every route and opens every sealed byte the API gives them: nothing opens. Once the claimer's
// console has re-sealed the number, the store (real Redis) keeps no team-sealed copy that a hostile
// server could hand to someone later. A supervisor sees the number only through the reveal action,
// whose audit entry is written before the sealed copy leaves: when the audit cannot be written, no
// ciphertext is returned.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../contract/errors.js';
import type { createResponderApi } from '../../../client/shared/api-client.js';
import {
  conversationIdFromString,
  conversationIdToString,
  createCallbackRequest,
  fromBase64url,
  generateBoxKeyPair,
  openCallbackRequest,
  openResealedCallback,
  resealCallback,
  toBase64url,
  type BoxKeyPair,
  type CallbackDetails,
  type TeamInboxKey,
  type VerifiedTeamCert,
} from '../../../crypto/api-sumo.js';
import type { Store } from '../../../server/store/ports.js';
import { createRedisStore } from '../../../server/store/redis/redis-store.js';
import { createTestApp, newCid, seedResponder, solvePow, type TestApp } from '../../support/harness.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

type Api = ReturnType<typeof createResponderApi>;

let redis: RedisServer;
let store: Store;
let t: TestApp;

beforeAll(async () => {
  redis = await startRedisServer();
  store = await createRedisStore({ url: redis.url, prefix: `cb-${randomBytes(4).toString('hex')}` });
  t = await createTestApp({ store });
}, 30_000);

afterAll(async () => {
  await store?.close();
  await redis?.stop();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

/** The team inbox key every member of "unga" holds (the test plays the organisation). */
function teamInbox(): TeamInboxKey {
  const keyPair = generateBoxKeyPair();
  // Only the fields sealing and opening use; the chain is not what this test is about.
  const cert = { team: 'unga', epoch: 1, boxPublicKey: keyPair.publicKey } as unknown as VerifiedTeamCert;
  return { cert, keyPair };
}

async function member(name: string, roles: Array<'responder' | 'supervisor'>): Promise<{ id: string; api: Api; box: BoxKeyPair }> {
  const seeded = await seedResponder(t.store, name, ['unga'], roles);
  const api = t.responder();
  await api.login(name, seeded.authKey);
  return { id: seeded.id, api, box: generateBoxKeyPair() };
}

/** Every base64url run long enough to be a sealed copy, anywhere in a JSON answer. */
function sealedLike(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(/[A-Za-z0-9_-]{200,}/g)].map((m) => m[0]);
}

/** Whether any of `blobs` opens as callback `id` with the inbox key or with `box`. */
function opensAny(blobs: readonly string[], id: string, inbox: TeamInboxKey, box: BoxKeyPair): boolean {
  for (const blob of blobs) {
    let wire: Uint8Array;
    try {
      wire = fromBase64url(blob);
    } catch {
      continue;
    }
    for (const open of [() => openCallbackRequest(wire, inbox), () => openResealedCallback(wire, conversationIdFromString(id), box)]) {
      try {
        open();
        return true;
      } catch {
        // does not open: what we want
      }
    }
  }
  return false;
}

describe('hostile server: a claimed callback’s number is readable only by its claimer (issue 14 §5)', () => {
  it('a second on-duty responder holding the team key gets nothing that opens; the store keeps no team-sealed copy; a supervisor reveal is audited first', async () => {
    const inbox = teamInbox();
    const anna = await member('anna', ['responder']);
    const bo = await member('bo', ['responder']);
    const sara = await member('sara', ['supervisor']);
    await anna.api.duty('unga', true);
    await bo.api.duty('unga', true);

    // The young person's request, sealed to the team inbox key as the widget does.
    const details: CallbackDetails = { phone: '070-987 65 43', timeWindow: 'i kväll', language: 'sv', note: 'efter sju', verificationWord: 'Lingon' };
    const request = createCallbackRequest({ teamCert: inbox.cert, callback: details });
    const teamSealed = toBase64url(request.wire);
    const opened = await t.visitor().open(
      { id: conversationIdToString(request.conversationId), category: 'callback', language: 'sv', source: 'web', intake: { cid: newCid(), kind: 'intake', body: teamSealed } },
      solvePow,
    );
    const id = opened.id;
    const path = (what: string) => `/api/v1/responder/callbacks/${id}/${what}`;

    // Anna takes it; her console opens the team-sealed copy and re-seals it to herself and to Sara.
    await anna.api.call('POST', path('claim'));
    const got = await anna.api.call<{ kind: string; sealed: string }>('GET', path('sealed'));
    expect(got.kind).toBe('team');
    const number = openCallbackRequest(fromBase64url(got.sealed), inbox).callback;
    expect(number).toEqual(details);
    const reseal = (recipient: BoxKeyPair) => toBase64url(resealCallback({ conversationId: request.conversationId, callback: number, recipient: recipient.publicKey }));
    await anna.api.call('PUT', path('sealed'), { own: reseal(anna.box), supervisors: { [sara.id]: reseal(sara.box) } });

    // Bo, on duty in the same team and holding the team inbox key, tries every way in.
    const answers: unknown[] = [];
    const attempt = async (method: 'GET' | 'POST' | 'PUT', p: string, body?: unknown) => {
      try {
        answers.push(await bo.api.call(method, p, body));
        return 'ok';
      } catch (e) {
        return e instanceof ApiRequestError ? e.code : String(e);
      }
    };
    expect(await attempt('POST', path('claim'))).toBe('already_claimed');
    expect(await attempt('GET', path('sealed'))).toBe('not_assignee');
    expect(await attempt('PUT', path('sealed'), { own: reseal(bo.box), supervisors: {} })).toBe('not_assignee');
    expect(await attempt('POST', path('reveal'))).toBe('forbidden');
    expect(await attempt('POST', path('not-reached'))).toBe('not_assignee');
    expect(await attempt('POST', path('done'))).toBe('not_assignee');
    expect(await attempt('POST', `/api/v1/responder/conversations/${id}/claim`)).toBe('invalid_request');
    expect(await attempt('GET', '/api/v1/responder/callbacks')).toBe('ok');
    expect(await attempt('GET', '/api/v1/responder/queue')).toBe('ok');
    expect(await attempt('GET', '/api/v1/responder/assigned')).toBe('ok');
    expect(await codeOf(bo.api.messages(id))).not.toBe('ok');
    expect(JSON.stringify(answers)).not.toContain(details.phone);
    expect(opensAny(answers.flatMap(sealedLike), id, inbox, bo.box)).toBe(false);

    // The store holds no team-sealed copy any more: a hostile server has nothing to hand on later.
    const keys = (await redis.cli('--scan')).split('\n').filter((k) => k !== '');
    const values: string[] = [];
    for (const key of keys) if ((await redis.cli('TYPE', key)) === 'string') values.push(await redis.cli('GET', key));
    expect(values.some((v) => v.includes(teamSealed.slice(0, 200)))).toBe(false);
    expect(opensAny(values.flatMap(sealedLike), id, inbox, bo.box)).toBe(false);
    // Anna's own copy opens for her only.
    const mine = await anna.api.call<{ kind: string; sealed: string }>('GET', path('sealed'));
    expect(mine.kind).toBe('own');
    expect(openResealedCallback(fromBase64url(mine.sealed), request.conversationId, anna.box)).toEqual(details);

    // The supervisor's reveal: while the audit cannot be written, no ciphertext leaves.
    const append = store.audit.append.bind(store.audit);
    store.audit.append = async () => {
      throw new Error('audit log refuses writes');
    };
    let refused: unknown = null;
    try {
      refused = await sara.api.call('POST', path('reveal'));
    } catch (e) {
      refused = e instanceof ApiRequestError ? e.code : String(e);
    } finally {
      store.audit.append = append;
    }
    expect(sealedLike(refused)).toEqual([]);
    expect((await store.audit.recent(100)).filter((e) => e.action === 'callback-reveal')).toEqual([]);

    // With the audit working: the entry is there, then the copy sealed to Sara opens for her alone.
    const revealed = await sara.api.call<{ kind: string; sealed: string }>('POST', path('reveal'));
    expect((await store.audit.recent(100)).filter((e) => e.action === 'callback-reveal')).toEqual([expect.objectContaining({ actor: sara.id })]);
    expect(revealed.kind).toBe('supervisor');
    expect(openResealedCallback(fromBase64url(revealed.sealed), request.conversationId, sara.box)).toEqual(details);
    expect(opensAny([revealed.sealed], id, inbox, bo.box)).toBe(false);
  }, 30_000);
});
