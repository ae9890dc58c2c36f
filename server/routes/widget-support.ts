// What the embedded widget needs beside the visitor API: CORS for its sandboxed (opaque-origin)
// iframe, the loader script at a stable URL, and the wait estimate (from the statistics' claim-wait
// counters, which the conversation service keeps).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { LANGUAGE_IDS, type LanguageId } from '../../contract/languages.js';
import type { Clock } from '../clock.js';
import type { Store, TeamId } from '../store/ports.js';
import { nextOpening, openingAt } from '../routing/opening.js';
import { createTeamSettings } from '../routing/team-settings.js';
import { createWaitEstimator } from '../wait/wait-estimate.js';
import { ApiError, ErrorCode } from '../errors.js';
import { ERROR_RESPONSES, json, type App } from './common.js';

export interface WidgetSupportDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Directory of the built clients (config.staticDir). */
  readonly staticDir: string;
  /** Where /exit redirects (config.quickExitUrl). */
  readonly quickExitUrl: string;
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

const NoticeSchema = z
  .object({
    team: z.string(),
    open: z.boolean(),
    /** Closed or on special hours because of a holiday today. */
    holiday: z.boolean(),
    /** Plain text per language; "" where the team wrote none (the widget falls back to Swedish, then its own text). */
    text: z.object(Object.fromEntries(LANGUAGE_IDS.map((id) => [id, z.string()])) as Record<LanguageId, z.ZodString>),
    /** The team's weekly opening hours (Europe/Stockholm, "HH:MM" windows per weekday), or null when it keeps none (open whenever someone is on duty). */
    hours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))).nullable(),
    /** When closed: the next minute it opens by its hours and holidays (ms since the epoch), or null when not within 8 days. Null while open. */
    nextOpen: z.number().int().nullable(),
  })
  .openapi('TeamNotice');

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

  // Closed teams: whether the team is open now (duty hours, holidays) and the plain text it shows
  // visitors when closed, in every widget language (the widget renders it as text, never HTML).
  const teamSettings = createTeamSettings(deps.store.records);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/teams/{team}/notice',
      tags: ['visitor'],
      summary: 'Is the team open now (duty hours, holidays; Europe/Stockholm), its weekly hours, when it opens next, and its out-of-hours text in sv, en and ar',
      request: { params: z.object({ team: z.string().regex(/^[a-z0-9-]{1,64}$/).openapi({ param: { name: 'team', in: 'path' }, example: 'unga' }) }) },
      responses: { 200: json(NoticeSchema, 'Notice'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const team = c.req.valid('param').team as TeamId;
      if ((await deps.store.staff.getTeam(team)) === null) throw new ApiError(ErrorCode.NotFound);
      const settings = await teamSettings.get(team);
      const now = deps.clock.now();
      const opening = openingAt(settings, now);
      const hours = settings.dutyHours === null ? null : Object.fromEntries(Object.entries(settings.dutyHours).map(([day, windows]) => [day, (windows ?? []).map(([a, b]) => [a, b] as [string, string])]));
      return c.json({ team, open: opening.open, holiday: opening.reason !== 'hours', text: settings.outOfHoursText, hours, nextOpen: opening.open ? null : nextOpening(settings, now) }, 200);
    },
  );

  // Quick exit: a top-level navigation (the widget's location.replace) that makes the browser drop
  // everything the service origin stored (storage, service workers, cache; Chromium ignores the header
  // on a credential-less fetch) and redirects to the neutral site, which replaces the history entry.
  app.get('/exit', (c) => {
    c.header('Clear-Site-Data', '"cache", "storage"');
    return c.redirect(deps.quickExitUrl, 303);
  });
}
