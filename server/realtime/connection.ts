// One WebSocket connection: authentication, subscriptions with replay-then-live delivery (each
// message exactly once per socket), sends acknowledged after they are stored, typing, errors.
import type { ConversationService } from '../conversations/service.js';
import { ApiError, ErrorCode, isApiError, toApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EventBus } from '../events/events.js';
import type { ConversationId, ConversationRecord, MessageId, ResponderRecord } from '../store/ports.js';
import { DEFAULT_SOCKET_BUDGET, SocketFrameBudget, type ConversationFrameBudgets, type SocketBudgetPolicy, type TokenBucket } from './budgets.js';
import type { Hub, HubConversationEvent } from './hub.js';
import { isAfter } from './message-order.js';
import { ClientFrameSchema } from '../../contract/frame-schema.js';
import { CloseCode, type ClientFrame, type ServerFrame } from '../../contract/frames.js';
import { fastSendFrame } from './protocol.js';

/** The transport as this module needs it. */
export interface Socket {
  /** Sends a text frame (bytes: its UTF-8 encoding). */
  send(text: string | Buffer): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
}

export interface ConnectionDeps {
  readonly conversations: ConversationService;
  readonly hub: Hub;
  /** Where typing is published (everything else a socket sends goes through the conversation service). */
  readonly events: EventBus;
  readonly logger: Logger;
  /** A socket with more than this many bytes unsent is closed (1013) and must resume. */
  readonly maxBufferedBytes: number;
  readonly maxFrameChars: number;
  /** Told the code of every error frame sent (metrics); default: nothing. */
  readonly onErrorFrame?: (code: string) => void;
  /** Frame rate and hello deadline of one socket (budgets.ts); default DEFAULT_SOCKET_BUDGET. */
  readonly budget?: SocketBudgetPolicy;
  /** The frame buckets a conversation's visitor sockets share on this instance (budgets.ts); default: none. */
  readonly conversationBudgets?: ConversationFrameBudgets;
  /** Told when a visitor socket says hello and when it closes (the young person still there, or gone: visitor-presence.ts). */
  readonly presence?: { arrived(id: ConversationId): Promise<void>; left(id: ConversationId): Promise<void> };
  /** Milliseconds since the epoch (the budgets' clock); default Date.now. */
  readonly now?: () => number;
}

interface Subscription {
  last: MessageId | null;
  /**
   * Events held back: during the replay, and while a responder's access is rechecked after a
   * session change; null while delivering live.
   */
  pending: Incoming[] | null;
  session: number;
  /**
   * The record access was last checked against: sends while delivering live use it instead of a
   * store read. Kept current by the conversation's own events (state: claim, transfer, close;
   * erased ends the subscription; resync and session changes recheck with the store first).
   */
  record: ConversationRecord;
  stop: () => Promise<void>;
}

/** An event as a subscription holds it: a live message (its frame built once by the hub), or another event. */
type Incoming = HubConversationEvent;

/** The ack of a stored message; cid and id are validated (no characters that need escaping). */
function ackFrame(c: ConversationId, cid: string, id: string, dup: boolean): string {
  return `{"t":"ack","c":"${c}","cid":"${cid}","id":"${id}","dup":${dup}}`;
}

/**
 * A send from this socket waiting for its ack. The ack of a stored message goes in the message's
 * place in this socket's stream, instead of a copy of the message (the client holds its plaintext):
 * everything before it in the log has been sent to the socket by then, so the client may resume
 * after the ack's id exactly as after a message's.
 */
interface OwedAck {
  readonly c: ConversationId;
  readonly sub: Subscription;
  /** Known once the append returned; null while it runs. */
  id: MessageId | null;
}

const REPLAY_PAGE = 200;
/** How long a replay waits for a reader that makes no room in its send buffer. */
const REPLAY_STALL_MS = 30_000;

export interface Connection {
  onMessage(text: string): Promise<void>;
  /** A binary frame: counted against the budget like any frame, answered with an error. */
  onBinary(): void;
  onClose(): Promise<void>;
}

