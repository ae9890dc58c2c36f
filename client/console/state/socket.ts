// The responder's WebSocket (/api/v1/ws, same origin, session cookie): hello, one subscription per
// open chat resumed from its last id after a reconnect, sends acknowledged once stored (and sent
// again with the same client id after a reconnect until they are), typing, and the team frames that
// say which of the console's lists changed. Reconnects with back-off and says when it is up or down.
import { SOCKET_PATH, SOCKET_VERSION, type ClientFrame, type ServerFrame } from '../../../contract/frames.js';
import type { MessageId } from '../../../contract/ids.js';
import type { Envelope } from '../../../contract/messages.js';
import { ApiRequestError } from '../../../contract/errors.js';

export type { ServerFrame, TeamList } from '../../../contract/frames.js';

export interface ResponderSocket {
  subscribe(id: string, after: string | null): void;
  unsubscribe(id: string): void;
  /**
   * Appends `envelope` to conversation `id`: resolves with the stored id once the server acknowledged
   * it (it acknowledges only what it has stored); while the socket is down the send waits and goes
   * again with the same client id (the server deduplicates). Rejects with the server's error code.
   */
  send(id: string, envelope: Envelope): Promise<{ id: MessageId; at: number }>;
  typing(id: string): void;
  close(): void;
}

/** Told when the socket is up (said hello, got ready) and when it is down (closed, reconnecting). */
export type SocketStatus = (up: boolean) => void;

interface PendingSend {
  readonly c: string;
  readonly e: Envelope;
  readonly resolve: (stored: { id: MessageId; at: number }) => void;
  readonly reject: (error: Error) => void;
}

export function createResponderSocket(
  win: Window,
  onFrame: (frame: ServerFrame) => void,
  lastIdOf: (id: string) => string | null,
  onStatus: SocketStatus = () => undefined,
): ResponderSocket {
  const subscriptions = new Set<string>();
  /** Sends not yet acknowledged, by client id, in the order they were made. */
  const pending = new Map<string, PendingSend>();
  let socket: WebSocket | null = null;
  let ready = false;
  let closed = false;
  let retry = 500;
  const url = `${win.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${win.location.host}${SOCKET_PATH}`;

  const send = (frame: ClientFrame) => {
    if (socket !== null && ready) socket.send(JSON.stringify(frame));
  };
  let resend: number | null = null;
  const settle = (frame: ServerFrame) => {
    if (frame.t === 'error' && frame.code === 'socket_rate_limited' && resend === null) {
      // A frame over the socket's rate is dropped unanswered: send what waits again a little later
      // (the same client ids, so what did get through is only acknowledged again).
      resend = win.setTimeout(() => {
        resend = null;
        for (const [, p] of pending) send({ t: 'send', c: p.c, e: p.e });
      }, 1_000);
    } else if (frame.t === 'ack') {
      // The ack carries no time: this tab's clock when it came (the entry's `at` comes with a replay).
      pending.get(frame.cid)?.resolve({ id: frame.id as MessageId, at: Date.now() });
      pending.delete(frame.cid);
    } else if (frame.t === 'error' && frame.cid !== undefined && pending.has(frame.cid)) {
      pending.get(frame.cid)?.reject(new ApiRequestError(0, frame.code, frame.message, null));
      pending.delete(frame.cid);
    }
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
        // Subscriptions first: a resent message then gets its ack in its place in the stream.
        for (const id of subscriptions) send({ t: 'sub', c: id, after: lastIdOf(id) });
        for (const [, p] of pending) send({ t: 'send', c: p.c, e: p.e });
        onStatus(true);
      }
      settle(frame);
      onFrame(frame);
    };
    ws.onclose = () => {
      const wasReady = ready;
      ready = false;
      if (socket === ws) socket = null;
      if (wasReady) onStatus(false);
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
    send(id, envelope) {
      if (closed) return Promise.reject(new Error('socket closed'));
      return new Promise((resolve, reject) => {
        pending.set(envelope.cid, { c: id, e: envelope, resolve, reject });
        send({ t: 'send', c: id, e: envelope });
      });
    },
    typing(id) {
      send({ t: 'typing', c: id });
    },
    close() {
      closed = true;
      for (const [, p] of pending) p.reject(new Error('socket closed'));
      pending.clear();
      socket?.close();
    },
  };
}
