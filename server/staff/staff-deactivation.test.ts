// Deactivating a responder in the demo organisation (the server signs): sessions, login and sockets
// refused, off duty, the certificate on the revocation list, and the team inbox key rotated so that a
// callback sealed afterwards opens for a remaining member and for no key the old member holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createCookieJar, createResponderApi, createVisitorApi } from '../../client/shared/api-client.js';
import {
  CryptoErrorCode,
  boxKeyPairFromSecret,
  createCallbackRequest,
  fromBase64url,
  isCryptoError,
  openCallbackRequest,
  openTeamInboxKey,
  parseResponderCert,
  parseRevocationList,
  toBase64url,
  verifyTeamCert,
  type BoxKeyPair,
  type TeamInboxKey,
} from '../../crypto/index.js';
import { deriveLoginKeys, unwrapPrivateKeys } from '../../crypto/password.js';
import { addResponder, newCid, verifiedTeamCert, type TestResponder } from '../../test/e2e/console/support.js';
import { startE2eServer, type E2eServer } from '../../test/support/e2e-server.js';
import { fakeCipher, seedResponder, solvePow } from '../../test/support/harness.js';
import { connectWs, type WsClient } from '../../test/support/ws-client.js';
import type { TeamId } from '../store/ports.js';
import { createDirectory } from '../directory/directory.js';

let server: E2eServer;
const sockets: WsClient[] = [];

