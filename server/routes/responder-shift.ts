// A responder's shift beside the core conversation API (responder.ts): duty status, own assignments,
// colleagues' certificates (for transfers) and the "under threat" hand-over (callbacks: routes/callbacks.ts).
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { ConversationService } from '../conversations/service.js';
import type { Directory } from '../directory/directory.js';
import { ApiError, ErrorCode } from '../errors.js';
import { orgOf } from '../directory/organisations.js';
import type { Routing } from '../routing/routing.js';
import type { ConversationId, ResponderId, Store, TeamId } from '../store/ports.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';
import { conversationView } from './responder.js';
import { AssignedSchema, ColleaguesSchema, ConsentAuditRequest, ConversationIdParam, ConversationViewSchema, DutyStatusSchema } from '../../contract/rest.js';

export interface ResponderShiftRouteDeps {
  readonly store: Store;
  readonly conversations: ConversationService;
  readonly routing: Routing;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly secret: Uint8Array;
  /** Presence lifetime without a heartbeat; the console beats at a third of it. */
  readonly presenceTtlMs: number;
}

const security = [{ responderSession: [] }];

export function registerResponderShiftRoutes(app: App, deps: ResponderShiftRouteDeps): void {
  const { store, conversations, routing } = deps;
  const audit = createAuditWriter(deps);

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/responder/duty', tags: ['responder'], summary: 'Own duty per team, capacity and load', security, responses: { 200: json(DutyStatusSchema, 'Duty'), ...ERROR_RESPONSES } }),
    async (c) => {
      const me = c.get('responder');
      const teams = [];
      for (const id of me.teams) {
        const team = await store.staff.getTeam(id);
        const raw = await store.duty.onDuty(id);
        teams.push({
          team: id,
          name: team?.name ?? id,
          onDuty: raw.includes(me.id),
          inHours: await routing.isWithinHours(id),
          colleaguesOnDuty: raw.filter((r) => r !== me.id).length,
          waiting: await store.queues.size(id),
        });
      }
      const first = me.teams[0];
      return c.json(
        { teams, capacity: first === undefined ? 0 : await routing.capacity(me.id, first), load: await routing.load(me.id), heartbeatMs: Math.max(1000, Math.floor(deps.presenceTtlMs / 3)) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/responder/assigned', tags: ['responder'], summary: 'Open conversations assigned to me (claimed, auto-assigned or transferred to me)', security, responses: { 200: json(AssignedSchema, 'Assigned'), ...ERROR_RESPONSES } }),
    async (c) => {
      const me = c.get('responder');
      await routing.load(me.id); // prunes
      const items = [];
      for (const entry of await store.queues.list(`~${me.id}` as TeamId, 100)) {
        const r = await store.conversations.get(entry.id);
        if (r === null || r.assignee !== me.id || r.status !== 'active') continue;
        items.push({ id: r.id, team: r.team, category: r.category, language: r.language, source: r.source, danger: r.danger, session: r.session, since: entry.score, gone: await routing.isGone(r.id) });
      }
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/responder/colleagues', tags: ['responder'], summary: 'Teams and certified responders (for transfers: the browser verifies every certificate)', security, responses: { 200: json(ColleaguesSchema, 'Colleagues'), ...ERROR_RESPONSES } }),
    async (c) => {
      // Colleagues are the caller's own organisation's teams and staff.
      const me = c.get('responder');
      const teams = (await store.staff.listTeams()).filter((t) => orgOf(t) === orgOf(me));
      const onDuty = new Map<TeamId, ResponderId[]>();
      for (const t of teams) onDuty.set(t.id, await routing.onDuty(t.id));
      const responders = [];
      for (const keys of await deps.directory.listResponderKeys()) {
        const r = await store.staff.getResponder(keys.responder as ResponderId);
        if (r === null || !r.active || orgOf(r) !== orgOf(me)) continue;
        responders.push({ id: r.id, displayName: r.displayName, teams: [...r.teams], cert: keys.cert, onDuty: teams.filter((t) => onDuty.get(t.id)?.includes(r.id)).map((t) => t.id) });
      }
      const specialist = await routing.specialistTeam(orgOf(me));
      return c.json({ teams: teams.map((t) => ({ id: t.id, name: t.name, specialist: t.id === specialist })), responders }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/threat',
      tags: ['responder'],
      summary: 'Flag "under threat": hands the conversation to the specialist team (after the in-channel transfer announcement)',
      security,
      request: { params: ConversationIdParam },
      responses: { 200: json(ConversationViewSchema, 'Handed over'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const team = await routing.specialistTeam(orgOf(me));
      if (team === null) throw new ApiError(ErrorCode.NotFound, 'No specialist team is configured.');
      const record = await conversations.transfer(c.req.valid('param').id as ConversationId, me, { kind: 'team', team });
      await routing.released(me.id, record.id);
      await audit(me.id, 'threat-handover', record.id);
      return c.json(conversationView(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/audit/consent',
      tags: ['responder'],
      summary: 'Records that consented identities were copied (views are audited by the server when the list is fetched; the audit keeps keyed references, never the identity)',
      security,
      request: { body: { content: { 'application/json': { schema: ConsentAuditRequest } }, required: true } },
      responses: { 204: { description: 'Recorded' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const { consents, action } = c.req.valid('json');
      for (const id of consents) await audit(me.id, `consent-${action}`, id);
      return c.body(null, 204);
    },
  );
}
