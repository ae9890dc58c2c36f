// Several organisations on one deployment: each has its own organisation key certified by the one
// root, and the widget's own verification (client/widget/state/conversation.ts verifiedTeam) chains
// every team to its organisation and the pinned root — and refuses a team whose organisation the root
// did not certify, or a team certificate served with another organisation's certificate.
import { beforeAll, describe, expect, it } from 'vitest';
import * as crypto from '../../crypto/index.js';
import { createWidgetApi } from '../../client/widget/state/api.js';
import { verifiedTeam } from '../../client/widget/state/conversation.js';
import { createDirectory } from '../../server/directory/directory.js';
import type { OrgId } from '../../server/store/ports.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { regionAuthKey, seedRegion, type SeededRegion } from '../support/region.js';

let t: TestApp;
let region: SeededRegion;
const widget = (rootPublicKey: string) => ({ api: createWidgetApi('http://localhost', t.fetch), crypto, rootPublicKey });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as { code?: string }).code ?? String(e));

beforeAll(async () => {
  t = await createTestApp();
  region = await seedRegion(t.store, t.clock);
});

describe('organisations of a region', () => {
  it('chains each team to its own organisation, named by the root, and the first organisation as before', async () => {
    const named = async (team: string) => (await verifiedTeam(widget(region.rootPublicKey), team)).anchor.org.organisation;
    expect(await named('huddinge-unga')).toEqual({ id: 'huddinge', name: 'Huddinge kommun' });
    expect(await named('botkyrka-unga')).toEqual({ id: 'botkyrka', name: 'Botkyrka kommun' });
    expect(await named('regionjouren')).toEqual({ id: 'regionen', name: 'Regionjouren' });
    // The first organisation's certificate stays version 1, naming none.
    expect(await named('unga')).toBeNull();
    const keys = await Promise.all(['huddinge-unga', 'botkyrka-unga', 'regionjouren', 'unga'].map(async (team) => (await verifiedTeam(widget(region.rootPublicKey), team)).anchor.org.publicKey));
    expect(new Set(keys.map((k) => crypto.toBase64url(k))).size).toBe(4);
  });

  it('refuses a team whose organisation the pinned root did not certify, and a team certificate under another organisation', async () => {
    const directory = createDirectory(t.store.records);
    const huddinge = (await directory.getOrg('huddinge' as OrgId))!;
    const regionen = (await directory.getOrg('regionen' as OrgId))!;
    // A hostile server serves the regional team's certificate with Huddinge's organisation certificate.
    await directory.putOrg(huddinge, 'regionen' as OrgId);
    expect(await codeOf(verifiedTeam(widget(region.rootPublicKey), 'regionjouren'))).toBe('UntrustedKey');
    // ... or with an organisation certificate a root of its own signed.
    const rogueRoot = crypto.generateSigningKeyPair();
    const now = t.clock.now();
    const rogueCert = crypto.issueOrgCert(rogueRoot.secretKey, { serial: 1, organisation: { id: 'regionen', name: 'Regionjouren' }, publicKey: crypto.parseOrgCert(crypto.fromBase64url(regionen.orgCert)).value.publicKey, notBefore: now - 1000, expires: now + 86_400_000 });
    await directory.putOrg({ ...regionen, orgCert: crypto.toBase64url(rogueCert) }, 'regionen' as OrgId);
    expect(await codeOf(verifiedTeam(widget(region.rootPublicKey), 'regionjouren'))).toBe('UntrustedKey');
    await directory.putOrg(regionen, 'regionen' as OrgId);
    expect(await codeOf(verifiedTeam(widget(region.rootPublicKey), 'regionjouren'))).toBe('ok');
  });

  it('gives a responder its own organisation’s certificate and only its own teams’ inbox keys', async () => {
    const api = t.responder();
    await api.login('botkyrka', regionAuthKey(region.passwords.get('botkyrka')!));
    const keys = await api.call<{ orgCert: string; revocationList: string; cert: string; inbox: Array<{ team: string }> }>('GET', '/api/v1/responder/keys');
    const now = new Date(t.clock.now());
    const anchor = crypto.createTrustAnchor({ rootPublicKey: crypto.fromBase64url(region.rootPublicKey) as crypto.Ed25519PublicKey, orgCert: crypto.fromBase64url(keys.orgCert), revocationList: crypto.fromBase64url(keys.revocationList), now });
    expect(anchor.org.organisation?.id).toBe('botkyrka');
    expect(crypto.verifyResponderCert(anchor, crypto.fromBase64url(keys.cert), { now, team: 'botkyrka-unga', role: 'responder' }).id).toBe('r-botkyrka');
    expect(keys.inbox.map((i) => i.team)).toEqual(['botkyrka-unga']);
    const directory = createDirectory(t.store.records);
    for (const team of ['huddinge-unga', 'regionjouren', 'unga']) {
      expect(Object.keys((await directory.currentTeamKey(team as never))?.deliveries ?? {})).not.toContain('r-botkyrka');
    }
  });
});
