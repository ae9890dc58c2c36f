// What the embedded widget needs beside the visitor API: CORS for its sandboxed (opaque-origin)
// iframe, the loader script at a stable URL, the wait estimate, and the claim-wait counters it is
// computed from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import type { ConversationId, Store } from '../store/ports.js';
import { createWaitEstimator } from '../wait/wait-estimate.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

export interface WidgetSupportDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Directory of the built clients (config.staticDir). */
  readonly staticDir: string;
}

const TeamQuery = z.object({
  team: z.string().regex(/^[a-z0-9-]{1,64}$/).openapi({ param: { name: 'team', in: 'query' }, example: 'unga' }),
});
const WaitSchema = z
  .object({
    team: z.string(),
    medianMs: z.number().int().nullable().openapi({ description: 'Median wait of recent claims (bucket bound), null when there are too few to say' }),
    samples: z.number().int(),
  })
  .openapi('WaitEstimate');

/** Visitor API paths a sandboxed widget may call cross-origin (never responder routes: those use cookies). */
const isVisitorPath = (path: string) => path.startsWith('/api/v1/') && !path.startsWith('/api/v1/responder');

export function registerWidgetSupportRoutes(app: App, deps: WidgetSupportDeps): void {
  const waits = createWaitEstimator({ stats: deps.store.stats, now: () => deps.clock.now() });

  // The widget iframe is sandboxed without allow-same-origin: its origin is opaque ("null"), so its
  // module scripts and API calls are cross-origin. The visitor API carries no cookie (bearer token
  // only), so allowing the null origin exposes nothing a plain HTTP client could not reach.
  app.use('/api/*', async (c, next) => {
    if (c.req.header('origin') !== 'null' || !isVisitorPath(c.req.path)) return next();
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Origin', 'null');
      c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
      c.header('Access-Control-Allow-Headers', 'authorization, content-type');
      c.header('Access-Control-Max-Age', '600');
      c.header('Vary', 'Origin');
      return c.body(null, 204);
    }
    await next();
    c.header('Access-Control-Allow-Origin', 'null');
    c.header('Vary', 'Origin');
  });
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Access-Control-Allow-Origin', '*');
  });

  // The loader keeps a stable name so the embed snippet's integrity hash pins it (dist/public/loader.js).
  const loaderPath = join(deps.staticDir, 'loader.js');
  const loader = existsSync(loaderPath) ? readFileSync(loaderPath, 'utf8') : null;
  if (loader !== null) {
    app.get('/loader.js', (c) => {
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cache-Control', 'no-cache');
      // Host pages load it cross-origin in CORS mode (integrity + crossorigin), which CORP does not block.
      return c.body(loader, 200);
    });
  }

  // Counts how long each claimed conversation waited (aggregated per team and day, never per visitor).
  app.use('/api/v1/responder/conversations/:id/claim', async (c, next) => {
    const before = c.req.method === 'POST' ? await deps.store.conversations.get(c.req.param('id') as ConversationId) : null;
    await next();
    if (before !== null && before.status === 'waiting' && c.res.status === 200) {
      await waits.recordClaim(before.team, deps.clock.now() - before.queuedAt);
    }
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/wait',
      tags: ['visitor'],
      summary: 'Median wait before a responder took a conversation, today and yesterday (aggregated)',
      request: { query: TeamQuery },
      responses: { 200: json(WaitSchema, 'Estimate'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { team } = c.req.valid('query');
      const estimate = await waits.estimate(team);
      return c.json({ team, medianMs: estimate.medianMs, samples: estimate.samples }, 200);
    },
  );

  // Quick exit: the page asks the browser to drop anything the service origin stored.
  app.post('/api/v1/exit', (c) => {
    c.header('Clear-Site-Data', '"cache", "storage"');
    return c.body(null, 204);
  });
}
