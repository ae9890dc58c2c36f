// The responder's WebSocket (/api/v1/ws, same origin, session cookie): hello, one subscription per
// open chat resumed from its last id after a reconnect, typing. Reconnects with back-off.
import { SOCKET_PATH, SOCKET_VERSION, type ClientFrame, type ServerFrame } from '../../../contract/frames.js';

export type { ServerFrame } from '../../../contract/frames.js';

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
  const url = `${win.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${win.location.host}${SOCKET_PATH}`;

  const send = (frame: ClientFrame) => {
    if (socket !== null && ready) socket.send(JSON.stringify(frame));
  };
  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(url);
    socket = ws;
    ready = false;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'hello', v: SOCKET_VERSION } satisfies ClientFrame));
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
