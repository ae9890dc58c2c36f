// The Redis adapter's pub/sub multiplexer over a scripted transport: between an interruption of the
// subscriptions and their resync, live messages are held back, so one arriving on a channel renewed
// early cannot move a reader's last id past messages published while it was away.
import { describe, expect, it } from 'vitest';
import type { PubSubTransport } from './connect.js';
import { RESYNC_PAYLOAD } from '../../events/events.js';
import { createRedisPubSub } from './redis-store.js';

function scriptedTransport() {
  const listeners = new Map<string, (message: string) => void>();
  const resubscribed: Array<() => void> = [];
  const interrupted: Array<() => void> = [];
  const transport: PubSubTransport = {
    publish: async () => undefined,
    subscribe: async (channel, listener) => {
      listeners.set(channel, listener);
    },
    unsubscribe: async (channel) => {
      listeners.delete(channel);
    },
    onResubscribed: (cb) => resubscribed.push(cb),
    onInterrupted: (cb) => interrupted.push(cb),
  };
  return {
    transport,
    deliver: (channel: string, message: string) => listeners.get(channel)?.(message),
    interrupt: () => interrupted.forEach((cb) => cb()),
    resubscribe: () => resubscribed.forEach((cb) => cb()),
  };
}

describe('Redis pub/sub multiplexer', () => {
  it('holds live messages back from an interruption until the resync, then delivers again', async () => {
    const redis = scriptedTransport();
    const pubsub = createRedisPubSub(redis.transport, (error) => {
      throw error;
    });
    const seen: string[] = [];
    await pubsub.subscribe('conv:{a}', (payload) => seen.push(String(payload)));

    redis.deliver('conv:{a}', 'm1');
    redis.interrupt();
    // Published while the subscription was being renewed: the replay after the resync brings it.
    redis.deliver('conv:{a}', 'm2');
    expect(seen).toEqual(['m1']);
    redis.resubscribe();
    redis.deliver('conv:{a}', 'm3');
    expect(seen).toEqual(['m1', RESYNC_PAYLOAD, 'm3']);
  });

  it('delivers every message while nothing is interrupted, to every handler of the channel', async () => {
    const redis = scriptedTransport();
    const pubsub = createRedisPubSub(redis.transport, (error) => {
      throw error;
    });
    const a: string[] = [];
    const b: string[] = [];
    await pubsub.subscribe('conv:{a}', (payload) => a.push(String(payload)));
    const stopB = await pubsub.subscribe('conv:{a}', (payload) => b.push(String(payload)));
    redis.deliver('conv:{a}', 'm1');
    await stopB();
    redis.deliver('conv:{a}', 'm2');
    expect(a).toEqual(['m1', 'm2']);
    expect(b).toEqual(['m1']);
  });
});
