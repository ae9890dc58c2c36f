// Overflow agreements between organisations, both halves: the sending organisation asks, the
// receiving one accepts; each admin sees both directions with every other organisation; ending the
// acceptance stops routing there at once, while the request stays (the receiver may accept again).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Organisation } from '../../contract/rest.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { loginInRegion, seedRegion, type SeededRegion } from '../support/region.js';

let t: TestApp;
let region: SeededRegion;
const as = (login: string) => loginInRegion(t, region, login);
const partners = async (login: string) =>
  Object.fromEntries((await (await as(login)).call<Organisation>('GET', '/api/v1/admin/organisation')).partners.map((p) => [p.id, `${p.incoming}/${p.outgoing}`]));
const status = async (source: string) => (await (await t.call('GET', `/api/v1/status?category=chat&source=${source}`)).json()) as { team: string; staffed: boolean };

beforeEach(async () => {
  t = await createTestApp();
  region = await seedRegion(t.store, t.clock);
});

describe('overflow agreements', () => {
  it('shows each admin both directions with every other organisation (incoming/outgoing)', async () => {
    expect(await partners('huddinge')).toEqual({ botkyrka: 'none/none', regionen: 'none/agreed' });
    expect(await partners('regionen')).toEqual({ huddinge: 'agreed/none', botkyrka: 'agreed/none' });
  });

  it('a request shows on both sides until the receiver accepts; then the sender may name its team', async () => {
    const huddinge = await as('huddinge');
    await huddinge.call('PUT', '/api/v1/admin/organisation/overflow-requests', { asksOverflowTo: ['regionen', 'botkyrka'] });
    expect(await partners('huddinge')).toMatchObject({ botkyrka: 'none/asked' });
    expect(await partners('botkyrka')).toMatchObject({ huddinge: 'asked/none' });
    expect((await huddinge.call<Organisation>('GET', '/api/v1/admin/organisation')).overflowTargets.map((x) => x.team)).toEqual(['regionjouren']);
    await (await as('botkyrka')).call('PUT', '/api/v1/admin/organisation/overflow', { acceptsOverflowFrom: ['huddinge'] });
    expect(await partners('botkyrka')).toMatchObject({ huddinge: 'agreed/none' });
    expect((await huddinge.call<Organisation>('GET', '/api/v1/admin/organisation')).overflowTargets.map((x) => x.team).sort()).toEqual(['botkyrka-unga', 'regionjouren']);
  });

  it('ending the acceptance stops routing there at once; the request stays, so the receiver sees it asked', async () => {
    await (await as('regionen')).duty('regionjouren', true);
    expect(await status('huddinge')).toMatchObject({ team: 'regionjouren', staffed: true });
    const regionen = await as('regionen');
    await regionen.call('PUT', '/api/v1/admin/organisation/overflow', { acceptsOverflowFrom: ['botkyrka'] });
    expect(await status('huddinge')).toMatchObject({ team: 'huddinge-unga', staffed: false });
    expect(await partners('regionen')).toMatchObject({ huddinge: 'asked/none' });
    expect(await partners('huddinge')).toMatchObject({ regionen: 'none/asked' });
  });

  it('refuses unknown organisations, ignores its own id, and is for admins only', async () => {
    const huddinge = await as('huddinge');
    await expect(huddinge.call('PUT', '/api/v1/admin/organisation/overflow-requests', { asksOverflowTo: ['nowhere'] })).rejects.toMatchObject({ code: 'invalid_request' });
    await huddinge.call('PUT', '/api/v1/admin/organisation/overflow-requests', { asksOverflowTo: ['huddinge', 'regionen'] });
    expect((await huddinge.call<Organisation>('GET', '/api/v1/admin/organisation')).asksOverflowTo).toEqual(['regionen']);
    const visitor = await t.call('PUT', '/api/v1/admin/organisation/overflow-requests', { asksOverflowTo: [] });
    expect(visitor.status).toBe(401);
  });
});
