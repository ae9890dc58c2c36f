// Staff administration routes (admins only): the responder list, team and role changes, deactivation,
// and what awaits the organisation key. The key itself is never served: in a real organisation changes
// are recorded here and signed with `npm run org sign` (server/cli/org.ts; in a region each organisation
// with its own key, `--org ID`); the demo server signs itself.
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { StaffAdmin } from '../staff/staff-admin.js';
import type { OrgPending } from '../directory/org-pending.js';
import type { Directory } from '../directory/directory.js';
import type { ResponderId, ResponderRecord, Store, TeamId } from '../store/ports.js';
import { orgScope } from '../directory/org-scope.js';
import { orgOf } from '../directory/organisations.js';
import { DeactivatedSchema, PendingSignaturesSchema, StaffChangePendingSchema, StaffChangeRequest, StaffSchema } from '../../contract/rest.js';
import { ApiError, ErrorCode } from '../errors.js';
import { requireRole } from './admin.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

export interface StaffRouteDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly staff: StaffAdmin;
  readonly pending: OrgPending;
  readonly clock: Clock;
  readonly secret: Uint8Array;
}

const security = [{ responderSession: [] }];
const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).openapi({ param: { name: 'id', in: 'path' }, example: 'r-demo' }) });

export function registerStaffRoutes(app: App, deps: StaffRouteDeps): void {
  const { staff } = deps;
  app.use('/api/v1/admin/staff', requireRole('admin'));
  app.use('/api/v1/admin/staff/*', requireRole('admin'));
  app.use('/api/v1/admin/org/*', requireRole('admin'));
  const audit = createAuditWriter(deps);
  /** Another organisation's responder is as unknown as a missing one. */
  const sameOrganisation = async (me: ResponderRecord, id: string) => {
    const target = await deps.store.staff.getResponder(id as ResponderId);
    if (target === null || orgOf(target) !== orgOf(me)) throw new ApiError(ErrorCode.NotFound);
  };

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/staff', tags: ['admin'], summary: 'Responders (teams, roles, active, key fingerprint, certificate expiry) and the organisation’s signing state', security, responses: { 200: json(StaffSchema, 'Staff'), ...ERROR_RESPONSES } }),
    async (c) => {
      const scope = await orgScope(deps.store.staff, c.get('responder'));
      const org = await staff.orgState(scope.org);
      const mine = await staff.list(scope.org);
      return c.json({ org: { ...org, teams: org.teams.filter((t) => scope.has(t.id)) }, responders: mine.map((r) => ({ ...r, teams: [...r.teams], roles: [...r.roles] })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/staff/{id}',
      tags: ['admin'],
      summary: 'Change teams and roles: re-certifies, revokes the old certificate, rotates the inbox keys of teams joined or left (202: recorded, awaits npm run org sign)',
      security,
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: StaffChangeRequest } }, required: true },
      },
      responses: { 202: json(StaffChangePendingSchema, 'Recorded; awaits the organisation key (npm run org sign)'), 204: { description: 'Changed' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const me = c.get('responder');
      const id = c.req.valid('param').id;
      await sameOrganisation(me, id);
      const done = await staff.update(me.id, id, { teams: body.teams as TeamId[], roles: body.roles }, undefined);
      await audit(me.id, done === 'pending' ? 'staff-change-request' : 'staff-change', id);
      if (done === 'pending') return c.json({ pending: true as const }, 202);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/staff/{id}/deactivate',
      tags: ['admin'],
      summary: 'Deactivate: sessions and duty end, sockets close at once; the certificate is revoked and every team inbox key rotated (demo: at once; a real organisation: pending, npm run org sign)',
      security,
      request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({}).strict() } }, required: true } },
      responses: { 200: json(DeactivatedSchema, 'Deactivated'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const id = c.req.valid('param').id;
      await sameOrganisation(me, id);
      const result = await staff.deactivate(me.id, id);
      await audit(me.id, 'staff-deactivate', id);
      for (const team of result.rotated) await audit(me.id, 'team-key-rotate', team);
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/org/pending',
      tags: ['admin'],
      summary: 'What awaits the organisation key (signed with npm run org sign, never in the console): enrolments with their key fingerprint, changes, deactivations, renewals, team inbox keys, the revocation list, and the organisation certificate (renewed by the root key holders)',
      security,
      responses: { 200: json(PendingSignaturesSchema, 'Awaiting signature'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      // Each organisation of a region signs with its own key (npm run org -- sign --org ID): its admins see its own list only.
      const view = await deps.pending.view((await orgScope(deps.store.staff, c.get('responder'))).org);
      return c.json(
        {
          enrolments: view.enrolments.map((e) => ({ ...e, teams: [...e.teams], roles: [...e.roles] })),
          changes: view.changes.map((e) => ({ ...e, teams: [...e.teams], roles: [...e.roles], fromTeams: [...e.fromTeams], fromRoles: [...e.fromRoles] })),
          deactivations: view.deactivations.map((e) => ({ ...e, teams: [...e.teams] })),
          renewals: [...view.renewals],
          teamKeys: [...view.teamKeys],
          revocationList: view.revocationList,
          orgCert: view.orgCert,
          organisation: view.organisation,
        },
        200,
      );
    },
  );
}
