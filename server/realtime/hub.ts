// Per-instance fan-out: one store subscription per topic (conversation, team) however many sockets
// listen to it. Each event is decoded once (by the event bus) and turned into what a socket sends
// once (here), so a socket's listener does no work per event beyond its own checks and the send.
import type { ConversationEvent, EventBus, Unsubscribe } from '../events/events.js';
import type { ConversationId, MessageId, Sender, TeamId } from '../store/ports.js';
import { teamFrame } from './team-frames.js';

/** A live message as every local socket of its conversation gets it. */
export interface LiveMessage {
  readonly t: 'live';
  readonly id: MessageId;
  readonly cid: string;
  readonly from: Sender;
  /** The msg frame, the same for every socket: bytes when the event came as bytes (see msgFrame). */
  readonly frame: string | Buffer;
}

/** A conversation event as a socket's listener gets it. */
export type HubConversationEvent = LiveMessage | Exclude<ConversationEvent, { t: 'msg' }>;

export interface Hub {
  /** Adds a listener; resolves once the store subscription is live. Returns its remover. */
  listenConversation(id: ConversationId, listener: (event: HubConversationEvent) => void): Promise<() => Promise<void>>;
  /** Adds a listener of a team's change frames (already encoded); resolves once live. Returns its remover. */
  listenTeam(team: TeamId, listener: (frame: string) => void): Promise<() => Promise<void>>;
  /** Topics with at least one listener (for metrics and tests). */
  channelCount(): number;
}

interface Topic<T> {
  readonly listeners: Set<(value: T) => void>;
  readonly ready: Promise<Unsubscribe>;
}

/**
 * `{"t":"msg","c":…,"e":<entry>}` from the conversation's frame head and the entry as published:
 * concatenated when it came as a string; as bytes when it came as bytes (one copy, no decoding of the
 * entry to a string and encoding it again for each socket's write). The head is ASCII (a validated id).
 */
function msgFrame(head: string, entry: string | Buffer): string | Buffer {
  if (typeof entry === 'string') return `${head}${entry}}`;
  const frame = Buffer.allocUnsafe(head.length + entry.length + 1);
  frame.write(head, 0, 'latin1');
  entry.copy(frame, head.length);
  frame[frame.length - 1] = 0x7d; // }
  return frame;
}

export function createHub(events: EventBus): Hub {
  const topics = new Map<string, Topic<never>>();

  /** One subscription per topic key; `subscribe` is called with the fan-out for the first listener. */
  async function listen<T>(key: string, subscribe: (fanOut: (value: T) => void) => Promise<Unsubscribe>, listener: (value: T) => void) {
    let topic = topics.get(key) as Topic<T> | undefined;
    if (topic === undefined) {
      const listeners = new Set<(value: T) => void>();
      const ready = subscribe((value) => {
        for (const l of listeners) l(value);
      });
      topic = { listeners, ready };
      topics.set(key, topic as unknown as Topic<never>);
    }
    topic.listeners.add(listener);
    const current = topic;
    await current.ready;
    return async () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && topics.get(key) === (current as unknown as Topic<never>)) {
        topics.delete(key);
        await (await current.ready)();
      }
    };
  }

  return {
    listenConversation: (id, listener) =>
      listen<HubConversationEvent>(
        `c:${id}`,
        (fanOut) => {
          const head = `{"t":"msg","c":"${id}","e":`;
          return events.onConversation(id, (event) => {
            if (event.t !== 'msg') fanOut(event);
            else fanOut({ t: 'live', id: event.id, cid: event.cid, from: event.from, frame: msgFrame(head, event.entryJson) });
          });
        },
        listener,
      ),
    listenTeam: (team, listener) =>
      listen<string>(
        `t:${team}`,
        (fanOut) =>
          events.onTeam(team, (event) => {
            fanOut(teamFrame(team, event));
          }),
        listener,
      ),
    channelCount: () => topics.size,
  };
}
