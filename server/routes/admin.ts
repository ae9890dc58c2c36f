// Admin and supervisor routes: invitations and certification of enrolled responders, team routing
// settings, and the audit log (who did what, never content). Needs a session with the right role.
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { fromBase64url, toBase64url } from '../../crypto/index.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/directory.js';
import { certifyDemoResponder, holdsDemoOrgKey, refreshDemoOrg } from '../directory/demo-org.js';
import type { SignedChange, StaffAdmin } from '../directory/staff-admin.js';
import { createOrgValidator, usedSerials } from '../directory/org-validate.js';
import type { Invitations } from '../enrolment/invitations.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Routing } from '../routing/routing.js';
import type { ResponderId, ResponderRecord, Role, Store, TeamId } from '../store/ports.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App, type AppEnv } from './common.js';

export interface AdminRouteDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly invitations: Invitations;
  readonly routing: Routing;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  readonly secret: Uint8Array;
  /** Checks and publishes the inbox keys an admin's browser rotated for a newly certified member. */
  readonly staff?: StaffAdmin;
  /** The root key the served pages pin; null: the published bundle's own (demo, tests). */
  readonly rootPublicKey?: string | null;
}

const security = [{ responderSession: [] }];

/** Middleware: the session's responder must hold one of `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    if (!c.get('responder').roles.some((r) => roles.includes(r))) throw new ApiError(ErrorCode.Forbidden);
    await next();
  };
}

const InvitationRequest = z
  .object({
    displayName: z.string().min(1).max(80),
    teams: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/)).min(1).max(10),
    roles: z.array(z.enum(['responder', 'supervisor', 'admin'])).min(1),
  })
  .strict()
  .openapi('InvitationRequest');

const InvitationSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  teams: z.array(z.string()),
  roles: z.array(z.string()),
  state: z.enum(['open', 'enrolled', 'certified']),
  login: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** The enrolled keys (base64url) an admin's browser certifies after comparing the fingerprint. */
  responder: z.string().nullable(),
  signPublicKey: z.string().nullable(),
  boxPublicKey: z.string().nullable(),
  expiresAt: z.number().int(),
});
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
      responses: { 201: json(z.object({ token: z.string(), path: z.string(), expiresAt: z.number().int() }), 'Invitation'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid('json');
      for (const team of body.teams) if ((await store.staff.getTeam(team as TeamId)) === null) throw new ApiError(ErrorCode.InvalidRequest, `Unknown team ${team}.`);
      const me = c.get('responder');
      const { token, invitation } = await invitations.create({ ...body, createdBy: me.id });
      await audit(me.id, 'invite');
      return c.json({ token, path: `/console#enrol=${token}`, expiresAt: invitation.expiresAt }, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/invitations', tags: ['admin'], summary: 'Invitations and enrolments waiting for certification', security, responses: { 200: json(z.object({ items: z.array(InvitationSummary) }), 'Invitations'), ...ERROR_RESPONSES } }),
    async (c) => {
      const items = (await invitations.list()).map((i) => ({ id: i.id, displayName: i.displayName, teams: i.teams, roles: i.roles, state: i.state, login: i.login, fingerprint: i.fingerprint, responder: i.responder, signPublicKey: i.signPublicKey, boxPublicKey: i.boxPublicKey, expiresAt: i.expiresAt }));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/invitations/{id}/certify',
      tags: ['admin'],
      summary: 'Certify an enrolled responder after comparing the key fingerprint (with a certificate signed in the admin’s browser, or by the demo organisation key)',
      security,
      request: {
        params: IdParam,
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  fingerprint: z.string().max(64),
                  cert: z.string().regex(/^[A-Za-z0-9_-]+$/).max(8192).optional(),
                  revocationList: z.string().regex(/^[A-Za-z0-9_-]+$/).max(1_200_000).optional(),
                  teamKeys: z
                    .array(z.object({ team: z.string().regex(/^[a-z0-9-]{1,64}$/), epoch: z.number().int().positive().max(2 ** 32 - 1), cert: z.string().regex(/^[A-Za-z0-9_-]+$/).max(8192), deliveries: z.record(z.string().max(64), z.string().regex(/^[A-Za-z0-9_-]+$/).max(1024)) }).strict())
                    .max(64)
                    .optional(),
                })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: { 204: { description: 'Certified and activated' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const inv = await invitations.get(c.req.valid('param').id);
      if (inv === null || inv.state !== 'enrolled' || inv.responder === null || inv.signPublicKey === null || inv.boxPublicKey === null || inv.wrappedKeys === null) {
        throw new ApiError(ErrorCode.InvitationInvalid);
      }
      const body = c.req.valid('json');
      if (body.fingerprint.replace(/\s/g, '') !== (inv.fingerprint ?? '').replace(/\s/g, '')) throw new ApiError(ErrorCode.InvalidRequest, 'The fingerprint does not match the enrolled keys.');
      const responder = await store.staff.getResponder(inv.responder as ResponderId);
      if (responder === null) throw new ApiError(ErrorCode.InvitationInvalid);
      const enrolled = { signPublicKey: inv.signPublicKey, boxPublicKey: inv.boxPublicKey, wrappedKeys: inv.wrappedKeys };
      // Active before the team inbox keys are sealed (only active members get them); undone on failure.
      await store.staff.putResponder({ ...responder, active: true });
      try {
        const teamSigned = body.revocationList === undefined ? undefined : { revocationList: body.revocationList, teamKeys: body.teamKeys ?? [] };
        await storeCertificate(deps, { ...responder, active: true }, enrolled, body.cert, teamSigned);
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
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: json(z.object({ entries: z.array(z.object({ at: z.number().int(), actor: z.string(), actorName: z.string(), action: z.string(), ref: z.string() })) }), 'Entries'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const names = new Map<string, string>();
      const entries = [];
      for (const e of await store.audit.recent(c.req.valid('query').limit)) {
        if (!names.has(e.actor)) names.set(e.actor, (await store.staff.getResponder(e.actor))?.displayName ?? e.actor);
        entries.push({ ...e, actorName: names.get(e.actor) ?? e.actor });
      }
      return c.json({ entries }, 200);
    },
  );
}

/**
 * Stores the certificate of an enrolled responder's keys: one signed in an admin's browser (accepted
 * only if it chains to the organisation and names exactly these keys), or, in the demo, one the
 * server issues with the organisation key it holds. Team inbox keys are then sealed to the member.
 */
async function storeCertificate(
  deps: AdminRouteDeps,
  responder: ResponderRecord,
  enrolled: { signPublicKey: string; boxPublicKey: string; wrappedKeys: string },
  signed: string | undefined,
  teamSigned: SignedChange | undefined,
): Promise<void> {
  const demoDeps = { store: deps.store, directory: deps.directory, clock: deps.clock, random: deps.random };
  if (signed === undefined) {
    if (!(await holdsDemoOrgKey(deps.store))) throw new ApiError(ErrorCode.InvalidRequest, 'Sign the certificate in the admin console (the server holds no organisation key).');
    await certifyDemoResponder(demoDeps, responder, { signPublicKey: fromBase64url(enrolled.signPublicKey), boxPublicKey: fromBase64url(enrolled.boxPublicKey), wrappedKeys: enrolled.wrappedKeys });
    return;
  }
  const demo = await holdsDemoOrgKey(deps.store);
  if (!demo && (teamSigned === undefined || deps.staff === undefined)) throw new ApiError(ErrorCode.InvalidRequest, 'Rotate the inbox keys of the new member’s teams in the admin console.');
  // Checked against the pinned root, for exactly the enrolled keys and the invitation's name, teams
  // and roles, under the revocation list uploaded with it (or the published one).
  const validator = createOrgValidator({ directory: deps.directory, clock: deps.clock, rootPublicKey: deps.rootPublicKey ?? null });
  const anchor = teamSigned === undefined ? await validator.currentAnchor() : await validator.revocationList(teamSigned.revocationList, []);
  const used = await usedSerials(deps.directory, (await deps.store.staff.listTeams()).map((t) => t.id));
  const cert = validator.responderCert(anchor, signed, {
    id: responder.id,
    displayName: responder.displayName,
    signPublicKey: enrolled.signPublicKey,
    boxPublicKey: enrolled.boxPublicKey,
    teams: responder.teams,
    roles: responder.roles,
    usedSerials: used,
  });
  await deps.directory.putResponderKeys({ responder: responder.id, cert: toBase64url(cert.bytes), wrappedKeys: enrolled.wrappedKeys });
  if (demo) await refreshDemoOrg(demoDeps);
  else if (teamSigned !== undefined && deps.staff !== undefined) await deps.staff.admit(responder, teamSigned);
}
