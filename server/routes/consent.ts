// Consent routes: the visitor shares a sealed identity with the team (and withdraws it); the team's
// responders list the live ones. Ciphertext only; every record expires with the chosen retention.
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock, RandomBytes } from '../clock.js';
import { CONSENT_RETENTION_DAYS, createConsentService } from '../consent/consent.js';
import { tokenMatches } from '../conversations/ids.js';
import { ApiError, ErrorCode } from '../errors.js';
import { createStatsCounter } from '../stats/counter.js';
import type { ConversationId, Store } from '../store/ports.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, bearerToken, json, type App } from './common.js';
import { ConsentPageSchema, ConversationIdParam } from '../../contract/rest.js';

export interface ConsentRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomBytes;
  /** Keys the audit references. */
  readonly secret: Uint8Array;
  /** Consents one conversation may give (CONSENTS_PER_CONVERSATION). */
  readonly perConversation: number;
  /** Consents per page of the responder list (CONSENT_PAGE_SIZE). */
  readonly pageSize: number;
}

const ConsentPageQuery = z.object({
  cursor: z.string().regex(/^\d{16}\.[A-Za-z0-9_-]{22}$/).optional().openapi({ param: { name: 'cursor', in: 'query' }, description: 'The `next` of the previous page' }),
});

const ConsentIdParam = z.object({
  consent: z.string().regex(/^[A-Za-z0-9_-]{22}$/).openapi({ param: { name: 'consent', in: 'path' }, example: 'Zk3Lq0pR7sT1uV2wX3yZ4a' }),
});

export const GrantConsentSchema = z
  .object({
    sealed: z
      .string()
      .min(1)
      .max(12_000)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding')
      .openapi({ description: 'Name / phone sealed in the browser to the team inbox key (intake wire format, category "consent")' }),
    retentionDays: z
      .number()
      .int()
      .refine((d) => (CONSENT_RETENTION_DAYS as readonly number[]).includes(d), `one of ${CONSENT_RETENTION_DAYS.join(', ')}`)
      .openapi({ description: 'How long the team may keep it, as the visitor chose', example: 90 }),
  })
  .strict()
  .openapi('GrantConsent');

const GrantedSchema = z.object({ id: z.string(), expiresAt: z.number().int() }).openapi('ConsentGranted');

export function registerConsentRoutes(app: App, deps: ConsentRouteDeps): void {
  const consents = createConsentService({
    expiring: deps.store.expiring,
    clock: deps.clock,
    random: deps.random,
    perToken: { counters: deps.store.counters, limit: deps.perConversation },
  });
  const audit = createAuditWriter(deps);
  const stats = createStatsCounter({ stats: deps.store.stats, now: () => deps.clock.now() });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/consent',
      tags: ['visitor'],
      summary: 'Share a sealed name or phone number with the team, kept for the chosen retention',
      security: [{ visitorBearer: [] }],
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: GrantConsentSchema } }, required: true } },
      responses: { 201: json(GrantedSchema, 'Stored'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const token = bearerToken(c.req.header('authorization'));
      const record = await deps.store.conversations.get(c.req.valid('param').id as ConversationId);
      if (record === null || !tokenMatches(token, record.tokenHash)) throw new ApiError(ErrorCode.Unauthorized);
      const body = c.req.valid('json');
      const granted = await consents.grant(record, token, body.sealed, body.retentionDays as (typeof CONSENT_RETENTION_DAYS)[number]);
      await stats.consent(record, granted.retentionDays);
      return c.json({ id: granted.id, expiresAt: granted.expiresAt }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/consents/{consent}',
      tags: ['visitor'],
      summary: 'Withdraw a consent (bearer: the token of the conversation it was given in)',
      security: [{ visitorBearer: [] }],
      request: { params: ConsentIdParam },
      responses: { 204: { description: 'Erased' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      await consents.revoke(c.req.valid('param').consent, bearerToken(c.req.header('authorization')));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/consents',
      tags: ['responder'],
      summary: 'Live consents of the responder’s teams, a page at a time (sealed; open with the team inbox key); each one handed out is audited as viewed',
      security: [{ responderSession: [] }],
      request: { query: ConsentPageQuery },
      responses: { 200: json(ConsentPageSchema, 'Consents'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const me = c.get('responder');
      const page = await consents.pageForTeams(me.teams, c.req.valid('query').cursor ?? null, deps.pageSize);
      // Audited here, when the ciphertext leaves the server, not on the client's word (issue 14 §5).
      for (const item of page.items) await audit(me.id, 'consent-view', item.id);
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/responder/consents/{consent}',
      tags: ['responder'],
      summary: 'Erase a consent of one of the responder’s teams',
      security: [{ responderSession: [] }],
      request: { params: ConsentIdParam },
      responses: { 204: { description: 'Erased' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      await consents.eraseAsResponder(c.req.valid('param').consent, c.get('responder').teams);
      return c.body(null, 204);
    },
  );
}
