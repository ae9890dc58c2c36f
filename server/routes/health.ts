// Liveness and readiness. Readiness checks the store and turns false while shutting down.
import type { Hono } from 'hono';
import type { Store } from '../store/ports.js';

export function registerHealthRoutes(app: Hono<any>, deps: { store: Store; isShuttingDown: () => boolean }): void {
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    if (deps.isShuttingDown()) return c.json({ ok: false, reason: 'shutting_down' }, 503);
    try {
      await deps.store.ping();
      return c.json({ ok: true });
    } catch {
      return c.json({ ok: false, reason: 'store_unavailable' }, 503);
    }
  });
}
