// The Store port: every piece of server state goes through these interfaces (Redis or in-memory).
//
// Semantics are defined here and enforced by the contract suite `store.case.ts`, which runs against
// every adapter. Times are milliseconds since the epoch (number); TTLs are milliseconds. Adapters
// never interpret ciphertext: `body` fields are opaque base64url strings.
import type { Category } from '../../contract/categories.js';
import type { ConversationId, MessageId, OrgId, ResponderId, TeamId } from '../../contract/ids.js';
import type { ConversationStatus, Envelope, LogEntry, Sender } from '../../contract/messages.js';
import type { EventBus, EventPayload, Unsubscribe } from '../events/events.js';

export type { Category } from '../../contract/categories.js';
export type { ConversationId, MessageId, OrgId, ResponderId, TeamId } from '../../contract/ids.js';
export type { ConversationStatus, Envelope, EnvelopeKind, LogEntry, Sender } from '../../contract/messages.js';

/** One conversation's metadata. Contains no plaintext and nothing identifying the visitor. */
export interface ConversationRecord {
  readonly id: ConversationId;
  readonly category: Category;
  /** The team whose queue holds it (changes on transfer to a team or on overflow). */
  readonly team: TeamId;
  /** BCP 47 language tag chosen in the widget, e.g. "sv", "en", "ar". */
  readonly language: string;
  /** Outreach source tag (QR poster, web page); feeds aggregated statistics only. */
  readonly source: string;
  readonly status: ConversationStatus;
  /** SHA-256 of the visitor's bearer token, lowercase hex. The token itself is never stored. */
  readonly tokenHash: string;
  readonly createdAt: number;
  /** When it (re-)entered the queue; the queue orders by this, danger first. */
  readonly queuedAt: number;
  readonly assignee: ResponderId | null;
  /** Handshake session number: 1 at first claim, +1 on each transfer or resume. */
  readonly session: number;
  /** The visitor said "I am in danger right now". */
  readonly danger: boolean;
  /** Outcome category given on close, for statistics. */
  readonly outcome: string | null;
}

export type ClaimResult =
  | { readonly ok: true; readonly record: ConversationRecord }
  | { readonly ok: false; readonly reason: 'gone' | 'taken' | 'closed' };

export type TransferTarget =
  | { readonly kind: 'responder'; readonly responder: ResponderId }
  | { readonly kind: 'team'; readonly team: TeamId };

export type TransferResult =
  | { readonly ok: true; readonly record: ConversationRecord }
  | { readonly ok: false; readonly reason: 'gone' | 'not-assignee' | 'closed' };

export type CloseResult =
  | { readonly ok: true; readonly record: ConversationRecord }
  | { readonly ok: false; readonly reason: 'gone' | 'not-assignee' | 'closed' };

export interface ConversationStore {
  /** Creates the record with the given TTL. Throws StoreConflictError if the id exists. */
  create(record: ConversationRecord, ttlMs: number): Promise<void>;
  /** The record, or null when it never existed, expired or was erased. */
  get(id: ConversationId): Promise<ConversationRecord | null>;
  /**
   * Atomically moves a `waiting` conversation to `active` with `responder` as assignee and
   * session = session + 1. Of any number of concurrent claims exactly one gets ok: true.
   */
  claim(id: ConversationId, responder: ResponderId): Promise<ClaimResult>;
  /**
   * Atomically, if `from` is the assignee of an active conversation: to a responder → stays
   * active with the new assignee; to a team → back to `waiting` in that team with no assignee and
   * queuedAt = now. Session is incremented either way (the next responder runs a fresh handshake).
   */
  transfer(id: ConversationId, from: ResponderId, to: TransferTarget, now: number): Promise<TransferResult>;
  /**
   * Atomically closes it. `by` null means the visitor closed it (allowed in any open state); a
   * responder may close only what it is assigned to.
   */
  close(id: ConversationId, by: ResponderId | null, outcome: string | null): Promise<CloseResult>;
  /** Slides the idle TTL of the record, its log and its notes. Returns false when it no longer exists. */
  touch(id: ConversationId, ttlMs: number): Promise<boolean>;
  /** Erases the record, its log, its dedupe index and its notes at once ("delete now"). Idempotent. */
  erase(id: ConversationId): Promise<void>;
}


