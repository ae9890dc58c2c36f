// Fixed-window request counters per hashed client, in memory only; windows reset with the salt.
import type { MiddlewareHandler } from 'hono';
import { ApiError, ErrorCode } from '../errors.js';
import type { ClientKeyer } from './client-key.js';

export interface RateLimiter {
  /** Counts one hit in `bucket`; throws ApiError rate_limited past `limit` in the window. */
  hit(bucket: string, clientKey: string, limit: number): void;
}

export function createRateLimiter(keyer: ClientKeyer, windowSeconds: number): RateLimiter {
  let epoch = keyer.epoch();
  let counts = new Map<string, number>();
  return {
    hit(bucket, clientKey, limit) {
      const now = keyer.epoch();
      if (now !== epoch) {
        epoch = now;
        counts = new Map();
      }
      const key = `${bucket}:${clientKey}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      if (n > limit) throw new ApiError(ErrorCode.RateLimited, undefined, windowSeconds);
    },
  };
}

/** Middleware limiting every request of a client to `limit` per window. */
export function rateLimit(limiter: RateLimiter, keyer: ClientKeyer, bucket: string, limit: number): MiddlewareHandler {
  return async function rateLimit(c, next) {
    limiter.hit(bucket, keyer.keyOf(c), limit);
    await next();
  };
}
