// Admin and supervisor routes: invitations and certification of enrolled responders, team routing
// settings, and the audit log (who did what, never content). Needs a session with the right role.
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { fromBase64url } from '../../crypto/index.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/directory.js';
import { certifyDemoResponder, holdsDemoOrgKey } from '../directory/demo-org.js';
import type { Invitations } from '../enrolment/invitations.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Routing } from '../routing/routing.js';
import type { OrgId, ResponderId, ResponderRecord, Role, Store, TeamId } from '../store/ports.js';
import { orgScope } from '../directory/org-scope.js';
import { createOrganisations, orgOf } from '../directory/organisations.js';
import { createAuditWriter } from './audit-writer.js';
import { AuditEntriesSchema, AuditQuery, CertifyRequest, InvitationCreatedSchema, InvitationRequest, InvitationsSchema } from '../../contract/rest.js';
import { ERROR_RESPONSES, json, type App, type AppEnv } from './common.js';

export interface AdminRouteDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly invitations: Invitations;
  readonly routing: Routing;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  readonly secret: Uint8Array;
  /** DEMO mode: the server certifies with the demo organisation key it holds. */
  readonly demo: boolean;
}

const security = [{ responderSession: [] }];

/** Middleware: the session's responder must hold one of `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    if (!c.get('responder').roles.some((r) => roles.includes(r))) throw new ApiError(ErrorCode.Forbidden);
    await next();
  };
}

const IdParam = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/).openapi({ param: { name: 'id', in: 'path' } }) });

export function registerAdminRoutes(app: App, deps: AdminRouteDeps): void {
  const { store, invitations } = deps;
  app.use('/api/v1/admin/invitations', requireRole('admin'));
  app.use('/api/v1/admin/invitations/*', requireRole('admin'));
  app.use('/api/v1/admin/teams/*', requireRole('admin', 'supervisor'));
  app.use('/api/v1/admin/audit', requireRole('admin', 'supervisor'));
  const audit = createAuditWriter(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/invitations',
      tags: ['admin'],
      summary: 'Invite a responder (teams, roles); the link is shown once',
      security,
      request: { body: { content: { 'application/json': { schema: InvitationRequest } }, required: true } },
      responses: { 201: json(InvitationCreatedSchema, 'Invitation'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const me = c.get('responder');
      const scope = await orgScope(store.staff, me);
      // Only teams of the admin's own organisation (another organisation's team is as unknown as a missing one).
      for (const team of body.teams) if (!scope.has(team)) throw new ApiError(ErrorCode.InvalidRequest, `Unknown team ${team}.`);
      const { token, invitation } = await invitations.create({ ...body, createdBy: me.id, ...(scope.first ? {} : { org: scope.org }) });
      await audit(me.id, 'invite');
      return c.json({ token, path: `/console#enrol=${token}`, expiresAt: invitation.expiresAt }, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/invitations', tags: ['admin'], summary: 'Invitations and enrolments waiting for certification', security, responses: { 200: json(InvitationsSchema, 'Invitations'), ...ERROR_RESPONSES } }),
    async (c) => {
      const scope = await orgScope(store.staff, c.get('responder'));
      const items = (await invitations.list()).filter((i) => scope.owns({ org: i.org as OrgId | undefined })).map((i) => ({ id: i.id, displayName: i.displayName, teams: i.teams, roles: i.roles, state: i.state, login: i.login, fingerprint: i.fingerprint, responder: i.responder, signPublicKey: i.signPublicKey, boxPublicKey: i.boxPublicKey, expiresAt: i.expiresAt }));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/invitations/{id}/certify',
      tags: ['admin'],
      summary: 'Demo organisation only: certify an enrolled responder after comparing the key fingerprint (a real organisation certifies with npm run org sign)',
      security,
      request: {
        params: IdParam,
        body: {
          content: {
            'application/json': {
              schema: CertifyRequest,
            },
          },
          required: true,
        },
      },
      responses: { 204: { description: 'Certified and activated' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const inv = await invitations.get(c.req.valid('param').id);
      const scope = await orgScope(store.staff, c.get('responder'));
      if (inv === null || !scope.owns({ org: inv.org as OrgId | undefined }) || inv.state !== 'enrolled' || inv.responder === null || inv.signPublicKey === null || inv.boxPublicKey === null || inv.wrappedKeys === null) {
        throw new ApiError(ErrorCode.InvitationInvalid);
      }
      // A real organisation's key is never on the server nor in a served page: `npm run org sign`.
      if (!deps.demo || !(await holdsDemoOrgKey(store))) throw new ApiError(ErrorCode.InvalidRequest, 'Certification is signed with the organisation key in `npm run org sign`.');
      const body = c.req.valid('json');
      if (body.fingerprint.replace(/\s/g, '') !== (inv.fingerprint ?? '').replace(/\s/g, '')) throw new ApiError(ErrorCode.InvalidRequest, 'The fingerprint does not match the enrolled keys.');
      const responder = await store.staff.getResponder(inv.responder as ResponderId);
      if (responder === null) throw new ApiError(ErrorCode.InvitationInvalid);
      // Active before the team inbox keys are sealed (only active members get them); undone on failure.
      await store.staff.putResponder({ ...responder, active: true });
      try {
        const demoDeps = { store: deps.store, directory: deps.directory, clock: deps.clock, random: deps.random };
        await certifyDemoResponder(demoDeps, { ...responder, active: true }, { signPublicKey: fromBase64url(inv.signPublicKey), boxPublicKey: fromBase64url(inv.boxPublicKey), wrappedKeys: inv.wrappedKeys });
      } catch (error) {
        await store.staff.putResponder({ ...responder, active: false });
        throw error;
      }
      await invitations.put({ ...inv, state: 'certified', wrappedKeys: null });
      await audit(c.get('responder').id, 'certify');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/api/v1/admin/invitations/{id}', tags: ['admin'], summary: 'Withdraw an invitation', security, request: { params: IdParam }, responses: { 204: { description: 'Withdrawn' }, ...ERROR_RESPONSES } }),
    async (c) => {
      const inv = await invitations.get(c.req.valid('param').id);
      if (inv !== null && !(await orgScope(store.staff, c.get('responder'))).owns({ org: inv.org as OrgId | undefined })) throw new ApiError(ErrorCode.NotFound);
      await invitations.remove(c.req.valid('param').id);
      await audit(c.get('responder').id, 'withdraw-invitation');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/audit',
      tags: ['admin'],
      summary: 'Recent responder actions (who, what, when; never content)',
      security,
      request: { query: AuditQuery },
      responses: {
        200: json(AuditEntriesSchema, 'Entries'),
        ...ERROR_RESPONSES,
      },
    }),
    async (c) => {
      const scope = await orgScope(store.staff, c.get('responder'));
      const actors = new Map<string, ResponderRecord | null>();
      const entries = [];
      // The log is one for the deployment; each organisation reads the entries of its own staff only.
      for (const e of await store.audit.recent(c.req.valid('query').limit)) {
        if (!actors.has(e.actor)) actors.set(e.actor, await store.staff.getResponder(e.actor));
        const actor = actors.get(e.actor) ?? null;
        // An entry naming an organisation (a handover, written to both) belongs to that organisation's log.
        if (e.org !== undefined ? e.org !== scope.org : !scope.owns(actor ?? {})) continue;
        const { org: _org, ...entry } = e;
        // Another organisation's responder (who handed a conversation over) is named by their organisation only.
        const foreign = actor !== null && !scope.owns(actor) ? orgOf(actor) : null;
        if (foreign !== null) entries.push({ ...entry, actor: foreign, actorName: (await createOrganisations(store.records).get(foreign))?.name ?? foreign });
        else entries.push({ ...entry, actorName: actor?.displayName ?? e.actor });
      }
      return c.json({ entries }, 200);
    },
  );
}