export type AppendResult =
  | { readonly ok: true; readonly entry: LogEntry; readonly duplicate: boolean }
  | { readonly ok: false; readonly reason: 'gone' | 'full' | 'too-large' }
  /** The hour's byte budget is spent; it starts again in `resetMs`. */
  | { readonly ok: false; readonly reason: 'rate'; readonly resetMs: number };

/**
 * A conversation's byte budgets, checked and spent inside the append (abuse limits: one atomic step
 * and one store call per message). Counted in the conversation's own record, so they live and die
 * with it ("delete now" included); a deduplicated resend is not charged again.
 */
export interface AppendBudget {
  /** Decoded ciphertext bytes of this message. */
  readonly bytes: number;
  /** Bytes the conversation may append per hour: a fixed window from its first append in it. */
  readonly bytesPerHour: number;
  /** Bytes the conversation's log may hold in all. */
  readonly maxBytes: number;
  /** Now, ms since the epoch (the caller's clock, so tests control the window). */
  readonly now: number;
}

export interface MessageLog {
  /**
   * Appends `input` to the conversation's log, atomically with: a check that the conversation
   * still exists, deduplication by `cid` (a repeated cid returns the first entry with
   * duplicate: true and appends nothing), the idle-TTL refresh of the conversation, its log and
   * its dedupe index, and the publication of a `{ t: 'msg', entry }` event on the conversation's
   * channel. Resolves only after the entry is stored. At most `maxEntries` entries per log
   * (then reason 'full'). With `budget`, a new entry must also fit the conversation's byte budgets
   * (reason 'rate' with the time until the hour's window ends, or 'too-large'); refused, it changes
   * nothing.
   */
  append(
    id: ConversationId,
    from: Sender,
    session: number,
    input: Envelope,
    ttlMs: number,
    maxEntries: number,
    budget?: AppendBudget,
  ): Promise<AppendResult>;
  /** Entries strictly after `after` (null: from the start), oldest first, at most `limit`. */
  after(id: ConversationId, after: MessageId | null, limit: number): Promise<LogEntry[]>;
}

/** A team note on a conversation (crypto/note.ts): opaque ciphertext, who wrote it and when. */
export interface NoteRecord {
  /** "1", "2", …: its place among the conversation's notes (notes are never changed or removed alone). */
  readonly id: string;
  /** The responder whose session added it (readers check the ciphertext against this author's certificate). */
  readonly author: ResponderId;
  /** When the server stored it, ms since the epoch. */
  readonly at: number;
  /** Ciphertext, base64url (no padding). */
  readonly body: string;
}

export type AddNoteResult =
  | { readonly ok: true; readonly note: NoteRecord }
  /** 'gone': no such conversation; 'full': maxNotes reached; 'too-large': maxBytes would be passed. */
  | { readonly ok: false; readonly reason: 'gone' | 'full' | 'too-large' };

/** A conversation's note budget, checked and spent inside the add. */
export interface NoteBudget {
  /** Decoded ciphertext bytes of this note. */
  readonly bytes: number;
  /** Notes the conversation may hold. */
  readonly maxNotes: number;
  /** Ciphertext bytes its notes may hold in all. */
  readonly maxBytes: number;
}

/**
 * Team notes, kept beside their conversation (same slot): they live exactly as long as it does (its
 * idle TTL, slid by touch and append) and go with it (erase, expiry). Counted in the conversation's
 * own record, so the budget dies with it too.
 */
export interface NoteStore {
  /**
   * Adds a note, atomically with: a check that the conversation exists, the budget (refused, it
   * changes nothing) and the conversation's remaining TTL on the notes.
   */
  add(id: ConversationId, note: { readonly author: ResponderId; readonly at: number; readonly body: string }, budget: NoteBudget): Promise<AddNoteResult>;
  /** The conversation's notes, oldest first; [] when it has none or is gone. */
  list(id: ConversationId): Promise<NoteRecord[]>;
}

/**
 * Raw fan-out between instances, inside an adapter: channels named by the adapter, string payloads.
 * The rest of the server publishes and subscribes typed domain events through `Store.events`.
 */
export interface PubSub {
  publish(channel: string, payload: string): Promise<void>;
  /** Resolves once the subscription is active (messages published after that are delivered). */
  subscribe(channel: string, handler: (payload: EventPayload) => void): Promise<Unsubscribe>;
}

export interface QueueEntry {
  readonly id: ConversationId;
  readonly score: number;
}

