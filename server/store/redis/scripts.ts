// Lua scripts for the atomic conversation steps; each touches the keys of ONE conversation (one slot).
import { defineScript, type CommandParser } from 'redis';
import { MSG_EVENT_LAYOUT, STATE_EVENT_LAYOUT, type EventLayout } from '../../events/events.js';
import { decodeConversation, decodeLogEntry, type Flat } from '../codec.js';
import type {
  AppendBudget,
  AppendResult,
  ClaimResult,
  CloseResult,
  ConversationRecord,
  TransferResult,
} from '../ports.js';

/** What every script returns: a status word followed by status-specific strings. */
export type ScriptReply = Array<string | number>;

const rawReply = (reply: unknown): ScriptReply => reply as ScriptReply;

/** A Lua string literal of `text`. */
const luaString = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** One Lua expression concatenating an event layout (events.ts), each field from the Lua expression `exprs[field]`. */
export function luaConcat<F extends string>(layout: EventLayout<F>, exprs: Readonly<Record<F, string>>): string {
  return layout.map((piece) => (typeof piece === 'string' ? luaString(piece) : exprs[piece.field])).join(' .. ');
}

/**
 * The published events, generated from the events module's layouts (server/events/events.ts owns
 * the encoding; the memory store's encodeEvent writes the same bytes): a msg event's `at` is its
 * id's millisecond part. The WebSocket layer reads the id of a msg event and builds its frame from
 * this string without parsing it (server/realtime/hub.ts).
 */
const EVENT_PAYLOADS = `
local function msgPayload(id, from, session, cid, kind, body)
  return ${luaConcat(MSG_EVENT_LAYOUT, { id: 'id', from: 'from', session: 'session', cid: 'cid', kind: 'kind', body: 'body', at: "string.match(id, '^%d+')" })}
end
local function statePayload(status, session)
  return ${luaConcat(STATE_EVENT_LAYOUT, { status: 'status', session: 'session' })}
end
`;

// Every script starts by returning {'gone'} when the conversation hash is missing (expired or
// erased); a hash is never left without its TTL, so "exists" means "alive".

/** KEYS: conv · ARGV: ttlMs, field, value, field, value, ... → {'ok'} | {'exists'} */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {'ok'}
`;

/**
 * KEYS: conv · ARGV: responder, channel
 * → {'ok', hash...} | {'gone'} | {'closed'} | {'taken'}; publishes a 'state' event when it wins.
 */
const CLAIM = `${EVENT_PAYLOADS}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'closed' then return {'closed'} end
if status ~= 'waiting' then return {'taken'} end
local session = redis.call('HINCRBY', KEYS[1], 'session', 1)
redis.call('HSET', KEYS[1], 'status', 'active', 'assignee', ARGV[1])
redis.call('PUBLISH', ARGV[2], statePayload('active', session))
local reply = redis.call('HGETALL', KEYS[1])
table.insert(reply, 1, 'ok')
return reply
`;

/**
 * KEYS: conv · ARGV: from, 'responder'|'team', target, now, channel
 * → {'ok', hash...} | {'gone'} | {'closed'} | {'not-assignee'}; publishes a 'state' event.
 */
const TRANSFER = `${EVENT_PAYLOADS}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'closed' then return {'closed'} end
if status ~= 'active' or redis.call('HGET', KEYS[1], 'assignee') ~= ARGV[1] then return {'not-assignee'} end
local session = redis.call('HINCRBY', KEYS[1], 'session', 1)
local next = 'active'
if ARGV[2] == 'responder' then
  redis.call('HSET', KEYS[1], 'assignee', ARGV[3])
else
  next = 'waiting'
  redis.call('HSET', KEYS[1], 'status', 'waiting', 'assignee', '', 'team', ARGV[3], 'queuedAt', ARGV[4])