beforeAll(async () => {
  server = await startE2eServer();
}, 60_000);
afterAll(async () => {
  for (const s of sockets) await s.close().catch(() => undefined);
  await server?.stop();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

/** A responder's session over HTTP, and its cookie for the WebSocket upgrade. */
async function session(login: string, authKey: Uint8Array) {
  const jar = createCookieJar();
  const api = createResponderApi({ baseUrl: server.url, cookies: jar });
  await api.login(login, authKey);
  return { api, cookie: jar.get() ?? '' };
}

/** Every private key a certified test responder holds: its X25519 key and every inbox key sealed to it. */
async function privateKeys(r: TestResponder): Promise<{ box: BoxKeyPair; inbox: TeamInboxKey[] }> {
  const directory = createDirectory(server.store.records);
  const record = await server.store.staff.getResponder(r.id);
  const keys = await directory.getResponderKeys(r.id);
  const { wrapKey } = deriveLoginKeys(r.password, fromBase64url(record?.salt ?? ''), { opslimit: record?.opslimit ?? 0, memlimit: record?.memlimit ?? 0 });
  const box = boxKeyPairFromSecret(unwrapPrivateKeys(wrapKey, fromBase64url(keys?.cert === undefined ? '' : keys.wrappedKeys)).boxSecretKey);
  const { anchor } = await verifiedTeamCert(server, 'unga');
  const inbox = [];
  for (const epoch of await directory.teamKeys('unga' as TeamId)) {
    const sealed = epoch.deliveries[r.id];
    if (sealed === undefined) continue;
    try {
      inbox.push(openTeamInboxKey(fromBase64url(sealed), box, verifyTeamCert(anchor, fromBase64url(epoch.cert), { now: new Date(), team: 'unga' })));
    } catch {
      // An epoch whose certificate ran out opens nothing anyway.
    }
  }
  return { box, inbox };
}

describe('deactivating a responder (demo organisation)', () => {
  it('ends sessions, sockets and duty, revokes the certificate and rotates the team inbox key at once', { timeout: 60_000 }, async () => {
    const directory = createDirectory(server.store.records);
    const leaver = await addResponder(server, 'gammal', ['unga']);
    const stayer = await addResponder(server, 'kvar', ['unga']);
    const adminSeed = await seedResponder(server.store, 'chefen', ['unga'], ['admin']);
    const admin = (await session('chefen', adminSeed.authKey)).api;

    // The leaver is at work: on duty, a socket open, a chat and a callback request taken.
    const leaverSession = await session('gammal', leaver.authKey);
    await leaverSession.api.call('POST', '/api/v1/responder/duty', { team: 'unga', onDuty: true });
    const ws = await connectWs(server.url, { cookie: leaverSession.cookie, origin: new URL(server.url).origin, timeoutMs: 5000 });
    sockets.push(ws);
    await ws.helloResponder();
    const visitors = createVisitorApi({ baseUrl: server.url });
    const chat = await visitors.open({ category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
    const callback = await visitors.open({ category: 'callback', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
    await leaverSession.api.call('POST', `/api/v1/responder/conversations/${chat.id}/claim`);
    await leaverSession.api.call('POST', `/api/v1/responder/callbacks/${callback.id}/claim`);

    const before = await directory.currentTeamKey('unga' as TeamId);
    const leaverKeys = await privateKeys(leaver);
    expect(leaverKeys.inbox.map((k) => k.cert.epoch)).toContain(before?.epoch);
    const leaverSerial = parseResponderCert(fromBase64url((await directory.getResponderKeys(leaver.id))?.cert ?? '')).value.serial;

    // Only an admin may; nobody deactivates themselves.
    const stayerApi = (await session('kvar', stayer.authKey)).api;
    expect(await codeOf(stayerApi.call('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, {}))).toBe('forbidden');
    expect(await codeOf(admin.call('POST', `/api/v1/admin/staff/${adminSeed.id}/deactivate`, {}))).toBe('invalid_request');

    const result = await admin.call<{ rotated: string[]; requeued: number; closed: number }>('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, {});
    expect(result).toEqual({ rotated: ['unga'], requeued: 1, closed: 1, pending: false });

    // Sessions, login and sockets refused; off duty.
    expect((await ws.closed()).code).toBe(1008);
    expect(await codeOf(leaverSession.api.call('GET', '/api/v1/responder/duty'))).toBe('unauthorized');
    expect(await codeOf(createResponderApi({ baseUrl: server.url, cookies: createCookieJar() }).login('gammal', leaver.authKey, '000000'))).toBe('login_failed');
    const again = await connectWs(server.url, { cookie: leaverSession.cookie, origin: new URL(server.url).origin, timeoutMs: 2000 });
    sockets.push(again);
    expect(await codeOf(again.helloResponder())).not.toBe('ok');
    expect(await server.store.duty.onDuty('unga' as TeamId)).not.toContain(leaver.id);
    expect((await server.store.staff.getResponder(leaver.id))?.active).toBe(false);

    // The chat is closed (the visitor is told at once); the callback waits in its team again.
    expect((await server.store.conversations.get(chat.id as never))).toMatchObject({ status: 'closed', outcome: 'responder-deactivated' });
    expect(await server.store.callbacks.get(callback.id as never)).toMatchObject({ state: 'waiting', claimer: null });

    // The revocation list names the certificate; the audit log says who did it, without content.
    const org = await directory.getOrg();
    expect(parseRevocationList(fromBase64url(org?.revocationList ?? '')).value.serials).toContain(leaverSerial);
    const actions = (await server.store.audit.recent(20)).filter((e) => e.actor === adminSeed.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['staff-deactivate', 'team-key-rotate']));

    // A new epoch, sealed to the remaining members only.
    const after = await directory.currentTeamKey('unga' as TeamId);
    expect(after?.epoch).toBe((before?.epoch ?? 0) + 1);
    expect(Object.keys(after?.deliveries ?? {})).toContain(stayer.id);
    expect(Object.keys(after?.deliveries ?? {})).not.toContain(leaver.id);
    const { anchor, teamCert } = await verifiedTeamCert(server, 'unga');
    expect(teamCert.epoch).toBe(after?.epoch);
    for (const sealed of Object.values(after?.deliveries ?? {})) {
      const code = (() => {
        try {
          openTeamInboxKey(fromBase64url(sealed), leaverKeys.box, teamCert);
          return 'opened';
        } catch (error) {
          return isCryptoError(error) ? error.code : String(error);
        }
      })();
      expect(code).toBe(CryptoErrorCode.Tampered);
    }

    // A callback sealed after the deactivation, through the API as the widget does it.
    const sealed = createCallbackRequest({ teamCert, callback: { phone: '070-123 45 67', timeWindow: 'kväll', language: 'sv', note: '', verificationWord: 'tallkotte' } });
    const filed = await visitors.open({ category: 'callback', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: toBase64url(sealed.wire) } }, solvePow);
    const stored = await server.store.callbacks.get(filed.id as never);
    expect(stored?.teamSealed).toEqual(expect.any(String));
    const wire = fromBase64url(stored?.teamSealed ?? '');

    // Every key the old member holds fails to open it …
    const held = [leaverKeys.box, ...leaverKeys.inbox.map((k) => k.keyPair)];
    expect(held.length).toBeGreaterThan(1);
    for (const keyPair of held) {
      const code = (() => {
        try {
          openCallbackRequest(wire, { cert: teamCert, keyPair });
          return 'opened';
        } catch (error) {
          return isCryptoError(error) ? error.code : String(error);
        }
      })();
      expect(code).toBe(CryptoErrorCode.Tampered);
    }
    // … and a remaining member opens it with the new epoch's key sealed to them.
    const stayerKeys = await privateKeys(stayer);
    const current = stayerKeys.inbox.find((k) => k.cert.epoch === after?.epoch);
    expect(current).toBeDefined();
    expect(openCallbackRequest(wire, current as TeamInboxKey).callback.phone).toBe('070-123 45 67');
    expect(anchor.revocations.serials).toContain(leaverSerial);
  });
});
