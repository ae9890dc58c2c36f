// Turns a client address into a salted, rotating hash that lives in memory only (invariant 3).
// The address itself is never stored, logged or kept past this function.
import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Clock } from '../clock.js';
import { clientNetwork } from './client-network.js';

export interface ClientKeyer {
  /** Hash of the caller's address (IPv6: its /64) under the current salt; changes when the salt rotates. */
  keyOf(c: Context): string;
  /** Epoch number of the current salt; rate-limit windows reset when it changes. */
  epoch(): number;
}

export function createClientKeyer(options: { clock: Clock; rotateMs: number; trustProxy: boolean }): ClientKeyer {
  let epoch = -1;
  let salt = Buffer.alloc(0);
  const rotate = () => {
    const now = Math.floor(options.clock.now() / options.rotateMs);
    if (now !== epoch) {
      epoch = now;
      salt = randomBytes(32);
    }
  };
  return {
    keyOf(c) {
      rotate();
      return createHmac('sha256', salt).update(clientNetwork(addressOf(c, options.trustProxy))).digest('base64url').slice(0, 22);
    },
    epoch() {
      rotate();
      return epoch;
    },
  };
}

function addressOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    // The proxy appends the address it saw; the last hop is the one our proxy vouches for.
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last !== undefined && last !== '') return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket: every caller shares one bucket.
    return 'local';
  }
}
