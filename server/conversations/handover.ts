// Handover to another organisation's team (issue 17): a responder offers it (the offer also travels
// end-to-end, where the widget verifies the receiving team against the pinned root), and only the
// young person's acceptance (their token) moves the conversation into the receiving team's queue. The
// receiving responder then runs a fresh handshake that the previous organisation cannot answer.
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createOrganisations, orgOf } from '../directory/organisations.js';
import { ApiError, ErrorCode } from '../errors.js';
import { createStatsCounter } from '../stats/counter.js';
import type { ConversationId, ConversationRecord, OrgId, ResponderId, ResponderRecord, Store, TeamId, TeamRecord } from '../store/ports.js';
import type { ConversationService } from './service.js';
import { markHandedIn } from './handed-in.js';

/** Open offers: conversation id → Offer (expires with the conversation's idle TTL). */
const OFFERS = 'handover-offer';

interface Offer {
  readonly team: TeamId;
  readonly from: ResponderId;
  readonly fromTeam: TeamId;
}

/** A team another organisation's responder may hand over to, with the names staff see. */
export interface HandoverTarget {
  readonly team: TeamId;
  readonly name: string;
  readonly org: OrgId;
  readonly orgName: string;
}

/** What an accepted handover did, for the audit logs of both organisations. */
export interface HandedOver {
  readonly record: ConversationRecord;
  readonly from: ResponderId;
  readonly fromTeam: TeamId;
  readonly fromOrg: OrgId;
  readonly toOrg: OrgId;
}

export type Handovers = ReturnType<typeof createHandovers>;

export function createHandovers(deps: {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly conversations: ConversationService;
  /** Frees the previous responder's capacity once the conversation has moved. */
  readonly released?: (responder: ResponderId, id: ConversationId) => Promise<void>;
}) {
  const { store, config } = deps;
  const organisations = createOrganisations(store.records);
  const stats = createStatsCounter({ stats: store.stats, now: () => deps.clock.now() });

  /** The teams of other organisations that an overflow agreement (in either direction) links to `org`. */
  async function targets(org: OrgId): Promise<HandoverTarget[]> {
    const orgs = await organisations.list();
    const linked = new Set<OrgId>();
    for (const o of orgs) {
      if (o.id !== org && o.acceptsOverflowFrom.includes(org)) linked.add(o.id);
      if (o.id === org) for (const from of o.acceptsOverflowFrom) if (from !== org) linked.add(from);
    }
    const names = new Map(orgs.map((o) => [o.id, o.name]));
    return (await store.staff.listTeams())
      .filter((t: TeamRecord) => linked.has(orgOf(t)) && t.categories.length > 0)
      .map((t) => ({ team: t.id, name: t.name, org: orgOf(t), orgName: names.get(orgOf(t)) ?? orgOf(t) }))
      .sort((a, b) => (a.orgName === b.orgName ? a.name.localeCompare(b.name, 'sv') : a.orgName.localeCompare(b.orgName, 'sv')));
  }

  return {
    targets: (responder: ResponderRecord) => targets(orgOf(responder)),

    /**
     * `responder` (the assignee) offers `id` to `team` of another organisation. NotAssignee unless it
     * holds the conversation; HandoverNotAllowed for a team of its own organisation (use a transfer) or
     * of an organisation no agreement links to. Replaces an earlier offer.
     */
    async offer(id: ConversationId, responder: ResponderRecord, team: TeamId): Promise<HandoverTarget> {
      const record = await store.conversations.get(id);
      if (record === null) throw new ApiError(ErrorCode.ConversationGone);
      if (record.status === 'closed') throw new ApiError(ErrorCode.ConversationClosed);
      if (record.status !== 'active' || record.assignee !== responder.id) throw new ApiError(ErrorCode.NotAssignee);
      const target = (await targets(orgOf(responder))).find((t) => t.team === team);
      if (target === undefined) throw new ApiError(ErrorCode.HandoverNotAllowed);
      const offer: Offer = { team, from: responder.id, fromTeam: record.team };
      await store.expiring.put(OFFERS, id, JSON.stringify(offer), config.conversationTtlMs);
      return target;
    },

    /**
     * The young person's answer (the caller checked their token). Declined: the offer is gone and the
     * current responder keeps the conversation. Accepted: it moves to the offered team's queue, waiting,
     * with no assignee (the previous responder loses access at once); null when declined.
     * NoHandoverOffer when no offer to `team` is open.
     */
    async answer(record: ConversationRecord, team: TeamId, accept: boolean): Promise<HandedOver | null> {
      const raw = await store.expiring.get(OFFERS, record.id);
      const offer = raw === null ? null : (JSON.parse(raw) as Offer);
      if (offer === null || offer.team !== team) throw new ApiError(ErrorCode.NoHandoverOffer);
      await store.expiring.delete(OFFERS, record.id);
      if (!accept) return null;
      const from = await store.staff.getResponder(offer.from);
      const to = await store.staff.getTeam(team);
      if (from === null || to === null) throw new ApiError(ErrorCode.NoHandoverOffer);
      // Uncounted as a transfer within a team's statistics: counted below, once per organisation.
      const moved = await deps.conversations.transfer(record.id, from, { kind: 'team', team }, false);
      await markHandedIn(store.expiring, record.id, team, config.conversationTtlMs);
      await stats.transferred(record, 'organisation');
      await stats.opened(moved);
      await deps.released?.(from.id, record.id);
      return { record: moved, from: from.id, fromTeam: offer.fromTeam, fromOrg: orgOf(from), toOrg: orgOf(to) };
    },
  };
}
