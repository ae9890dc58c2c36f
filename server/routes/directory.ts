// Key directory routes: what a visitor needs to seal an intake to a team (verified in the browser
// against the pinned root key), and what a logged-in responder needs to unlock its keys.
import { createRoute, z } from '@hono/zod-openapi';
import type { Directory } from '../directory/directory.js';
import { ApiError, ErrorCode } from '../errors.js';
import { orgOf } from '../directory/organisations.js';
import type { OrgId, StaffStore, TeamId } from '../store/ports.js';
import { ResponderKeysSchema } from '../../contract/rest.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

const TeamParam = z.object({ team: z.string().regex(/^[a-z0-9-]{1,64}$/).openapi({ param: { name: 'team', in: 'path' }, example: 'unga' }) });

const TeamBundleSchema = z
  .object({
    orgCert: z.string(),
    revocationList: z.string(),
    orgRevocation: z.string().optional().openapi({ description: 'The root’s revocation of organisation certificates, when one was published' }),
    team: z.string(),
    epoch: z.number().int(),
    teamCert: z.string(),
  })
  .openapi('TeamKeyBundle', { description: 'Certificates (base64url wire formats of crypto/): verify against the pinned root key before use' });

export function registerDirectoryRoutes(app: App, deps: { directory: Directory; staff: StaffStore }): void {
  const { directory } = deps;
  /** The bundle of the organisation a team or responder belongs to (each organisation has its own key). */
  const org = async (id: OrgId) => {
    const bundle = await directory.getOrg(id);
    if (bundle === null) throw new ApiError(ErrorCode.NotFound, 'No organisation keys are published yet.');
    return bundle;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/directory/teams/{team}',
      tags: ['visitor'],
      summary: 'A team’s current inbox certificate with the organisation certificate and revocation list',
      request: { params: TeamParam },
      responses: { 200: json(TeamBundleSchema, 'Certificates'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { team } = c.req.valid('param');
      const record = await deps.staff.getTeam(team as TeamId);
      const key = record === null ? null : await directory.currentTeamKey(record.id);
      if (record === null || key === null) throw new ApiError(ErrorCode.NotFound, 'No such team, or it has no inbox key.');
      const bundle = await org(orgOf(record));
      c.header('Cache-Control', 'no-store');
      return c.json({ orgCert: bundle.orgCert, revocationList: bundle.revocationList, orgRevocation: bundle.orgRevocation, team, epoch: key.epoch, teamCert: key.cert }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/keys',
      tags: ['responder'],
      summary: 'The responder’s certificate, wrapped private keys and sealed team inbox keys',
      security: [{ responderSession: [] }],
      responses: { 200: json(ResponderKeysSchema, 'Keys'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      const bundle = await org(orgOf(responder));
      const keys = await directory.getResponderKeys(responder.id);
      if (keys === null) throw new ApiError(ErrorCode.NotFound, 'No keys are enrolled for this responder.');
      const inbox = [];
      for (const team of responder.teams) {
        for (const record of await directory.teamKeys(team)) {
          const sealed = record.deliveries[responder.id];
          if (sealed !== undefined) inbox.push({ team, epoch: record.epoch, cert: record.cert, sealed });
        }
      }
      return c.json({ orgCert: bundle.orgCert, revocationList: bundle.revocationList, orgRevocation: bundle.orgRevocation, cert: keys.cert, wrappedKeys: keys.wrappedKeys, inbox }, 200);
    },
  );
}
