// Staff administration routes are for admins only: anonymous → 401, responder and supervisor → 403
// (and nothing changes), admin → allowed. Also: a demo-organisation role change re-certifies, and the
// upload checks of a real organisation (what `npm run org sign` uploads) answer garbage with 4xx.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../contract/errors.js';
import { createResponderApi } from '../../client/shared/api-client.js';
import { fromBase64url, parseResponderCert, parseRevocationList } from '../../crypto/index.js';
import { createTestApp, seedResponder } from '../../test/support/harness.js';
import { systemRandom } from '../clock.js';
import { createDirectory } from '../directory/directory.js';
import { enrolDemoResponder, ensureDemoOrg } from '../directory/demo-org.js';
import { createOrgPending } from '../directory/org-pending.js';
import { createStaffAdmin } from '../staff/staff-admin.js';
import { createInvitations } from '../enrolment/invitations.js';
import { ApiError } from '../errors.js';
import type { ResponderId, TeamId } from '../store/ports.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiRequestError || e instanceof ApiError ? e.code : String(e)),
  );

describe('staff routes', () => {
  it('refuse responders and supervisors on every admin-only route; admins pass', async () => {
    const t = await createTestApp({ env: { DEMO: 'true' } });
    const deps = { store: t.store, directory: createDirectory(t.store.records), clock: t.clock, random: systemRandom };
    await ensureDemoOrg(deps);
    const target = await seedResponder(t.store, 'mal', ['unga']);
    const target2 = await seedResponder(t.store, 'mal2', ['unga']);
    const callers = new Map<string, ReturnType<typeof t.responder>>();
    for (const [login, roles] of [
      ['resp', ['responder']],
      ['sup', ['responder', 'supervisor']],
      ['adm', ['admin']],
    ] as const) {
      const seeded = await seedResponder(t.store, login, ['unga'], [...roles]);
      const api = t.responder();
      await api.login(login, seeded.authKey);
      callers.set(login, api);
    }
    const anonymous = createResponderApi({ baseUrl: 'http://localhost', fetch: t.fetch });
    const routes: Array<['GET' | 'PUT' | 'POST', string, unknown]> = [
      ['GET', '/api/v1/admin/staff', undefined],
      ['PUT', `/api/v1/admin/staff/${target.id}`, { teams: ['unga', 'foraldrar'], roles: ['responder'] }],
      ['POST', `/api/v1/admin/staff/${target2.id}/deactivate`, {}],
      ['GET', '/api/v1/admin/org/pending', undefined],
    ];
    for (const [method, path, body] of routes) {
      expect(`${method} ${path} anonymous: ${await codeOf(anonymous.call(method, path, body))}`).toBe(`${method} ${path} anonymous: unauthorized`);
      for (const login of ['resp', 'sup']) {
        expect(`${method} ${path} ${login}: ${await codeOf(callers.get(login)!.call(method, path, body))}`).toBe(`${method} ${path} ${login}: forbidden`);
      }
    }
    expect((await t.store.staff.getResponder(target.id))?.teams).toEqual(['unga']);
    expect((await t.store.staff.getResponder(target2.id))?.active).toBe(true);

    const admin = callers.get('adm')!;
    const results = [];
    for (const [method, path, body] of routes) results.push(await codeOf(admin.call(method, path, body)));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok']);
    // The sealed organisation key is not served to any page, and the console cannot upload signatures.
    expect(await codeOf(admin.call('GET', '/api/v1/admin/org/key'))).toBe('not_found');
    expect(await codeOf(admin.call('POST', '/api/v1/admin/org/renew', { revocationList: 'AAAA', teamKeys: [] }))).toBe('not_found');
    expect(await codeOf(admin.call('PUT', `/api/v1/admin/staff/${target.id}`, { teams: ['unga'], roles: ['responder'], signed: { revocationList: 'AAAA', teamKeys: [] } }))).toBe('invalid_request');
    expect((await t.store.staff.getResponder(target.id))?.teams).toEqual(['unga', 'foraldrar']);
    expect((await t.store.staff.getResponder(target2.id))?.active).toBe(false);
  });

  it('a role change in the demo organisation issues a new certificate and revokes the old one', async () => {
    const t = await createTestApp({ env: { DEMO: 'true' } });
    const deps = { store: t.store, directory: createDirectory(t.store.records), clock: t.clock, random: systemRandom };
    await ensureDemoOrg(deps);
    const member = await seedResponder(t.store, 'ella', ['unga']);
    await enrolDemoResponder(deps, (await t.store.staff.getResponder(member.id))!, systemRandom(32));
    const oldCert = parseResponderCert(fromBase64url((await deps.directory.getResponderKeys(member.id))!.cert)).value;
    const adminSeed = await seedResponder(t.store, 'boss', ['unga'], ['admin']);
    const admin = t.responder();
    await admin.login('boss', adminSeed.authKey);
    const konsultBefore = (await deps.directory.currentTeamKey('konsult' as TeamId))?.epoch ?? 0;
    await admin.call('PUT', `/api/v1/admin/staff/${member.id}`, { teams: ['unga', 'konsult'], roles: ['responder', 'supervisor'] });
    const cert = parseResponderCert(fromBase64url((await deps.directory.getResponderKeys(member.id))!.cert)).value;
    expect(cert.teams).toEqual(['unga', 'konsult']);
    expect(cert.roles).toEqual(['responder', 'supervisor']);
    expect(cert.serial).not.toBe(oldCert.serial);
    expect(parseRevocationList(fromBase64url((await deps.directory.getOrg())!.revocationList)).value.serials).toContain(oldCert.serial);
    const konsult = await deps.directory.currentTeamKey('konsult' as TeamId);
    expect(konsult?.epoch).toBe(konsultBefore + 1);
    expect(konsult?.deliveries[member.id]).toBeDefined();
    const listed = await admin.call<{ responders: Array<{ id: string; roles: string[]; certSerial: number | null; fingerprint: string | null }> }>('GET', '/api/v1/admin/staff');
    expect(listed.responders.find((r) => r.id === member.id)).toMatchObject({ roles: ['responder', 'supervisor'], certSerial: cert.serial });
    expect((await t.store.audit.recent(5)).map((e) => e.action)).toContain('staff-change');
  });

  it('answers garbage uploads of signed changes with 4xx, never 5xx, and changes nothing (real organisation)', async () => {
    // DEMO off: the demo key in the store is ignored, the uploads are checked as `npm run org sign`'s are.
    const t = await createTestApp();
    const deps = { store: t.store, directory: createDirectory(t.store.records), clock: t.clock, random: systemRandom };
    await ensureDemoOrg(deps);
    const member = await seedResponder(t.store, 'kim', ['unga']);
    await enrolDemoResponder(deps, (await t.store.staff.getResponder(member.id))!, systemRandom(32));
    const leaver = await seedResponder(t.store, 'ola', ['unga']);
    await enrolDemoResponder(deps, (await t.store.staff.getResponder(leaver.id))!, systemRandom(32));
    const adminSeed = await seedResponder(t.store, 'root', ['unga'], ['admin']);
    const admin = t.responder();
    await admin.login('root', adminSeed.authKey);
    const invitations = createInvitations({ records: t.store.records, clock: t.clock, random: systemRandom });
    const pending = createOrgPending({ store: t.store, directory: deps.directory, invitations, clock: t.clock });
    const staff = createStaffAdmin({ store: t.store, directory: deps.directory, clock: t.clock, random: systemRandom, conversations: undefined as never, rootPublicKey: null, disconnect: async () => undefined, demo: false, pending });
    const before = await deps.directory.getOrg();
    // The store holds a demo organisation key (as if a Redis writer put one there), but DEMO is off:
    // the server signs nothing. A change is only recorded, a deactivation queues its signed part.
    expect((await admin.call<{ org: { mode: string } }>('GET', '/api/v1/admin/staff')).org.mode).toBe('organisation');
    expect(await admin.call('PUT', `/api/v1/admin/staff/${member.id}`, { teams: ['unga', 'konsult'], roles: ['responder'] })).toEqual({ pending: true });
    expect((await t.store.staff.getResponder(member.id))?.teams).toEqual(['unga']);
    expect((await admin.call<{ pending: boolean }>('POST', `/api/v1/admin/staff/${leaver.id}/deactivate`, {})).pending).toBe(true);
    expect((await deps.directory.getOrg())?.revocationList).toBe(before?.revocationList);
    const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/);
    const signed = fc.record({
      cert: fc.option(b64, { nil: undefined }),
      revocationList: b64,
      teamKeys: fc.array(fc.record({ team: fc.constantFrom('unga', 'konsult', 'x'), epoch: fc.integer({ min: 1, max: 5 }), cert: b64, deliveries: fc.dictionary(fc.constantFrom(member.id, 'r-root', 'r-x'), b64) }), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(signed, fc.constantFrom('deactivate', 'update', 'renew'), async (body, route) => {
        const clean = { ...body, ...(body.cert === undefined ? { cert: undefined } : {}) };
        const call =
          route === 'deactivate'
            ? staff.completeDeactivation(leaver.id, clean)
            : route === 'update'
              ? staff.update('r-root' as ResponderId, member.id, { teams: ['unga' as TeamId], roles: ['responder'] }, clean)
              : staff.renew(clean);
        const code = await codeOf(call);
        expect(['invalid_request', 'not_found']).toContain(code);
      }),
      { numRuns: 60 },
    );
    expect((await t.store.staff.getResponder(member.id))?.active).toBe(true);
    expect((await t.store.staff.getResponder(member.id))?.roles).toEqual(['responder']);
    expect((await deps.directory.getOrg())?.revocationList).toBe(before?.revocationList);
    expect((await pending.view()).deactivations.map((d) => d.responder)).toEqual([leaver.id]);
  });
});
