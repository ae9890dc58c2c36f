// createApp(deps): the Hono app with every route, middleware and error mapping. No I/O at import.
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Context } from 'hono';
import { OpenAPIHono } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { SOCKET_PATH } from '../contract/frames.js';
import type { Clock, RandomBytes } from './clock.js';
import type { Config } from './config.js';
import { createConversationService, queueScore } from './conversations/service.js';
import { createHandovers } from './conversations/handover.js';
import { createVisitorPresence } from './conversations/visitor-presence.js';
import { ApiError, ErrorCode, errorBody, toApiError } from './errors.js';
import type { Logger } from './logger.js';
import { noopMetrics, type Metrics } from './metrics/metrics.js';
import { createClientKeyer } from './middleware/client-key.js';
import { createRateLimiter, rateLimit } from './middleware/rate-limit.js';
import { requestLog } from './middleware/request-log.js';
import { SESSION_COOKIE, createResponderSessions } from './middleware/responder-auth.js';
import { securityHeaders } from './middleware/security-headers.js';
import { precompressedAssets } from './static/precompressed.js';
import { createPowChallenges } from './pow/challenges.js';
import { ConversationFrameBudgets } from './realtime/budgets.js';
import { createConnection } from './realtime/connection.js';
import { createHub } from './realtime/hub.js';
import { WsSocket } from './realtime/ws-socket.js';
import { createWsEndpoint, upgradeDecisionOf } from './realtime/ws-endpoint.js';
import { createWriteBatch } from './realtime/write-batch.js';
import { WEBSOCKET_DOC } from './realtime/protocol.js';
import type { AppEnv } from './routes/common.js';
import { registerDirectoryRoutes } from './routes/directory.js';
import { registerHealthRoutes } from './routes/health.js';
import { createDirectory } from './directory/directory.js';
import { registerResponderRoutes } from './routes/responder.js';
import { registerHandoverRoutes } from './routes/handover.js';
import { registerNoteRoutes } from './routes/notes.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerStatsRoutes } from './routes/stats.js';
import { registerStaffRoutes } from './routes/staff.js';
import { createStaffAdmin } from './staff/staff-admin.js';
import { createOrgPending } from './directory/org-pending.js';
import { registerTeamRoutes } from './routes/teams.js';
import { registerOrganisationRoutes } from './routes/organisation.js';
import { createAuditWriter } from './routes/audit-writer.js';
import { registerCallbackRoutes } from './routes/callbacks.js';
import { registerSourceRoutes } from './routes/sources.js';
import { createSources, withSourceLanguage } from './sources/index.js';
import { registerResponderShiftRoutes } from './routes/responder-shift.js';
import { registerEnrolmentRoutes } from './routes/enrolment.js';
import { createRouting } from './routing/routing.js';
import { createCallbacks } from './callbacks/callbacks.js';
import { createStatsCounter } from './stats/counter.js';
import { createInvitations } from './enrolment/invitations.js';
import { createLoginGuard } from './enrolment/login-guard.js';
import { createTotp } from './enrolment/totp.js';
import { registerVisitorRoutes } from './routes/visitor.js';
import { registerConsentRoutes } from './routes/consent.js';
import { registerResumeRoutes } from './routes/resume.js';
import { registerWidgetSupportRoutes } from './routes/widget-support.js';
import type { ResponderRecord, Store } from './store/ports.js';

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomBytes;
  readonly logger: Logger;
  /** Server-wide secret shared by all instances (proof-of-work MACs, fake salts, audit refs). */
  readonly secret: Uint8Array;
  /** Root public key (base64url) the served pages pin when their build does not; null: none. */
  readonly rootPublicKey?: string | null;
  /** Counters and gauges (server/metrics); default: none kept. */
  readonly metrics?: Metrics;
}

