// Enrolment of a new responder from an invitation link: the browser chooses the password, derives the
// keys with Argon2id, generates and wraps its identity keys, and sends only public keys, the wrapped
// blob and the auth key. The account stays inactive until an admin certifies the keys.
import { createRoute, z } from '@hono/zod-openapi';
import { PASSWORD_MAX_MEMLIMIT, PASSWORD_MAX_OPSLIMIT, PASSWORD_MIN_MEMLIMIT, PASSWORD_MIN_OPSLIMIT } from '../../crypto/password.js';
import { keyFingerprint } from '../../crypto/fingerprint.js';
import { hashToken } from '../conversations/ids.js';
import type { Invitations } from '../enrolment/invitations.js';
import type { Totp } from '../enrolment/totp.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { ClientKeyer } from '../middleware/client-key.js';
import type { RateLimiter } from '../middleware/rate-limit.js';
import type { OrgId, ResponderId, Store, TeamId } from '../store/ports.js';
import { ERROR_RESPONSES, json, type App } from './common.js';
import { DEFAULT_KDF, authKeyHash } from './responder.js';
import { TOKEN } from '../../contract/ids.js';
import { EnrolRequestShape, EnrolledSchema, InvitationViewSchema, TotpConfirmRequest } from '../../contract/rest.js';

export interface EnrolmentRouteDeps {
  readonly store: Store;
  readonly invitations: Invitations;
  readonly totp: Totp;
  readonly limiter: RateLimiter;
  readonly keyer: ClientKeyer;
}

/** The contract's request with the Argon2id limits the server accepts (crypto/password.ts). */
const EnrolRequest = EnrolRequestShape.extend({
  opslimit: z.number().int().min(PASSWORD_MIN_OPSLIMIT).max(PASSWORD_MAX_OPSLIMIT),
  memlimit: z.number().int().min(PASSWORD_MIN_MEMLIMIT).max(PASSWORD_MAX_MEMLIMIT),
})
  .strict()
  .openapi('Enrol');
const TokenParam = z.object({ token: z.string().regex(TOKEN).openapi({ param: { name: 'token', in: 'path' } }) });

const bytes = (text: string, length: number, what: string) => {
  const b = new Uint8Array(Buffer.from(text, 'base64url'));
  if (b.length !== length) throw new ApiError(ErrorCode.InvalidRequest, `${what}: ${length} bytes expected`);
  return b;
};

export function registerEnrolmentRoutes(app: App, deps: EnrolmentRouteDeps): void {
  const { store, invitations } = deps;

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/enrol/{token}', tags: ['enrolment'], summary: 'What an invitation is for', request: { params: TokenParam }, responses: { 200: json(InvitationViewSchema, 'Invitation'), ...ERROR_RESPONSES } }),
    async (c) => {
      deps.limiter.hit('enrol', deps.keyer.keyOf(c), 60);
      const inv = await invitations.open(c.req.valid('param').token);
      return c.json({ displayName: inv.displayName, teams: inv.teams, roles: inv.roles, expiresAt: inv.expiresAt, kdf: DEFAULT_KDF }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/enrol/{token}',
      tags: ['enrolment'],
      summary: 'Enrol: public keys, wrapped private keys and the auth key; the password never leaves the browser',
      request: { params: TokenParam, body: { content: { 'application/json': { schema: EnrolRequest } }, required: true } },
      responses: { 201: json(EnrolledSchema, 'Enrolled, waiting for certification'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      deps.limiter.hit('enrol', deps.keyer.keyOf(c), 60);
      const body = c.req.valid('json');
      const inv = await invitations.open(c.req.valid('param').token);
      if ((await store.staff.findResponderByLogin(body.login)) !== null) throw new ApiError(ErrorCode.InvalidRequest, 'This login is taken.');
      bytes(body.salt, 16, 'salt');
      const signPublicKey = bytes(body.signPublicKey, 32, 'signPublicKey');
      const boxPublicKey = bytes(body.boxPublicKey, 32, 'boxPublicKey');
      const id = `r-${inv.id.slice(0, 12)}` as ResponderId;
      await store.staff.putResponder({
        id,
        login: body.login,
        displayName: inv.displayName,
        teams: inv.teams as TeamId[],
        roles: inv.roles,
        salt: body.salt,
        opslimit: body.opslimit,
        memlimit: body.memlimit,
        authHash: authKeyHash(bytes(body.authKey, 32, 'authKey')),
        active: false,
        ...(inv.org === undefined ? {} : { org: inv.org as OrgId }),
      });
      const fingerprint = await keyFingerprint(signPublicKey, boxPublicKey);
      await invitations.put({ ...inv, state: 'enrolled', responder: id, login: body.login, signPublicKey: body.signPublicKey, boxPublicKey: body.boxPublicKey, wrappedKeys: body.wrappedKeys, fingerprint });
      const totp = await deps.totp.begin(id, body.login);
      return c.json({ responder: id, fingerprint, totpUri: totp.uri, totpSecret: totp.secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/enrol/{token}/totp',
      tags: ['enrolment'],
      summary: 'Confirm the authenticator app with one code',
      request: { params: TokenParam, body: { content: { 'application/json': { schema: TotpConfirmRequest } }, required: true } },
      responses: { 204: { description: 'Confirmed' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      deps.limiter.hit('enrol', deps.keyer.keyOf(c), 60);
      const token = c.req.valid('param').token;
      const inv = await invitations.get(hashToken(token));
      if (inv === null || inv.state === 'open' || inv.responder === null) throw new ApiError(ErrorCode.InvitationInvalid);
      if (!(await deps.totp.confirm(inv.responder as ResponderId, c.req.valid('json').code))) throw new ApiError(ErrorCode.InvalidRequest, 'Wrong code; try the next one.');
      return c.body(null, 204);
    },
  );
}
