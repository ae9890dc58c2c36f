// A small Node WebSocket client of /api/v1/ws for tests and the load generator: hello as visitor or
// responder, sub, send awaiting the ack, per-conversation collection of received entries, waits with
// timeouts, and reconnect (to the same or another instance) resuming from the last id seen.
import WebSocket from 'ws';
import type { Envelope, LogEntry } from '../../client/shared/api-client.js';
import type { ClientFrame, ServerFrame } from '../../contract/frames.js';

export type { ClientFrame, ServerFrame };

/** The ack of one stored message. */
export type AckFrame = Extract<ServerFrame, { t: 'ack' }>;
export type ErrorFrame = Extract<ServerFrame, { t: 'error' }>;

export interface WsConnectOptions {
  /** Responder session cookie ("utvag_session=..."), sent on the upgrade. */
  readonly cookie?: string;
  /** Origin header of the upgrade; a responder's cookie counts only with the configured origin. */
  readonly origin?: string;
  /** Extra upgrade headers (e.g. a distinctive user-agent in the security tests). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default timeout of connect and of every wait, in ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Keep every received frame in `frames` (tests). The load generator turns it off. Default true. */
  readonly keepFrames?: boolean;
  /** Called with every frame as it arrives (e.g. to measure latency), before waits are resolved. */
  readonly onFrame?: (frame: ServerFrame) => void;
}

/** The socket closed (or failed) while something was waiting for it. */
export class WsClosedError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`websocket closed (${code}${reason === '' ? '' : ` ${reason}`})`);
    this.name = 'WsClosedError';
  }
}

/** An error frame answered what the client was waiting for. */
export class WsFrameError extends Error {
  constructor(readonly frame: ErrorFrame) {
    super(`websocket error ${frame.code}: ${frame.message}`);
    this.name = 'WsFrameError';
  }
  get code(): string {
    return this.frame.code;
  }
}

export class WsTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`timed out after ${ms} ms waiting for ${what}`);
    this.name = 'WsTimeoutError';
  }
}

