// The conversation lifecycle over the Store port: open, post, replay, claim, transfer, close,
// erase. Transport-free: the HTTP routes and the WebSocket hub both call it.
import type { Clock, RandomBytes } from '../clock.js';
import type { Config } from '../config.js';
import { ApiError, ErrorCode } from '../errors.js';
import { agreementKey, chooseTeam, type RouteScope } from '../routing/choose-team.js';
import { createOrganisations, DEFAULT_ORG, orgOf } from '../directory/organisations.js';
import { preferTeam } from '../sources/index.js';
import type { Routing } from '../routing/routing.js';
import { createStatsCounter } from '../stats/counter.js';
import { countExpiredEntry, messageCount } from '../stats/conversation-stats.js';
import type {
  Category,
  ConversationId,
  ConversationRecord,
  Envelope,
  LogEntry,
  MessageId,
  ResponderRecord,
  Sender,
  OrgId,
  Store,
  TeamId,
  TeamRecord,
  TransferTarget,
} from '../store/ports.js';
import { takeHandedIn } from './handed-in.js';
import { createHighWater } from './high-water.js';
import type { VisitorPresence } from './visitor-presence.js';
import { hashToken, newConversationId, newToken, tokenMatches } from './ids.js';

export interface ConversationServiceDeps {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly random: RandomBytes;
  /** Duty hours, capacity and auto-assignment; without it everyone on duty counts, nothing is auto-assigned. */
  readonly routing?: Routing;
  /** Whether the young person is still there; a conversation opened while nobody was on duty is a left message. */
  readonly presence?: Pick<VisitorPresence, 'openedAsMessage' | 'forget'>;
  /**
   * Callback requests (their own records, server/callbacks): a conversation of category "callback"
   * is only the visitor's handle (token, delete now); its sealed request goes here, not into a log or a queue.
   */
  readonly callbacks?: {
    request(handle: ConversationRecord, teamSealed: string): Promise<unknown>;
    erase(id: ConversationId): Promise<void>;
  };
}

export interface OpenInput {
  /** Drawn by the visitor so its sealed intake can bind it; null: the server draws one. */
  readonly id: ConversationId | null;
  readonly category: Category;
  readonly language: string;
  readonly source: string;
  readonly danger: boolean;
  readonly intake: Envelope | null;
  /** The source's target team: routing starts there when it handles the category (absent: by category). */
  readonly team?: TeamId | null;
  /** The source's organisation: routing starts among its teams (absent: the target team's, else the first). */
  readonly org?: OrgId | null;
}

export interface Opened {
  readonly record: ConversationRecord;
  /** The visitor's bearer token; only its hash is stored. */
  readonly token: string;
  readonly staffed: boolean;
  readonly expiresAt: number;
}

export interface Availability {
  readonly team: TeamId;
  readonly staffed: boolean;
  readonly onDuty: number;
  readonly waiting: number;
}

/** Entries read per store call while a page is filled (GET …/messages). */
const PAGE_STEP = 16;

/** Danger jumps the queue: its score sorts before every ordinary entry. */
const DANGER_OFFSET = 1e13;

/** A record's place in its team's queue: danger first, then by when it (re-)entered the queue. */
export const queueScore = (r: ConversationRecord) => (r.danger ? r.queuedAt - DANGER_OFFSET : r.queuedAt);

export type ConversationService = ReturnType<typeof createConversationService>;