/**
 * A queue (team queue, a responder's assignments, callback attempts: sorted sets of conversation
 * ids) expires this long after its last add: longer than a conversation or callback can live idle
 * (CONVERSATION_TTL_HOURS and CALLBACK_TTL_DAYS are at most 30 days), so no visitor-derived key is
 * kept for ever (DESIGN invariant 4) while every live entry's queue is still there.
 */
export const QUEUE_TTL_MS = 31 * 86_400_000;

/** Waiting conversations per team, ordered by score ascending (danger first, then oldest). */
export interface QueueStore {
  /** Adds or rescores an entry; the queue then expires QUEUE_TTL_MS after this add. */
  add(team: TeamId, id: ConversationId, score: number): Promise<void>;
  /** True when it was queued (exactly one of concurrent removals of the same entry gets true). */
  remove(team: TeamId, id: ConversationId): Promise<boolean>;
  /** Oldest first, at most `limit`. May contain ids whose conversation is gone; callers prune. */
  list(team: TeamId, limit: number): Promise<QueueEntry[]>;
  /** 0-based position, or null when not queued. */
  rank(team: TeamId, id: ConversationId): Promise<number | null>;
  size(team: TeamId): Promise<number>;
}

/** Single-use markers with a TTL (proof-of-work challenges, login nonces). */
export interface OnceStore {
  /** True the first time a key is used within `ttlMs`, false afterwards. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
}

/** Server-wide secrets shared by every instance (persistent, no TTL). */
export interface SecretStore {
  /** Stores `candidate` under `name` unless a value exists; returns the stored value. */
  getOrCreate(name: string, candidate: string): Promise<string>;
}

export type { Role } from '../../contract/roles.js';
import type { Role } from '../../contract/roles.js';

/** Staff data (persistent). */
export interface ResponderRecord {
  readonly id: ResponderId;
  readonly login: string;
  readonly displayName: string;
  readonly teams: readonly TeamId[];
  readonly roles: readonly Role[];
  /** Argon2id salt (base64url) and parameters the browser derives the master key with. */
  readonly salt: string;
  readonly opslimit: number;
  readonly memlimit: number;
  /** hashAuthKey (crypto/password.ts, hex) of the auth key the browser derives; the password never reaches the server. */
  readonly authHash: string;
  readonly active: boolean;
  /** The organisation the responder works for; absent: the deployment's first one (DEFAULT_ORG). */
  readonly org?: OrgId;
}

export interface TeamRecord {
  readonly id: TeamId;
  readonly name: string;
  readonly categories: readonly Category[];
  /** Team that takes its conversations when nobody here is on duty, or null. */
  readonly overflow: TeamId | null;
  /** The organisation the team belongs to; absent: the deployment's first one (DEFAULT_ORG). */
  readonly org?: OrgId;
}

export interface StaffStore {
  putResponder(record: ResponderRecord): Promise<void>;
  getResponder(id: ResponderId): Promise<ResponderRecord | null>;
  findResponderByLogin(login: string): Promise<ResponderRecord | null>;
  putTeam(record: TeamRecord): Promise<void>;
  getTeam(id: TeamId): Promise<TeamRecord | null>;
  listTeams(): Promise<TeamRecord[]>;
}

export interface SessionRecord {
  readonly responder: ResponderId;
  /** SHA-256 (hex) of the CSRF token handed out at login. */
  readonly csrfHash: string;
  readonly createdAt: number;
}

/** Responder sessions, keyed by the SHA-256 (hex) of the session cookie; idle TTL. */
export interface SessionStore {
  create(idHash: string, record: SessionRecord, ttlMs: number): Promise<void>;
  /** The session, sliding its TTL; null when absent or expired. */
  get(idHash: string, ttlMs: number): Promise<SessionRecord | null>;
  delete(idHash: string): Promise<void>;
}

/** Who is on duty: a set per team plus a heartbeat key per responder that expires on its own. */
export interface DutyStore {
  setOnDuty(team: TeamId, responder: ResponderId, onDuty: boolean): Promise<void>;
  heartbeat(responder: ResponderId, ttlMs: number): Promise<void>;
  /** Responders on duty in the team whose heartbeat is alive. Prunes dead members. */
  onDuty(team: TeamId): Promise<ResponderId[]>;
}

export interface AuditEntry {
  readonly at: number;
  readonly actor: ResponderId;
  readonly action: string;
  /** Keyed hash of the object acted on (never a raw conversation id), or "". */
  readonly ref: string;
  /**
   * The organisation whose log holds the entry when it is not the actor's (a handover is recorded in
   * the receiving organisation's log too). Absent: the actor's organisation.
   */
  readonly org?: OrgId;
  /** A handover's teams (ids, never content). */
  readonly fromTeam?: TeamId;
  readonly toTeam?: TeamId;
}

/** Append-only log of responder actions, never content. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
  /** Deletes the entries whose `at` is before `at` (retention); returns how many. */
  purgeBefore(at: number): Promise<number>;
}

