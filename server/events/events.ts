// Domain events: what happened to a conversation, to a team's lists (queue, callbacks, duty) or to a
// staff account. The store adapters publish them (atomically with the change where the change is a
// conversation's own: append, claim, transfer, close, erase; duty changes), the conversation service
// publishes what follows a queue step, and the realtime layer subscribes. Their JSON form on pub/sub
// is defined here only: the Redis adapter's Lua scripts are generated from this module's layouts of
// the events they publish (msg, state), and the store contract suite reads what they publish with
// `decodeConversationEvent`.
//
// Events carry ids and list metadata only (what the queue listing shows), never ciphertext beyond a
// message's own envelope, never plaintext.
import type { Category } from '../../contract/categories.js';
import type { ConversationId, MessageId, ResponderId, TeamId } from '../../contract/ids.js';
import type { ConversationStatus, LogEntry, Sender } from '../../contract/messages.js';

/** On a conversation's topic (one per conversation). */
export type ConversationEvent =
  /** A message was appended to the log (published only once it is stored). */
  | { readonly t: 'msg'; readonly entry: LogEntry }
  /** Claimed, transferred or closed: the conversation's status and handshake session now. */
  | { readonly t: 'state'; readonly status: ConversationStatus; readonly session: number }
  | { readonly t: 'typing'; readonly from: Sender }
  /** "Delete now": everything of the conversation is gone. */
  | { readonly t: 'erased' }
  | ResyncEvent;

/**
 * On a team's topic: a change to what the team's consoles list. `c` and `category` are what the queue
 * listing shows anyway.
 */
export type TeamEvent =
  /** Entered the team's queue: opened, transferred to the team, a callback put back after "not reached". */
  | { readonly t: 'queued'; readonly c: ConversationId; readonly category: Category; readonly danger: boolean }
  /** Left the queue to a responder: a claim or an auto-assignment. */
  | { readonly t: 'claimed'; readonly c: ConversationId; readonly category: Category }
  /** Handed from one responder to another of the team (the receiver's list of own conversations changed). */
  | { readonly t: 'transferred'; readonly c: ConversationId; readonly category: Category }
  /** Left the queue closed (the visitor left before anyone took it). */
  | { readonly t: 'closed'; readonly c: ConversationId; readonly category: Category }
  /** Left the queue because the young person has gone (no socket for the grace time; visitor-presence.ts). */
  | { readonly t: 'gone'; readonly c: ConversationId; readonly category: Category }
  /** The young person of a taken conversation has gone, or has come back (its responder's load and the console's "has left" line change). */
  | { readonly t: 'presence'; readonly c: ConversationId; readonly category: Category; readonly gone: boolean }
  /** Left the queue erased ("delete now", or a callback marked done). */
  | { readonly t: 'erased'; readonly c: ConversationId; readonly category: Category }
  /** Someone of the team went on or off duty. */
  | { readonly t: 'duty' }
  | ResyncEvent;

/** On the one staff topic of the deployment. */
export type StaffEvent =
  /** The responder was deactivated: every instance closes its sockets. */
  | { readonly t: 'deactivated'; readonly responder: ResponderId }
  | ResyncEvent;

/**
 * Emitted by an adapter (never published) when its subscription was interrupted, e.g. a Redis
 * reconnect: events may have been missed, so listeners read again what they follow (a conversation
 * replays its log after the last id; a console re-reads its lists).
 */
export interface ResyncEvent {
  readonly t: 'resync';
}

/**
 * A published event as a transport hands it over: a string, or its UTF-8 bytes (the Redis adapter on
 * one Redis takes them as they were read, so a message's bytes go to the sockets without being
 * decoded to a string and encoded again).
 */
export type EventPayload = string | Buffer;

/**
 * A `msg` event as a subscriber receives it: the entry's id, cid and sender read from the payload,
 * the entry's JSON kept as published (never parsed on the hot path: the socket frame is built from it).
 */
export interface ReceivedMessage {
  readonly t: 'msg';
  readonly id: MessageId;
  readonly cid: string;
  readonly from: Sender;
  /** The entry exactly as published, a JSON object (bytes when the payload came as bytes: a view, not a copy). */
  readonly entryJson: string | Buffer;
}

/** A conversation event as a subscriber receives it. */
export type ReceivedConversationEvent = ReceivedMessage | Exclude<ConversationEvent, { t: 'msg' }>;

export type Unsubscribe = () => Promise<void>;

/**
 * The events port: publish and subscribe by domain address (a conversation, a team, the staff);
 * channel names stay inside the adapters. A subscription resolves once it is live (events published
 * after that are delivered); each handler gets every event decoded once.
 */
