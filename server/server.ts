// Starts one instance on a port: the HTTP listener, the WebSocket upgrade, graceful shutdown.
// Used by main.ts and by tests that need real sockets (several instances on one Redis).
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps, type CreatedApp } from './app.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly created: CreatedApp;
  /**
   * Graceful stop: readiness false, sockets told to reconnect elsewhere (1012), in-flight requests
   * finish, then the listener closes. Resolves when closed or after `graceMs`.
   */
  stop(graceMs?: number): Promise<void>;
}

export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const created = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: created.app.fetch, port: deps.config.port, hostname: deps.config.host }, () => resolve(s));
  });
  created.attachWebSocket(server as Server);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${deps.config.host}:${port}`,
    port,
    created,
    async stop(graceMs = 10_000) {
      created.beginShutdown();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          resolve();
        }, graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
    },
  };
}
