// Per-instance fan-out: one store subscription per channel however many sockets listen to it.
import type { PubSub, Unsubscribe } from '../store/ports.js';

export type Listener = (payload: string) => void;

export interface Hub {
  /** Adds a listener; resolves once the store subscription is live. Returns its remover. */
  listen(channel: string, listener: Listener): Promise<() => Promise<void>>;
  /** Channels with at least one listener (for metrics and tests). */
  channelCount(): number;
}

export function createHub(pubsub: PubSub): Hub {
  const channels = new Map<string, { listeners: Set<Listener>; ready: Promise<Unsubscribe> }>();

  return {
    async listen(channel, listener) {
      let entry = channels.get(channel);
      if (entry === undefined) {
        const listeners = new Set<Listener>();
        const ready = pubsub.subscribe(channel, (payload) => {
          for (const l of listeners) l(payload);
        });
        entry = { listeners, ready };
        channels.set(channel, entry);
      }
      entry.listeners.add(listener);
      const current = entry;
      await current.ready;
      return async () => {
        current.listeners.delete(listener);
        if (current.listeners.size === 0 && channels.get(channel) === current) {
          channels.delete(channel);
          await (await current.ready)();
        }
      };
    },
    channelCount: () => channels.size,
  };
}
