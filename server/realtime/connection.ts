// One WebSocket connection: authentication, subscriptions with replay-then-live delivery (each
// message exactly once per socket), sends acknowledged after they are stored, typing, errors.
import { compareMessageIds } from '../store/codec.js';
import type { ConversationService } from '../conversations/service.js';
import { ApiError, ErrorCode, isApiError, toApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import type { ConversationEvent, ConversationId, ConversationRecord, MessageId, ResponderRecord, PubSub } from '../store/ports.js';
import type { Hub } from './hub.js';
import { ClientFrame, CloseCode, type ServerFrame } from './protocol.js';

/** The transport as this module needs it. */
export interface Socket {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
}

export interface ConnectionDeps {
  readonly conversations: ConversationService;
  readonly hub: Hub;
  readonly pubsub: PubSub;
  readonly keys: Keys;
  readonly logger: Logger;
  /** A socket with more than this many bytes unsent is closed (1013) and must resume. */
  readonly maxBufferedBytes: number;
  readonly maxFrameChars: number;
  /** Told the code of every error frame sent (metrics); default: nothing. */
  readonly onErrorFrame?: (code: string) => void;
}

interface Subscription {
  last: MessageId | null;
  /**
   * Events held back: during the replay, and while a responder's access is rechecked after a
   * session change; null while delivering live.
   */
  pending: ConversationEvent[] | null;
  session: number;
  stop: () => Promise<void>;
}

const REPLAY_PAGE = 200;
/** How long a replay waits for a reader that makes no room in its send buffer. */
const REPLAY_STALL_MS = 30_000;

export interface Connection {
  onMessage(text: string): Promise<void>;
  onClose(): Promise<void>;
}

/**
 * Creates the handler of one socket. `responder` is set when the upgrade carried a valid session
 * cookie; otherwise the socket is a visitor's and must authenticate with its first frame.
 */
export function createConnection(socket: Socket, responder: ResponderRecord | null, deps: ConnectionDeps): Connection {
  const subs = new Map<ConversationId, Subscription>();
  let visitorConversation: ConversationId | null = null;
  let visitorToken = '';
  let helloDone = false;
  let closed = false;
  let lastTyping = 0;

  const send = (frame: ServerFrame) => {
    if (closed) return;
    if (socket.bufferedAmount() > deps.maxBufferedBytes) {
      closed = true;
      socket.close(CloseCode.TryAgainLater, 'slow consumer: reconnect and resume');
      void stopAll();
      return;
    }
    if (frame.t === 'error') deps.onErrorFrame?.(frame.code);
    socket.send(JSON.stringify(frame));
  };

  const stopAll = async () => {
    const all = [...subs.values()];
    subs.clear();
    await Promise.all(all.map((s) => s.stop()));
  };

  /** Who may read `id` now; throws ApiError otherwise. */
  const authorize = async (id: ConversationId): Promise<ConversationRecord> => {
    if (responder !== null) return deps.conversations.asResponder(id, responder);
    if (visitorConversation !== id) throw new ApiError(ErrorCode.Forbidden);
    return deps.conversations.asVisitor(id, visitorToken);
  };

  const deliver = (id: ConversationId, sub: Subscription, event: ConversationEvent) => {
    switch (event.t) {
      case 'msg':
        if (sub.last !== null && compareMessageIds(event.entry.id, sub.last) <= 0) return;
        sub.last = event.entry.id;
        send({ t: 'msg', c: id, e: event.entry });
        return;
      case 'state':
        send({ t: 'state', c: id, status: event.status, session: event.session });
        if (responder !== null && event.session !== sub.session) {
          // Hold what follows until access is confirmed: after a claim or transfer by someone
          // else, the next responder's messages must not reach this one in the meantime.
          sub.pending ??= [];
          void recheck(id, sub);
        }
        return;
      case 'typing':
        if ((responder === null) === (event.from === 'visitor')) return; // not one's own
        send({ t: 'typing', c: id, from: event.from });
        return;
      case 'erased':
        send({ t: 'erased', c: id });
        void unsubscribe(id, 'conversation_gone');
        return;
      case 'resync':
        // The instance may have missed events: hold live ones, replay the log after the last id.
        sub.pending ??= [];
        void resync(id, sub);
        return;
    }
  };

  /** Re-checks access (a transfer may have happened meanwhile), replays, then goes live again. */
  const resync = async (id: ConversationId, sub: Subscription) => {
    try {
      const record = await authorize(id);
      if (subs.get(id) !== sub) return;
      sub.session = record.session;
      await replay(id, sub);
      if (subs.get(id) === sub) release(id, sub);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError?.code === ErrorCode.StoreUnavailable) {
        // Still reconnecting: the socket cannot be kept consistent; the client resumes elsewhere.
        closed = true;
        socket.close(CloseCode.ServiceRestart, 'store reconnecting: reconnect and resume');
        await stopAll();
      } else if (subs.get(id) === sub) {
        await unsubscribe(id, apiError?.code ?? ErrorCode.Forbidden);
      }
    }
  };

  /** Sends every logged message after `sub.last`, page by page. */
  const replay = async (id: ConversationId, sub: Subscription) => {
    for (;;) {
      const page = await deps.conversations.history(id, sub.last, REPLAY_PAGE);
      for (const entry of page) {
        // A long replay goes at the reader's pace: it must not trip the slow-consumer limit.
        if (socket.bufferedAmount() > deps.maxBufferedBytes / 2 && !(await drained())) return;
        sub.last = entry.id;
        send({ t: 'msg', c: id, e: entry });
      }
      if (page.length < REPLAY_PAGE || closed) return;
    }
  };

  /**
   * Waits until the socket's send buffer is down to a quarter of the limit. False when the socket
   * closed meanwhile or the reader made no room within REPLAY_STALL_MS (then it is closed with 1013).
   */
  const drained = async (): Promise<boolean> => {
    const deadline = Date.now() + REPLAY_STALL_MS;
    while (!closed && socket.bufferedAmount() > deps.maxBufferedBytes / 4) {
      if (Date.now() > deadline) {
        closed = true;
        socket.close(CloseCode.TryAgainLater, 'slow consumer: reconnect and resume');
        await stopAll();
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return !closed;
  };

  /** Delivers the held events; a state event among them may start holding again. */
  const release = (id: ConversationId, sub: Subscription) => {
    const held = sub.pending ?? [];
    sub.pending = null;
    for (const [i, event] of held.entries()) {
      // deliver() may have started holding again (TypeScript cannot see that it sets pending).
      const holding = sub.pending as ConversationEvent[] | null;
      if (holding !== null) {
        holding.push(...held.slice(i));
        return;
      }
      deliver(id, sub, event);
    }
  };

  /** After a claim, transfer or close a responder may have lost access: stop delivering if so. */
  const recheck = async (id: ConversationId, sub: Subscription) => {
    try {
      const record = await authorize(id);
      if (subs.get(id) !== sub) return;
      sub.session = record.session;
      release(id, sub);
    } catch (error) {
      if (subs.get(id) === sub) await unsubscribe(id, isApiError(error) ? error.code : ErrorCode.Forbidden);
    }
  };

  const unsubscribe = async (id: ConversationId, reason: string) => {
    const sub = subs.get(id);
    if (sub === undefined) return;
    subs.delete(id);
    await sub.stop();
    send({ t: 'unsubscribed', c: id, reason });
  };

  const subscribe = async (id: ConversationId, after: MessageId | null) => {
    const record = await authorize(id);
    await subs.get(id)?.stop();
    // The socket may have closed meanwhile: stopAll() has run and would not see a new listener.
    if (closed) return;
    const sub: Subscription = { last: after, pending: [], session: record.session, stop: async () => {} };
    subs.set(id, sub);
    const listening = deps.hub.listen(deps.keys.conversationChannel(id), (payload) => {
      if (subs.get(id) !== sub) return;
      const event = JSON.parse(payload) as ConversationEvent;
      if (sub.pending !== null) sub.pending.push(event);
      else deliver(id, sub, event);
    });
    // stop() may come (close, unsubscribe) before the listener is in place: it waits for it.
    sub.stop = async () => {
      const remove = await listening.catch(() => null);
      await remove?.();
    };
    await listening;
    // Live events are buffered while the log is replayed, then delivered if newer than the replay.
    await replay(id, sub);
    release(id, sub);
    send({ t: 'state', c: id, status: record.status, session: record.session });
    send({ t: 'subscribed', c: id });
  };

  const handle = async (frame: ClientFrame) => {
    if (frame.t === 'ping') return send({ t: 'pong' });
    if (!helloDone) {
      if (frame.t !== 'hello') throw new ApiError(ErrorCode.Unauthorized, 'Say hello first.');
      if (responder === null) {
        if (frame.c === undefined || frame.token === undefined) throw new ApiError(ErrorCode.Unauthorized);
        await deps.conversations.asVisitor(frame.c as ConversationId, frame.token);
        visitorConversation = frame.c as ConversationId;
        visitorToken = frame.token;
      }
      helloDone = true;
      send({ t: 'ready', role: responder === null ? 'visitor' : 'responder' });
      if (visitorConversation !== null) await subscribe(visitorConversation, (frame.after ?? null) as MessageId | null);
      return;
    }
    switch (frame.t) {
      case 'hello':
        throw new ApiError(ErrorCode.InvalidRequest, 'Already authenticated.');
      case 'sub':
        return subscribe(frame.c as ConversationId, frame.after as MessageId | null);
      case 'unsub':
        return unsubscribe(frame.c as ConversationId, 'requested');
      case 'send': {
        const id = frame.c as ConversationId;
        try {
          const record = await authorize(id);
          const { entry, duplicate } =
            responder === null
              ? await deps.conversations.postAsVisitor(record, frame.e)
              : await deps.conversations.postAsResponder(record, responder, frame.e);
          send({ t: 'ack', c: id, cid: frame.e.cid, id: entry.id, dup: duplicate });
        } catch (error) {
          const apiError = toApiError(error);
          if (apiError === null) throw error;
          send({ t: 'error', code: apiError.code, message: apiError.message, c: id, cid: frame.e.cid });
        }
        return;
      }
      case 'typing': {
        const id = frame.c as ConversationId;
        const now = Date.now();
        if (!subs.has(id) || now - lastTyping < 1000) return;
        lastTyping = now;
        const event: ConversationEvent = { t: 'typing', from: responder === null ? 'visitor' : 'responder' };
        await deps.pubsub.publish(deps.keys.conversationChannel(id), JSON.stringify(event));
        return;
      }
    }
  };

  // Frames of one socket are handled one after another, in arrival order: a send right behind the
  // hello must find the hello done, and pipelined sends are stored in the order they were sent.
  let queue: Promise<void> = Promise.resolve();

  return {
    onMessage(text) {
      const run = queue.then(() => onFrame(text));
      queue = run.catch(() => undefined);
      return run;
    },
    async onClose() {
      closed = true;
      await stopAll();
    },
  };

  async function onFrame(text: string): Promise<void> {
    if (closed) return;
    if (text.length > deps.maxFrameChars) {
      closed = true;
      socket.close(CloseCode.TooBig, 'frame too large');
      await stopAll();
      return;
    }
    let frame: ClientFrame;
    try {
      const parsed = ClientFrame.safeParse(JSON.parse(text));
      if (!parsed.success) {
        send({ t: 'error', code: ErrorCode.InvalidRequest, message: 'Invalid frame.' });
        return;
      }
      frame = parsed.data;
    } catch {
      send({ t: 'error', code: ErrorCode.InvalidJson, message: 'The frame is not valid JSON.' });
      return;
    }
    try {
      await handle(frame);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError !== null) {
        send({ t: 'error', code: apiError.code, message: apiError.message, ...('c' in frame ? { c: frame.c } : {}) });
        if (!helloDone) {
          closed = true;
          socket.close(CloseCode.PolicyViolation, apiError.code);
        }
        return;
      }
      deps.logger.error({ err: error instanceof Error ? error.name : 'unknown', frame: frame.t }, 'websocket handler failed');
      send({ t: 'error', code: ErrorCode.Internal, message: 'Something went wrong on our side.' });
    }
  }
}