/** http(s)://host:port[/...] or ws(s)://... → the ws(s) URL of the endpoint. */
export function wsUrl(base: string): string {
  const url = new URL(base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v1/ws';
  return url.toString();
}

interface Waiter {
  readonly match: (frame: ServerFrame) => boolean;
  /** A frame that makes the wait fail (e.g. an error frame about the same cid); null: none. */
  readonly fail: (frame: ServerFrame) => ErrorFrame | null;
  readonly resolve: (frame: ServerFrame) => void;
  readonly reject: (error: Error) => void;
}

type Role = { readonly kind: 'visitor'; readonly c: string; readonly token: string } | { readonly kind: 'responder' };

export interface WsClient {
  /** The current socket (replaced by reconnect). */
  readonly socket: WebSocket;
  /** Every frame received on every socket of this client, oldest first (when keepFrames). */
  readonly frames: readonly ServerFrame[];
  /** Authenticates as the visitor of `c`; resolves once its replay is done (`subscribed`). */
  helloVisitor(c: string, token: string, after?: string | null): Promise<void>;
  /** Authenticates with the upgrade's cookie; resolves on `ready`. */
  helloResponder(): Promise<void>;
  /** Subscribes (responder); resolves once the replay is done. Default `after`: the last id seen. */
  sub(c: string, after?: string | null): Promise<void>;
  unsub(c: string): Promise<void>;
  /** Sends an envelope and resolves with its ack; rejects on an error frame for its cid or on close. */
  send(c: string, envelope: Envelope): Promise<AckFrame>;
  /** Sends any frame as is (for tests of bad input). */
  sendRaw(frame: ClientFrame | string): void;
  ping(): Promise<void>;
  /** Log entries received for `c` on every socket of this client (own ones at their acks), in arrival order (duplicates kept). */
  messages(c: string): readonly LogEntry[];
  /** The last id received for `c`, or null. */
  lastId(c: string): string | null;
  /** Resolves with the first frame (already received since `sinceIndex`, or future) matching. */
  waitFor<T extends ServerFrame>(match: (frame: ServerFrame) => frame is T, what?: string, timeoutMs?: number, sinceIndex?: number): Promise<T>;
  waitFor(match: (frame: ServerFrame) => boolean, what?: string, timeoutMs?: number, sinceIndex?: number): Promise<ServerFrame>;
  /** Waits until at least `count` entries were received for `c`. */
  waitForMessages(c: string, count: number, timeoutMs?: number): Promise<readonly LogEntry[]>;
  /** Waits until an entry with client id `cid` was received for `c`. */
  waitForCid(c: string, cid: string, timeoutMs?: number): Promise<LogEntry>;
  /** Resolves with the close code and reason of the current socket. */
  closed(): Promise<{ code: number; reason: string }>;
  /**
   * Opens a new socket (to `url`, default the last one; `options` replace the connect options),
   * says hello in the same role and re-subscribes every conversation after its last id seen.
   */
  reconnect(url?: string, options?: WsConnectOptions): Promise<void>;
  close(code?: number): Promise<void>;
}

function parseFrame(data: WebSocket.RawData): ServerFrame {
  return JSON.parse(String(data)) as ServerFrame;
}

/** Opens a socket and resolves once it is open (no hello yet). Rejects on failure or timeout. */
export async function connectWs(url: string, options: WsConnectOptions = {}): Promise<WsClient> {
  let currentUrl = url;
  let currentOptions = options;
  const timeoutOf = (ms?: number) => ms ?? currentOptions.timeoutMs ?? 5_000;
  const frames: ServerFrame[] = [];
  const received = new Map<string, LogEntry[]>();
  const waiters = new Set<Waiter>();
  const subscribed = new Set<string>();
  let role: Role | null = null;
  let socket!: WebSocket;
  let closeInfo: Promise<{ code: number; reason: string }>;

  /** Envelopes sent and not yet acknowledged, by cid. */
  const unacked = new Map<string, Envelope>();
  const record = (c: string, entry: LogEntry) => {
    let list = received.get(c);
    if (list === undefined) received.set(c, (list = []));
    list.push(entry);
  };

  const onFrame = (frame: ServerFrame) => {
    if (currentOptions.keepFrames !== false) frames.push(frame);
    currentOptions.onFrame?.(frame);
    if (frame.t === 'msg') record(frame.c, frame.e as LogEntry);
    if (frame.t === 'ack') {
      // The server sends no copy of one's own message: its ack stands in its place in the stream
      // (a duplicate's ack does not), so the entry is recorded there, as the widget does. The ack
      // does not carry the sender's session number.
      const sent = unacked.get(frame.cid);
      unacked.delete(frame.cid);
      if (sent !== undefined && !frame.dup && role !== null) {
        record(frame.c, { id: frame.id as LogEntry['id'], from: role.kind, session: Number.NaN, cid: sent.cid, kind: sent.kind, body: sent.body } as LogEntry);
      }
    }
    if (frame.t === 'unsubscribed') subscribed.delete(frame.c);
    for (const waiter of [...waiters]) {
      const failure = waiter.fail(frame);
      if (failure !== null) {
        waiters.delete(waiter);
        waiter.reject(new WsFrameError(failure));
      } else if (waiter.match(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
      }
    }
  };

  const open = async () => {
    const ws = new WebSocket(wsUrl(currentUrl), {
      headers: {
        ...(currentOptions.headers ?? {}),
        ...(currentOptions.cookie === undefined ? {} : { cookie: currentOptions.cookie }),
        ...(currentOptions.origin === undefined ? {} : { origin: currentOptions.origin }),
      },
      handshakeTimeout: timeoutOf(),
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      ws.once('error', failed);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket upgrade refused: HTTP ${res.statusCode}`)));
      ws.once('open', () => {
        ws.off('error', failed);
        resolve();
      });
    });
    socket = ws;
    ws.on('error', () => undefined); // reported through 'close'
    closeInfo = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        const info = { code, reason: reason.toString() };
        if (socket === ws) {
          for (const waiter of [...waiters]) {
            waiters.delete(waiter);
            waiter.reject(new WsClosedError(info.code, info.reason));
          }
        }
        resolve(info);
      });
    });
    ws.on('message', (data) => {
      if (socket !== ws) return;
      onFrame(parseFrame(data));
    });
  };

  const wait = (
    match: (frame: ServerFrame) => boolean,
    fail: (frame: ServerFrame) => ErrorFrame | null,
    what: string,
    timeoutMs?: number,
  ): Promise<ServerFrame> => {
    const ms = timeoutOf(timeoutMs);
    return new Promise<ServerFrame>((resolve, reject) => {
      if (socket.readyState !== WebSocket.OPEN) {
        reject(new WsClosedError(1006, 'not open'));
        return;
      }
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new WsTimeoutError(what, ms));
      }, ms);
      const waiter: Waiter = {
        match,
        fail,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.add(waiter);
    });
  };

  const sendFrame = (frame: ClientFrame | string) => {
    socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  };

  const errorAbout = (c: string | undefined) => (frame: ServerFrame) =>
    frame.t === 'error' && (c === undefined || frame.c === undefined || frame.c === c) ? frame : null;

  const subscribeOn = async (c: string, after: string | null) => {
    const done = wait((f) => f.t === 'subscribed' && f.c === c, errorAbout(c), `subscribed ${c}`);
    sendFrame({ t: 'sub', c, after });
    await done;
    subscribed.add(c);
  };

  const helloVisitor = async (c: string, token: string, after: string | null) => {
    const done = wait((f) => f.t === 'subscribed' && f.c === c, errorAbout(undefined), `visitor hello ${c}`);
    sendFrame({ t: 'hello', v: 1, c, token, after });
    await done;
    role = { kind: 'visitor', c, token };
    subscribed.add(c);
  };

  const helloResponder = async () => {
    const done = wait((f) => f.t === 'ready', errorAbout(undefined), 'responder hello');
    sendFrame({ t: 'hello', v: 1 });
    await done;
    role = { kind: 'responder' };
  };

  const lastId = (c: string) => {
    const list = received.get(c);
    return list === undefined || list.length === 0 ? null : list[list.length - 1]!.id;
  };

  function waitFor(match: (frame: ServerFrame) => boolean, what = 'a frame', timeoutMs?: number, sinceIndex?: number): Promise<ServerFrame> {
    const earlier = sinceIndex === undefined ? [] : frames.slice(sinceIndex);
    const found = earlier.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return wait(match, () => null, what, timeoutMs);
  }

  const until = async <T>(check: () => T | undefined, what: string, timeoutMs?: number): Promise<T> => {
    const now = check();
    if (now !== undefined) return now;
    let result: T | undefined;
    await wait(
      () => {
        result = check();
        return result !== undefined;
      },
      () => null,
      what,
      timeoutMs,
    );
    return result as T;
  };

  await open();

  const client: WsClient = {
    get socket() {
      return socket;
    },
    frames,
    helloVisitor: (c, token, after = null) => helloVisitor(c, token, after),
    helloResponder,
    sub: (c, after) => subscribeOn(c, after === undefined ? lastId(c) : after),
    async unsub(c) {
      const done = wait((f) => f.t === 'unsubscribed' && f.c === c, errorAbout(c), `unsubscribed ${c}`);
      sendFrame({ t: 'unsub', c });
      await done;
    },
    async send(c, envelope) {
      const done = wait(
        (f) => f.t === 'ack' && f.c === c && f.cid === envelope.cid,
        (f) => (f.t === 'error' && f.cid === envelope.cid ? f : null),
        `ack of ${envelope.cid}`,
      );
      unacked.set(envelope.cid, envelope);
      sendFrame({ t: 'send', c, e: { cid: envelope.cid, kind: envelope.kind, body: envelope.body } });
      return (await done) as AckFrame;
    },
    sendRaw: sendFrame,
    async ping() {
      const done = wait((f) => f.t === 'pong', () => null, 'pong');
      sendFrame({ t: 'ping' });
      await done;
    },
    messages: (c) => received.get(c) ?? [],
    lastId,
    waitFor: waitFor as WsClient['waitFor'],
    waitForMessages: (c, count, timeoutMs) =>
      until(() => ((received.get(c)?.length ?? 0) >= count ? (received.get(c) ?? []) : undefined), `${count} messages in ${c}`, timeoutMs),
    waitForCid: (c, cid, timeoutMs) => until(() => received.get(c)?.find((e) => e.cid === cid), `message ${cid}`, timeoutMs),
    closed: () => closeInfo,
    async reconnect(url, options) {
      if (url !== undefined) currentUrl = url;
      if (options !== undefined) currentOptions = options;
      const old = socket;
      if (old.readyState === WebSocket.OPEN || old.readyState === WebSocket.CONNECTING) {
        old.close(1000, 'reconnect');
      }
      const toResubscribe = [...subscribed];
      subscribed.clear();
      await open();
      if (role === null) return;
      if (role.kind === 'visitor') {
        await helloVisitor(role.c, role.token, lastId(role.c));
        return;
      }
      await helloResponder();
      for (const c of toResubscribe) await subscribeOn(c, lastId(c));
    },
    async close(code = 1000) {
      if (socket.readyState === WebSocket.CLOSED) return;
      const info = closeInfo;
      socket.close(code);
      await info;
    },
  };
  return client;
}
