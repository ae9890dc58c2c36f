// Abuse budgets of the socket layer: a token bucket for frames per socket (a rate with a burst), the
// hello deadline, and a token bucket per conversation shared by all its visitor sockets on this
// instance (so several sockets cannot multiply the per-socket rate). Pure objects over an injected
// clock; connection.ts asks them before it parses a frame.

/** What one socket may do (server/config.ts: WS_FRAMES_PER_SECOND, WS_FRAME_BURST, WS_HELLO_TIMEOUT_SECONDS). */
export interface SocketBudgetPolicy {
  /** Frames per second a socket may send on average. */
  readonly framesPerSecond: number;
  /** Frames a socket may send at once after being idle (the bucket's size). */
  readonly frameBurst: number;
  /** Milliseconds a socket has to say hello before it is closed (1008, hello_timeout). */
  readonly helloTimeoutMs: number;
}

export const DEFAULT_SOCKET_BUDGET: SocketBudgetPolicy = { framesPerSecond: 20, frameBurst: 40, helloTimeoutMs: 5_000 };

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`, one taken per event. `now` is in ms
 * (injected, so tests move time by hand).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` tokens if there are enough (true), else takes none (false). */
  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Whether the bucket is full again (a fresh bucket would be the same). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill() {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
      this.last = t;
    }
  }
}

/**
 * What the visitor sockets of one conversation may send together, per instance (server/config.ts:
 * WS_CONVERSATION_FRAMES_PER_SECOND, WS_CONVERSATION_FRAME_BURST).
 */
export interface ConversationBudgetPolicy {
  readonly framesPerSecond: number;
  readonly frameBurst: number;
}

export const DEFAULT_CONVERSATION_BUDGET: ConversationBudgetPolicy = { framesPerSecond: 30, frameBurst: 60 };

interface ConversationEntry {
  readonly bucket: TokenBucket;
  sockets: number;
}

/**
 * The per-conversation frame buckets of this instance, in memory: no store round trip per frame (a
 * visitor whose sockets a load balancer spreads over k instances gets at most k times the rate; the
 * byte budgets in the store bound the total). A visitor socket joins its conversation after hello
 * and leaves on close; an entry without sockets is dropped once its bucket is full again (dropping
 * it earlier would hand a reconnecting flood a fresh burst), at the latest when the map has doubled.
 */
export class ConversationFrameBudgets {
  private readonly entries = new Map<string, ConversationEntry>();
  private sweepAt = 1024;

  constructor(
    private readonly policy: ConversationBudgetPolicy,
    private readonly now: () => number,
  ) {}

  /** A visitor socket of conversation `id` said hello: the bucket it shares with the others. */
  join(id: string): TokenBucket {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      if (this.entries.size >= this.sweepAt) this.sweep();
      entry = { bucket: new TokenBucket(this.policy.framesPerSecond, this.policy.frameBurst, this.now), sockets: 0 };
      this.entries.set(id, entry);
    }
    entry.sockets += 1;
    return entry.bucket;
  }

  /** The socket closed. */
  leave(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    entry.sockets -= 1;
    if (entry.sockets <= 0 && entry.bucket.isFull()) this.entries.delete(id);
  }

  /** Conversations with a bucket in memory (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }

  private sweep() {
    for (const [id, entry] of this.entries) if (entry.sockets <= 0 && entry.bucket.isFull()) this.entries.delete(id);
    this.sweepAt = Math.max(1024, 2 * this.entries.size);
  }
}

/** What the connection does with a frame that arrived: handle it, drop it quietly, refuse it (error frame), or close the socket. */
export type FrameVerdict = 'ok' | 'refuse' | 'drop' | 'close';

/**
 * One socket's frame budget. Over the rate, the first refused frame gets an error frame (so the
 * client can say why) and the next ones are dropped without an answer (no reply amplification);
 * a socket that keeps sending past twice its burst of refused frames in a row is closed.
 */
export class SocketFrameBudget {
  private readonly bucket: TokenBucket;
  private refusedInARow = 0;

  constructor(
    private readonly policy: SocketBudgetPolicy,
    now: () => number,
  ) {
    this.bucket = new TokenBucket(policy.framesPerSecond, policy.frameBurst, now);
  }

  /** The verdict on one arriving frame. */
  onFrame(): FrameVerdict {
    if (this.bucket.take()) {
      this.refusedInARow = 0;
      return 'ok';
    }
    this.refusedInARow += 1;
    if (this.refusedInARow > 2 * this.policy.frameBurst) return 'close';
    return this.refusedInARow === 1 ? 'refuse' : 'drop';
  }
}
