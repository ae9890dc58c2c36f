// The key directory: signed certificates and sealed key deliveries the server stores and hands out
// but cannot forge (every client verifies them against the pinned root key). Over the RecordStore.
import { z } from 'zod';
import type { OrgId, RecordStore, ResponderId, TeamId } from '../store/ports.js';
import { DEFAULT_ORG, orgRecordId } from './organisations.js';

const b64 = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const OrgBundleSchema = z.object({
  /** Informational only: clients trust the root key pinned in their build, never this field. */
  rootPublicKey: b64,
  orgCert: b64,
  revocationList: b64,
  /** The root's revocation of organisation certificates (crypto/certs.ts issueOrgRevocation), if any. */
  orgRevocation: b64.optional(),
});
export type OrgBundle = z.infer<typeof OrgBundleSchema>;

export const TeamKeySchema = z.object({
  team: z.string(),
  epoch: z.number().int().positive(),
  cert: b64,
  /** The epoch's inbox private key sealed to each member's X25519 key, by responder id. */
  deliveries: z.record(z.string(), b64),
  createdAt: z.number().int(),
});
export type TeamKeyRecord = z.infer<typeof TeamKeySchema>;

export const ResponderKeysSchema = z.object({
  responder: z.string(),
  cert: b64,
  /** Private keys encrypted under the password-derived wrap key; opaque to the server. */
  wrappedKeys: b64,
});
export type ResponderKeysRecord = z.infer<typeof ResponderKeysSchema>;

/**
 * The organisation signing key sealed under an admin passphrase (crypto/org-key.ts): opaque to the
 * server, opened only in an admin's browser or the ceremony CLI. The Argon2id salt and cost travel
 * with it; `orgPublicKey` is informational (the browser checks the key against the org certificate).
 */
export const SealedOrgKeySchema = z.object({
  orgPublicKey: b64,
  salt: b64,
  opslimit: z.number().int().positive(),
  memlimit: z.number().int().positive(),
  sealed: b64,
});
export type SealedOrgKey = z.infer<typeof SealedOrgKeySchema>;

const ORG = 'directory-org';
const ORG_KEY = 'directory-org-key';
const TEAM_KEYS = 'directory-team-keys';
const TEAM_EPOCH = 'directory-team-epoch';
const RESPONDER_KEYS = 'directory-responder-keys';

function parse<T>(schema: z.ZodType<T>, value: string | null): T | null {
  return value === null ? null : schema.parse(JSON.parse(value));
}

export type Directory = ReturnType<typeof createDirectory>;

export function createDirectory(records: RecordStore) {
  return {
    /** An organisation's certificate and revocation lists (the deployment's first one by default). */
    async getOrg(org: OrgId = DEFAULT_ORG): Promise<OrgBundle | null> {
      return parse(OrgBundleSchema, await records.get(ORG, orgRecordId(org)));
    },
    async putOrg(bundle: OrgBundle, org: OrgId = DEFAULT_ORG): Promise<void> {
      await records.put(ORG, orgRecordId(org), JSON.stringify(OrgBundleSchema.parse(bundle)));
    },
    /** The passphrase-sealed organisation key of a real organisation, or null (the demo keeps its own). */
    async getSealedOrgKey(org: OrgId = DEFAULT_ORG): Promise<SealedOrgKey | null> {
      return parse(SealedOrgKeySchema, await records.get(ORG_KEY, orgRecordId(org)));
    },
    async putSealedOrgKey(sealed: SealedOrgKey, org: OrgId = DEFAULT_ORG): Promise<void> {
      await records.put(ORG_KEY, orgRecordId(org), JSON.stringify(SealedOrgKeySchema.parse(sealed)));
    },
    /** The team's current inbox epoch, or null before its first key. */
    async currentTeamKey(team: TeamId): Promise<TeamKeyRecord | null> {
      const epoch = await records.get(TEAM_EPOCH, team);
      return epoch === null ? null : parse(TeamKeySchema, await records.get(TEAM_KEYS, `${team}:${epoch}`));
    },
    /** Every stored epoch of the team, oldest first (older ones open callbacks sealed before a rotation). */
    async teamKeys(team: TeamId): Promise<TeamKeyRecord[]> {
      const all = await records.list(TEAM_KEYS);
      return all
        .filter((r) => r.id.startsWith(`${team}:`))
        .map((r) => TeamKeySchema.parse(JSON.parse(r.value)))
        .sort((a, b) => a.epoch - b.epoch);
    },
    /** Stores an epoch and makes it current. */
    async putTeamKey(record: TeamKeyRecord): Promise<void> {
      await records.put(TEAM_KEYS, `${record.team}:${record.epoch}`, JSON.stringify(TeamKeySchema.parse(record)));
      await records.put(TEAM_EPOCH, record.team, String(record.epoch));
    },
    /** Deletes epochs older than `keepFrom` (retention). */
    async pruneTeamKeys(team: TeamId, keepFrom: number): Promise<void> {
      for (const record of await this.teamKeys(team)) {
        if (record.epoch < keepFrom) await records.delete(TEAM_KEYS, `${team}:${record.epoch}`);
      }
    },
    async getResponderKeys(id: ResponderId): Promise<ResponderKeysRecord | null> {
      return parse(ResponderKeysSchema, await records.get(RESPONDER_KEYS, id));
    },
    async listResponderKeys(): Promise<ResponderKeysRecord[]> {
      return (await records.list(RESPONDER_KEYS)).map((r) => ResponderKeysSchema.parse(JSON.parse(r.value)));
    },
    async putResponderKeys(record: ResponderKeysRecord): Promise<void> {
      await records.put(RESPONDER_KEYS, record.responder, JSON.stringify(ResponderKeysSchema.parse(record)));
    },
  };
}
