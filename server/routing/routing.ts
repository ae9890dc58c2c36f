// Routing on the server: who is really on duty (heartbeat, duty hours, holidays), capacity and load per
// responder, which responders get offers, and auto-assignment to the least-loaded responder.
import type { Clock } from '../clock.js';
import type { ConversationId, ConversationRecord, OrgId, ResponderId, Store, TeamId } from '../store/ports.js';
import { DEFAULT_ORG, orgOf } from '../directory/organisations.js';
import { openingAt } from './opening.js';
import { createTeamSettings } from './team-settings.js';

const CAPACITY = 'duty-capacity';

/**
 * A responder's open assignments live in a sorted set of the queue port under a key no team can
 * have (team ids are [a-z0-9-]); like a queue it may name expired conversations, which are pruned
 * on read against their records.
 */
const assignedKey = (responder: ResponderId) => `~${responder}` as TeamId;

export interface RoutingDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** The young person has gone (visitor-presence.ts): the conversation no longer uses its responder's capacity. */
  readonly isGone?: (id: ConversationId) => Promise<boolean>;
}

export type Routing = ReturnType<typeof createRouting>;

export function createRouting(deps: RoutingDeps) {
  const { store, clock } = deps;
  const settings = createTeamSettings(store.records);

  /** Open conversations assigned to `responder` whose young person is still there (prunes closed, moved or expired ones). */
  async function load(responder: ResponderId): Promise<number> {
    let n = 0;
    for (const entry of await store.queues.list(assignedKey(responder), 100)) {
      const record = await store.conversations.get(entry.id);
      if (record === null || record.status !== 'active' || record.assignee !== responder) await store.queues.remove(assignedKey(responder), entry.id);
      else if (!(await deps.isGone?.(entry.id))) n += 1;
    }
    return n;
  }

  async function capacity(responder: ResponderId, team: TeamId): Promise<number> {
    const stored = await store.records.get(CAPACITY, responder);
    return stored === null ? (await settings.get(team)).defaultCapacity : Number(stored);
  }

  /** Open now: not on one of its holidays (or within that day's special hours), and within its duty hours. */
  async function inHours(team: TeamId): Promise<boolean> {
    return openingAt(await settings.get(team), clock.now()).open;
  }

  /** On-duty responders with a live heartbeat; nobody while the team is closed (duty hours, holidays). */
  async function onDuty(team: TeamId): Promise<ResponderId[]> {
    return (await inHours(team)) ? store.duty.onDuty(team) : [];
  }

  return {
    settings,
    load,
    capacity,
    onDuty,
    isWithinHours: inHours,
    /** The young person of `id` has gone (their tab closed past the grace, no resume). */
    isGone: async (id: ConversationId): Promise<boolean> => (await deps.isGone?.(id)) ?? false,

    /** Per team: responders on duty now (what availability and overflow go by). */
    async staffedCounts(): Promise<Map<TeamId, number>> {
      const teams = await store.staff.listTeams();
      return new Map(await Promise.all(teams.map(async (t) => [t.id, (await onDuty(t.id)).length] as const)));
    },

    /** The team of `org` (the first organisation by default) that takes conversations flagged "under threat", or null. */
    async specialistTeam(org: OrgId = DEFAULT_ORG): Promise<TeamId | null> {
      for (const team of await store.staff.listTeams()) if (orgOf(team) === org && (await settings.get(team.id)).specialist) return team.id;
      return null;
    },

    /** Sets the capacity a responder takes when going on duty. */
    async setCapacity(responder: ResponderId, value: number): Promise<void> {
      await store.records.put(CAPACITY, responder, String(value));
    },

    /** Why `responder` may not take a new conversation of `team` now, or null when it may. */
    async refusal(responder: ResponderId, team: TeamId): Promise<'off_duty' | 'at_capacity' | null> {
      if (!(await onDuty(team)).includes(responder)) return 'off_duty';
      return (await load(responder)) >= (await capacity(responder, team)) ? 'at_capacity' : null;
    },

    /** Whether someone on duty in `team` has room for one more conversation now. */
    async hasRoom(team: TeamId): Promise<boolean> {
      for (const id of await onDuty(team)) if ((await load(id)) < (await capacity(id, team))) return true;
      return false;
    },

    /** Records that `responder` now holds `id`. */
    async assigned(responder: ResponderId, id: ConversationId): Promise<void> {
      await store.queues.add(assignedKey(responder), id, clock.now());
    },

    /** Records that `responder` no longer holds `id`. */
    async released(responder: ResponderId, id: ConversationId): Promise<void> {
      await store.queues.remove(assignedKey(responder), id);
    },

    /**
     * For a team that auto-assigns: the least-loaded on-duty responder with room, or null (then the
     * conversation stays offered to everyone).
     */
    async autoAssignee(record: ConversationRecord): Promise<ResponderId | null> {
      if (!(await settings.get(record.team)).autoAssign) return null;
      let best: { id: ResponderId; load: number } | null = null;
      for (const id of await onDuty(record.team)) {
        const current = await load(id);
        if (current >= (await capacity(id, record.team))) continue;
        if (best === null || current < best.load) best = { id, load: current };
      }
      return best?.id ?? null;
    },
  };
}