/** Bytes a socket may have queued before it counts as a slow consumer. */
const MAX_SOCKET_BUFFER = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const { config, store, clock, random, logger } = deps;
  const metrics = deps.metrics ?? noopMetrics;
  let shuttingDown = false;

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue === undefined ? '' : `${issue.path.join('.') || 'body'}: `;
        throw new ApiError(ErrorCode.InvalidRequest, `${where}${issue?.message ?? 'invalid'}`);
      }
    },
  });

  const keyer = createClientKeyer({ clock, rotateMs: 3_600_000, trustProxy: config.trustProxy });
  const limiter = createRateLimiter(keyer, 3600);
  const minuteKeyer = createClientKeyer({ clock, rotateMs: 60_000, trustProxy: config.trustProxy });
  const minuteLimiter = createRateLimiter(minuteKeyer, 60);
  // Whether the young person is still there (their sockets, a grace after the last one closed).
  const presence = createVisitorPresence({ store, clock, graceMs: config.visitorGoneAfterMs, ttlMs: config.conversationTtlMs, queueScore });
  const routing = createRouting({ store, clock, isGone: presence.isGone });
  const stats = createStatsCounter({ stats: store.stats, now: () => clock.now() });
  const callbacks = createCallbacks({ store, clock, routing, stats, callbackTtlMs: config.callbackTtlMs, audit: createAuditWriter({ store, clock, secret: deps.secret }) });
  const conversations = createConversationService({ store, config, clock, random, routing, presence, callbacks });
  // Marks conversations whose young person has gone for longer than the grace (a few times per grace).
  const goneSweep = setInterval(() => void presence.sweep().catch(() => undefined), Math.max(500, Math.min(30_000, Math.floor(config.visitorGoneAfterMs / 4))));
  goneSweep.unref();
  const directory = createDirectory(store.records);
  const totp = createTotp({ records: store.records, once: store.once, clock });
  const invitations = createInvitations({ records: store.records, clock, random });
  const pow = createPowChallenges({ secret: deps.secret, difficulty: config.powDifficulty, ttlMs: config.powTtlMs, clock, random, once: store.once });
  const sessions = createResponderSessions({ store, clock, random, idleMs: config.sessionIdleMs, secureCookies: config.publicUrl.startsWith('https:') });
  const hub = createHub(store.events);
  const writeBatch = createWriteBatch();
  const publicOrigin = new URL(config.publicUrl).origin;
  const sources = createSources({ records: store.records, clock });

  app.use('*', securityHeaders({ frameAncestors: config.frameAncestors, hsts: config.publicUrl.startsWith('https:') }));
  app.use('*', requestLog(logger));
  app.use('/api/*', rateLimit(minuteLimiter, minuteKeyer, 'requests', config.rateRequestsPerMinute));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        throw new ApiError(ErrorCode.BodyTooLarge);
      },
    }),
  );

  // Before any route: every responder route but login needs a session (and CSRF on unsafe methods).
  const requireSession = sessions.required();
  app.use('/api/v1/responder/*', async (c, next) => {
    if (c.req.path.startsWith('/api/v1/responder/login')) return next();
    return requireSession(c, next);
  });
  app.use('/api/v1/admin/*', requireSession);

  registerHealthRoutes(app, { store, isShuttingDown: () => shuttingDown });
  // Widget: sandboxed-iframe CORS, loader, wait estimate, consent, resume (before the visitor routes: they wrap delete-now).
  registerWidgetSupportRoutes(app, { store, clock, staticDir: config.staticDir, quickExitUrl: config.quickExitUrl });
  registerConsentRoutes(app, { store, clock, random, secret: deps.secret, perConversation: config.consentsPerConversation, pageSize: config.consentPageSize });
  registerResumeRoutes(app, { store, config, clock });
  registerDirectoryRoutes(app, { directory, staff: store.staff });
  registerVisitorRoutes(app, { conversations, pow, limiter, keyer, openPerHour: config.rateOpenPerHour, sources });
  registerResponderRoutes(app, {
    store,
    conversations,
    sessions,
    limiter,
    keyer,
    clock,
    secret: deps.secret,
    presenceTtlMs: config.presenceTtlMs,
    routing,
    totp,
    guard: createLoginGuard({ counters: store.counters, policy: config.login }),
    directory,
  });
  registerResponderShiftRoutes(app, { store, conversations, routing, directory, clock, secret: deps.secret, presenceTtlMs: config.presenceTtlMs });
  const handovers = createHandovers({ store, config, clock, conversations, released: (responder, id) => routing.released(responder, id) });
  registerHandoverRoutes(app, { store, conversations, handovers, routing, clock, secret: deps.secret });
  registerNoteRoutes(app, { store, clock, budget: config.noteBudget });
  registerCallbackRoutes(app, { store, callbacks, conversations, clock, secret: deps.secret });
  registerEnrolmentRoutes(app, { store, invitations, totp, limiter, keyer });
  // Deactivation closes the responder's sockets on every instance (one staff channel, single slot).
  const responderSockets = new Map<string, Set<{ close(code?: number, reason?: string): void }>>();
  void store.events
    .onStaff((event) => {
      if (event.t !== 'deactivated') return;
      for (const ws of responderSockets.get(event.responder) ?? []) ws.close(1008, 'deactivated');
    })
    .catch((e: unknown) => logger.error({ err: String(e) }, 'staff channel subscription failed'));
  const orgPending = createOrgPending({ store, directory, invitations, clock });
  const staff = createStaffAdmin({
    store,
    directory,
    clock,
    random,
    conversations,
    callbacks,
    rootPublicKey: deps.rootPublicKey ?? config.rootPublicKey,
    disconnect: (responder) => store.events.toStaff({ t: 'deactivated', responder }),
    demo: config.demo,
    pending: orgPending,
  });
  registerAdminRoutes(app, { store, directory, invitations, routing, clock, random, secret: deps.secret, demo: config.demo });
  registerStatsRoutes(app, { store, clock, secret: deps.secret, callbackTtlMs: config.callbackTtlMs });
  registerStaffRoutes(app, { store, directory, staff, pending: orgPending, clock, secret: deps.secret });
  registerTeamRoutes(app, { store, directory, routing, clock, random, secret: deps.secret });
  registerOrganisationRoutes(app, { store, clock, secret: deps.secret });
  registerSourceRoutes(app, { store, sources, directory, audit: createAuditWriter({ store, clock, secret: deps.secret }), publicOrigin, staticDir: config.staticDir, rootPublicKey: deps.rootPublicKey ?? null });

  // WebSocket endpoint (plain `ws` under @hono/node-server, realtime/ws-endpoint.ts): this route
  // authenticates the upgrade request and records the decision; a socket then holds only its `ws`
  // object and its Connection, whose writes are batched per event-loop turn.
  const sockets = new Set<{ close(code?: number, reason?: string): void }>();
  // The frame budget a conversation's visitor sockets share: in this instance's memory (budgets.ts).
  const conversationBudgets = new ConversationFrameBudgets(config.conversationFrameBudget, Date.now);
  const connectionDeps = { conversations, hub, events: store.events, logger, maxBufferedBytes: MAX_SOCKET_BUFFER, maxFrameChars: config.maxBodyBytes, onErrorFrame: (code: string) => metrics.error(code, 'ws'), budget: config.socketBudget, conversationBudgets, presence };
  app.get(SOCKET_PATH, async (c) => {
    const decision = upgradeDecisionOf(c.env);
    if (decision === undefined || c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new ApiError(ErrorCode.InvalidRequest, 'Expected a WebSocket upgrade.');
    // A responder's cookie counts only from our own origin (no cross-site WebSocket hijacking).
    if (c.req.header('origin') === publicOrigin) decision.responder = (await sessions.resolve(getCookie(c, SESSION_COOKIE)))?.responder ?? null;
    decision.accepted = true;
    return c.body(null, 200);
  });
  const wsEndpoint = createWsEndpoint(
    (request, env) => app.fetch(request, env),
    {
      open(ws, responder) {
        sockets.add(ws);
        if (responder !== null) responderSockets.set(responder.id, (responderSockets.get(responder.id) ?? new Set()).add(ws));
        metrics.socketOpened();
        return createConnection(new WsSocket(ws, writeBatch), responder, connectionDeps);
      },
      closed(ws, responder) {
        if (sockets.delete(ws)) metrics.socketClosed();
        if (responder !== null) {
          const mine = responderSockets.get(responder.id);
          mine?.delete(ws);
          if (mine?.size === 0) responderSockets.delete(responder.id);
        }
      },
    },
    config.maxBodyBytes,
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'visitorBearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token returned when the conversation was opened',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'responderSession', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'Session cookie; unsafe methods also need the X-CSRF-Token header',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Utväg API',
      version: '1.0.0',
      description: 'Relay of end-to-end encrypted conversations. WebSocket protocol: /api/websocket.json',
    },
  });
  app.get('/api/websocket.json', (c) => c.json(WEBSOCKET_DOC));

  // Built clients. Hashed assets are immutable; pages are never cached (DESIGN: no trace on device).
  const root = config.staticDir;
  if (existsSync(root)) {
    const assets = precompressedAssets(join(root, 'assets'));
    app.get('/assets/:file', async (c, next) => assets(c) ?? next());
    // Only a demo's pages carry a root key (marked as a demo, which the clients show): a real
    // deployment's clients pin the root in their build or the embed snippet, never take it from a page.
    const pageRoot = config.demo ? (deps.rootPublicKey ?? null) : null;
    const page = (file: string) => {
      const html = readPage(join(root, file), pageRoot);
      return (c: Context) => (html === null ? c.json(errorBody(ErrorCode.NotFound), 404) : c.html(html));
    };
    const widget = page('widget/index.html');
    // A source's page opens the widget in the source's language; unknown or ended tags still open it
    // (an old poster must never lead to an error), and the tag counts as given.
    const widgetHtml = readPage(join(root, 'widget/index.html'), pageRoot);
    app.get('/c/:source{[a-z0-9-]{1,40}}', async (c) => {
      if (widgetHtml === null) return c.json(errorBody(ErrorCode.NotFound), 404);
      return c.html(withSourceLanguage(widgetHtml, (await sources.hint(c.req.param('source'))).language));
    });
    app.get('/widget', widget);
    app.get('/', widget);
    app.get('/console', page('console/index.html'));
  }

  app.notFound((c) => c.json(errorBody(ErrorCode.NotFound), 404));
  app.onError((error, c) => {
    const apiError = toApiError(error) ?? fromHttpException(error);
    metrics.error(apiError?.code ?? ErrorCode.Internal, 'http');
    if (apiError !== null) {
      if (apiError.retryAfter !== undefined) c.header('Retry-After', String(apiError.retryAfter));
      return c.json(errorBody(apiError.code, apiError.message), apiError.status);
    }
    logger.error({ err: error instanceof Error ? error.name : 'unknown', stack: error instanceof Error ? error.stack : undefined }, 'unhandled error');
    return c.json(errorBody(ErrorCode.Internal), 500);
  });

  answerHeadAsGet(app);

  return {
    app,
    /** Serves WebSocket upgrades on the HTTP server the app runs on. */
    attachWebSocket: (server: Server) => wsEndpoint.attach(server),
    hub,
    /** Readiness turns false; open sockets are told to reconnect elsewhere (1012). */
    beginShutdown() {
      shuttingDown = true;
      clearInterval(goneSweep);
      for (const ws of sockets) ws.close(1012, 'service restart: reconnect and resume');
    },
    socketCount: () => sockets.size,
  };
}

