// Callback requests as their own records (store port `callbacks`): waiting in a team → held by one
// responder (taken, or auto-assigned by the server) → attempts ("not reached") → done. The number
// travels only sealed: the visitor seals it to the team inbox key; the server hands that copy to the
// claimer alone, the claimer's console re-seals it to its own key (and to the team's supervisors) and
// the team-sealed copy is deleted. A supervisor sees a number only through `reveal`, audited before
// the ciphertext leaves. Done erases every sealed copy at once; the record (no number) stays in the
// claimer's "done" list until the callback TTL from the request ends.
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { AuditWriter } from '../routes/audit-writer.js';
import type { Routing } from '../routing/routing.js';
import type { StatsCounter } from '../stats/counter.js';
import type { CallbackRecord, ConversationId, ConversationRecord, ResponderId, ResponderRecord, Store, TeamId } from '../store/ports.js';
import { orgOf } from '../directory/organisations.js';
import { createOrgRetention } from '../retention/settings.js';

/** What changed, for the "callback changed" domain event (the responder socket pushes it). */
export interface CallbackChange {
  readonly id: ConversationId;
  readonly team: TeamId;
  readonly state: CallbackRecord['state'] | 'erased';
  /** Who holds it now (or held it until done); null while waiting. */
  readonly claimer: ResponderId | null;
}

export interface CallbacksDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Lifetime of a callback request from its creation (CALLBACK_TTL_DAYS), ms. */
  readonly callbackTtlMs: number;
  readonly audit: AuditWriter;
  /** Duty and auto-assignment; without it nothing is auto-assigned and duty is not checked. */
  readonly routing?: Routing;
  readonly stats?: StatsCounter;
  /**
   * Told after every change. Default: a team event (store.events) of category "callback" — queued,
   * claimed (taken, assigned or an attempt added) or erased (done, deleted) — which the responder
   * sockets push as a "callbacks" list frame.
   */
  readonly changed?: (change: CallbackChange) => Promise<void>;
}

/** The most entries read per list (a responder holds few; a team's waiting list is short by nature). */
const LIST_LIMIT = 100;
/** Done callbacks shown per responder. */
const DONE_LIMIT = 20;

export type Callbacks = ReturnType<typeof createCallbacks>;

