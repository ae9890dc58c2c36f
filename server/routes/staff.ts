// Staff administration routes (admins only): the responder list, team and role changes, deactivation,
// the passphrase-sealed organisation key for the admin's browser, and renewals signed there.
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { StaffAdmin } from '../directory/staff-admin.js';
import type { Directory } from '../directory/directory.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Store, TeamId } from '../store/ports.js';
import { requireRole } from './admin.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

export interface StaffRouteDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly staff: StaffAdmin;
  readonly clock: Clock;
  readonly secret: Uint8Array;
}

const security = [{ responderSession: [] }];
const b64 = (max: number) => z.string().regex(/^[A-Za-z0-9_-]+$/).max(max);
const TeamId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const RoleSchema = z.enum(['responder', 'supervisor', 'admin']);
const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).openapi({ param: { name: 'id', in: 'path' }, example: 'r-demo' }) });

const SignedChangeSchema = z
  .object({
    cert: b64(8192).optional(),
    revocationList: b64(1_200_000),
    teamKeys: z
      .array(z.object({ team: TeamId, epoch: z.number().int().positive().max(2 ** 32 - 1), cert: b64(8192), deliveries: z.record(z.string().max(64), b64(1024)) }).strict())
      .max(64),
  })
  .strict()
  .openapi('SignedChange', { description: 'Signed in the admin’s browser with the organisation key; omit in the demo organisation (the server signs)' });

const SealedOrgKeyView = z
  .object({ orgPublicKey: z.string(), salt: z.string(), opslimit: z.number().int(), memlimit: z.number().int(), sealed: z.string() })
  .openapi('SealedOrgKey', { description: 'Argon2id salt and cost, and the key sealed under the derived wrap key (crypto/org-key.ts)' });

const StaffSchema = z
  .object({
    org: z.object({
      mode: z.enum(['demo', 'organisation']),
      orgCert: z.string().nullable(),
      revocationList: z.string().nullable(),
      teams: z.array(z.object({ id: z.string(), name: z.string(), epoch: z.number().int(), expires: z.number().int().nullable() })),
    }),
    responders: z.array(
      z.object({
        id: z.string(),
        login: z.string(),
        displayName: z.string(),
        teams: z.array(z.string()),
        roles: z.array(z.string()),
        active: z.boolean(),
        fingerprint: z.string().nullable(),
        certSerial: z.number().int().nullable(),
        certExpires: z.number().int().nullable(),
        cert: z.string().nullable(),
      }),
    ),
  })
  .openapi('Staff');

export function registerStaffRoutes(app: App, deps: StaffRouteDeps): void {
  const { staff } = deps;
  app.use('/api/v1/admin/staff', requireRole('admin'));
  app.use('/api/v1/admin/staff/*', requireRole('admin'));
  app.use('/api/v1/admin/org/*', requireRole('admin'));
  const audit = createAuditWriter(deps);

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/staff', tags: ['admin'], summary: 'Responders (teams, roles, active, key fingerprint, certificate expiry) and the organisation’s signing state', security, responses: { 200: json(StaffSchema, 'Staff'), ...ERROR_RESPONSES } }),
    async (c) => {
      const org = await staff.orgState();
      return c.json({ org: { ...org, teams: [...org.teams] }, responders: (await staff.list()).map((r) => ({ ...r, teams: [...r.teams], roles: [...r.roles] })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/staff/{id}',
      tags: ['admin'],
      summary: 'Change teams and roles: re-certifies, revokes the old certificate, rotates the inbox keys of teams joined or left',
      security,
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: z.object({ teams: z.array(TeamId).min(1).max(10), roles: z.array(RoleSchema).min(1), signed: SignedChangeSchema.optional() }).strict() } }, required: true },
      },
      responses: { 204: { description: 'Changed' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const me = c.get('responder');
      const id = c.req.valid('param').id;
      await staff.update(me.id, id, { teams: body.teams as TeamId[], roles: body.roles }, body.signed);
      await audit(me.id, 'staff-change', id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/staff/{id}/deactivate',
      tags: ['admin'],
      summary: 'Deactivate: sessions and duty end, sockets close, the certificate is revoked and every team inbox key rotated at once',
      security,
      request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ signed: SignedChangeSchema.optional() }).strict() } }, required: true } },
      responses: { 200: json(z.object({ rotated: z.array(z.string()), requeued: z.number().int(), closed: z.number().int() }), 'Deactivated'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const id = c.req.valid('param').id;
      const result = await staff.deactivate(me.id, id, c.req.valid('json').signed);
      await audit(me.id, 'staff-deactivate', id);
      for (const team of result.rotated) await audit(me.id, 'team-key-rotate', team);
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/org/key',
      tags: ['admin'],
      summary: 'The organisation signing key sealed under the admins’ passphrase (opened only in the browser)',
      security,
      responses: { 200: json(SealedOrgKeyView, 'Sealed key'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const sealed = await deps.directory.getSealedOrgKey();
      if (sealed === null) throw new ApiError(ErrorCode.NotFound, 'No sealed organisation key is stored (the demo organisation signs on the server).');
      await audit(c.get('responder').id, 'org-key-fetch');
      c.header('Cache-Control', 'no-store');
      return c.json(sealed, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/org/renew',
      tags: ['admin'],
      summary: 'Publish a fresh revocation list and new inbox epochs signed in the admin’s browser',
      security,
      request: { body: { content: { 'application/json': { schema: SignedChangeSchema } }, required: true } },
      responses: { 204: { description: 'Published' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const signed = c.req.valid('json');
      await staff.renew(signed);
      const me = c.get('responder').id;
      await audit(me, 'org-renew');
      for (const k of signed.teamKeys) await audit(me, 'team-key-rotate', k.team);
      return c.body(null, 204);
    },
  );
}
