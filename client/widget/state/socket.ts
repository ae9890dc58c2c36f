// The visitor's WebSocket: hello with its token (never in the URL), reconnect with backoff resuming
// from the last id seen, frames sent while offline are resent by the caller after `onReady`.
import type { ErrorCode } from '../../../contract/errors.js';
import { CloseCode, SOCKET_VERSION, type ClientFrame, type ServerFrame } from '../../../contract/frames.js';

export type { ServerFrame } from '../../../contract/frames.js';

export interface VisitorSocketOptions {
  readonly url: string;
  readonly conversation: string;
  readonly token: string;
  /** Last message id seen, asked for at each (re)connect. */
  readonly after: () => string | null;
  readonly onFrame: (frame: ServerFrame) => void;
  /** Called after each successful subscribe (first connect and every reconnect). */
  readonly onReady: (reconnected: boolean) => void;
  readonly onDown: () => void;
  readonly createSocket?: (url: string) => WebSocket;
}

export interface VisitorSocket {
  /** Sends now if connected; returns false when offline (the caller keeps it for onReady). */
  send(frame: ClientFrame): boolean;
  stop(): void;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

export function connectVisitorSocket(options: VisitorSocketOptions): VisitorSocket {
  const make = options.createSocket ?? ((url: string) => new WebSocket(url));
  let socket: WebSocket | null = null;
  let ready = false;
  let stopped = false;
  let attempt = 0;
  let everReady = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pinger: ReturnType<typeof setInterval> | null = null;

  const open = () => {
    if (stopped) return;
    const ws = make(options.url);
    socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ t: 'hello', v: SOCKET_VERSION, c: options.conversation, token: options.token, after: options.after() } satisfies ClientFrame));
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const frame = JSON.parse(event.data) as ServerFrame;
      if (frame.t === 'subscribed') {
        ready = true;
        attempt = 0;
        options.onReady(everReady);
        everReady = true;
      }
      options.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      ready = false;
      socket = null;
      // 1008 ends for good (refused hello), except a missed hello deadline (slow network): try again.
      if (stopped || (event.code === CloseCode.PolicyViolation && event.reason !== ('hello_timeout' satisfies ErrorCode))) return;
      options.onDown();
      timer = setTimeout(open, BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]);
      attempt += 1;
    };
  };
  open();
  // Keeps idle proxies from dropping the socket.
  pinger = setInterval(() => {
    if (ready) socket?.send(JSON.stringify({ t: 'ping' }));
  }, 25_000);

  return {
    send(frame) {
      if (!ready || socket === null) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      if (pinger !== null) clearInterval(pinger);
      socket?.close(1000, 'bye');
      socket = null;
    },
  };
}
