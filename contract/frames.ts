// The WebSocket protocol (/api/v1/ws, JSON text frames): what a client may send, what the server
// sends, and the close codes. Types and constants only; the server validates client frames with
// frame-schema.ts. Described for people in docs/protocol.md, served as /api/websocket.json.
import type { ErrorCode } from './errors.js';
import type { ConversationStatus, Envelope, LogEntry, Sender } from './messages.js';

export const SOCKET_PATH = '/api/v1/ws';
export const SOCKET_VERSION = 1;

/** What a client may send. The first frame of a visitor is `hello` with its conversation and token. */
export type ClientFrame =
  | { t: 'hello'; v: typeof SOCKET_VERSION; c?: string; token?: string; after?: string | null }
  | { t: 'sub'; c: string; after: string | null }
  | { t: 'unsub'; c: string }
  | { t: 'send'; c: string; e: Envelope }
  | { t: 'typing'; c: string }
  | { t: 'ping' };

/**
 * The lists of a team a responder's console shows: a team frame names the one that changed ('resync':
 * events may have been missed, read every list).
 */
export type TeamList = 'queue' | 'callbacks' | 'duty' | 'resync';

/** What the server sends. */
export type ServerFrame =
  | { t: 'ready'; role: Sender }
  /** The replay after `after` is done; live messages follow. */
  | { t: 'subscribed'; c: string }
  | { t: 'msg'; c: string; e: LogEntry }
  /** The message with client id `cid` is stored as `id` (dup: it was stored before). */
  | { t: 'ack'; c: string; cid: string; id: string; dup: boolean }
  | { t: 'state'; c: string; status: ConversationStatus; session: number }
  | { t: 'typing'; c: string; from: Sender }
  | { t: 'erased'; c: string }
  /** Access ended (transfer, close); `reason` is a word such as "transferred". */
  | { t: 'unsubscribed'; c: string; reason: string }
  | { t: 'error'; code: ErrorCode; message: string; c?: string; cid?: string }
  /** To a responder's socket, for its own teams only: that list of the team changed, read it again. */
  | { t: 'team'; team: string; ev: TeamList }
  | { t: 'pong' };

/** Close codes the server uses. */
export const CloseCode = {
  /** Bad first frame or authentication failed. */
  PolicyViolation: 1008,
  /** Frame larger than the body limit. */
  TooBig: 1009,
  /** The server restarts: reconnect (to another instance) and resume from the last id. */
  ServiceRestart: 1012,
  /** The client did not read fast enough: reconnect and resume from the last id. */
  TryAgainLater: 1013,
} as const;