end
redis.call('PUBLISH', ARGV[5], statePayload(next, session))
local reply = redis.call('HGETALL', KEYS[1])
table.insert(reply, 1, 'ok')
return reply
`;

/**
 * KEYS: conv · ARGV: by ('' = the visitor), outcome ('' = none), channel
 * → {'ok', hash...} | {'gone'} | {'closed'} | {'not-assignee'}; publishes a 'state' event.
 */
const CLOSE = `${EVENT_PAYLOADS}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'closed' then return {'closed'} end
if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'assignee') ~= ARGV[1] then return {'not-assignee'} end
redis.call('HSET', KEYS[1], 'status', 'closed', 'outcome', ARGV[2])
local session = tonumber(redis.call('HGET', KEYS[1], 'session'))
redis.call('PUBLISH', ARGV[3], statePayload('closed', session))
local reply = redis.call('HGETALL', KEYS[1])
table.insert(reply, 1, 'ok')
return reply
`;


/**
 * KEYS: conv, log, dedupe, notes · ARGV: cid, from, session, kind, body, ttlMs, maxEntries, channel, publish,
 * then budget bytes, bytes per hour, max bytes, now ('' for no budget)
 * → {'ok', id} | {'dup', id, fields...} | {'gone'} | {'full'} | {'rate', ms} | {'too-large'}.
 * A resend (repeated cid) is not charged again. With publish '0' the new entry is
 * not published here but by PUBLISH_DURABLE once a replica holds it (REDIS_WAIT_REPLICAS > 0).
 * A repeated cid is answered before the size limit, so retrying the message that filled the log
 * still gets its acknowledgement.
 * TTLs slide lazily: the four keys (the notes too, so they live as long as the conversation) are given the full TTL again once at least 1/64 of it has passed
 * since they last were (read from the conversation's PTTL), instead of three PEXPIRE per message; a
 * new log and dedupe hash (first message) get it at once.
 */
const APPEND = `${EVENT_PAYLOADS}
local pttl = redis.call('PTTL', KEYS[1])
if pttl == -2 then return {'gone'} end
local cid = ARGV[1]
local seen = redis.call('HGET', KEYS[3], cid)
if seen then
  local found = redis.call('XRANGE', KEYS[2], seen, seen)
  if #found > 0 then
    local reply = { 'dup', found[1][1] }
    for _, v in ipairs(found[1][2]) do table.insert(reply, v) end
    return reply
  end
end
local count = redis.call('XLEN', KEYS[2])
if count >= tonumber(ARGV[7]) then return {'full'} end
if ARGV[10] ~= '' then
  -- The byte budgets (append-budget.ts says the same in TypeScript): ARGV 10-13 bytes, per hour,
  -- in all, now; counted in the conversation's own hash.
  local bytes = tonumber(ARGV[10])
  local now = tonumber(ARGV[13])
  local b = redis.call('HMGET', KEYS[1], 'bytesTotal', 'hourBytes', 'hourEnds')
  local total = tonumber(b[1] or '0')
  local hourBytes = tonumber(b[2] or '0')
  local hourEnds = tonumber(b[3] or '0')
  if hourEnds <= now then
    hourBytes = 0
    hourEnds = now + 3600000
  end
  if hourBytes + bytes > tonumber(ARGV[11]) then return {'rate', tostring(hourEnds - now)} end
  if total + bytes > tonumber(ARGV[12]) then return {'too-large'} end
  redis.call('HSET', KEYS[1], 'bytesTotal', tostring(total + bytes), 'hourBytes', tostring(hourBytes + bytes), 'hourEnds', tostring(hourEnds))
end
local id = redis.call('XADD', KEYS[2], '*', 'from', ARGV[2], 'session', ARGV[3], 'cid', cid, 'kind', ARGV[4], 'body', ARGV[5])
redis.call('HSET', KEYS[3], cid, id)
local ttl = tonumber(ARGV[6])
if count == 0 or pttl < ttl - ttl / 64 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  redis.call('PEXPIRE', KEYS[4], ttl)
end
if ARGV[9] ~= '0' then redis.call('PUBLISH', ARGV[8], msgPayload(id, ARGV[2], ARGV[3], cid, ARGV[4], ARGV[5])) end
return {'ok', id}
`;

/**
 * KEYS: log, dedupe · ARGV: upTo (an id a replica is known to hold), channel, ttlMs → entries published.
 * Publishes, in log order, every entry after the last one published (the '#published' field of the
 * dedupe hash, never a valid cid) up to `upTo`: an entry reaches subscribers only once it can no
 * longer be lost in a failover, each once, and never after one that follows it (appends confirmed by
 * different instances' WAIT rounds would otherwise be published out of order).
 */
const PUBLISH_DURABLE = `${EVENT_PAYLOADS}
local last = redis.call('HGET', KEYS[2], '#published')
if last and redis.call('XRANGE', KEYS[1], last, last)[1] == nil then
  -- The cursor names an entry this primary does not hold (lost in a failover; a new primary's ids
  -- may even sort before it): publish from the start; subscribers drop what they have by id.
  last = nil
