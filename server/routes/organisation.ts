// An organisation's own page of a region: its name and its overflow agreements with the others. An
// agreement has two halves: the sending organisation asks (and its team names the overflow, PUT
// /api/v1/admin/teams/{team}), the receiving one accepts; routing follows an overflow link into
// another organisation only while the receiver accepts the sender, so ending the acceptance stops it.
import { createRoute } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import { orgScope } from '../directory/org-scope.js';
import { createOrganisations, orgOf, type Organisation } from '../directory/organisations.js';
import type { OrgId, Store } from '../store/ports.js';
import { AcceptOverflowRequest, AskOverflowRequest, OrganisationSchema, type AgreementState } from '../../contract/rest.js';
import { requireRole } from './admin.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

const security = [{ responderSession: [] }];

/** One direction of an agreement: accepted by the receiver, else asked by the sender, else nothing. */
const stateOf = (sender: Organisation | undefined, receiver: Organisation | undefined): AgreementState => {
  if (sender === undefined || receiver === undefined) return 'none';
  if (receiver.acceptsOverflowFrom.includes(sender.id)) return 'agreed';
  return sender.asksOverflowTo.includes(receiver.id) ? 'asked' : 'none';
};

export function registerOrganisationRoutes(app: App, deps: { store: Store; clock: Clock; secret: Uint8Array }): void {
  const { store } = deps;
  const registry = createOrganisations(store.records);
  const audit = createAuditWriter(deps);
  app.use('/api/v1/admin/organisation', requireRole('admin'));
  app.use('/api/v1/admin/organisation/*', requireRole('admin'));

  /** The caller's organisation record (a first organisation never named has none: it starts empty), and the known ids. */
  async function own(org: OrgId): Promise<{ record: Organisation; known: Set<string> }> {
    const all = await registry.list();
    const record = all.find((o) => o.id === org) ?? { id: org, name: org, acceptsOverflowFrom: [], asksOverflowTo: [] };
    return { record, known: new Set(all.map((o) => o.id as string)) };
  }

  /** The listed organisations, without the caller's own and repeats; InvalidRequest naming any unknown one. */
  function others(field: string, ids: readonly string[], self: OrgId, known: ReadonlySet<string>): OrgId[] {
    const list = [...new Set(ids.filter((o) => o !== self))];
    const unknown = list.filter((o) => !known.has(o));
    if (unknown.length > 0) throw new ApiError(ErrorCode.InvalidRequest, `${field}: unknown organisation ${unknown.join(', ')}`);
    return list as OrgId[];
  }

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/organisation', tags: ['admin'], summary: 'The caller’s organisation and its overflow agreements (admin)', security, responses: { 200: json(OrganisationSchema, 'Organisation'), ...ERROR_RESPONSES } }),
    async (c) => {
      const scope = await orgScope(store.staff, c.get('responder'));
      const all = await registry.list();
      const mine = all.find((o) => o.id === scope.org);
      const accepting = new Set(all.filter((o) => o.acceptsOverflowFrom.includes(scope.org)).map((o) => o.id));
      const overflowTargets = (await store.staff.listTeams()).filter((t) => accepting.has(orgOf(t))).map((t) => ({ team: t.id, name: t.name, org: orgOf(t) }));
      const rest = all.filter((o) => o.id !== scope.org);
      // A first organisation never named has no record; its half of any agreement is then empty.
      const self = mine ?? { id: scope.org, name: scope.org, acceptsOverflowFrom: [], asksOverflowTo: [] };
      return c.json(
        {
          id: scope.org,
          name: mine?.name ?? null,
          acceptsOverflowFrom: [...self.acceptsOverflowFrom],
          asksOverflowTo: [...self.asksOverflowTo],
          others: rest.map((o) => ({ id: o.id, name: o.name })),
          partners: rest.map((o) => ({ id: o.id, name: o.name, incoming: stateOf(o, self), outgoing: stateOf(self, o) })),
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
      summary: 'Which organisations may send their overflow to this one’s teams (admin; the receiving half of an agreement — removing one ends it at once)',
      security,
      request: { body: { content: { 'application/json': { schema: AcceptOverflowRequest } }, required: true } },
      responses: { 204: { description: 'Saved' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const scope = await orgScope(store.staff, me);
      const { record, known } = await own(scope.org);
      const from = others('acceptsOverflowFrom', c.req.valid('json').acceptsOverflowFrom, scope.org, known);
      await registry.put({ ...record, acceptsOverflowFrom: from });
      await audit(me.id, 'overflow-agreement', scope.org);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/organisation/overflow-requests',
      tags: ['admin'],
      summary: 'Which organisations this one asks to take its overflow (admin; the sending half, shown to their admins until they accept)',
      security,
      request: { body: { content: { 'application/json': { schema: AskOverflowRequest } }, required: true } },
      responses: { 204: { description: 'Saved' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const scope = await orgScope(store.staff, me);
      const { record, known } = await own(scope.org);
      const to = others('asksOverflowTo', c.req.valid('json').asksOverflowTo, scope.org, known);
      await registry.put({ ...record, asksOverflowTo: to });
      await audit(me.id, 'overflow-agreement', scope.org);
      return c.body(null, 204);
    },
  );
}