/** Aggregated counters only (invariant 5): day × field → count. */
export interface StatsStore {
  /** `day` is "YYYY-MM-DD" (Europe/Stockholm); `field` a ':'-joined dimension string. */
  increment(day: string, field: string, by: number): Promise<void>;
  day(day: string): Promise<Record<string, number>>;
  /** Every day that has counters, ascending. */
  days(): Promise<string[]>;
  /** Deletes a day's counters (retention). Idempotent. */
  deleteDay(day: string): Promise<void>;
}

/**
 * Persistent staff-side documents (key directory, invitations, settings), JSON strings by collection
 * and id. Never visitor data: nothing here expires.
 */
export interface RecordStore {
  put(collection: string, id: string, value: string): Promise<void>;
  get(collection: string, id: string): Promise<string | null>;
  delete(collection: string, id: string): Promise<void>;
  /** Every record of a collection, ordered by id. */
  list(collection: string): Promise<Array<{ readonly id: string; readonly value: string }>>;
}

/**
 * Visitor data with a TTL (consents, resume blobs): JSON strings by collection and id, each record
 * expiring on its own (invariant 4). `list` returns live records only.
 */
export interface ExpiringRecordStore {
  /** Stores or replaces a record that expires `ttlMs` from now. */
  put(collection: string, id: string, value: string, ttlMs: number): Promise<void>;
  /** The record, or null when absent or expired. */
  get(collection: string, id: string): Promise<string | null>;
  /** Idempotent. */
  delete(collection: string, id: string): Promise<void>;
  /** Live records of a collection, ordered by id, with their expiry (ms since the epoch). */
  list(collection: string): Promise<Array<{ readonly id: string; readonly value: string; readonly expiresAt: number }>>;
}

/** What one CounterStore.spend did. */
export interface Spent {
  /** True when the amount fitted within the limit and was added; false: nothing was added. */
  readonly ok: boolean;
  /** The counter's value after the call. */
  readonly value: number;
  /** Milliseconds until the counter expires (and starts again at 0). */
  readonly resetMs: number;
}

/**
 * Atomic budget counters with a TTL (abuse budgets, login attempts). Keys are names, not visitor
 * data: callers put in them only ids or salted hashes; every counter expires on its own.
 */
export interface CounterStore {
  /**
   * Adds `amount` to the counter `key` if the sum stays at or below `limit`, atomically: of
   * concurrent spends exactly those that fit succeed. A counter starts at 0 and expires `ttlMs`
   * after its first spend (a fixed window); `slide` restarts the TTL on every successful spend
   * (a budget for as long as something stays in use). A refused spend changes nothing.
   */
  spend(key: string, amount: number, limit: number, ttlMs: number, slide?: boolean): Promise<Spent>;
  /** Deletes the counter. Idempotent. */
  reset(key: string): Promise<void>;
}

/** How full the store's memory is (the high-water mark for new conversations reads it). */
export interface MemoryGauge {
  /**
   * Bytes in use and the most the store may use, of its fullest node: Redis INFO memory
   * `used_memory` and `maxmemory` (null when 0, unbounded); the memory store its own estimate
   * and the configured cap.
   */
  usage(): Promise<{ readonly usedBytes: number; readonly maxBytes: number | null }>;
}

/** Where a callback request is: nobody holds it, a responder holds it (taken or auto-assigned), called. */
export type CallbackState = 'waiting' | 'claimed' | 'done';

/** One call that did not reach the young person ("Nådde inte"). */
export interface CallbackAttempt {
  readonly at: number;
  readonly by: ResponderId;
}

