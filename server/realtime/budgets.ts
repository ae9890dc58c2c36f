// Per-socket abuse budgets: a token bucket for frames (a rate with a burst) and the hello deadline.
// Pure objects over an injected clock; connection.ts asks them before it parses a frame.

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
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
      this.last = t;
    }
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
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