end
local from = '-'
if last then from = '(' .. last end
local entries = redis.call('XRANGE', KEYS[1], from, ARGV[1])
for _, e in ipairs(entries) do
  local f = {}
  for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
  redis.call('PUBLISH', ARGV[2], msgPayload(e[1], f['from'], f['session'], f['cid'], f['kind'], f['body']))
end
if #entries > 0 then
  redis.call('HSET', KEYS[2], '#published', entries[#entries][1])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return #entries
`;

/** KEYS: conv, log, dedupe, notes · ARGV: ttlMs → 1 when the conversation exists (all four slid), else 0. */
const TOUCH = `
if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[4], ARGV[1])
return 1
`;

/**
 * KEYS: conv, notes · ARGV: the note's JSON (codec.ts encodeNote), its bytes, maxNotes, maxBytes
 * → {'ok', place} | {'gone'} | {'full'} | {'too-large'}. The note budget is counted in the
 * conversation's hash; the notes get the conversation's remaining TTL.
 */
const NOTE_ADD = `
local pttl = redis.call('PTTL', KEYS[1])
if pttl == -2 then return {'gone'} end
local c = redis.call('HMGET', KEYS[1], 'notesCount', 'notesBytes')
local count = tonumber(c[1] or '0')
local bytes = tonumber(c[2] or '0')
if count >= tonumber(ARGV[3]) then return {'full'} end
if bytes + tonumber(ARGV[2]) > tonumber(ARGV[4]) then return {'too-large'} end
local place = tostring(count + 1)
redis.call('HSET', KEYS[1], 'notesCount', place, 'notesBytes', tostring(bytes + tonumber(ARGV[2])))
redis.call('HSET', KEYS[2], place, ARGV[1])
if pttl > 0 then redis.call('PEXPIRE', KEYS[2], pttl) end
return {'ok', place}
`;

/**
 * The scripts handed to `createClient({ scripts })`; node-redis sends EVALSHA and falls back to EVAL.
 * `publish` is the command the scripts publish events with: PUBLISH on one Redis or Sentinel,
 * SPUBLISH on a cluster (sharded pub/sub: the channel lives in the conversation's slot, so the
 * event goes only to that shard's subscribers). Redis ≥ 7 allows SPUBLISH inside a script.
 */
function defineScripts(publish: 'PUBLISH' | 'SPUBLISH') {
  const text = (script: string) => script.replaceAll("redis.call('PUBLISH'", `redis.call('${publish}'`);
  return {
    utvagCreate: defineScript({
      SCRIPT: CREATE,
      NUMBER_OF_KEYS: 1,
      parseCommand(parser: CommandParser, conv: string, ttlMs: number, fields: Flat) {
        parser.pushKey(conv);
        parser.push(String(ttlMs), ...Object.entries(fields).flat());
      },
      transformReply: rawReply,
    }),
    utvagClaim: defineScript({
      SCRIPT: text(CLAIM),
      NUMBER_OF_KEYS: 1,
      parseCommand(parser: CommandParser, conv: string, responder: string, channel: string) {
        parser.pushKey(conv);
        parser.push(responder, channel);
      },
      transformReply: rawReply,
    }),
    utvagTransfer: defineScript({
      SCRIPT: text(TRANSFER),
      NUMBER_OF_KEYS: 1,
      parseCommand(
        parser: CommandParser,
        conv: string,
        from: string,
        kind: 'responder' | 'team',
        target: string,
        now: number,
        channel: string,
      ) {
        parser.pushKey(conv);
        parser.push(from, kind, target, String(now), channel);
      },
      transformReply: rawReply,
    }),
    utvagClose: defineScript({
      SCRIPT: text(CLOSE),
      NUMBER_OF_KEYS: 1,
      parseCommand(parser: CommandParser, conv: string, by: string, outcome: string, channel: string) {
        parser.pushKey(conv);
        parser.push(by, outcome, channel);
      },
      transformReply: rawReply,
    }),
    utvagAppend: defineScript({
      SCRIPT: text(APPEND),
      NUMBER_OF_KEYS: 4,
      parseCommand(
        parser: CommandParser,
        keys: readonly [conv: string, log: string, dedupe: string, notes: string],
        args: {
          cid: string;
          from: string;
          session: number;
          kind: string;
          body: string;
          ttlMs: number;
          maxEntries: number;
          channel: string;
          /** False: leave publication to utvagPublishDurable (see PUBLISH_DURABLE). */
          publish: boolean;
          /** The conversation's byte budgets to spend (ports.ts AppendBudget), or none. */
          budget?: AppendBudget | undefined;
        },
      ) {
        parser.pushKeys([...keys]);
        parser.push(
          args.cid,
          args.from,
          String(args.session),
          args.kind,
          args.body,
          String(args.ttlMs),
          String(args.maxEntries),
          args.channel,
          args.publish ? '1' : '0',
          ...(args.budget === undefined
            ? ['', '', '', '']
            : [String(args.budget.bytes), String(args.budget.bytesPerHour), String(args.budget.maxBytes), String(Math.floor(args.budget.now))]),
        );
      },
      transformReply: rawReply,
    }),
    utvagPublishDurable: defineScript({
      SCRIPT: text(PUBLISH_DURABLE),
      NUMBER_OF_KEYS: 2,
      parseCommand(parser: CommandParser, keys: readonly [log: string, dedupe: string], upTo: string, channel: string, ttlMs: number) {
        parser.pushKeys([...keys]);
        parser.push(upTo, channel, String(ttlMs));
      },
      transformReply: (reply: unknown) => reply as number,
    }),
    utvagTouch: defineScript({
      SCRIPT: TOUCH,
      NUMBER_OF_KEYS: 4,
      parseCommand(parser: CommandParser, keys: readonly [conv: string, log: string, dedupe: string, notes: string], ttlMs: number) {
        parser.pushKeys([...keys]);
        parser.push(String(ttlMs));
      },
      transformReply: (reply: unknown) => reply as number,
    }),
    utvagNoteAdd: defineScript({
      SCRIPT: NOTE_ADD,
      NUMBER_OF_KEYS: 2,
      parseCommand(parser: CommandParser, keys: readonly [conv: string, notes: string], json: string, bytes: number, maxNotes: number, maxBytes: number) {
        parser.pushKeys([...keys]);
        parser.push(json, String(bytes), String(maxNotes), String(maxBytes));
      },
      transformReply: rawReply,
    }),
  };
}

/** The scripts of one Redis or Sentinel (PUBLISH). */
export const SCRIPTS = defineScripts('PUBLISH');
const CLUSTER_SCRIPTS = defineScripts('SPUBLISH');
export type Scripts = typeof SCRIPTS;

/** The scripts for a topology: sharded publication on a cluster. */
export function scriptsFor(mode: 'single' | 'sentinel' | 'cluster'): Scripts {
  return mode === 'cluster' ? CLUSTER_SCRIPTS : SCRIPTS;
}

// Pure decoders of script replies.

function pairs(items: ScriptReply, from: number): Flat {
  const flat: Flat = {};
  for (let i = from; i + 1 < items.length; i += 2) flat[String(items[i])] = String(items[i + 1]);
  return flat;
}

function okRecord(reply: ScriptReply): ConversationRecord {
  return decodeConversation(pairs(reply, 1));
}

function unexpected(script: string, reply: ScriptReply): Error {
  return new Error(`unexpected reply from the ${script} script: ${JSON.stringify(reply[0])}`);
}

export function parseClaimReply(reply: ScriptReply): ClaimResult {
  switch (reply[0]) {
    case 'ok':
      return { ok: true, record: okRecord(reply) };
    case 'gone':
    case 'taken':
    case 'closed':
      return { ok: false, reason: reply[0] };
    default:
      throw unexpected('claim', reply);
  }
}

export function parseTransferReply(reply: ScriptReply): TransferResult & CloseResult {
  switch (reply[0]) {
    case 'ok':
      return { ok: true, record: okRecord(reply) };
    case 'gone':
    case 'not-assignee':
    case 'closed':
      return { ok: false, reason: reply[0] };
    default:
      throw unexpected('transfer/close', reply);
  }
}

export function parseAppendReply(
  reply: ScriptReply,
  input: { from: string; session: number; cid: string; kind: string; body: string },
): AppendResult {
  switch (reply[0]) {
    case 'ok': {
      const id = String(reply[1]);
      return {
        ok: true,
        duplicate: false,
        entry: decodeLogEntry(id, {
          from: input.from,
          session: String(input.session),
          cid: input.cid,
          kind: input.kind,
          body: input.body,
        }),
      };
    }
    case 'dup':
      return { ok: true, duplicate: true, entry: decodeLogEntry(String(reply[1]), pairs(reply, 2)) };
    case 'gone':
    case 'full':
    case 'too-large':
      return { ok: false, reason: reply[0] };
    case 'rate':
      return { ok: false, reason: 'rate', resetMs: Number(reply[1]) };
    default:
      throw unexpected('append', reply);
  }
}
