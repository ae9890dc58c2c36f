// Source routes through app.request(): create, list, update, deactivate, validation, roles (admin
// writes, supervisor reads, responder nothing), QR codes that decode to the source's link, the embed
// parts, and what a source does for a visitor: its team asked first, its language on /c/<tag>.
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createTestApp, fakeCipher, newCid, seedResponder, solvePow, type TestApp } from '../../test/support/harness.js';
import { stockholmDay } from '../stats/stockholm-day.js';
import { DEFAULT_TEAM_SETTINGS } from '../routing/team-settings.js';
import type { TeamId } from '../store/ports.js';

// jsqr is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const jsQR = jsQRModule.default;

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError ? e.code : String(e)),
  );

interface Source {
  tag: string;
  label: string;
  team: string | null;
  language: string | null;
  active: boolean;
  createdAt: number;
  url: string;
}

async function asRole(t: TestApp, login: string, roles: Array<'responder' | 'supervisor' | 'admin'>) {
  const seeded = await seedResponder(t.store, login, ['unga'], roles);
  const api = t.responder();
  await api.login(login, seeded.authKey);
  return api;
}

/** Conversations opened today under `tag`, summed over every team, category and extra part. */
async function openedUnder(t: TestApp, tag: string): Promise<number> {
  const day = await t.store.stats.day(stockholmDay(Date.now()));
  return Object.entries(day)
    .filter(([field]) => field.startsWith('opened:') && field.split(':')[3] === tag)
    .reduce((sum, [, n]) => sum + n, 0);
}

