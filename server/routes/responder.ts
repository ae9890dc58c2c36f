// Responder routes: login (the browser sends only a derived auth key), duty, queue, claim,
// messages, transfer, close. Every route below /api/v1/responder/ except login needs a session.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createAuditWriter } from './audit-writer.js';
import { hashAuthKey } from '../../crypto/password.js';
import { createRoute } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { ConversationService } from '../conversations/service.js';
import { isHandedIn } from '../conversations/handed-in.js';
import { ApiError, ErrorCode } from '../errors.js';
import { orgOf } from '../directory/organisations.js';
import type { ClientKeyer } from '../middleware/client-key.js';
import type { RateLimiter } from '../middleware/rate-limit.js';
import type { ResponderSessions } from '../middleware/responder-auth.js';
import type { LoginGuard } from '../enrolment/login-guard.js';
import type { Totp } from '../enrolment/totp.js';
import type { Directory } from '../directory/directory.js';
import type { Routing } from '../routing/routing.js';
import type { ConversationId, ConversationRecord, MessageId, ResponderId, ResponderRecord, Store, TeamId } from '../store/ports.js';
import { ERROR_RESPONSES, json, type App } from './common.js';
import {
  AfterQuery,
  AppendedSchema,
  CloseRequest,
  ConversationIdParam,
  ConversationViewSchema,
  DutyRequest,
  EnvelopeSchema,
  LoggedInSchema,
  LoginParamsRequest,
  LoginParamsSchema,
  LoginRequest,
  MessagesSchema,
  QueueSchema,
  ResponderSchema,
  TransferRequest,
} from '../../contract/rest.js';

export interface ResponderRouteDeps {
  readonly store: Store;
  readonly conversations: ConversationService;
  readonly sessions: ResponderSessions;
  readonly limiter: RateLimiter;
  readonly keyer: ClientKeyer;
  readonly clock: Clock;
  /** Server secret: keys the fake salts of unknown logins and the audit references. */
  readonly secret: Uint8Array;
  readonly presenceTtlMs: number;
  readonly routing: Routing;
  readonly totp: Totp;
  readonly guard: LoginGuard;
  readonly directory: Directory;
}

/** Argon2id parameters for new accounts and for the fake answer to unknown logins. */
export const DEFAULT_KDF = { opslimit: 3, memlimit: 64 * 1024 * 1024 } as const;

const cookieSecurity = [{ responderSession: [] }];

/** The stored form of a 32-byte auth key (crypto's hashAuthKey, hex); throws CryptoError Malformed for another length. */
export function authKeyHash(authKey: Uint8Array): string {
  return Buffer.from(hashAuthKey(authKey)).toString('hex');
}

/** A conversation as a responder route answers it (the visitor-only queue position left out). */
export const conversationView = (r: ConversationRecord) => ({
  id: r.id,
  category: r.category,
  team: r.team,
  status: r.status,
  session: r.session,
  queuePosition: null,
  danger: r.danger,
});

const publicResponder = (r: ResponderRecord) => ({ id: r.id, displayName: r.displayName, teams: [...r.teams], roles: [...r.roles] });

