// Visitor routes: availability, proof-of-work challenge, open, read, post, close, delete now.
import { createRoute } from '@hono/zod-openapi';
import type { ConversationService } from '../conversations/service.js';
import type { ConversationRecord, ConversationId, MessageId } from '../store/ports.js';
import type { PowChallenges } from '../pow/challenges.js';
import type { RateLimiter } from '../middleware/rate-limit.js';
import type { ClientKeyer } from '../middleware/client-key.js';
import type { Sources } from '../sources/index.js';
import { ERROR_RESPONSES, bearerToken, json, type App } from './common.js';
import {
  AfterQuery,
  AppendedSchema,
  ChallengeSchema,
  ConversationIdParam,
  ConversationViewSchema,
  EnvelopeSchema,
  MessagesSchema,
  OpenConversationSchema,
  OpenedSchema,
  StatusQuery,
  StatusSchema,
} from '../../contract/rest.js';

export interface VisitorRouteDeps {
  readonly conversations: ConversationService;
  readonly pow: PowChallenges;
  readonly limiter: RateLimiter;
  readonly keyer: ClientKeyer;
  readonly openPerHour: number;
  /** Outreach sources: a known, active source's target team is asked first (status and open agree, so the intake is sealed to the team that gets it). */
  readonly sources?: Sources;
}

const visitorSecurity = [{ visitorBearer: [] }];

export function registerVisitorRoutes(app: App, deps: VisitorRouteDeps): void {
  const { conversations } = deps;

  const view = async (record: ConversationRecord) => ({
    id: record.id,
    category: record.category,
    team: record.team,
    status: record.status,
    session: record.session,
    queuePosition: await conversations.queuePosition(record),
    danger: record.danger,
    // What the waiting screen may honestly promise (no estimate when nobody on duty has room).
    ...(record.status === 'waiting' ? await conversations.presence(record) : {}),
  });

  const target = async (source: string | undefined) => (source === undefined || deps.sources === undefined ? { team: null, org: null } : await deps.sources.hint(source));

  const authorize = (id: string, header: string | undefined) =>
    conversations.asVisitor(id as ConversationId, bearerToken(header));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/status',
      tags: ['visitor'],
      summary: 'Is someone there right now for this category',
      request: { query: StatusQuery },
      responses: { 200: json(StatusSchema, 'Availability'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { category, source, danger } = c.req.valid('query');
      const entry = await target(source);
      const a = await conversations.availability(category, entry.team, entry.org, danger === 'true');
      return c.json({ category, team: a.team, staffed: a.staffed, onDuty: a.onDuty, waiting: a.waiting }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/pow',
      tags: ['visitor'],
      summary: 'Get a proof-of-work challenge to open a conversation',
      responses: { 200: json(ChallengeSchema, 'A challenge'), ...ERROR_RESPONSES },
    }),
    (c) => c.json(deps.pow.issue(), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations',
      tags: ['visitor'],
      summary: 'Open a conversation (needs a solved proof of work)',
      request: { body: { content: { 'application/json': { schema: OpenConversationSchema } }, required: true } },
      responses: { 201: json(OpenedSchema, 'Opened'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid('json');
      deps.limiter.hit('open', deps.keyer.keyOf(c), deps.openPerHour);
      await deps.pow.redeem(body.pow.challenge, body.pow.nonce);
      const through = deps.sources === undefined ? { source: body.source, team: null, org: null } : await deps.sources.forConversation(body.source);
      const opened = await conversations.open({
        id: (body.id ?? null) as ConversationId | null,
        category: body.category,
        language: body.language,
        source: through.source,
        danger: body.danger,
        intake: body.intake ?? null,
        team: through.team,
        org: through.org,
      });
      return c.json(
        { id: opened.record.id, token: opened.token, team: opened.record.team, staffed: opened.staffed, expiresAt: opened.expiresAt },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}',
      tags: ['visitor'],
      summary: 'State of the visitor’s conversation',
      security: visitorSecurity,
      request: { params: ConversationIdParam },
      responses: { 200: json(ConversationViewSchema, 'State'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      return c.json(await view(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}/messages',
      tags: ['visitor'],
      summary: 'Messages after a given id',
      security: visitorSecurity,
      request: { params: ConversationIdParam, query: AfterQuery },
      responses: { 200: json(MessagesSchema, 'Messages, oldest first'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      const { after, limit } = c.req.valid('query');
      return c.json({ messages: await conversations.page(record.id, (after ?? null) as MessageId | null, limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/messages',
      tags: ['visitor'],
      summary: 'Append a ciphertext envelope (idempotent by cid)',
      security: visitorSecurity,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: EnvelopeSchema } }, required: true } },
      responses: { 201: json(AppendedSchema, 'Stored'), 200: json(AppendedSchema, 'Already stored (same cid)'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      const { entry, duplicate } = await conversations.postAsVisitor(record, c.req.valid('json'));
      return c.json({ id: entry.id, at: entry.at, duplicate }, duplicate ? 200 : 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/close',
      tags: ['visitor'],
      summary: 'End the conversation (it stays readable until it expires)',
      security: visitorSecurity,
      request: { params: ConversationIdParam },
      responses: { 200: json(ConversationViewSchema, 'Closed'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      return c.json(await view(await conversations.close(record.id, null, null)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/conversations/{id}',
      tags: ['visitor'],
      summary: 'Delete now: erase the conversation and its messages at once',
      security: visitorSecurity,
      request: { params: ConversationIdParam },
      responses: { 204: { description: 'Erased' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      await conversations.erase(record);
      c.header('Clear-Site-Data', '"cache", "storage"');
      return c.body(null, 204);
    },
  );
}
