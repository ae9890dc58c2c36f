// The responder's WebSocket (/api/v1/ws, same origin, session cookie): hello, one subscription per
// open chat resumed from its last id after a reconnect, typing. Reconnects with back-off.
import type { LogEntry } from '../../shared/api-client.js';

export type ServerFrame =
  | { t: 'ready'; role: string }
  | { t: 'subscribed'; c: string }
  | { t: 'msg'; c: string; e: LogEntry }
  | { t: 'state'; c: string; status: 'waiting' | 'active' | 'closed'; session: number }
  | { t: 'typing'; c: string; from: 'visitor' | 'responder' }
  | { t: 'erased'; c: string }
  | { t: 'unsubscribed'; c: string; reason: string }
  | { t: 'error'; code: string; message: string; c?: string }
  | { t: 'ack' | 'pong'; c?: string };

export interface ResponderSocket {
  subscribe(id: string, after: string | null): void;
  unsubscribe(id: string): void;
  typing(id: string): void;
  close(): void;
}

export function createResponderSocket(win: Window, onFrame: (frame: ServerFrame) => void, lastIdOf: (id: string) => string | null): ResponderSocket {
  const subscriptions = new Set<string>();
  let socket: WebSocket | null = null;
  let ready = false;
  let closed = false;
  let retry = 500;
  const url = `${win.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${win.location.host}/api/v1/ws`;

  const send = (frame: object) => {
    if (socket !== null && ready) socket.send(JSON.stringify(frame));
  };
  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(url);
    socket = ws;
    ready = false;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'hello', v: 1 }));
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      if (frame.t === 'ready') {
        ready = true;
        retry = 500;
        for (const id of subscriptions) send({ t: 'sub', c: id, after: lastIdOf(id) });
      }
      onFrame(frame);
    };
    ws.onclose = () => {
      ready = false;
      if (socket === ws) socket = null;
      if (!closed) win.setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };
  connect();

  return {
    subscribe(id, after) {
      subscriptions.add(id);
      send({ t: 'sub', c: id, after });
    },
    unsubscribe(id) {
      if (subscriptions.delete(id)) send({ t: 'unsub', c: id });
    },
    typing(id) {
      send({ t: 'typing', c: id });
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