export function createCallbacks(deps: CallbacksDeps) {
  const { store, clock, routing } = deps;
  // Default: a team event of category "callback", which the responder sockets push as a "callbacks" list frame.
  const changed =
    deps.changed ??
    ((change: CallbackChange) =>
      store.events.toTeam(
        change.team,
        change.state === 'waiting'
          ? { t: 'queued', c: change.id, category: 'callback', danger: false }
          : change.state === 'claimed'
            ? { t: 'claimed', c: change.id, category: 'callback' }
            : { t: 'erased', c: change.id, category: 'callback' },
      ));
  const tell = (r: CallbackRecord) => changed({ id: r.id, team: r.team, state: r.state, claimer: r.claimer });
  const dims = (r: CallbackRecord) => ({ team: r.team, category: 'callback' as const, source: r.source });

  /** How long a request to `team` lives: its organisation's own retention, never beyond CALLBACK_TTL_DAYS. */
  async function lifetime(team: TeamId): Promise<number> {
    const record = await store.staff.getTeam(team);
    const own = record === null ? null : await createOrgRetention(store.records).stored(orgOf(record));
    return own === null ? deps.callbackTtlMs : Math.min(deps.callbackTtlMs, own.callbackDays * 86_400_000);
  }

  async function require(id: ConversationId): Promise<CallbackRecord> {
    const record = await store.callbacks.get(id);
    if (record === null) throw new ApiError(ErrorCode.ConversationGone);
    return record;
  }

  /** The record if `responder` holds it; NotAssignee otherwise (same answer whoever else asks). */
  async function held(id: ConversationId, responder: ResponderRecord): Promise<CallbackRecord> {
    const record = await require(id);
    if (record.state !== 'claimed' || record.claimer !== responder.id) throw new ApiError(ErrorCode.NotAssignee);
    return record;
  }

  async function onDuty(team: TeamId): Promise<readonly ResponderId[]> {
    return routing === undefined ? store.duty.onDuty(team) : routing.onDuty(team);
  }

  async function claimed(record: CallbackRecord, claimer: ResponderId, autoAssigned: boolean): Promise<CallbackRecord | null> {
    const now = clock.now();
    const next = await store.callbacks.replace(record, { ...record, state: 'claimed', claimer, autoAssigned, claimedAt: now });
    if (next === null) return null;
    await deps.stats?.claimed(dims(next), now - record.createdAt, record.attempts.length === 0);
    await tell(next);
    return next;
  }

  /**
   * Where the team auto-assigns: gives a waiting request to the on-duty responder holding the fewest
   * callbacks. Callbacks do not count against the chat capacity (a call is made later, not held open
   * beside the chats), so a full responder still gets them and "n av m samtal" counts chats only.
   */
  async function autoAssign(record: CallbackRecord): Promise<CallbackRecord | null> {
    if (routing === undefined || record.state !== 'waiting') return null;
    if (!(await routing.settings.get(record.team)).autoAssign) return null;
    let best: { id: ResponderId; held: number } | null = null;
    for (const id of await onDuty(record.team)) {
      const count = (await store.callbacks.list({ kind: 'claimed', responder: id }, LIST_LIMIT)).length;
      if (best === null || count < best.held) best = { id, held: count };
    }
    return best === null ? null : claimed(record, best.id, true);
  }

  return {
    /** Files a visitor's request (its conversation record is the visitor's handle: token, delete now). */
    async request(handle: ConversationRecord, teamSealed: string): Promise<CallbackRecord> {
      const record: CallbackRecord = {
        id: handle.id,
        team: handle.team,
        language: handle.language,
        source: handle.source,
        state: 'waiting',
        claimer: null,
        autoAssigned: false,
        createdAt: handle.createdAt,
        claimedAt: null,
        doneAt: null,
        attempts: [],
        teamSealed,
        claimerSealed: null,
        supervisorSealed: {},
        rev: 0,
      };
      await store.callbacks.create(record, await lifetime(record.team));
      await tell(record);
      return (await autoAssign(record)) ?? record;
    },

    /**
     * The console's lists for `me`: waiting in each of my teams (shown on duty or not; taking one
     * needs duty), held by me, done by me (newest first). Waiting requests of a team that
     * auto-assigns are assigned first when someone is on duty there now (a request that came while
     * nobody was there).
     */
    async lists(me: ResponderRecord) {
      const waiting: CallbackRecord[] = [];
      const onDutyTeams: TeamId[] = [];
      for (const team of me.teams) {
        const present = await onDuty(team);
        if (present.includes(me.id)) onDutyTeams.push(team);
        for (const record of await store.callbacks.list({ kind: 'waiting', team }, LIST_LIMIT)) {
          if (present.length > 0 && (await autoAssign(record)) !== null) continue;
          waiting.push(record);
        }
      }
      const mine = await store.callbacks.list({ kind: 'claimed', responder: me.id }, LIST_LIMIT);
      const done = (await store.callbacks.list({ kind: 'done', responder: me.id }, LIST_LIMIT)).reverse().slice(0, DONE_LIMIT);
      return { waiting, mine, done, onDutyTeams };
    },

    /** Takes a waiting request: a member of its team on duty there; of concurrent takes one wins. */
    async claim(id: ConversationId, me: ResponderRecord): Promise<CallbackRecord> {
      const record = await require(id);
      if (!me.teams.includes(record.team)) throw new ApiError(ErrorCode.Forbidden);
      if (!(await onDuty(record.team)).includes(me.id)) throw new ApiError(ErrorCode.OffDuty);
      if (record.state !== 'waiting') throw new ApiError(ErrorCode.AlreadyClaimed);
      const next = await claimed(record, me.id, false);
      if (next === null) throw new ApiError(ErrorCode.AlreadyClaimed);
      return next;
    },

    /**
     * The sealed request for its claimer only: its own copy once re-sealed; before that the team-sealed
     * copy, or — for a supervisor who took over a request released by a deactivated holder — the copy
     * sealed to that supervisor. NotFound when no copy is left that this claimer can open.
     */
    async sealedForClaimer(id: ConversationId, me: ResponderRecord): Promise<{ kind: 'team' | 'own' | 'supervisor'; sealed: string }> {
      const record = await held(id, me);
      if (record.claimerSealed !== null) return { kind: 'own', sealed: record.claimerSealed };
      if (record.teamSealed !== null) return { kind: 'team', sealed: record.teamSealed };
      const mine = record.supervisorSealed[me.id];
      if (mine !== undefined) return { kind: 'supervisor', sealed: mine };
      throw new ApiError(ErrorCode.NotFound, 'No copy of this number is sealed to you.');
    },

    /**
     * The claimer's console stores its re-sealed copies (its own, and one per supervisor of the team it
     * verified); the team-sealed copy is deleted in the same step, so from now on nobody else on the
     * team can be handed something they could open.
     */
    async reseal(id: ConversationId, me: ResponderRecord, copies: { own: string; supervisors: Readonly<Record<string, string>> }): Promise<void> {
      const record = await held(id, me);
      if (record.claimerSealed !== null) throw new ApiError(ErrorCode.InvalidRequest, 'Already re-sealed.');
      for (const supervisor of Object.keys(copies.supervisors)) {
        const r = await store.staff.getResponder(supervisor as ResponderId);
        if (r === null || !r.active || !r.roles.includes('supervisor') || !r.teams.includes(record.team)) {
          throw new ApiError(ErrorCode.InvalidRequest, 'Not a supervisor of the team.');
        }
      }
      const next = await store.callbacks.replace(record, { ...record, teamSealed: null, claimerSealed: copies.own, supervisorSealed: { ...copies.supervisors } });
      if (next === null) throw new ApiError(ErrorCode.NotAssignee);
    },

    /** "Not reached": one more attempt; it stays with its claimer, who tries again (the number is sealed to them). */
    async notReached(id: ConversationId, me: ResponderRecord): Promise<CallbackRecord> {
      const record = await held(id, me);
      const next = await store.callbacks.replace(record, { ...record, attempts: [...record.attempts, { at: clock.now(), by: me.id }] });
      if (next === null) throw new ApiError(ErrorCode.NotAssignee);
      await deps.stats?.callbackNotReached(dims(next));
      await tell(next);
      return next;
    },

    /** Called: every sealed copy is erased at once; the record (no number) stays in my done list until its TTL. */
    async done(id: ConversationId, me: ResponderRecord): Promise<CallbackRecord> {
      const record = await held(id, me);
      const next = await store.callbacks.replace(record, { ...record, state: 'done', doneAt: clock.now(), teamSealed: null, claimerSealed: null, supervisorSealed: {} });
      if (next === null) throw new ApiError(ErrorCode.NotAssignee);
      // The visitor's handle is closed too (it holds no number; "delete now" still erases both).
      await store.conversations.close(id, null, 'callback-done');
      await deps.stats?.callbackDone(dims(next));
      await tell(next);
      return next;
    },

    /**
     * A supervisor of the team asks to see the number: the audit entry is written first, then the
     * copy sealed to this supervisor (or, before the claimer's console has re-sealed it, the
     * team-sealed one) is handed over. NotFound when there is no copy this supervisor can open.
     */
    async reveal(id: ConversationId, me: ResponderRecord): Promise<{ kind: 'team' | 'supervisor'; sealed: string }> {
      const record = await require(id);
      if (!me.roles.includes('supervisor') || !me.teams.includes(record.team)) throw new ApiError(ErrorCode.Forbidden);
      const own = record.supervisorSealed[me.id];
      const copy = own !== undefined ? { kind: 'supervisor' as const, sealed: own } : record.teamSealed !== null ? { kind: 'team' as const, sealed: record.teamSealed } : null;
      if (copy === null) throw new ApiError(ErrorCode.NotFound, 'No copy of this number is sealed to you.');
      await deps.audit(me.id, 'callback-reveal', id);
      return copy;
    },

    /**
     * The holder was deactivated: what they held goes back to waiting in its team. Their own copy goes
     * (only they could open it); the team-sealed copy, if not yet re-sealed, and the supervisors'
     * copies stay — a colleague or a supervisor takes it from there. Returns how many went back.
     */
    async releaseAll(holder: ResponderId): Promise<number> {
      let released = 0;
      for (const record of await store.callbacks.list({ kind: 'claimed', responder: holder }, LIST_LIMIT)) {
        const next = await store.callbacks.replace(record, { ...record, state: 'waiting', claimer: null, autoAssigned: false, claimedAt: null, claimerSealed: null });
        if (next === null) continue;
        released += 1;
        await tell(next);
      }
      return released;
    },

    /** "Delete now" (or the handle's erasure): the record goes at once. */
    async erase(id: ConversationId): Promise<void> {
      const record = await store.callbacks.get(id);
      if (record === null) return;
      await store.callbacks.erase(id);
      if (record.state === 'waiting') await deps.stats?.abandoned(dims(record), 'deleted');
      await changed({ id, team: record.team, state: 'erased', claimer: record.claimer });
    },
  };
}
