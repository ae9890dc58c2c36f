// A stand-in for the neutral site quick exit leaves for (a weather page), on loopback: the browser
// reaches it through the server's /exit redirect, which Playwright's routes cannot intercept.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NeutralSite {
  /** The page's URL (origin localhost, not the service's 127.0.0.1). */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startNeutralSite(): Promise<NeutralSite> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Väder</title><h1>Väder</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
