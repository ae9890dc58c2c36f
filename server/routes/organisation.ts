// An organisation's own page of a region: its name, which organisations it takes overflow from (its
// half of an overflow agreement), and the teams of organisations that take its overflow (what its
// teams may name as overflow; the other half is set on the team, PUT /api/v1/admin/teams/{team}).
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import { orgScope } from '../directory/org-scope.js';
import { ORG_ID, createOrganisations, orgOf } from '../directory/organisations.js';
import type { OrgId, Store } from '../store/ports.js';
import { requireRole } from './admin.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

const security = [{ responderSession: [] }];

const OrganisationView = z
  .object({
    id: z.string(),
    name: z.string().nullable().openapi({ description: 'Null for the deployment’s first organisation when it was never named' }),
    acceptsOverflowFrom: z.array(z.string()),
    others: z.array(z.object({ id: z.string(), name: z.string() })).openapi({ description: 'The region’s other organisations' }),
    overflowTargets: z.array(z.object({ team: z.string(), name: z.string(), org: z.string() })).openapi({ description: 'Teams of organisations that accept this one’s overflow' }),
  })
  .openapi('Organisation');

export function registerOrganisationRoutes(app: App, deps: { store: Store; clock: Clock; secret: Uint8Array }): void {
  const { store } = deps;
  const registry = createOrganisations(store.records);
  const audit = createAuditWriter(deps);
  app.use('/api/v1/admin/organisation', requireRole('admin'));
  app.use('/api/v1/admin/organisation/*', requireRole('admin'));

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/organisation', tags: ['admin'], summary: 'The caller’s organisation and its overflow agreements (admin)', security, responses: { 200: json(OrganisationView, 'Organisation'), ...ERROR_RESPONSES } }),
    async (c) => {
      const scope = await orgScope(store.staff, c.get('responder'));
      const all = await registry.list();
      const own = all.find((o) => o.id === scope.org) ?? null;
      const accepting = new Set(all.filter((o) => o.acceptsOverflowFrom.includes(scope.org)).map((o) => o.id));
      const overflowTargets = (await store.staff.listTeams()).filter((t) => accepting.has(orgOf(t))).map((t) => ({ team: t.id, name: t.name, org: orgOf(t) }));
      return c.json(
        {
          id: scope.org,
          name: own?.name ?? null,
          acceptsOverflowFrom: [...(own?.acceptsOverflowFrom ?? [])],
          others: all.filter((o) => o.id !== scope.org).map((o) => ({ id: o.id, name: o.name })),
          overflowTargets,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/organisation/overflow',
      tags: ['admin'],
      summary: 'Which organisations may send their overflow to this one’s teams (admin; the sending team names its overflow itself)',
      security,
      request: { body: { content: { 'application/json': { schema: z.object({ acceptsOverflowFrom: z.array(z.string().regex(ORG_ID)).max(100) }).strict() } }, required: true } },
      responses: { 204: { description: 'Saved' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const scope = await orgScope(store.staff, me);
      const own = await registry.get(scope.org);
      const known = new Set((await registry.list()).map((o) => o.id as string));
      const from = c.req.valid('json').acceptsOverflowFrom.filter((o) => o !== scope.org);
      const unknown = from.filter((o) => !known.has(o));
      if (unknown.length > 0) throw new ApiError(ErrorCode.InvalidRequest, `acceptsOverflowFrom: unknown organisation ${unknown.join(', ')}`);
      await registry.put({ id: scope.org, name: own?.name ?? scope.org, acceptsOverflowFrom: [...new Set(from)] as OrgId[] });
      await audit(me.id, 'overflow-agreement', scope.org);
      return c.body(null, 204);
    },
  );
}
