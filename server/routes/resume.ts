// Resume routes: the visitor stores its sealed resume blob under the hash of its lookup id and fetches
// it back by that hash (on reload or another device). Erased with the conversation on "delete now".
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { tokenMatches } from '../conversations/ids.js';
import { ApiError, ErrorCode } from '../errors.js';
import { createResumeService } from '../resume/resume.js';
import type { ConversationId, Store } from '../store/ports.js';
import { ERROR_RESPONSES, bearerToken, json, type App } from './common.js';
import { ConversationIdParam } from '../../contract/rest.js';

export interface ResumeRouteDeps {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
}

const LOOKUP = /^[0-9a-f]{64}$/;
const LookupParam = z.object({
  lookup: z.string().regex(LOOKUP, '64 lowercase hex characters').openapi({ param: { name: 'lookup', in: 'path' }, description: 'resumeLookupHash(lookupId), hex' }),
});

export const PutResumeSchema = z
  .object({
    lookup: z.string().regex(LOOKUP, '64 lowercase hex characters').openapi({ description: 'resumeLookupHash(lookupId), hex; the lookup id itself never leaves the browser' }),
    blob: z
      .string()
      .min(1)
      .max(16_384)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding')
      .openapi({ description: 'sealResumeBlob output, base64url' }),
  })
  .strict()
  .openapi('PutResume');

const ResumeSchema = z.object({ conversation: z.string(), blob: z.string() }).openapi('ResumeBlob');

export function registerResumeRoutes(app: App, deps: ResumeRouteDeps): void {
  const { store, config } = deps;
  const resume = createResumeService({
    expiring: store.expiring,
    conversations: store.conversations,
    ttlMs: (r) => (r.category === 'callback' ? config.callbackTtlMs : config.conversationTtlMs),
    now: () => deps.clock.now(),
  });

  const authorize = async (id: string, header: string | undefined) => {
    const record = await store.conversations.get(id as ConversationId);
    if (record === null || !tokenMatches(bearerToken(header), record.tokenHash)) throw new ApiError(ErrorCode.Unauthorized);
    return record;
  };

  // "Delete now" erases the blob too. Registered before the visitor routes, so it wraps their DELETE.
  app.use('/api/v1/conversations/:id', async (c, next) => {
    await next();
    if (c.req.method === 'DELETE' && c.res.status === 204) await resume.purge(c.req.param('id'));
  });

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/conversations/{id}/resume',
      tags: ['visitor'],
      summary: 'Store the sealed resume blob under the hash of its lookup id (lives as long as the conversation)',
      security: [{ visitorBearer: [] }],
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: PutResumeSchema } }, required: true } },
      responses: { 200: json(z.object({ expiresAt: z.number().int() }).openapi('ResumeStored'), 'Stored'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      const body = c.req.valid('json');
      return c.json(await resume.put(record, body.lookup, body.blob), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/conversations/{id}/resume',
      tags: ['visitor'],
      summary: 'Forget the resume blob of the conversation',
      security: [{ visitorBearer: [] }],
      request: { params: ConversationIdParam },
      responses: { 204: { description: 'Erased' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await authorize(c.req.valid('param').id, c.req.header('authorization'));
      await resume.purge(record.id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/resume/{lookup}',
      tags: ['visitor'],
      summary: 'Fetch a sealed resume blob by the hash of its lookup id',
      request: { params: LookupParam },
      responses: { 200: json(ResumeSchema, 'The blob'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await resume.get(c.req.valid('param').lookup), 200);
    },
  );
}
