// The demo organisation end to end over the API: a visitor verifies the team's inbox certificate
// against the pinned root and seals an intake; the demo responder unlocks its keys with its password,
// opens its sealed inbox key and reads the intake. Rotation keeps older epochs for older callbacks.
import { describe, expect, it } from 'vitest';
import {
  boxKeyPairFromSecret,
  createIntake,
  createTrustAnchor,
  fromBase64url,
  openIntake,
  openTeamInboxKey,
  toBase64url,
  verifyResponderCert,
  verifyTeamCert,
  type Ed25519PublicKey,
} from '../../crypto/index.js';
import { deriveLoginKeys, unwrapPrivateKeys } from '../../crypto/password.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { createManualClock, systemRandom } from '../clock.js';
import { seedDemo } from '../demo.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { createTestApp, newCid } from '../../test/support/harness.js';
import { createDirectory } from './directory.js';
import { enrolDemoResponder, ensureDemoOrg, refreshDemoOrg } from './demo-org.js';

const DAY = 86_400_000;

async function demoApp() {
  await loadSumoSodium();
  const clock = createManualClock(Date.now());
  const store = createMemoryStore({ clock, sweepIntervalMs: 0 });
  const deps = { store, directory: createDirectory(store.records), clock, random: systemRandom };
  const root = await ensureDemoOrg(deps);
  const login = await seedDemo(store, async (p, s, params) => deriveLoginKeys(p, s, params), systemRandom);
  if (login === null) throw new Error('not seeded');
  await enrolDemoResponder(deps, login.responder, login.wrapKey);
  await refreshDemoOrg(deps);
  const t = await createTestApp({ store });
  return { t, deps, clock, root, login };
}

describe('demo organisation keys', () => {
  it('lets a visitor seal to the team and the responder open it with keys unlocked by its password', async () => {
    const { t, root, login } = await demoApp();
    const bundle = (await (await t.fetch('http://localhost/api/v1/directory/teams/unga')).json()) as {
      orgCert: string;
      revocationList: string;
      teamCert: string;
      epoch: number;
    };
    const now = new Date();
    const anchor = createTrustAnchor({
      rootPublicKey: fromBase64url(root) as Ed25519PublicKey,
      orgCert: fromBase64url(bundle.orgCert),
      revocationList: fromBase64url(bundle.revocationList),
      now,
    });
    const teamCert = verifyTeamCert(anchor, fromBase64url(bundle.teamCert), { now, team: 'unga' });
    const { wire, pending } = createIntake({ teamCert, category: 'chat', text: 'Jag vill prata med någon' });
    const opened = await t
      .visitor()
      .open({ id: toBase64url(pending.conversationId), category: 'chat', language: 'sv', intake: { cid: newCid(), kind: 'intake', body: toBase64url(wire) } }, (await import('../../test/support/harness.js')).solvePow);

    const api = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch, cookies: createCookieJar() });
    const params = await api.loginParams(login.login);
    const keys = deriveLoginKeys(login.password, fromBase64url(params.salt), params);
    await api.login(login.login, keys.authKey);
    expect((await t.fetch('http://localhost/api/v1/responder/keys')).status).toBe(401);
    const keysResponse = await fetchKeys(t.fetch, login.login, keys.authKey);
    const privateKeys = unwrapPrivateKeys(keys.wrapKey, fromBase64url(keysResponse.wrappedKeys));
    const cert = verifyResponderCert(anchor, fromBase64url(keysResponse.cert), { now, team: 'unga', role: 'responder' });
    expect(cert.id).toBe(login.responder.id);
    const delivery = keysResponse.inbox.find((i) => i.team === 'unga' && i.epoch === bundle.epoch);
    expect(delivery).toBeDefined();
    const inbox = openTeamInboxKey(fromBase64url(delivery?.sealed ?? ''), boxKeyPairFromSecret(privateKeys.boxSecretKey), teamCert);
    await api.duty('unga', true);
    const queue = await api.queue();
    const item = queue.items.find((i) => i.id === opened.id);
    const intake = openIntake(fromBase64url(item?.intake?.body ?? ''), inbox);
    expect(intake.text).toBe('Jag vill prata med någon');
    expect(toBase64url(intake.conversationId)).toBe(opened.id);
  });

  it('serves the pinned root key in the pages only when configured', async () => {
    const { t } = await demoApp();
    // createTestApp passes no root key, so pages carry none.
    const html = await (await t.fetch('http://localhost/c/demo')).text();
    expect(html).not.toContain('utvag-root-key');
  });

  it('rotates a team key before it expires and keeps the older epoch', async () => {
    const { deps, clock } = await demoApp();
    const before = await deps.directory.currentTeamKey('unga' as never);
    clock.advance(5.5 * DAY);
    await refreshDemoOrg(deps);
    const after = await deps.directory.currentTeamKey('unga' as never);
    expect(after?.epoch).toBe((before?.epoch ?? 0) + 1);
    expect((await deps.directory.teamKeys('unga' as never)).map((k) => k.epoch)).toEqual([before?.epoch, after?.epoch]);
    const org = await deps.directory.getOrg();
    expect(org).not.toBeNull();
  });
});

async function fetchKeys(doFetch: typeof fetch, login: string, authKey: Uint8Array) {
  const r = await doFetch('http://localhost/api/v1/responder/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, authKey: toBase64url(authKey) }),
  });
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const keys = await doFetch('http://localhost/api/v1/responder/keys', { headers: { cookie } });
  expect(keys.status).toBe(200);
  return (await keys.json()) as { cert: string; wrappedKeys: string; inbox: Array<{ team: string; epoch: number; cert: string; sealed: string }> };
}
