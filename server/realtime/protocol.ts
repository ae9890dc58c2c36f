// WebSocket message types (JSON text frames), validated with zod. Documented in docs/websocket.md
// and served beside the OpenAPI document at /api/websocket.json.
import { z } from 'zod';
import { EnvelopeSchema, MAX_BODY_CHARS } from '../routes/schemas.js';
import { ENVELOPE_KINDS } from '../store/ports.js';

const ConvId = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
const MsgId = z.string().regex(/^\d{1,16}-\d{1,16}$/);

/** What a client may send. The first frame of a visitor is `hello` with its conversation and token. */
export const ClientFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), v: z.literal(1), c: ConvId.optional(), token: z.string().max(128).optional(), after: MsgId.nullable().optional() }).strict(),
  z.object({ t: z.literal('sub'), c: ConvId, after: MsgId.nullable() }).strict(),
  z.object({ t: z.literal('unsub'), c: ConvId }).strict(),
  z.object({ t: z.literal('send'), c: ConvId, e: EnvelopeSchema }).strict(),
  z.object({ t: z.literal('typing'), c: ConvId }).strict(),
  z.object({ t: z.literal('ping') }).strict(),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

type SendFrame = Extract<ClientFrame, { t: 'send' }>;

const CONV_ID = /^[A-Za-z0-9_-]{22}$/;
const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KINDS: ReadonlySet<unknown> = new Set(ENVELOPE_KINDS);

/** Own enumerable keys of a parsed JSON object, counted without allocating. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n += 1;
  return n;
}

/**
 * The hot frame checked by hand: a well-formed `send` as it is, anything else null (then
 * ClientFrame decides and answers errors). Accepts only what ClientFrame accepts, so it can only
 * make a valid frame cheaper, never let an invalid one through.
 */
export function fastSendFrame(value: unknown): SendFrame | null {
  if (typeof value !== 'object' || value === null) return null;
  const f = value as { t?: unknown; c?: unknown; e?: unknown };
  if (f.t !== 'send' || typeof f.c !== 'string' || typeof f.e !== 'object' || f.e === null || keyCount(f) !== 3) return null;
  const e = f.e as { cid?: unknown; kind?: unknown; body?: unknown };
  if (typeof e.cid !== 'string' || typeof e.body !== 'string' || !KINDS.has(e.kind) || keyCount(e) !== 3) return null;
  if (e.body.length === 0 || e.body.length > MAX_BODY_CHARS) return null;
  if (!CONV_ID.test(f.c) || !CLIENT_MESSAGE_ID.test(e.cid) || !BASE64URL.test(e.body)) return null;
  return value as SendFrame;
}

/** What the server sends. */
export type ServerFrame =
  | { t: 'ready'; role: 'visitor' | 'responder' }
  | { t: 'subscribed'; c: string }
  | { t: 'msg'; c: string; e: unknown }
  | { t: 'ack'; c: string; cid: string; id: string; dup: boolean }
  | { t: 'state'; c: string; status: string; session: number }
  | { t: 'typing'; c: string; from: 'visitor' | 'responder' }
  | { t: 'erased'; c: string }
  | { t: 'unsubscribed'; c: string; reason: string }
  | { t: 'error'; code: string; message: string; c?: string; cid?: string }
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

/** Machine-readable description of the protocol, served at /api/websocket.json. */
export const WEBSOCKET_DOC = {
  path: '/api/v1/ws',
  encoding: 'JSON text frames',
  authentication: {
    visitor: 'first frame {"t":"hello","v":1,"c":<conversation id>,"token":<bearer token>,"after":<last id or null>}; the token never appears in a URL',
    responder: 'session cookie on the upgrade request (same origin only), then {"t":"hello","v":1}',
  },
  clientFrames: {
    hello: 'authenticate (see above); a visitor is subscribed to its conversation at once',
    sub: '{"t":"sub","c":id,"after":lastId|null} (responder): replay everything after lastId, then live, each message exactly once',
    unsub: '{"t":"unsub","c":id}',
    send: '{"t":"send","c":id,"e":Envelope} → ack after the message is stored (no copy of the message comes back to the sending socket); repeat with the same cid after a reconnect',
    typing: '{"t":"typing","c":id}',
    ping: '{"t":"ping"} → pong',
  },
  serverFrames: {
    ready: '{"t":"ready","role":"visitor"|"responder"}',
    subscribed: '{"t":"subscribed","c":id} once the replay is done',
    msg: '{"t":"msg","c":id,"e":LogEntry}',
    ack: '{"t":"ack","c":id,"cid":cid,"id":messageId,"dup":bool}; on a subscribed socket it comes in the message\'s place in the stream (everything before it in the log was sent first), so a client resumes after an ack\'s id as after a msg\'s; a duplicate (dup true) is answered at once and is no position',
    state: '{"t":"state","c":id,"status":"waiting"|"active"|"closed","session":n}',
    typing: '{"t":"typing","c":id,"from":"visitor"|"responder"}',
    erased: '{"t":"erased","c":id}: the visitor deleted the conversation',
    unsubscribed: '{"t":"unsubscribed","c":id,"reason":code}: access ended (transfer, close)',
    error: '{"t":"error","code":ErrorCode,"message":string,"c"?,"cid"?}',
  },
  closeCodes: CloseCode,
} as const;

export { ConvId, MsgId };
