// Handover to another organisation's team (issue 17): the teams a responder may offer, the offer
// (responder), and the young person's answer (visitor token), which alone moves the conversation.
// Both organisations' audit logs record an accepted handover: who, when, from and to which team.
import { createRoute } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { ConversationService } from '../conversations/service.js';
import type { Handovers } from '../conversations/handover.js';
import type { Routing } from '../routing/routing.js';
import type { ConversationId, Store, TeamId } from '../store/ports.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, bearerToken, json, type App } from './common.js';
import { conversationView } from './responder.js';
import { ConversationIdParam, ConversationViewSchema, HandoverAnswerRequest, HandoverOfferRequest, HandoverTargetSchema, HandoverTargetsSchema } from '../../contract/rest.js';

export interface HandoverRouteDeps {
  readonly store: Store;
  readonly conversations: ConversationService;
  readonly handovers: Handovers;
  readonly routing: Routing;
  readonly clock: Clock;
  readonly secret: Uint8Array;
}

const cookieSecurity = [{ responderSession: [] }];
const visitorSecurity = [{ visitorBearer: [] }];

export function registerHandoverRoutes(app: App, deps: HandoverRouteDeps): void {
  const { handovers, conversations } = deps;
  const audit = createAuditWriter(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/handover-targets',
      tags: ['responder'],
      summary: 'Teams of other organisations this responder may hand a conversation over to (an overflow agreement links the two)',
      security: cookieSecurity,
      responses: { 200: json(HandoverTargetsSchema, 'Targets'), ...ERROR_RESPONSES },
    }),
    async (c) => c.json({ targets: await handovers.targets(c.get('responder')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/handover',
      tags: ['responder'],
      summary: 'Offer the conversation to another organisation’s team; it moves only when the young person accepts',
      security: cookieSecurity,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: HandoverOfferRequest } }, required: true } },
      responses: { 200: json(HandoverTargetSchema, 'Offered'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const id = c.req.valid('param').id as ConversationId;
      const target = await handovers.offer(id, me, c.req.valid('json').toTeam as TeamId);
      const record = await conversations.asResponder(id, me);
      await audit(me.id, 'handover-offer', id, { fromTeam: record.team, toTeam: target.team });
      return c.json(target, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/handover',
      tags: ['visitor'],
      summary: 'The young person accepts or declines a handover offer; accepted, the conversation waits in the receiving team’s queue',
      security: visitorSecurity,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: HandoverAnswerRequest } }, required: true } },
      responses: { 200: json(ConversationViewSchema, 'Answered'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await conversations.asVisitor(c.req.valid('param').id as ConversationId, bearerToken(c.req.header('authorization')));
      const { team, accept } = c.req.valid('json');
      const moved = await handovers.answer(record, team as TeamId, accept);
      if (moved === null) return c.json(conversationView(record), 200);
      const detail = { fromTeam: moved.fromTeam, toTeam: moved.record.team };
      await audit(moved.from, 'handover', record.id, { ...detail, org: moved.fromOrg });
      await audit(moved.from, 'handover', record.id, { ...detail, org: moved.toOrg });
      return c.json(conversationView(moved.record), 200);
    },
  );
}