describe('source routes', () => {
  it('an admin creates, lists, updates and deactivates; bad input and taken tags are refused', async () => {
    const t = await createTestApp({ env: { PUBLIC_URL: 'https://utvag.example.se' } });
    const admin = await asRole(t, 'admin', ['admin']);
    const created = await admin.call<Source>('POST', '/api/v1/admin/sources', { tag: 'poster-malmo-c', label: 'Affisch Malmö C', team: 'unga', language: 'ar' });
    expect(created).toMatchObject({ tag: 'poster-malmo-c', label: 'Affisch Malmö C', team: 'unga', language: 'ar', active: true, url: 'https://utvag.example.se/c/poster-malmo-c', hours: null });
    // The poster prints the opening hours of the team its chats go to.
    await admin.call('PUT', '/api/v1/admin/teams/unga/settings', { ...DEFAULT_TEAM_SETTINGS, dutyHours: { mon: [['09:00', '17:00']] } });
    expect((await admin.call<{ items: Source[] }>('GET', '/api/v1/admin/sources')).items[0]).toMatchObject({ tag: 'poster-malmo-c', hours: { mon: [['09:00', '17:00']] } });
    // Stored as a staff record, nothing more.
    expect(JSON.parse((await t.store.records.get('sources', 'poster-malmo-c')) ?? 'null')).toMatchObject({ tag: 'poster-malmo-c', team: 'unga', language: 'ar', active: true });

    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'poster-malmo-c', label: 'Igen' }))).toBe('source_exists');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'Poster Malmö', label: 'x' }))).toBe('invalid_request');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'a'.repeat(41), label: 'x' }))).toBe('invalid_request');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'ok', label: '   ' }))).toBe('invalid_request');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'ok', label: 'x', language: 'de' }))).toBe('invalid_request');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'ok', label: 'x', team: 'nope' }))).toBe('invalid_request');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources', { tag: 'ok', label: 'x', extra: 1 }))).toBe('invalid_request');
    await admin.call('POST', '/api/v1/admin/sources', { tag: 'web-lund', label: 'Lunds webbplats' });

    const { items } = await admin.call<{ items: Source[] }>('GET', '/api/v1/admin/sources');
    expect(items.map((s) => [s.tag, s.team, s.language])).toEqual([
      ['poster-malmo-c', 'unga', 'ar'],
      ['web-lund', null, null],
    ]);

    const updated = await admin.call<Source>('PUT', '/api/v1/admin/sources/web-lund', { label: 'Lund', team: 'foraldrar', language: 'en', active: true });
    expect(updated).toMatchObject({ tag: 'web-lund', label: 'Lund', team: 'foraldrar', language: 'en', active: true });
    expect(await codeOf(admin.call('PUT', '/api/v1/admin/sources/web-lund', { label: 'Lund' }))).toBe('invalid_request');
    expect(await codeOf(admin.call('PUT', '/api/v1/admin/sources/nope', { label: 'x', team: null, language: null, active: true }))).toBe('not_found');

    const ended = await admin.call<Source>('POST', '/api/v1/admin/sources/web-lund/deactivate');
    expect(ended).toMatchObject({ tag: 'web-lund', active: false, createdAt: updated.createdAt });
    expect(await codeOf(admin.call('POST', '/api/v1/admin/sources/nope/deactivate'))).toBe('not_found');
    expect((await t.store.audit.recent(10)).map((e) => e.action).filter((a) => a.startsWith('source-'))).toEqual(['source-deactivate', 'source-update', 'source-create', 'source-create']);
  });

  it('a supervisor reads but changes nothing; a responder neither; anonymous is unauthorized', async () => {
    const t = await createTestApp();
    const admin = await asRole(t, 'admin', ['admin']);
    await admin.call('POST', '/api/v1/admin/sources', { tag: 'qr-skola', label: 'Skolan' });
    const supervisor = await asRole(t, 'super', ['responder', 'supervisor']);
    expect((await supervisor.call<{ items: Source[] }>('GET', '/api/v1/admin/sources')).items.map((s) => s.tag)).toEqual(['qr-skola']);
    expect(await codeOf(supervisor.call('POST', '/api/v1/admin/sources', { tag: 'x', label: 'x' }))).toBe('forbidden');
    expect(await codeOf(supervisor.call('PUT', '/api/v1/admin/sources/qr-skola', { label: 'y', team: null, language: null, active: true }))).toBe('forbidden');
    expect(await codeOf(supervisor.call('POST', '/api/v1/admin/sources/qr-skola/deactivate'))).toBe('forbidden');
    expect((await t.fetch('http://localhost/api/v1/admin/sources/qr-skola/qr.svg', { headers: { cookie: '' } })).status).toBe(401);

    const responder = await asRole(t, 'plain', ['responder']);
    for (const [method, path, body] of [
      ['GET', '/api/v1/admin/sources', undefined],
      ['POST', '/api/v1/admin/sources', { tag: 'x', label: 'x' }],
      ['PUT', '/api/v1/admin/sources/qr-skola', { label: 'y', team: null, language: null, active: true }],
      ['POST', '/api/v1/admin/sources/qr-skola/deactivate', undefined],
      ['GET', '/api/v1/admin/sources/qr-skola/qr.png', undefined],
      ['GET', '/api/v1/admin/embed', undefined],
    ] as const) {
      expect(await codeOf(responder.call(method, path, body)), `${method} ${path}`).toBe('forbidden');
    }
    expect((await t.call('GET', '/api/v1/admin/sources')).status).toBe(401);
    expect(JSON.parse((await t.store.records.get('sources', 'qr-skola')) ?? '{}')).toMatchObject({ label: 'Skolan', active: true });
  });

  it('QR codes: SVG and PNG downloads that decode to the public link', async () => {
    const t = await createTestApp({ env: { PUBLIC_URL: 'https://utvag.example.se' } });
    const seeded = await seedResponder(t.store, 'admin', ['unga'], ['admin']);
    const admin = t.responder();
    await admin.login('admin', seeded.authKey);
    await admin.call('POST', '/api/v1/admin/sources', { tag: 'poster-42', label: 'Affisch 42' });
    // The API client keeps the cookie; fetch the images with it through the same app.
    const login = await t.call('POST', '/api/v1/responder/login', { login: 'admin', authKey: Buffer.from(seeded.authKey).toString('base64url') });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const get = (path: string) => t.fetch(`http://localhost${path}`, { headers: { cookie } });

    const png = await get('/api/v1/admin/sources/poster-42/qr.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe('attachment; filename="utvag-qr-poster-42.png"');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    expect([image.width, image.height]).toEqual([1000, 1000]);
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe('https://utvag.example.se/c/poster-42');

    const svg = await get('/api/v1/admin/sources/poster-42/qr.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers.get('content-disposition')).toBe('attachment; filename="utvag-qr-poster-42.svg"');
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await get('/api/v1/admin/sources/poster-42/qr.svg?inline=1')).headers.get('content-disposition')).toBe('inline');
    expect((await get('/api/v1/admin/sources/nope/qr.png')).status).toBe(404);
  });

  it('embed parts: the loader hash of this build and the root key', async () => {
    const t = await createTestApp();
    const admin = await asRole(t, 'admin', ['admin']);
    const { readFileSync, existsSync } = await import('node:fs');
    if (!existsSync('dist/public/widget-manifest.json')) {
      expect(await codeOf(admin.call('GET', '/api/v1/admin/embed'))).toBe('not_found');
      return;
    }
    // The test app has no organisation: nothing to pin yet.
    expect(await codeOf(admin.call('GET', '/api/v1/admin/embed'))).toBe('not_found');
    const { ensureDemoOrg } = await import('../directory/demo-org.js');
    const { createDirectory } = await import('../directory/directory.js');
    const { systemRandom } = await import('../clock.js');
    const root = await ensureDemoOrg({ store: t.store, directory: createDirectory(t.store.records), clock: t.clock, random: systemRandom });
    const manifest = JSON.parse(readFileSync('dist/public/widget-manifest.json', 'utf8')) as { loader: { integrity: string } };
    expect(await admin.call('GET', '/api/v1/admin/embed?source=web-malmo')).toEqual({ origin: 'http://localhost:8080', rootPublicKey: root, loaderIntegrity: manifest.loader.integrity, source: 'web-malmo' });
    expect(await codeOf(admin.call('GET', '/api/v1/admin/embed?source=Bad%20Tag'))).toBe('invalid_request');
  });

  it('a source with a target team routes there where the category allows; ended and unknown tags route by category; an unregistered tag counts as "other"', async () => {
    const t = await createTestApp();
    // Listed after "unga" (teams are kept by id), so without the source chat goes to "unga".
    await t.store.staff.putTeam({ id: 'vaxjo' as TeamId, name: 'Växjö unga', categories: ['chat'], overflow: 'unga' as TeamId });
    const admin = await asRole(t, 'admin', ['admin']);
    await admin.call('POST', '/api/v1/admin/sources', { tag: 'poster-vaxjo', label: 'Växjö', team: 'vaxjo' });
    const visitor = t.visitor();
    const status = async (category: string, source?: string) =>
      ((await (await t.call('GET', `/api/v1/status?category=${category}${source === undefined ? '' : `&source=${source}`}`)).json()) as { team: string }).team;

    // Status and open agree, so the widget seals the first message to the team that gets it.
    expect(await status('chat', 'poster-vaxjo')).toBe('vaxjo');
    expect(await status('chat')).toBe('unga');
    expect((await visitor.open({ category: 'chat', language: 'sv', source: 'poster-vaxjo' }, solvePow)).team).toBe('vaxjo');
    // The Växjö team takes no parent conversations: those go where parents always go.
    expect(await status('parent', 'poster-vaxjo')).toBe('foraldrar');
    expect((await visitor.open({ category: 'parent', language: 'sv', source: 'poster-vaxjo' }, solvePow)).team).toBe('foraldrar');
    expect((await visitor.open({ category: 'callback', language: 'sv', source: 'poster-vaxjo', intake: { cid: newCid(), kind: 'intake', body: fakeCipher(300) } }, solvePow)).team).toBe('unga');

    await admin.call('POST', '/api/v1/admin/sources/poster-vaxjo/deactivate');
    expect(await status('chat', 'poster-vaxjo')).toBe('unga');
    expect((await visitor.open({ category: 'chat', language: 'sv', source: 'poster-vaxjo' }, solvePow)).team).toBe('unga');
    expect((await visitor.open({ category: 'chat', language: 'sv', source: 'old-poster-2019' }, solvePow)).team).toBe('unga');

    expect(await openedUnder(t, 'poster-vaxjo')).toBe(4);
    // Nobody registered that tag: counted as "other", so no visitor-chosen text reaches the statistics.
    expect(await openedUnder(t, 'old-poster-2019')).toBe(0);
    expect(await openedUnder(t, 'other')).toBe(1);
    expect(JSON.stringify(await t.store.stats.day(stockholmDay(Date.now())))).not.toContain('old-poster-2019');
  });

  it('/c/<tag> opens the widget in the source language; unknown and ended tags open it too', async () => {
    const t = await createTestApp();
    const { existsSync } = await import('node:fs');
    if (!existsSync('dist/public/widget/index.html')) return; // the page needs a build (npm run build)
    const admin = await asRole(t, 'admin', ['admin']);
    await admin.call('POST', '/api/v1/admin/sources', { tag: 'affisch-ar', label: 'Arabisk affisch', language: 'ar' });
    const page = async (tag: string) => {
      const res = await t.call('GET', `/c/${tag}`);
      expect(res.status).toBe(200);
      return /<meta name="utvag-source-lang" content="([a-z]+)"/.exec(await res.text())?.[1] ?? null;
    };
    expect(await page('affisch-ar')).toBe('ar');
    expect(await page('never-registered')).toBeNull();
    await admin.call('POST', '/api/v1/admin/sources/affisch-ar/deactivate');
    expect(await page('affisch-ar')).toBe('ar');
  });
});