export interface EventBus {
  toConversation(id: ConversationId, event: ConversationEvent): Promise<void>;
  toTeam(team: TeamId, event: TeamEvent): Promise<void>;
  toStaff(event: StaffEvent): Promise<void>;
  onConversation(id: ConversationId, handler: (event: ReceivedConversationEvent) => void): Promise<Unsubscribe>;
  onTeam(team: TeamId, handler: (event: TeamEvent) => void): Promise<Unsubscribe>;
  onStaff(handler: (event: StaffEvent) => void): Promise<Unsubscribe>;
}

/**
 * The wire layout of the events a store writes atomically with its change (a message appended, a
 * state change): literal JSON pieces around the event's fields. `encodeEvent` writes these events
 * from it, and so does an adapter that cannot call it: the Redis adapter's Lua scripts are generated
 * from these layouts (store/redis/scripts.ts), so the encoding is defined here once. Every field is
 * validated to characters JSON does not escape (ids, base64url, enum words, integers), so
 * concatenation is exact; a quoted field sits between `"` pieces.
 */
export type EventLayout<F extends string> = ReadonlyArray<string | { readonly field: F }>;

/** A `msg` event: the entry in LogEntry's field order (id first), which `decodeConversationEvent` reads without parsing. */
export const MSG_EVENT_LAYOUT: EventLayout<keyof LogEntry> = [
  '{"t":"msg","entry":{"id":"',
  { field: 'id' },
  '","from":"',
  { field: 'from' },
  '","session":',
  { field: 'session' },
  ',"cid":"',
  { field: 'cid' },
  '","kind":"',
  { field: 'kind' },
  '","body":"',
  { field: 'body' },
  '","at":',
  { field: 'at' },
  '}}',
];

/** A `state` event (claim, transfer, close). */
export const STATE_EVENT_LAYOUT: EventLayout<'status' | 'session'> = ['{"t":"state","status":"', { field: 'status' }, '","session":', { field: 'session' }, '}'];

function fillLayout<F extends string>(layout: EventLayout<F>, values: Readonly<Record<F, string | number>>): string {
  let out = '';
  for (const piece of layout) out += typeof piece === 'string' ? piece : String(values[piece.field]);
  return out;
}

/** The JSON of an event; `msg` and `state` events in their layouts above. */
export function encodeEvent(event: ConversationEvent | TeamEvent | StaffEvent): string {
  if (event.t === 'msg') return fillLayout(MSG_EVENT_LAYOUT, event.entry);
  if (event.t === 'state') return fillLayout(STATE_EVENT_LAYOUT, event);
  return JSON.stringify(event);
}

/** What adapters hand every subscription after their subscriber connection came back. */
export const RESYNC_PAYLOAD = encodeEvent({ t: 'resync' });

const MSG_PREFIX = '{"t":"msg","entry":';
const ID_PREFIX = `${MSG_PREFIX}{"id":"`;

const ID_PREFIX_BYTES = Buffer.from(ID_PREFIX);

/** `"<field>":"` … `"` of a msg payload's entry (validated fields: no quotes or escapes inside, ASCII only). */
function fieldOf(payload: EventPayload, field: 'cid' | 'from'): string {
  const key = `"${field}":"`;
  const at = payload.indexOf(key, MSG_PREFIX.length);
  if (at < 0) return '';
  const end = payload.indexOf('"', at + key.length);
  return typeof payload === 'string' ? payload.slice(at + key.length, end) : payload.toString('latin1', at + key.length, end);
}

const isMsgPayload = (payload: EventPayload) =>
  typeof payload === 'string'
    ? payload.startsWith(ID_PREFIX)
    : payload.length > ID_PREFIX_BYTES.length && ID_PREFIX_BYTES.compare(payload, 0, ID_PREFIX_BYTES.length) === 0;

/** Reads a conversation topic's payload; a `msg` event only as far as its id, cid and sender. */
export function decodeConversationEvent(payload: EventPayload): ReceivedConversationEvent {
  if (isMsgPayload(payload)) {
    const idEnd = payload.indexOf('"', ID_PREFIX.length);
    return {
      t: 'msg',
      id: (typeof payload === 'string' ? payload.slice(ID_PREFIX.length, idEnd) : payload.toString('latin1', ID_PREFIX.length, idEnd)) as MessageId,
      cid: fieldOf(payload, 'cid'),
      from: fieldOf(payload, 'from') as Sender,
      entryJson: typeof payload === 'string' ? payload.slice(MSG_PREFIX.length, -1) : payload.subarray(MSG_PREFIX.length, payload.length - 1),
    };
  }
  const event = JSON.parse(String(payload)) as ConversationEvent;
  if (event.t !== 'msg') return event;
  // Another layout (not one the adapters publish): read it the slow way.
  const { entry } = event;
  return { t: 'msg', id: entry.id, cid: entry.cid, from: entry.from, entryJson: JSON.stringify(entry) };
}

export function decodeTeamEvent(payload: EventPayload): TeamEvent {
  return JSON.parse(String(payload)) as TeamEvent;
}

export function decodeStaffEvent(payload: EventPayload): StaffEvent {
  return JSON.parse(String(payload)) as StaffEvent;
}