export type CreatedApp = ReturnType<typeof createApp>;

/**
 * A built page; in a demo, with the demo's root public key as `<meta name="utvag-root-key">` and
 * `<meta name="utvag-demo" content="1">` (clients built without a pin accept a page's key only then,
 * and say on screen that it is a demo). Read once at start; null when the file is missing.
 */
function readPage(path: string, demoRootPublicKey: string | null): string | null {
  if (!existsSync(path)) return null;
  const html = readFileSync(path, 'utf8');
  if (demoRootPublicKey === null) return html;
  return html.replace('</head>', `<meta name="utvag-root-key" content="${demoRootPublicKey}" />\n  <meta name="utvag-demo" content="1" />\n  </head>`);
}

/**
 * HEAD runs as GET and answers GET's status and headers without the body. (Hono's own HEAD copies
 * the response through @hono/node-server's lightweight Response, which drops the headers middleware
 * set: the security headers.)
 */
function answerHeadAsGet(app: { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> }): void {
  const dispatch = app.fetch;
  app.fetch = async (request, ...rest) => {
    if (request.method !== 'HEAD') return dispatch(request, ...rest);
    const response = await dispatch(new Request(request, { method: 'GET' }), ...rest);
    // Headers first: reading the body of a lightweight Response rebuilds it from its original init.
    const head = new Response(null, { status: response.status, headers: new Headers(response.headers) });
    await response.body?.cancel().catch(() => undefined);
    return head;
  };
}

function fromHttpException(error: unknown): ApiError | null {
  if (!(error instanceof HTTPException)) return null;
  if (error.status === 413) return new ApiError(ErrorCode.BodyTooLarge);
  if (error.status === 400 && /json/i.test(error.message)) return new ApiError(ErrorCode.InvalidJson);
  if (error.status === 404) return new ApiError(ErrorCode.NotFound);
  return new ApiError(ErrorCode.InvalidRequest);
}
