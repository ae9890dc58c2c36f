// Responder routes of callback requests: the lists (waiting in my teams, held by me, done by me, and
// for a supervisor the team's held ones), take, the sealed copy for its claimer, re-seal, not
// reached, done, and a supervisor's audited reveal. No route answers with a number: only sealed copies,
// each to the one person who can open it.
import { createRoute } from '@hono/zod-openapi';
import type { Callbacks } from '../callbacks/callbacks.js';
import type { Clock } from '../clock.js';
import type { ConversationService } from '../conversations/service.js';
import type { CallbackRecord, ConversationId, ResponderRecord, Store } from '../store/ports.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';
import { CallbackListsSchema, CallbackViewSchema, ConversationIdParam, ResealRequest, SealedCallbackSchema as SealedSchema } from '../../contract/rest.js';

export interface CallbackRouteDeps {
  readonly store: Store;
  readonly callbacks: Callbacks;
  /** Reading a team's queue moves callbacks stored before they had their own records. */
  readonly conversations: ConversationService;
  readonly clock: Clock;
  readonly secret: Uint8Array;
}

const security = [{ responderSession: [] }];

function view(r: CallbackRecord, heldBy: string | null = null) {
  return {
    id: r.id,
    team: r.team,
    language: r.language,
    source: r.source,
    state: r.state,
    createdAt: r.createdAt,
    claimedAt: r.claimedAt,
    doneAt: r.doneAt,
    autoAssigned: r.autoAssigned,
    attempts: r.attempts.map((a) => ({ at: a.at })),
    heldBy,
    resealed: r.teamSealed === null,
  };
}

export function registerCallbackRoutes(app: App, deps: CallbackRouteDeps): void {
  const { store, callbacks } = deps;
  const audit = createAuditWriter(deps);
  const idOf = (c: { req: { valid(t: 'param'): { id: string } } }) => c.req.valid('param').id as ConversationId;

  /** Callbacks held by colleagues in a supervisor's teams (the supervisor's own are in "mine"). */
  async function teamHeld(me: ResponderRecord) {
    if (!me.roles.includes('supervisor')) return [];
    const out = [];
    for (const team of me.teams) {
      for (const held of await store.callbacks.list({ kind: 'held', team }, 100)) {
        if (held.claimer === null || held.claimer === me.id) continue;
        const claimer = await store.staff.getResponder(held.claimer);
        out.push(view(held, claimer?.displayName ?? held.claimer));
      }
    }
    return out;
  }

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/responder/callbacks', tags: ['responder'], summary: 'Callback lists: waiting in my teams, held by me, done by me (and for a supervisor, held by the team); never a number', security, responses: { 200: json(CallbackListsSchema, 'Lists'), ...ERROR_RESPONSES } }),
    async (c) => {
      const me = c.get('responder');
      for (const team of me.teams) await deps.conversations.queue(team);
      const lists = await callbacks.lists(me);
      return c.json(
        {
          waiting: lists.waiting.map((r) => view(r)),
          mine: lists.mine.map((r) => view(r)),
          done: lists.done.map((r) => view(r)),
          team: await teamHeld(me),
          onDutyTeams: [...lists.onDutyTeams],
          now: deps.clock.now(),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/responder/callbacks/{id}/claim', tags: ['responder'], summary: 'Take a waiting callback (on duty in its team); of concurrent takes one wins', security, request: { params: ConversationIdParam }, responses: { 200: json(CallbackViewSchema, 'Held by me'), ...ERROR_RESPONSES } }),
    async (c) => {
      const me = c.get('responder');
      const record = await callbacks.claim(idOf(c), me);
      await audit(me.id, 'claim', record.id);
      return c.json(view(record), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/responder/callbacks/{id}/sealed', tags: ['responder'], summary: 'The sealed request, for its claimer only: team-sealed (or sealed to a supervisor who took it over) until re-sealed, then the claimer’s own copy', security, request: { params: ConversationIdParam }, responses: { 200: json(SealedSchema, 'Sealed'), ...ERROR_RESPONSES } }),
    async (c) => c.json(await callbacks.sealedForClaimer(idOf(c), c.get('responder')), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/responder/callbacks/{id}/sealed',
      tags: ['responder'],
      summary: 'The claimer stores its re-sealed copies (own + one per verified supervisor); the team-sealed copy is deleted',
      security,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: ResealRequest } }, required: true } },
      responses: { 204: { description: 'Re-sealed' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      await callbacks.reseal(idOf(c), c.get('responder'), c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/responder/callbacks/{id}/not-reached', tags: ['responder'], summary: 'Not reached: one more attempt; it stays mine', security, request: { params: ConversationIdParam }, responses: { 200: json(CallbackViewSchema, 'Still held by me'), ...ERROR_RESPONSES } }),
    async (c) => {
      const me = c.get('responder');
      const record = await callbacks.notReached(idOf(c), me);
      await audit(me.id, 'callback-not-reached', record.id);
      return c.json(view(record), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/responder/callbacks/{id}/done', tags: ['responder'], summary: 'Called: every sealed copy of the number is erased at once', security, request: { params: ConversationIdParam }, responses: { 200: json(CallbackViewSchema, 'Done'), ...ERROR_RESPONSES } }),
    async (c) => {
      const me = c.get('responder');
      const record = await callbacks.done(idOf(c), me);
      await audit(me.id, 'callback-done', record.id);
      return c.json(view(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/callbacks/{id}/reveal',
      tags: ['responder'],
      summary: 'Supervisor: reveal a callback’s number — audited (callback-reveal) before the sealed copy is handed over',
      security,
      request: { params: ConversationIdParam },
      responses: { 200: json(SealedSchema, 'Sealed to me'), ...ERROR_RESPONSES },
    }),
    async (c) => c.json(await callbacks.reveal(idOf(c), c.get('responder')), 200),
  );
}
