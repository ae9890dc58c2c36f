// Pure conversions between domain records and the flat string maps both adapters store.
import type {
  AuditEntry,
  Category,
  ConversationId,
  ConversationRecord,
  ConversationStatus,
  EnvelopeKind,
  LogEntry,
  MessageId,
  NoteRecord,
  OrgId,
  ResponderId,
  ResponderRecord,
  Role,
  Sender,
  SessionRecord,
  TeamId,
  TeamRecord,
} from './ports.js';

export type Flat = Record<string, string>;

function field(flat: Flat, name: string): string {
  const value = flat[name];
  if (value === undefined) throw new Error(`stored record lacks field "${name}"`);
  return value;
}

export function encodeConversation(r: ConversationRecord): Flat {
  return {
    id: r.id,
    category: r.category,
    team: r.team,
    language: r.language,
    source: r.source,
    status: r.status,
    tokenHash: r.tokenHash,
    createdAt: String(r.createdAt),
    queuedAt: String(r.queuedAt),
    assignee: r.assignee ?? '',
    session: String(r.session),
    danger: r.danger ? '1' : '0',
    outcome: r.outcome ?? '',
  };
}

export function decodeConversation(flat: Flat): ConversationRecord {
  const assignee = field(flat, 'assignee');
  const outcome = field(flat, 'outcome');
  return {
    id: field(flat, 'id') as ConversationId,
    category: field(flat, 'category') as Category,
    team: field(flat, 'team') as TeamId,
    language: field(flat, 'language'),
    source: field(flat, 'source'),
    status: field(flat, 'status') as ConversationStatus,
    tokenHash: field(flat, 'tokenHash'),
    createdAt: Number(field(flat, 'createdAt')),
    queuedAt: Number(field(flat, 'queuedAt')),
    assignee: assignee === '' ? null : (assignee as ResponderId),
    session: Number(field(flat, 'session')),
    danger: field(flat, 'danger') === '1',
    outcome: outcome === '' ? null : outcome,
  };
}

/** Stream entry fields of one log entry (the id is the stream id, not a field). */
export function encodeLogFields(from: Sender, session: number, cid: string, kind: EnvelopeKind, body: string): Flat {
  return { from, session: String(session), cid, kind, body };
}

/**
 * A log entry from its stream id and fields. Its time `at` is the id's millisecond part (the store
 * assigned both at once); only the store reads the id's parts, clients read `at`.
 */
export function decodeLogEntry(id: string, flat: Flat): LogEntry {
  return {
    id: id as MessageId,
    from: field(flat, 'from') as Sender,
    session: Number(field(flat, 'session')),
    cid: field(flat, 'cid'),
    kind: field(flat, 'kind') as EnvelopeKind,
    body: field(flat, 'body'),
    at: Number(id.slice(0, id.indexOf('-'))),
  };
}

export function encodeResponder(r: ResponderRecord): Flat {
  return {
    id: r.id,
    login: r.login,
    displayName: r.displayName,
    teams: r.teams.join(','),
    roles: r.roles.join(','),
    salt: r.salt,
    opslimit: String(r.opslimit),
    memlimit: String(r.memlimit),
    authHash: r.authHash,
    active: r.active ? '1' : '0',
    ...(r.org === undefined ? {} : { org: r.org }),
  };
}

const splitList = (s: string): string[] => (s === '' ? [] : s.split(','));

export function decodeResponder(flat: Flat): ResponderRecord {
  return {
    id: field(flat, 'id') as ResponderId,
    login: field(flat, 'login'),
    displayName: field(flat, 'displayName'),
    teams: splitList(field(flat, 'teams')) as TeamId[],
    roles: splitList(field(flat, 'roles')) as Role[],
    salt: field(flat, 'salt'),
    opslimit: Number(field(flat, 'opslimit')),
    memlimit: Number(field(flat, 'memlimit')),
    authHash: field(flat, 'authHash'),
    active: field(flat, 'active') === '1',
    // Records written before organisations have no org: the deployment's first one.
    ...(flat.org === undefined || flat.org === '' ? {} : { org: flat.org as OrgId }),
  };
}

export function encodeTeam(t: TeamRecord): Flat {
  return { id: t.id, name: t.name, categories: t.categories.join(','), overflow: t.overflow ?? '', ...(t.org === undefined ? {} : { org: t.org }) };
}

export function decodeTeam(flat: Flat): TeamRecord {
  const overflow = field(flat, 'overflow');
  return {
    id: field(flat, 'id') as TeamId,
    name: field(flat, 'name'),
    categories: splitList(field(flat, 'categories')) as Category[],
    overflow: overflow === '' ? null : (overflow as TeamId),
    ...(flat.org === undefined || flat.org === '' ? {} : { org: flat.org as OrgId }),
  };
}

export function encodeSession(s: SessionRecord): Flat {
  return { responder: s.responder, csrfHash: s.csrfHash, createdAt: String(s.createdAt) };
}

export function decodeSession(flat: Flat): SessionRecord {
  return {
    responder: field(flat, 'responder') as ResponderId,
    csrfHash: field(flat, 'csrfHash'),
    createdAt: Number(field(flat, 'createdAt')),
  };
}

export function encodeAudit(a: AuditEntry): Flat {
  const flat: Flat = { at: String(a.at), actor: a.actor, action: a.action, ref: a.ref };
  if (a.org !== undefined) flat.org = a.org;
  if (a.fromTeam !== undefined) flat.fromTeam = a.fromTeam;
  if (a.toTeam !== undefined) flat.toTeam = a.toTeam;
  return flat;
}

export function decodeAudit(flat: Flat): AuditEntry {
  return {
    at: Number(field(flat, 'at')),
    actor: field(flat, 'actor') as ResponderId,
    action: field(flat, 'action'),
    ref: field(flat, 'ref'),
    ...(flat.org === undefined ? {} : { org: flat.org as OrgId }),
    ...(flat.fromTeam === undefined ? {} : { fromTeam: flat.fromTeam as TeamId }),
    ...(flat.toTeam === undefined ? {} : { toTeam: flat.toTeam as TeamId }),
  };
}

/** Compares two stream ids "<ms>-<seq>" numerically: negative, zero or positive. */
export function compareMessageIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const dm = Number(am) - Number(bm);
  return dm !== 0 ? dm : Number(as) - Number(bs);
}

/** The conversation-hash fields that count its notes (the note budget), beside the byte budgets. */
export const NOTE_COUNT_FIELDS = ['notesCount', 'notesBytes'] as const;

/** A note as stored under its place in the conversation's notes hash. */
export function encodeNote(n: { readonly author: ResponderId; readonly at: number; readonly body: string }): string {
  return JSON.stringify({ author: n.author, at: n.at, body: n.body });
}

export function decodeNote(id: string, json: string): NoteRecord {
  const parsed = JSON.parse(json) as { author: string; at: number; body: string };
  return { id, author: parsed.author as ResponderId, at: Number(parsed.at), body: String(parsed.body) };
}

/** The notes of a stored hash (place → JSON), oldest first. */
export function decodeNotes(flat: Flat | null): NoteRecord[] {
  if (flat === null) return [];
  return Object.entries(flat)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([id, json]) => decodeNote(id, json));
}
