// Consented identity (invariant 4's one exception): a name or phone number the young person chose to
// share, sealed in the browser to the team inbox key, kept for the retention the visitor picked and
// revocable by the visitor. The server stores ciphertext and metadata only.
import type { Clock, RandomBytes } from '../clock.js';
import { hashToken, newConversationId, tokenMatches } from '../conversations/ids.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { ConversationRecord, CounterStore, ExpiringRecordStore, TeamId } from '../store/ports.js';

/** Retentions a visitor may choose, in days. */
export const CONSENT_RETENTION_DAYS = [30, 90, 180] as const;
export type ConsentRetentionDays = (typeof CONSENT_RETENTION_DAYS)[number];

const DAY_MS = 86_400_000;
const byTeam = (team: string) => `consent:${team}`;
/** id → team, so a visitor can revoke with the id alone (same TTL as the consent). */
const REF = 'consent-ref';

/** One consent as stored and as listed to the team's responders. */
export interface ConsentRecord {
  readonly id: string;
  readonly team: TeamId;
  /** The conversation it was given in (it may have expired since). */
  readonly conversation: string;
  /** base64url of the sealed identity (an intake-format box to the team inbox key, category "consent"). */
  readonly sealed: string;
  readonly retentionDays: ConsentRetentionDays;
  readonly createdAt: number;
  readonly expiresAt: number;
}

interface Stored extends ConsentRecord {
  /** SHA-256 of the visitor's conversation token: the right to revoke. */
  readonly tokenHash: string;
}

export interface ConsentServiceDeps {
  readonly expiring: ExpiringRecordStore;
  readonly clock: Clock;
  readonly random: RandomBytes;
  /** Budget of consents per conversation token (CONSENTS_PER_CONVERSATION); without it, grant is unlimited. */
  readonly perToken?: { readonly counters: CounterStore; readonly limit: number };
}

/** One page of a team consent list, and the cursor of the next (null: the last page). */
export interface ConsentPage {
  readonly items: ConsentRecord[];
  readonly next: string | null;
}

/** Order of the consent list: oldest first, then by id; the cursor is the last item's position. */
const positionOf = (r: ConsentRecord) => `${String(r.createdAt).padStart(16, '0')}.${r.id}`;

export type ConsentService = ReturnType<typeof createConsentService>;

const publicView = ({ tokenHash: _omit, ...record }: Stored): ConsentRecord => record;

export function createConsentService(deps: ConsentServiceDeps) {
  const { expiring, clock, random } = deps;

  const load = async (id: string): Promise<Stored | null> => {
    const team = await expiring.get(REF, id);
    if (team === null) return null;
    const value = await expiring.get(byTeam(team), id);
    return value === null ? null : (JSON.parse(value) as Stored);
  };

  return {
    /** Stores a consent given in `conversation` by the holder of `token`; returns its id and expiry. */
    async grant(conversation: ConversationRecord, token: string, sealed: string, retentionDays: ConsentRetentionDays): Promise<ConsentRecord> {
      if (conversation.status === 'closed') throw new ApiError(ErrorCode.ConversationClosed);
      // Consents outlive "delete now" by design, so each conversation may leave only a few behind.
      if (deps.perToken !== undefined) {
        const spent = await deps.perToken.counters.spend(`consents:${hashToken(token)}`, 1, deps.perToken.limit, Math.max(...CONSENT_RETENTION_DAYS) * DAY_MS);
        if (!spent.ok) throw new ApiError(ErrorCode.ConsentLimit);
      }
      const now = clock.now();
      const ttl = retentionDays * DAY_MS;
      const record: Stored = {
        id: newConversationId(random),
        team: conversation.team,
        conversation: conversation.id,
        sealed,
        retentionDays,
        createdAt: now,
        expiresAt: now + ttl,
        tokenHash: hashToken(token),
      };
      await expiring.put(byTeam(record.team), record.id, JSON.stringify(record), ttl);
      await expiring.put(REF, record.id, record.team, ttl);
      return publicView(record);
    },

    /** The visitor withdraws it (token of the conversation it was given in). Unauthorized for a wrong token or unknown id. */
    async revoke(id: string, token: string): Promise<void> {
      const record = await load(id);
      if (record === null || !tokenMatches(token, record.tokenHash)) throw new ApiError(ErrorCode.Unauthorized);
      await expiring.delete(byTeam(record.team), id);
      await expiring.delete(REF, id);
    },

    /** Live consents of the given teams, oldest first. */
    async listForTeams(teams: readonly string[]): Promise<ConsentRecord[]> {
      const all: ConsentRecord[] = [];
      for (const team of teams) {
        for (const { value } of await expiring.list(byTeam(team))) all.push(publicView(JSON.parse(value) as Stored));
      }
      return all.sort((a, b) => a.createdAt - b.createdAt);
    },

    /** Live consents of the given teams, one page of at most `limit` after `cursor` (null: from the start). */
    async pageForTeams(teams: readonly string[], cursor: string | null, limit: number): Promise<ConsentPage> {
      const all = (await this.listForTeams(teams)).filter((r) => cursor === null || positionOf(r) > cursor);
      all.sort((a, b) => (positionOf(a) < positionOf(b) ? -1 : 1));
      const items = all.slice(0, limit);
      return { items, next: all.length > limit ? positionOf(items[items.length - 1]!) : null };
    },

    /** Retention: erases the consents of `teams` given before `before` (ms); returns how many. */
    async purgeGivenBefore(teams: readonly string[], before: number): Promise<number> {
      let purged = 0;
      for (const team of teams) {
        for (const { id, value } of await expiring.list(byTeam(team))) {
          if ((JSON.parse(value) as Stored).createdAt >= before) continue;
          await expiring.delete(byTeam(team), id);
          await expiring.delete(REF, id);
          purged += 1;
        }
      }
      return purged;
    },

    /** A team member erases a consent (e.g. once support has started elsewhere). */
    async eraseAsResponder(id: string, teams: readonly string[]): Promise<void> {
      const record = await load(id);
      if (record === null) throw new ApiError(ErrorCode.NotFound);
      if (!teams.includes(record.team)) throw new ApiError(ErrorCode.Forbidden);
      await expiring.delete(byTeam(record.team), id);
      await expiring.delete(REF, id);
    },
  };
}