/**
 * Creates the handler of one socket. `responder` is set when the upgrade carried a valid session
 * cookie; otherwise the socket is a visitor's and must authenticate with its first frame.
 */
export function createConnection(socket: Socket, responder: ResponderRecord | null, deps: ConnectionDeps): Connection {
  return new SocketConnection(socket, responder, deps);
}

/**
 * One socket's state and handlers as a class: the methods live once on the prototype, so an idle
 * socket holds only these fields (no closure per handler and socket).
 */
class SocketConnection implements Connection {
  private readonly subs = new Map<ConversationId, Subscription>();
  /** A responder's subscriptions to its teams' change frames (removers), from hello on. */
  private teamListeners: Array<Promise<(() => Promise<void>) | null>> = [];
  private visitorConversation: ConversationId | null = null;
  private visitorToken = '';
  private helloDone = false;
  private helloSeen = false;
  private closed = false;
  private readonly frameBudget: SocketFrameBudget;
  /** The visitor's conversation's shared bucket, after hello (null for responders and before hello). */
  private conversationBucket: TokenBucket | null = null;
  private conversationRefused = false;
  /** This visitor socket told presence it arrived (and tells it when it closes). */
  private present = false;
  private helloTimer: ReturnType<typeof setTimeout> | null;
  private lastTyping = 0;
  /** Sends whose ack goes in the message's place in the stream, by client id (see OwedAck). */
  private owed: Map<string, OwedAck> | null = null;
  // Frames of one socket are handled one after another, in arrival order: a send right behind the
  // hello must find the hello done, and pipelined sends are stored in the order they were sent.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly responder: ResponderRecord | null,
    private readonly deps: ConnectionDeps,
  ) {
    const budget = deps.budget ?? DEFAULT_SOCKET_BUDGET;
    this.frameBudget = new SocketFrameBudget(budget, deps.now ?? Date.now);
    // A socket that never says hello must not hold a connection (and a place in memory) for ever.
    this.helloTimer = setTimeout(() => this.helloTimedOut(), budget.helloTimeoutMs);
    this.helloTimer.unref?.();
  }

  private helloTimedOut() {
    this.helloTimer = null;
    if (this.helloSeen || this.closed) return;
    this.send({ t: 'error', code: ErrorCode.HelloTimeout, message: 'Say hello first.' });
    this.closed = true;
    this.socket.close(CloseCode.PolicyViolation, ErrorCode.HelloTimeout);
  }

  onMessage(text: string): Promise<void> {
    // The budget is spent on arrival, before the frame is parsed or queued.
    const verdict = this.frameBudget.onFrame();
    if (verdict !== 'ok') return this.overBudget(verdict);
    if (this.conversationBucket !== null && !this.overConversationBudget()) return Promise.resolve();
    const run = this.queue.then(() => this.onFrame(text));
    this.queue = run.catch(() => undefined);
    return run;
  }

  onBinary(): void {
    const verdict = this.frameBudget.onFrame();
    if (verdict !== 'ok') void this.overBudget(verdict);
    else this.send({ t: 'error', code: ErrorCode.InvalidRequest, message: 'Send JSON text frames.' });
  }

  /** A frame past the socket's rate: answered once, then dropped; a socket that keeps on is closed (1013: reconnect slower). */
  private async overBudget(verdict: 'refuse' | 'drop' | 'close') {
    if (verdict === 'refuse') this.send({ t: 'error', code: ErrorCode.SocketRateLimited, message: 'Too many frames; slow down.' });
    if (verdict !== 'close' || this.closed) return;
    this.closed = true;
    this.socket.close(CloseCode.TryAgainLater, ErrorCode.SocketRateLimited);
    await this.stopAll();
  }

  /**
   * Takes the frame from the bucket the conversation's visitor sockets share. Past it the frame is
   * refused once per run with an error frame (the widget says why), then dropped; the socket stays
   * open (its own budget closes a socket that floods).
   */
  private overConversationBudget(): boolean {
    if ((this.conversationBucket as TokenBucket).take()) {
      this.conversationRefused = false;
      return true;
    }
    if (!this.conversationRefused) {
      this.conversationRefused = true;
      this.send({ t: 'error', code: ErrorCode.ConversationFrameRateLimited, message: 'Too many frames in this conversation; slow down.', ...(this.visitorConversation === null ? {} : { c: this.visitorConversation }) });
    }
    return false;
  }

  async onClose(): Promise<void> {
    if (this.helloTimer !== null) clearTimeout(this.helloTimer);
    if (this.conversationBucket !== null && this.visitorConversation !== null) this.deps.conversationBudgets?.leave(this.visitorConversation);
    this.conversationBucket = null;
    this.closed = true;
    if (this.present && this.visitorConversation !== null) {
      this.present = false;
      // The store may be away: the young person then stays "there" until a later socket says otherwise.
      await this.deps.presence?.left(this.visitorConversation).catch(() => undefined);
    }
    await this.stopAll();
  }

  /** Sends an encoded frame unless the socket is closed or over its buffer limit (then closes it: 1013). */
  private sendText(text: string | Buffer) {
    if (this.closed) return;
    if (this.socket.bufferedAmount() > this.deps.maxBufferedBytes) {
      this.closed = true;
      this.socket.close(CloseCode.TryAgainLater, 'slow consumer: reconnect and resume');
      void this.stopAll();
      return;
    }
    this.socket.send(text);
  }

  private send(frame: ServerFrame) {
    if (this.closed) return;
    if (frame.t === 'error') this.deps.onErrorFrame?.(frame.code);
    this.sendText(JSON.stringify(frame));
  }

  private async stopAll() {
    const all = [...this.subs.values()];
    this.subs.clear();
    const teams = this.teamListeners;
    this.teamListeners = [];
    await Promise.all([...all.map((s) => s.stop()), ...teams.map(async (t) => (await t)?.())]);
  }

  /**
   * A responder's socket follows the teams of its record (the responder's own teams only): each team
   * event arrives as one prebuilt frame naming the list to read again (team-frames.ts).
   */
  private async followTeams(responder: ResponderRecord) {
    const send = (frame: string) => this.sendText(frame);
    this.teamListeners = responder.teams.map((team) => this.deps.hub.listenTeam(team, send).catch(() => null));
    await Promise.all(this.teamListeners);
    // Closed meanwhile: stopAll() ran before these were in place.
    if (this.closed) await this.stopAll();
  }

  /** Who may read `id` now; throws ApiError otherwise. */
  private async authorize(id: ConversationId): Promise<ConversationRecord> {
    if (this.responder !== null) return this.deps.conversations.asResponder(id, this.responder);
    if (this.visitorConversation !== id) throw new ApiError(ErrorCode.Forbidden);
    return this.deps.conversations.asVisitor(id, this.visitorToken);
  }

  private deliver(id: ConversationId, sub: Subscription, event: Incoming) {
    switch (event.t) {
      case 'live': {
        if (this.owed !== null && this.ackInStream(id, sub, event.id, event.cid, event.from)) return;
        if (sub.last !== null && !isAfter(event.id, sub.last)) return;
        sub.last = event.id;
        this.sendText(event.frame);
        return;
      }
      case 'state':
        // What sends check (status, session) follows the event; a new session rechecks below.
        sub.record = { ...sub.record, status: event.status, session: event.session };
        this.send({ t: 'state', c: id, status: event.status, session: event.session });
        if (this.responder !== null && event.session !== sub.session) {
          // Hold what follows until access is confirmed: after a claim or transfer by someone
          // else, the next responder's messages must not reach this one in the meantime.
          sub.pending ??= [];
          void this.recheck(id, sub);
        }
        return;
      case 'typing':
        if ((this.responder === null) === (event.from === 'visitor')) return; // not one's own
        this.send({ t: 'typing', c: id, from: event.from });
        return;
      case 'erased':
        this.send({ t: 'erased', c: id });
        void this.unsubscribe(id, 'conversation_gone');
        return;
      case 'resync':
        // The instance may have missed events: hold live ones, replay the log after the last id.
        sub.pending ??= [];
        void this.resync(id, sub);
        return;
    }
  }

  /** This socket's role as a log entry's `from`. */
  private get role(): 'visitor' | 'responder' {
    return this.responder === null ? 'visitor' : 'responder';
  }

  /**
   * When entry `entryId` (`cid`, `from`) is a send of this socket still owed its ack: the ack goes
   * here, in the entry's place, instead of the entry. True when it did.
   */
  private ackInStream(id: ConversationId, sub: Subscription, entryId: MessageId, cid: string, from: string): boolean {
    const owed = this.owed?.get(cid);
    if (owed === undefined || owed.c !== id || from !== this.role) return false;
    this.settleOwed(cid);
    if (sub.last === null || isAfter(entryId, sub.last)) {
      sub.last = entryId;
      this.sendText(ackFrame(id, cid, entryId, false));
    } else {
      // Not after what this stream delivered: a resend of a message the socket already got (or one
      // a live message overtook): acknowledged as a duplicate, which is no position.
      this.sendText(ackFrame(id, cid, entryId, true));
    }
    return true;
  }

  private settleOwed(cid: string) {
    this.owed?.delete(cid);
    if (this.owed?.size === 0) this.owed = null;
  }

  /** Acks still owed for `id` whose append returned, sent now (the subscription ended). */
  private flushOwed(id: ConversationId) {
    for (const [cid, owed] of this.owed ?? []) {
      if (owed.c !== id || owed.id === null) continue;
      this.settleOwed(cid);
      this.sendText(ackFrame(id, cid, owed.id, false));
    }
  }

  /** Re-checks access (a transfer may have happened meanwhile), replays, then goes live again. */
  private async resync(id: ConversationId, sub: Subscription) {
    try {
      const record = await this.authorize(id);
      if (this.subs.get(id) !== sub) return;
      sub.session = record.session;
      sub.record = record;
      await this.replay(id, sub);
      if (this.subs.get(id) === sub) this.release(id, sub);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError?.code === ErrorCode.StoreUnavailable) {
        // Still reconnecting: the socket cannot be kept consistent; the client resumes elsewhere.
        this.closed = true;
        this.socket.close(CloseCode.ServiceRestart, 'store reconnecting: reconnect and resume');
        await this.stopAll();
      } else if (this.subs.get(id) === sub) {
        await this.unsubscribe(id, apiError?.code ?? ErrorCode.Forbidden);
      }
    }
  }

  /** Sends every logged message after `sub.last`, page by page. */
  private async replay(id: ConversationId, sub: Subscription) {
    for (;;) {
      const page = await this.deps.conversations.history(id, sub.last, REPLAY_PAGE);
      for (const entry of page) {
        // A long replay goes at the reader's pace: it must not trip the slow-consumer limit.
        if (this.socket.bufferedAmount() > this.deps.maxBufferedBytes / 2 && !(await this.drained())) return;
        if (this.owed !== null && this.ackInStream(id, sub, entry.id, entry.cid, entry.from)) continue;
        // Two replays of one subscription may overlap (a second resync while the first reads):
        // what one of them sent already is not sent again.
        if (sub.last !== null && !isAfter(entry.id, sub.last)) continue;
        sub.last = entry.id;
        this.send({ t: 'msg', c: id, e: entry });
      }
      if (page.length < REPLAY_PAGE || this.closed) return;
    }
  }

  /**
   * Waits until the socket's send buffer is down to a quarter of the limit. False when the socket
   * closed meanwhile or the reader made no room within REPLAY_STALL_MS (then it is closed with 1013).
   */
  private async drained(): Promise<boolean> {
    const deadline = Date.now() + REPLAY_STALL_MS;
    while (!this.closed && this.socket.bufferedAmount() > this.deps.maxBufferedBytes / 4) {
      if (Date.now() > deadline) {
        this.closed = true;
        this.socket.close(CloseCode.TryAgainLater, 'slow consumer: reconnect and resume');
        await this.stopAll();
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return !this.closed;
  }

  /** Delivers the held events; a state event among them may start holding again. */
  private release(id: ConversationId, sub: Subscription) {
    const held = sub.pending ?? [];
    sub.pending = null;
    for (const [i, event] of held.entries()) {
      // deliver() may have started holding again (TypeScript cannot see that it sets pending).
      const holding = sub.pending as Incoming[] | null;
      if (holding !== null) {
        holding.push(...held.slice(i));
        return;
      }
      this.deliver(id, sub, event);
    }
  }

  /** After a claim, transfer or close a responder may have lost access: stop delivering if so. */
  private async recheck(id: ConversationId, sub: Subscription) {
    try {
      const record = await this.authorize(id);
      if (this.subs.get(id) !== sub) return;
      sub.session = record.session;
      sub.record = record;
      this.release(id, sub);
    } catch (error) {
      if (this.subs.get(id) === sub) await this.unsubscribe(id, isApiError(error) ? error.code : ErrorCode.Forbidden);
    }
  }

  private async unsubscribe(id: ConversationId, reason: string) {
    const sub = this.subs.get(id);
    if (sub === undefined) return;
    this.subs.delete(id);
    this.flushOwed(id);
    await sub.stop();
    this.send({ t: 'unsubscribed', c: id, reason });
  }

  private async subscribe(id: ConversationId, after: MessageId | null) {
    const record = await this.authorize(id);
    await this.subs.get(id)?.stop();
    // The socket may have closed meanwhile: stopAll() has run and would not see a new listener.
    if (this.closed) return;
    const sub: Subscription = { last: after, pending: [], session: record.session, record, stop: async () => {} };
    this.subs.set(id, sub);
    const listening = this.deps.hub.listenConversation(id, (event) => {
      if (this.subs.get(id) !== sub) return;
      if (sub.pending !== null) sub.pending.push(event);
      else this.deliver(id, sub, event);
    });
    // stop() may come (close, unsubscribe) before the listener is in place: it waits for it.
    sub.stop = async () => {
      const remove = await listening.catch(() => null);
      await remove?.();
    };
    await listening;
    // Live events are buffered while the log is replayed, then delivered if newer than the replay.
    await this.replay(id, sub);
    this.release(id, sub);
    this.send({ t: 'state', c: id, status: record.status, session: record.session });
    this.send({ t: 'subscribed', c: id });
  }

  private async handle(frame: ClientFrame) {
    if (!this.helloDone) {
      // Nothing but hello first (not even ping): an unauthenticated socket gets no service.
      if (frame.t !== 'hello') throw new ApiError(ErrorCode.Unauthorized, 'Say hello first.');
      this.helloSeen = true;
      if (this.helloTimer !== null) clearTimeout(this.helloTimer);
      this.helloTimer = null;
      if (this.responder === null) {
        if (frame.c === undefined || frame.token === undefined) throw new ApiError(ErrorCode.Unauthorized);
        await this.deps.conversations.asVisitor(frame.c as ConversationId, frame.token);
        this.visitorConversation = frame.c as ConversationId;
        this.visitorToken = frame.token;
        // A socket closed while the hello was checked never leaves: it must not join either.
        if (!this.closed) this.conversationBucket = this.deps.conversationBudgets?.join(this.visitorConversation) ?? null;
        if (!this.closed && this.deps.presence !== undefined) {
          this.present = true;
          await this.deps.presence.arrived(this.visitorConversation);
        }
      }
      this.helloDone = true;
      if (this.responder !== null) await this.followTeams(this.responder);
      this.send({ t: 'ready', role: this.responder === null ? 'visitor' : 'responder' });
      if (this.visitorConversation !== null) await this.subscribe(this.visitorConversation, (frame.after ?? null) as MessageId | null);
      return;
    }
    switch (frame.t) {
      case 'ping':
        return this.send({ t: 'pong' });
      case 'hello':
        throw new ApiError(ErrorCode.InvalidRequest, 'Already authenticated.');
      case 'sub':
        return this.subscribe(frame.c as ConversationId, frame.after as MessageId | null);
      case 'unsub':
        return this.unsubscribe(frame.c as ConversationId, 'requested');
      case 'send': {
        const id = frame.c as ConversationId;
        const cid = frame.e.cid;
        // Delivering live, the subscription's record is current (see Subscription.record);
        // otherwise (not subscribed, replaying, rechecking) ask the store.
        const sub = this.subs.get(id);
        let owed: OwedAck | null = null;
        try {
          const record = sub !== undefined && sub.pending === null ? sub.record : await this.authorize(id);
          // Subscribed: the ack will take the message's place in the stream (see OwedAck).
          if (sub !== undefined && this.subs.get(id) === sub && !this.owed?.has(cid)) {
            owed = { c: id, sub, id: null };
            (this.owed ??= new Map()).set(cid, owed);
          }
          const { entry, duplicate } =
            this.responder === null
              ? await this.deps.conversations.postAsVisitor(record, frame.e)
              : await this.deps.conversations.postAsResponder(record, this.responder, frame.e);
          if (owed === null) {
            this.sendText(ackFrame(id, cid, entry.id, duplicate));
          } else if (this.owed?.get(cid) === owed) {
            // Still owed: a duplicate is answered now (nothing new is published); a new entry is
            // answered where it arrives, unless the subscription ended meanwhile.
            owed.id = entry.id;
            if (duplicate || this.subs.get(id) !== owed.sub) {
              this.settleOwed(cid);
              this.sendText(ackFrame(id, cid, entry.id, duplicate));
            }
          }
        } catch (error) {
          if (owed !== null && this.owed?.get(cid) === owed) this.settleOwed(cid);
          const apiError = toApiError(error);
          if (apiError === null) throw error;
          this.send({ t: 'error', code: apiError.code, message: apiError.message, c: id, cid });
        }
        return;
      }
      case 'typing': {
        const id = frame.c as ConversationId;
        const now = Date.now();
        if (!this.subs.has(id) || now - this.lastTyping < 1000) return;
        this.lastTyping = now;
        await this.deps.events.toConversation(id, { t: 'typing', from: this.role });
        return;
      }
    }
  }


  private async onFrame(text: string): Promise<void> {
    if (this.closed) return;
    if (text.length > this.deps.maxFrameChars) {
      this.closed = true;
      this.socket.close(CloseCode.TooBig, 'frame too large');
      await this.stopAll();
      return;
    }
    let frame: ClientFrame;
    try {
      const value: unknown = JSON.parse(text);
      const fast = fastSendFrame(value);
      if (fast !== null) frame = fast;
      else {
        const parsed = ClientFrameSchema.safeParse(value);
        if (!parsed.success) {
          this.send({ t: 'error', code: ErrorCode.InvalidRequest, message: 'Invalid frame.' });
          return;
        }
        frame = parsed.data;
      }
    } catch {
      this.send({ t: 'error', code: ErrorCode.InvalidJson, message: 'The frame is not valid JSON.' });
      return;
    }
    try {
      await this.handle(frame);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError !== null) {
        this.send({ t: 'error', code: apiError.code, message: apiError.message, ...('c' in frame ? { c: frame.c } : {}) });
        if (!this.helloDone) {
          this.closed = true;
          this.socket.close(CloseCode.PolicyViolation, apiError.code);
        }
        return;
      }
      this.deps.logger.error({ err: error instanceof Error ? error.name : 'unknown', frame: frame.t }, 'websocket handler failed');
      this.send({ t: 'error', code: ErrorCode.Internal, message: 'Something went wrong on our side.' });
    }
  }
}