export function createConversationService(deps: ConversationServiceDeps) {
  const { store, config, clock, random } = deps;
  const organisations = createOrganisations(store.records);

  const ttlOf = (category: Category) => (category === 'callback' ? config.callbackTtlMs : config.conversationTtlMs);
  // Statistics (invariant 5): counters per day × team × category × source, never per conversation.
  const stats = createStatsCounter({ stats: store.stats, now: () => clock.now() });
  // A first claim: session 1, or the receiving organisation's first after a handover (counted once there).
  const claimedStats = async (r: ConversationRecord) =>
    stats.claimed(r, clock.now() - r.queuedAt, r.session === 1 || (r.session > 1 && (await takeHandedIn(store.expiring, r.id, r.team))));
  // Abuse limits (issue 14 §2): byte budgets per conversation spent inside each append (one store
  // call per message), a high-water mark before each open.
  const highWater = createHighWater({ gauge: store.memory, clock, policy: config.highWater });

  async function onDutyCounts(): Promise<Map<TeamId, number>> {
    if (deps.routing !== undefined) return deps.routing.staffedCounts();
    const teams = await store.staff.listTeams();
    const counts = await Promise.all(teams.map(async (t) => [t.id, (await store.duty.onDuty(t.id)).length] as const));
    return new Map(counts);
  }

  /**
   * Where a conversation through a source of `org` (or aimed at `preferred`) enters, and the overflow
   * agreements of the region. "Full" is asked only of staffed teams whose overflow crosses an
   * agreement, so a single organisation pays nothing for it.
   */
  async function routeScope(teams: readonly TeamRecord[], counts: ReadonlyMap<TeamId, number>, preferred: TeamId | null, org: OrgId | null, danger: boolean): Promise<RouteScope> {
    const entry = org ?? (preferred === null ? undefined : teams.find((t) => t.id === preferred)?.org) ?? DEFAULT_ORG;
    const agreements = new Set<string>();
    for (const o of await organisations.list()) for (const from of o.acceptsOverflowFrom) agreements.add(agreementKey(from, o.id));
    const full = new Set<TeamId>();
    const byId = new Map(teams.map((t) => [t.id, t]));
    for (const t of teams) {
      const next = t.overflow === null ? undefined : byId.get(t.overflow);
      if (next === undefined || orgOf(next) === orgOf(t) || !agreements.has(agreementKey(orgOf(t), orgOf(next)))) continue;
      if ((counts.get(t.id) ?? 0) > 0 && deps.routing !== undefined && !(await deps.routing.hasRoom(t.id))) full.add(t.id);
    }
    // In danger, with no specialist team of its own to hand over to, the organisation's overflow
    // partner answers (asked only for danger: the settings read costs the others nothing).
    const dangerElsewhere = danger && ((await deps.routing?.specialistTeam(entry)) ?? null) === null;
    return { org: entry, agreements, full, dangerElsewhere };
  }

  /** The team a new conversation goes to; `danger`: the young person said "I am in danger right now". */
  async function route(category: Category, preferred: TeamId | null, org: OrgId | null, danger = false) {
    const teams = preferTeam(await store.staff.listTeams(), preferred, category);
    const counts = await onDutyCounts();
    const choice = chooseTeam(category, teams, counts, await routeScope(teams, counts, preferred, org, danger));
    if (choice === null) throw new ApiError(ErrorCode.NoTeam);
    return { choice, counts };
  }

  async function require(id: ConversationId): Promise<ConversationRecord> {
    const record = await store.conversations.get(id);
    if (record === null) throw new ApiError(ErrorCode.ConversationGone);
    return record;
  }

  /** Decoded bytes of a body (base64url without padding: 4 characters carry 3 bytes), or MessageTooLarge. */
  function checkSize(input: Envelope): number {
    const bytes = Math.floor((input.body.length * 3) / 4);
    if (bytes > config.maxMessageBytes) throw new ApiError(ErrorCode.MessageTooLarge);
    return bytes;
  }

  async function append(record: ConversationRecord, from: Sender, input: Envelope): Promise<{ entry: LogEntry; duplicate: boolean }> {
    const bytes = checkSize(input);
    const { bytesPerHour, maxBytes } = config.conversationBudget;
    const budget = { bytes, bytesPerHour, maxBytes, now: clock.now() };
    const result = await store.log.append(record.id, from, record.session, input, ttlOf(record.category), config.maxLogEntries, budget);
    if (result.ok) return { entry: result.entry, duplicate: result.duplicate };
    switch (result.reason) {
      case 'gone':
        throw new ApiError(ErrorCode.ConversationGone);
      case 'full':
        throw new ApiError(ErrorCode.ConversationFull);
      case 'too-large':
        throw new ApiError(ErrorCode.ConversationTooLarge);
      case 'rate':
        throw new ApiError(ErrorCode.ConversationRateLimited, undefined, Math.max(1, Math.ceil(result.resetMs / 1000)));
    }
  }

  /** Where the team auto-assigns: claims it for the least-loaded responder on duty (who then runs the handshake). */
  async function autoAssign(record: ConversationRecord): Promise<void> {
    const assignee = await deps.routing?.autoAssignee(record);
    if (assignee === undefined || assignee === null) return;
    const result = await store.conversations.claim(record.id, assignee);
    if (!result.ok) return;
    await store.queues.remove(record.team, record.id);
    await deps.routing?.assigned(assignee, record.id);
    await store.events.toTeam(record.team, { t: 'claimed', c: record.id, category: record.category });
    await claimedStats(result.record);
  }

  return {
    /** Availability of the team a category routes to now (for the widget's first screen; `danger`: as the young person marked it). */
    async availability(category: Category, preferred: TeamId | null = null, org: OrgId | null = null, danger = false): Promise<Availability> {
      const { choice, counts } = await route(category, preferred, org, danger);
      return {
        team: choice.team.id,
        staffed: choice.staffed,
        onDuty: counts.get(choice.team.id) ?? 0,
        waiting: await store.queues.size(choice.team.id),
      };
    },

    /** Opens a conversation (proof of work already checked), queues it, stores the intake. */
    async open(input: OpenInput): Promise<Opened> {
      await highWater.admitNewConversation();
      const { choice } = await route(input.category, input.team ?? null, input.org ?? null, input.danger);
      const now = clock.now();
      const token = newToken(random);
      const record: ConversationRecord = {
        id: input.id ?? newConversationId(random),
        category: input.category,
        team: choice.team.id,
        language: input.language,
        source: input.source,
        status: 'waiting',
        tokenHash: hashToken(token),
        createdAt: now,
        queuedAt: now,
        assignee: null,
        session: 0,
        danger: input.danger,
        outcome: null,
      };
      if (input.intake !== null) checkSize(input.intake);
      if (record.category === 'callback' && deps.callbacks !== undefined) {
        if (input.intake === null) throw new ApiError(ErrorCode.InvalidRequest, 'A callback request needs its sealed request.');
        await store.conversations.create(record, ttlOf(record.category));
        await stats.opened(record);
        await deps.callbacks.request(record, input.intake.body);
        return { record, token, staffed: choice.staffed, expiresAt: now + ttlOf(record.category) };
      }
      await store.conversations.create(record, ttlOf(record.category));
      if (input.intake !== null) await append(record, 'visitor', input.intake);
      await store.queues.add(record.team, record.id, queueScore(record));
      await store.events.toTeam(record.team, { t: 'queued', c: record.id, category: record.category, danger: record.danger });
      await stats.opened(record);
      // Nobody on duty ("Skriv ändå"): a message left for the next responder, kept queued when the tab closes.
      if (!choice.staffed && record.category !== 'callback') await deps.presence?.openedAsMessage(record.id);
      await autoAssign(record);
      return { record, token, staffed: choice.staffed, expiresAt: now + ttlOf(record.category) };
    },

    /** The conversation if `token` is its visitor's; unauthorized otherwise (same answer for unknown ids). */
    async asVisitor(id: ConversationId, token: string): Promise<ConversationRecord> {
      const record = await store.conversations.get(id);
      if (record === null || !tokenMatches(token, record.tokenHash)) throw new ApiError(ErrorCode.Unauthorized);
      return record;
    },

    /** The conversation if `responder` may read it: its assignee, or a member of its team while it waits. */
    async asResponder(id: ConversationId, responder: ResponderRecord): Promise<ConversationRecord> {
      const record = await require(id);
      // A callback's handle holds nothing for a responder: its request lives in the callback record.
      if (record.category === 'callback' && deps.callbacks !== undefined) throw new ApiError(ErrorCode.Forbidden);
      const mayRead =
        record.assignee === responder.id ||
        (record.status === 'waiting' &&
          responder.teams.includes(record.team) &&
          // A waiting conversation is offered only to those on duty in its team.
          (deps.routing === undefined || (await deps.routing.onDuty(record.team)).includes(responder.id)));
      if (!mayRead) throw new ApiError(ErrorCode.Forbidden);
      return record;
    },

    /**
     * Who can answer a waiting conversation now: someone on duty in its team (staffed), and someone
     * of them with room for one more (room). Without routing: everyone on duty counts, with room.
     */
    async presence(record: ConversationRecord): Promise<{ staffed: boolean; room: boolean }> {
      if (deps.routing === undefined) {
        const staffed = (await store.duty.onDuty(record.team)).length > 0;
        return { staffed, room: staffed };
      }
      const staffed = (await deps.routing.onDuty(record.team)).length > 0;
      return { staffed, room: staffed && (await deps.routing.hasRoom(record.team)) };
    },

    /** Position in the team's queue (0-based) while waiting, else null. */
    async queuePosition(record: ConversationRecord): Promise<number | null> {
      return record.status === 'waiting' ? store.queues.rank(record.team, record.id) : null;
    },

    async postAsVisitor(record: ConversationRecord, input: Envelope) {
      if (record.status === 'closed') throw new ApiError(ErrorCode.ConversationClosed);
      return append(record, 'visitor', input);
    },

    async postAsResponder(record: ConversationRecord, responder: ResponderRecord, input: Envelope) {
      if (record.status === 'closed') throw new ApiError(ErrorCode.ConversationClosed);
      if (record.assignee !== responder.id) throw new ApiError(ErrorCode.NotAssignee);
      return append(record, 'responder', input);
    },

    async history(id: ConversationId, after: MessageId | null, limit: number): Promise<LogEntry[]> {
      return store.log.after(id, after, limit);
    },

    /**
     * One page for GET …/messages: at most `limit` entries and about MAX_PAGE_BYTES of ciphertext
     * (always at least one entry); the client continues after the last id. Read in small steps, so
     * a page never loads more than it answers with.
     */
    async page(id: ConversationId, after: MessageId | null, limit: number): Promise<LogEntry[]> {
      const page: LogEntry[] = [];
      let bytes = 0;
      let last = after;
      while (page.length < limit) {
        const want = Math.min(PAGE_STEP, limit - page.length);
        const step = await store.log.after(id, last, want);
        for (const entry of step) {
          // Counted as sent: base64url characters, one byte each in the JSON answer.
          bytes += entry.body.length;
          if (page.length > 0 && bytes > config.maxPageBytes) return page;
          page.push(entry);
        }
        if (step.length < want) return page;
        last = step[step.length - 1]!.id;
      }
      return page;
    },

    async claim(id: ConversationId, responder: ResponderRecord): Promise<ConversationRecord> {
      const record = await require(id);
      if (!responder.teams.includes(record.team)) throw new ApiError(ErrorCode.Forbidden);
      if (record.category === 'callback' && deps.callbacks !== undefined) throw new ApiError(ErrorCode.InvalidRequest, 'A callback is taken on its own route.');
      const result = await store.conversations.claim(id, responder.id);
      if (!result.ok) {
        throw new ApiError(
          result.reason === 'gone'
            ? ErrorCode.ConversationGone
            : result.reason === 'closed'
              ? ErrorCode.ConversationClosed
              : ErrorCode.AlreadyClaimed,
        );
      }
      await store.queues.remove(record.team, id);
      await store.events.toTeam(record.team, { t: 'claimed', c: id, category: record.category });
      await claimedStats(result.record);
      return result.record;
    },

    /** Hands it on; `counted` false for a callback put back after "not reached" (counted as that). */
    async transfer(id: ConversationId, responder: ResponderRecord, target: TransferTarget, counted = true): Promise<ConversationRecord> {
      if (target.kind === 'team' && (await store.staff.getTeam(target.team)) === null) throw new ApiError(ErrorCode.InvalidRequest, 'Unknown team.');
      if (target.kind === 'responder') {
        const next = await store.staff.getResponder(target.responder);
        const record = await require(id);
        if (next === null || !next.active || !next.teams.includes(record.team)) throw new ApiError(ErrorCode.InvalidRequest, 'Unknown responder.');
      }
      const result = await store.conversations.transfer(id, responder.id, target, clock.now());
      if (!result.ok) {
        throw new ApiError(
          result.reason === 'gone' ? ErrorCode.ConversationGone : result.reason === 'closed' ? ErrorCode.ConversationClosed : ErrorCode.NotAssignee,
        );
      }
      const { team, category, danger } = result.record;
      if (result.record.status === 'waiting') {
        await store.queues.add(team, id, queueScore(result.record));
        await store.events.toTeam(team, { t: 'queued', c: id, category, danger });
      } else {
        // To a colleague of the team: the receiver's own list changed.
        await store.events.toTeam(team, { t: 'transferred', c: id, category });
      }
      if (counted) await stats.transferred(result.record, target.kind);
      return result.record;
    },

    /** Closes it; `by` null is the visitor. */
    async close(id: ConversationId, by: ResponderRecord | null, outcome: string | null): Promise<ConversationRecord> {
      const result = await store.conversations.close(id, by?.id ?? null, outcome);
      if (!result.ok) {
        throw new ApiError(
          result.reason === 'gone' ? ErrorCode.ConversationGone : result.reason === 'closed' ? ErrorCode.ConversationClosed : ErrorCode.NotAssignee,
        );
      }
      const wasQueued = await store.queues.remove(result.record.team, id);
      await deps.presence?.forget(id);
      if (wasQueued) await store.events.toTeam(result.record.team, { t: 'closed', c: id, category: result.record.category });
      // Closed by the visitor while still in the queue: left before anyone took it.
      if (wasQueued && by === null) await stats.abandoned(result.record, 'left');
      const claimedOnce = result.record.session > 0 && !wasQueued;
      await stats.closed(
        result.record,
        outcome ?? (by === null ? 'visitor' : 'none'),
        claimedOnce ? { messages: await messageCount(store.log, id), durationMs: clock.now() - result.record.createdAt } : null,
      );
      return result.record;
    },

    /** "Delete now": erases everything of the conversation at once (the store tells connected clients). */
    async erase(record: ConversationRecord): Promise<void> {
      await store.conversations.erase(record.id);
      await deps.presence?.forget(record.id);
      if (record.category === 'callback') await deps.callbacks?.erase(record.id);
      // Only the removal that took it out of the queue counts it (a sweep may race this one).
      if (await store.queues.remove(record.team, record.id)) {
        await stats.abandoned(record, 'deleted');
        await store.events.toTeam(record.team, { t: 'erased', c: record.id, category: record.category });
      }
    },

    /** Waiting conversations of a team, oldest (danger first), with their intake; prunes gone ids. */
    async queue(team: TeamId, limit = 100) {
      const entries = await store.queues.list(team, limit);
      const items = [];
      for (const entry of entries) {
        const record = await store.conversations.get(entry.id);
        if (record === null) {
          await countExpiredEntry(store, stats, team, entry.id);
          continue;
        }
        if (record.status !== 'waiting' || record.team !== team) {
          await store.queues.remove(team, entry.id);
          continue;
        }
        const [intake] = await store.log.after(record.id, null, 1);
        if (record.category === 'callback' && deps.callbacks !== undefined) {
          // Written before callbacks had their own records (queued, the request in the log): moved over once.
          if (intake !== undefined && (await store.callbacks.get(record.id)) === null) await deps.callbacks.request(record, intake.body);
          await store.queues.remove(team, entry.id);
          continue;
        }
        items.push({ record, intake: intake?.kind === 'intake' ? intake : null });
      }
      return items;
    },
  };
}