export function registerResponderRoutes(app: App, deps: ResponderRouteDeps): void {
  const { store, conversations, sessions } = deps;
  const audit = createAuditWriter(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/login/params',
      tags: ['responder'],
      summary: 'Argon2id salt and parameters for a login (a stable fake for unknown logins)',
      request: { body: { content: { 'application/json': { schema: LoginParamsRequest } }, required: true } },
      responses: { 200: json(LoginParamsSchema, 'Parameters'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { login } = c.req.valid('json');
      deps.limiter.hit('login', deps.keyer.keyOf(c), 30);
      const responder = await store.staff.findResponderByLogin(login);
      if (responder !== null) return c.json({ salt: responder.salt, opslimit: responder.opslimit, memlimit: responder.memlimit }, 200);
      const fake = createHmac('sha256', deps.secret).update(`salt:${login}`).digest().subarray(0, 16).toString('base64url');
      return c.json({ salt: fake, ...DEFAULT_KDF }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/login',
      tags: ['responder'],
      summary: 'Log in with the auth key derived in the browser; sets the session cookie',
      request: { body: { content: { 'application/json': { schema: LoginRequest } }, required: true } },
      responses: { 200: json(LoggedInSchema, 'Logged in'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { login, authKey, totp } = c.req.valid('json');
      const client = deps.keyer.keyOf(c);
      deps.limiter.hit('login', client, 30);
      const found = await store.staff.findResponderByLogin(login);
      const responder = found !== null && found.active ? found : null;
      // The second factor is asked for before the password is evaluated, and for unknown logins too:
      // the answer says nothing about the password (issue 14 §4). Only an account without a second
      // factor (the demo, seeded tests) is answered on its password alone.
      if (totp === undefined && (responder === null || (await deps.totp.required(responder.id)))) throw new ApiError(ErrorCode.TotpRequired);
      // Counted before anything is evaluated, atomically: parallel guesses past the budget are refused unseen.
      const attempt = await deps.guard.attempt(login, client);
      const keyBytes = new Uint8Array(Buffer.from(authKey, 'base64url'));
      if (keyBytes.length !== 32) throw new ApiError(ErrorCode.LoginFailed);
      const presented = Buffer.from(authKeyHash(keyBytes), 'hex');
      const stored = Buffer.from(responder?.authHash ?? '00'.repeat(32), 'hex');
      const ok = presented.length === stored.length && timingSafeEqual(presented, stored);
      if (responder === null || !ok) throw new ApiError(ErrorCode.LoginFailed);
      if (!(await deps.totp.verify(responder.id, totp))) throw new ApiError(ErrorCode.LoginFailed);
      await deps.guard.succeeded(attempt);
      await audit(responder.id, 'login');
      const csrfToken = await sessions.start(c, responder);
      return c.json({ responder: publicResponder(responder), csrfToken }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/logout',
      tags: ['responder'],
      security: cookieSecurity,
      responses: { 204: { description: 'Logged out' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      for (const team of responder.teams) await store.duty.setOnDuty(team, responder.id, false);
      await sessions.end(c);
      await audit(responder.id, 'logout');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/me',
      tags: ['responder'],
      security: cookieSecurity,
      responses: { 200: json(ResponderSchema, 'The logged-in responder'), ...ERROR_RESPONSES },
    }),
    (c) => c.json(publicResponder(c.get('responder')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/duty',
      tags: ['responder'],
      summary: 'Go on or off duty in a team (on duty also needs heartbeats)',
      security: cookieSecurity,
      request: { body: { content: { 'application/json': { schema: DutyRequest } }, required: true } },
      responses: { 204: { description: 'Done' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { team, onDuty, capacity } = c.req.valid('json');
      const responder = c.get('responder');
      if (!responder.teams.includes(team as TeamId)) throw new ApiError(ErrorCode.Forbidden);
      if (capacity !== undefined) await deps.routing.setCapacity(responder.id, capacity);
      await store.duty.setOnDuty(team as TeamId, responder.id, onDuty);
      if (onDuty) await store.duty.heartbeat(responder.id, deps.presenceTtlMs);
      await audit(responder.id, onDuty ? 'duty-on' : 'duty-off');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/heartbeat',
      tags: ['responder'],
      summary: 'Keep presence alive; without it the responder leaves duty',
      security: cookieSecurity,
      responses: { 204: { description: 'Done' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      await store.duty.heartbeat(c.get('responder').id, deps.presenceTtlMs);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/queue',
      tags: ['responder'],
      summary: 'Waiting conversations of the responder’s teams, with their sealed first message',
      security: cookieSecurity,
      responses: { 200: json(QueueSchema, 'Queue'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const now = deps.clock.now();
      const items = [];
      const me = c.get('responder').id;
      for (const team of c.get('responder').teams) {
        // Offers go only to responders on duty (live heartbeat, within duty hours) with room.
        if ((await deps.routing.refusal(me, team)) !== null) continue;
        for (const { record, intake } of await conversations.queue(team)) {
          items.push({
            id: record.id,
            team: record.team,
            category: record.category,
            language: record.language,
            source: record.source,
            danger: record.danger,
            waitingMs: now - record.queuedAt,
            intake,
            session: record.session,
            fromOrganisation: record.session > 0 && (await isHandedIn(store.expiring, record.id, record.team)),
          });
        }
      }
      return c.json({ items }, 200);
    },
  );

  const asResponder = (id: string, responder: ResponderRecord) => conversations.asResponder(id as ConversationId, responder);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/claim',
      tags: ['responder'],
      summary: 'Take a waiting conversation; of concurrent claims exactly one wins',
      security: cookieSecurity,
      request: { params: ConversationIdParam },
      responses: { 200: json(ConversationViewSchema, 'Claimed'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      const id = c.req.valid('param').id as ConversationId;
      const current = await store.conversations.get(id);
      // Only those on duty in its team, with room, may take a waiting conversation: capacity is what
      // the responder said they can hold (a claim beyond it is refused with a sentence, not accepted).
      if (current?.status === 'waiting' && responder.teams.includes(current.team)) {
        const refusal = await deps.routing.refusal(responder.id, current.team);
        if (refusal === 'off_duty') throw new ApiError(ErrorCode.OffDuty);
        if (refusal === 'at_capacity') throw new ApiError(ErrorCode.AtCapacity);
      }
      const record = await conversations.claim(id, responder);
      await deps.routing.assigned(responder.id, record.id);
      await audit(responder.id, 'claim', record.id);
      return c.json(conversationView(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/conversations/{id}/messages',
      tags: ['responder'],
      security: cookieSecurity,
      request: { params: ConversationIdParam, query: AfterQuery },
      responses: { 200: json(MessagesSchema, 'Messages, oldest first'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await asResponder(c.req.valid('param').id, c.get('responder'));
      const { after, limit } = c.req.valid('query');
      return c.json({ messages: await conversations.page(record.id, (after ?? null) as MessageId | null, limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/messages',
      tags: ['responder'],
      security: cookieSecurity,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: EnvelopeSchema } }, required: true } },
      responses: { 201: json(AppendedSchema, 'Stored'), 200: json(AppendedSchema, 'Already stored (same cid)'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      const record = await asResponder(c.req.valid('param').id, responder);
      const { entry, duplicate } = await conversations.postAsResponder(record, responder, c.req.valid('json'));
      return c.json({ id: entry.id, at: entry.at, duplicate }, duplicate ? 200 : 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/transfer',
      tags: ['responder'],
      summary: 'Hand over to a colleague or a team; the next responder runs a fresh handshake',
      security: cookieSecurity,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: TransferRequest } }, required: true } },
      responses: { 200: json(ConversationViewSchema, 'Transferred'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      const body = c.req.valid('json');
      const target =
        'toResponder' in body
          ? ({ kind: 'responder', responder: body.toResponder as ResponderId } as const)
          : ({ kind: 'team', team: body.toTeam as TeamId } as const);
      // Within the responder's own organisation only: a handover to another organisation needs the
      // young person's acceptance in the chat first (issue 17), which this route does not carry.
      const to = target.kind === 'team' ? await deps.store.staff.getTeam(target.team) : await deps.store.staff.getResponder(target.responder);
      if (to !== null && orgOf(to) !== orgOf(responder)) throw new ApiError(ErrorCode.Forbidden, 'A conversation goes to another organisation only with the young person’s acceptance.');
      const record = await conversations.transfer(c.req.valid('param').id as ConversationId, responder, target);
      await deps.routing.released(responder.id, record.id);
      if (target.kind === 'responder') await deps.routing.assigned(target.responder, record.id);
      await audit(responder.id, 'transfer', record.id);
      return c.json(conversationView(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/close',
      tags: ['responder'],
      summary: 'Close with an outcome category (for statistics)',
      security: cookieSecurity,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: CloseRequest } }, required: true } },
      responses: { 200: json(ConversationViewSchema, 'Closed'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      const record = await conversations.close(c.req.valid('param').id as ConversationId, responder, c.req.valid('json').outcome);
      await deps.routing.released(responder.id, record.id);
      await audit(responder.id, 'close', record.id);
      return c.json(conversationView(record), 200);
    },
  );
}