/**
 * A callback request's own record (`callback:{id}`), with the callback TTL from its creation
 * (DESIGN invariant 4): every field, the sealed copies and the lists' entries go with it. The id is
 * the id the visitor sealed inside the request. Contains no plaintext: the number travels only in
 * the sealed copies, opened in a responder's browser.
 */
export interface CallbackRecord {
  readonly id: ConversationId;
  readonly team: TeamId;
  /** BCP 47 language tag chosen in the widget. */
  readonly language: string;
  /** Outreach source tag (statistics only). */
  readonly source: string;
  readonly state: CallbackState;
  /** Who holds it (state claimed) or called it (state done); null while waiting. */
  readonly claimer: ResponderId | null;
  /** True when the server's auto-assignment chose the claimer. */
  readonly autoAssigned: boolean;
  readonly createdAt: number;
  readonly claimedAt: number | null;
  readonly doneAt: number | null;
  readonly attempts: readonly CallbackAttempt[];
  /**
   * The visitor's request sealed to the team inbox key (base64url). Handed only to the claimer, and
   * deleted once the claimer's console has re-sealed it (or when done): null from then on.
   */
  readonly teamSealed: string | null;
  /** The request re-sealed by the claimer's console to the claimer's own certified key; null before that. */
  readonly claimerSealed: string | null;
  /** Copies the claimer sealed to the team's supervisors, by responder id; revealed only by an audited action. */
  readonly supervisorSealed: Readonly<Record<string, string>>;
  /** Revision, +1 on every change: `replace` compares it (optimistic concurrency). */
  readonly rev: number;
}

/**
 * The console's lists: a team's waiting requests, what a responder holds, what a team's responders
 * hold (the supervisor's view), what a responder called.
 */
export type CallbackList =
  | { readonly kind: 'waiting'; readonly team: TeamId }
  | { readonly kind: 'claimed'; readonly responder: ResponderId }
  | { readonly kind: 'held'; readonly team: TeamId }
  | { readonly kind: 'done'; readonly responder: ResponderId };

/** The lists a record belongs in now. */
export function callbackListsOf(record: CallbackRecord): CallbackList[] {
  if (record.state === 'waiting' || record.claimer === null) return [{ kind: 'waiting', team: record.team }];
  return record.state === 'claimed'
    ? [
        { kind: 'claimed', responder: record.claimer },
        { kind: 'held', team: record.team },
      ]
    : [{ kind: 'done', responder: record.claimer }];
}

/**
 * Callback requests and their lists. A list's entries are an index kept beside the records (each
 * entry in one key, one slot); the record is the truth: `list` returns only records really in that
 * list now and prunes the rest, so an index entry left behind by a crash or a race shows nowhere.
 */
export interface CallbackStore {
  /** Creates the record (rev as given) expiring `ttlMs` from now and lists it. Throws StoreConflictError if the id exists. */
  create(record: CallbackRecord, ttlMs: number): Promise<void>;
  /** The record, or null when it never existed, expired or was erased. */
  get(id: ConversationId): Promise<CallbackRecord | null>;
  /**
   * Atomically, if the stored record's rev is still `expected.rev`: stores `next` with rev =
   * expected.rev + 1, keeping the record's expiry, and moves it to `next`'s lists. Of concurrent
   * replaces of the same revision exactly one succeeds. Returns the stored record, or null (nothing
   * changed) when it is gone or changed meanwhile.
   */
  replace(expected: CallbackRecord, next: CallbackRecord): Promise<CallbackRecord | null>;
  /** Erases the record at once ("delete now"); its list entries are pruned on read. Idempotent. */
  erase(id: ConversationId): Promise<void>;
  /** Records in `list`, oldest entry first, at most `limit`. */
  list(list: CallbackList, limit: number): Promise<CallbackRecord[]>;
}

export interface Store {
  readonly conversations: ConversationStore;
  readonly log: MessageLog;
  readonly notes: NoteStore;
  /** Domain events (server/events): conversation, team and staff topics. */
  readonly events: EventBus;
  readonly queues: QueueStore;
  readonly callbacks: CallbackStore;
  readonly once: OnceStore;
  readonly secrets: SecretStore;
  readonly staff: StaffStore;
  readonly sessions: SessionStore;
  readonly duty: DutyStore;
  readonly audit: AuditLog;
  readonly stats: StatsStore;
  readonly records: RecordStore;
  readonly expiring: ExpiringRecordStore;
  readonly counters: CounterStore;
  readonly memory: MemoryGauge;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
