// A visitor socket that stops reading: the server does not queue without bound for it — it closes
// the socket with 1013 once its send buffer passes the limit — and after reconnecting with its last
// id the visitor receives everything after it, exactly once.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, createResponderApi, createVisitorApi, type LogEntry } from '../../client/shared/api-client.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { createMemoryStore } from '../../server/store/memory/memory-store.js';
import { freePort } from '../support/free-port.js';
import { captureLogs, newCid, seedResponder, seedTeams, solvePow, testConfig } from '../support/harness.js';

let server: RunningServer;
let base = '';
let seeded: { login: string; authKey: Uint8Array };

beforeAll(async () => {
  await loadSodium();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  await seedTeams(store);
  const config = testConfig({ PORT: String(port), PUBLIC_URL: base, MAX_LOG_ENTRIES: '100000' });
  server = await startServer({ config, store, clock: systemClock, random: systemRandom, logger: captureLogs().logger('warn'), secret: new Uint8Array(randomBytes(32)) });
  seeded = await seedResponder(store, 'slow');
});

afterAll(async () => {
  await server?.stop(500);
});

/** Opens a visitor socket that records every message entry and its close code. */
function visitorSocket(id: string, token: string, after: string | null) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, { perMessageDeflate: false });
  const entries: LogEntry[] = [];
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const subscribed = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string; e?: LogEntry };
      if (frame.t === 'msg' && frame.e !== undefined) entries.push(frame.e);
      if (frame.t === 'subscribed') resolve();
    });
  });
  ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', v: 1, c: id, token, after })));
  return { ws, entries, closed, subscribed };
}

describe('a visitor socket that stops reading', () => {
  it('is closed with 1013 instead of growing the server’s memory, and resumes from its last id', async () => {
    const visitor = createVisitorApi({ baseUrl: base });
    const responder = createResponderApi({ baseUrl: base, cookies: createCookieJar() });
    await responder.login(seeded.login, seeded.authKey);
    await responder.duty('unga', true);
    const opened = await visitor.open({ category: 'chat', language: 'sv' }, solvePow);
    await responder.claim(opened.id);

    const first = visitorSocket(opened.id, opened.token, null);
    await first.subscribed;
    // Stop reading: the kernel buffers fill, then the server's send buffer grows past its 1 MiB limit.
    const raw = (first.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();

    const body = randomBytes(12_000).toString('base64url'); // 16,000 characters per message
    const sent: string[] = [];
    // 16 MB for a reader that reads nothing: far past the kernel buffers and the server's 1 MiB limit.
    for (let batch = 0; batch < 40; batch += 1) {
      const posted = await Promise.all(
        Array.from({ length: 25 }, async () => {
          const cid = newCid();
          await responder.post(opened.id, { cid, kind: 'message', body });
          return cid;
        }),
      );
      sent.push(...posted);
    }
    raw.resume();
    expect(await first.closed).toBe(1013);
    // Bounded: the server kept at most about its 1 MiB buffer for this socket, not the whole stream.
    const sentBytes = sent.length * body.length;
    expect(sentBytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(first.entries.length).toBeLessThan(sent.length);
    await expect.poll(() => server.created.socketCount()).toBe(0);

    // Reconnect with the last id actually received: everything after it arrives, once, in order.
    const last = first.entries.at(-1)?.id ?? null;
    const second = visitorSocket(opened.id, opened.token, last);
    await second.subscribed;
    const all = [...first.entries, ...second.entries].filter((e) => e.kind === 'message').map((e) => e.cid);
    expect(all).toEqual(sent);
    second.ws.close();
  }, 60_000);
});
