// The server's side of the socket protocol whose frames contract/frames.ts defines: the hand-checked
// fast path for the hot `send` frame, and the description served at /api/websocket.json (also linked
// from docs/architecture.md).
import { CloseCode, SOCKET_PATH, type ClientFrame } from '../../contract/frames.js';
import { BASE64URL, CLIENT_MESSAGE_ID, CONVERSATION_ID } from '../../contract/ids.js';
import { ENVELOPE_KINDS, MAX_BODY_CHARS } from '../../contract/messages.js';

type SendFrame = Extract<ClientFrame, { t: 'send' }>;

const KINDS: ReadonlySet<unknown> = new Set(ENVELOPE_KINDS);

/** Own enumerable keys of a parsed JSON object, counted without allocating. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n += 1;
  return n;
}

/**
 * The hot frame checked by hand: a well-formed `send` as it is, anything else null (then
 * ClientFrameSchema decides and answers errors). Accepts only what ClientFrameSchema accepts, so it can only
 * make a valid frame cheaper, never let an invalid one through.
 */
export function fastSendFrame(value: unknown): SendFrame | null {
  if (typeof value !== 'object' || value === null) return null;
  const f = value as { t?: unknown; c?: unknown; e?: unknown };
  if (f.t !== 'send' || typeof f.c !== 'string' || typeof f.e !== 'object' || f.e === null || keyCount(f) !== 3) return null;
  const e = f.e as { cid?: unknown; kind?: unknown; body?: unknown };
  if (typeof e.cid !== 'string' || typeof e.body !== 'string' || !KINDS.has(e.kind) || keyCount(e) !== 3) return null;
  if (e.body.length === 0 || e.body.length > MAX_BODY_CHARS) return null;
  if (!CONVERSATION_ID.test(f.c) || !CLIENT_MESSAGE_ID.test(e.cid) || !BASE64URL.test(e.body)) return null;
  return value as SendFrame;
}

/** Machine-readable description of the protocol, served at /api/websocket.json. */
export const WEBSOCKET_DOC = {
  path: SOCKET_PATH,
  encoding: 'JSON text frames',
  authentication: {
    visitor: 'first frame {"t":"hello","v":1,"c":<conversation id>,"token":<bearer token>,"after":<last id or null>}; the token never appears in a URL',
    responder: 'session cookie on the upgrade request (same origin only), then {"t":"hello","v":1}; from then on the socket hears its teams\' list changes (team frames)',
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
    team: '{"t":"team","team":teamId,"ev":"queue"|"callbacks"|"duty"|"resync"} (responder, own teams only): that list of the team changed, read it again (resync: events may have been missed, read every list)',
  },
  closeCodes: CloseCode,
} as const;
