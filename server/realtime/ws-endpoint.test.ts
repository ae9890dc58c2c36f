// The WebSocket endpoint on plain `ws`: the upgrade goes through the Hono app (its routing and its
// refusals reach the client as HTTP statuses), a plain GET is refused with a code, a responder's
// cookie counts only from the configured origin, and a binary frame is answered with an error frame.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../clock.js';
import { startServer, type RunningServer } from '../server.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { freePort } from '../../test/support/free-port.js';
import { captureLogs, seedResponder, seedTeams, testConfig } from '../../test/support/harness.js';

let server: RunningServer;
let base = '';
let cookie = '';

beforeAll(async () => {
  await loadSodium();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  await seedTeams(store);
  server = await startServer({ config: testConfig({ PORT: String(port), PUBLIC_URL: base }), store, clock: systemClock, random: systemRandom, logger: captureLogs().logger('warn'), secret: new Uint8Array(randomBytes(32)) });
  const seeded = await seedResponder(store, 'ws-endpoint');
  const jar = createCookieJar();
  await createResponderApi({ baseUrl: base, cookies: jar }).login(seeded.login, seeded.authKey);
  cookie = jar.get() ?? '';
});

afterAll(async () => {
  await server?.stop(500);
});

/** Connects and returns the first frame after `send`, or the HTTP status the upgrade was refused with. */
function exchange(path: string, headers: Record<string, string>, send: string | Buffer): Promise<{ status: number } | { frame: { t: string; code?: string; role?: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}${path}`, { headers, perMessageDeflate: false });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('open', () => ws.send(send));
    ws.once('message', (data) => {
      resolve({ frame: JSON.parse(String(data)) as { t: string } });
      ws.close();
    });
    ws.once('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

describe('the WebSocket endpoint', () => {
  it('refuses an upgrade on another path with the app’s status, and a plain GET with a code', async () => {
    expect(await exchange('/api/v1/nothing-here', {}, '{}')).toEqual({ status: 404 });
    const plain = await fetch(`${base}/api/v1/ws`);
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('makes a socket a responder’s only with the session cookie from the configured origin', async () => {
    expect(await exchange('/api/v1/ws', { cookie, origin: base }, JSON.stringify({ t: 'hello', v: 1 }))).toEqual({ frame: { t: 'ready', role: 'responder' } });
    // The same cookie from another origin: a visitor's socket, which must name a conversation.
    const foreign = await exchange('/api/v1/ws', { cookie, origin: 'https://evil.example' }, JSON.stringify({ t: 'hello', v: 1 }));
    expect(foreign).toMatchObject({ frame: { t: 'error', code: 'unauthorized' } });
  });

  it('answers a binary frame with an error frame', async () => {
    expect(await exchange('/api/v1/ws', {}, Buffer.from('{"t":"ping"}'))).toMatchObject({ frame: { t: 'error', code: 'invalid_request' } });
  });
});
