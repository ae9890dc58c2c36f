// The WebSocket endpoint on plain `ws` under @hono/node-server. The upgrade request goes through the
// Hono app like any request (routing, rate limits, the responder's session cookie); the route only
// records its decision in the request's env, and a socket it accepted is upgraded here. A socket then
// holds its `ws` object and its Connection, nothing of the upgrade request (no Hono Context, Request,
// URL or listener closures per socket: the listeners are shared and find the socket as `this`).
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ResponderRecord } from '../store/ports.js';
import type { Connection } from './connection.js';

/** What the upgrade route decided; the route sets `accepted` (and the responder, if any). */
export interface UpgradeDecision {
  accepted: boolean;
  responder: ResponderRecord | null;
}

/** The key under which the upgrade's env carries its UpgradeDecision. */
export const UPGRADE = Symbol('utvag.upgrade');

/** The env of a request that came as an upgrade: the decision slot, or undefined for plain HTTP. */
export function upgradeDecisionOf(env: unknown): UpgradeDecision | undefined {
  return (env as { [UPGRADE]?: UpgradeDecision } | undefined)?.[UPGRADE];
}

export interface WsEndpointHooks {
  /** The Connection of an accepted socket. */
  open(ws: WebSocket, responder: ResponderRecord | null): Connection;
  /** After the socket closed (its Connection's onClose has been called). */
  closed(ws: WebSocket, responder: ResponderRecord | null): void;
}

type Fetch = (request: Request, env: object) => Response | Promise<Response>;

/** Per socket, as a property of its `ws` object: its Connection and who it belongs to. */
interface Held {
  readonly connection: Connection;
  readonly responder: ResponderRecord | null;
}
const HELD = Symbol('utvag.socket');
type HeldSocket = WebSocket & { [HELD]?: Held };

export interface WsEndpoint {
  /** Listens for upgrades on `server`. */
  attach(server: Server): void;
}

/** `maxPayload`: ws refuses a larger frame while reading it, before it is buffered whole. */
export function createWsEndpoint(fetch: Fetch, hooks: WsEndpointHooks, maxPayload: number): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, clientTracking: false });

  function onMessage(this: HeldSocket, data: RawData, isBinary: boolean): void {
    const held = this[HELD];
    if (held === undefined) return;
    if (isBinary) held.connection.onBinary();
    else void held.connection.onMessage(data.toString());
  }
  function onClose(this: HeldSocket): void {
    const held = this[HELD];
    if (held === undefined) return;
    this[HELD] = undefined;
    void held.connection.onClose();
    hooks.closed(this, held.responder);
  }
  // ws reports protocol errors (bad UTF-8, a frame over maxPayload) here and then closes the socket.
  function onError(): void {}

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', onError);
    const decision: UpgradeDecision = { accepted: false, responder: null };
    let response: Response;
    try {
      response = await fetch(toRequest(request), { incoming: request, outgoing: undefined, [UPGRADE]: decision });
    } catch {
      return reject(socket, 500);
    }
    if (!decision.accepted) return reject(socket, response.status, response.headers.get('retry-after'));
    if (socket.destroyed) return;
    wss.handleUpgrade(request, socket, head, (ws: HeldSocket) => {
      socket.off('error', onError);
      ws[HELD] = { connection: hooks.open(ws, decision.responder), responder: decision.responder };
      ws.on('message', onMessage);
      ws.on('close', onClose);
      ws.on('error', onError);
    });
  }

  return {
    attach(server) {
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (request.headers.upgrade?.toLowerCase() !== 'websocket') return reject(socket, 400);
        void upgrade(request, socket, head);
      });
      server.on('close', () => wss.close());
    },
  };
}

/** The upgrade request as a fetch Request (headers only, no body) for the Hono app. */
function toRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, { headers });
}

function reject(socket: Duplex, status: number, retryAfter: string | null = null): void {
  if (socket.destroyed) return;
  const code = status >= 400 && status < 600 ? status : 400;
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n${retryAfter === null ? '' : `Retry-After: ${retryAfter}\r\n`}\r\n`);
}
