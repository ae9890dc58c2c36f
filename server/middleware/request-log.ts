// One log line per request: method, route pattern (never the concrete path, which may hold a
// conversation id), status and duration. No address, user agent, token or query string.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../logger.js';

export function requestLog(logger: Logger): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    let route: string;
    try {
      route = routePath(c);
    } catch {
      route = 'unknown';
    }
    logger.info(
      { method: c.req.method, route, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 },
      'request',
    );
  };
}
