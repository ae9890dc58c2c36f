// Organisations of one deployment (a region: municipalities and a regional body). Each has its own
// organisation key certified by the deployment's root, its own staff, teams and sources. Records
// written before organisations name none: they belong to DEFAULT_ORG, so a single-organisation
// deployment is a region of one and keeps its stored data as it is.
import { z } from 'zod';
import { ORG_ID } from '../../contract/ids.js';
import type { OrgId, RecordStore } from '../store/ports.js';

export { ORG_ID };

/** The organisation of every team, responder and source that names none (all of a store written before regions). */
export const DEFAULT_ORG = 'main' as OrgId;

/** The organisation a team, responder or source belongs to. */
export const orgOf = (x: { readonly org?: OrgId | undefined }): OrgId => x.org ?? DEFAULT_ORG;

/**
 * The id of an organisation's record in a keyed collection: the first organisation keeps the id the
 * single-organisation code used ("current"), the others `org:<id>` (':' is not in an org id).
 */
export const orgRecordId = (org: OrgId): string => (org === DEFAULT_ORG ? 'current' : `org:${org}`);

const OrganisationSchema = z
  .object({
    id: z.string().regex(ORG_ID),
    /** The name staff see; visitors are shown the name in the root-signed organisation certificate. */
    name: z.string().min(1).max(80),
    /**
     * Organisations whose teams may name a team of this one as their overflow (this organisation's
     * half of an overflow agreement; the other half is the sending team's `overflow`).
     */
    acceptsOverflowFrom: z.array(z.string().regex(ORG_ID)).max(100).default([]),
    /**
     * Organisations this one asks to take its overflow (its request, shown to their admins until they
     * accept; routing goes by `acceptsOverflowFrom` alone).
     */
    asksOverflowTo: z.array(z.string().regex(ORG_ID)).max(100).default([]),
  })
  .strict();
export type Organisation = Omit<z.infer<typeof OrganisationSchema>, 'id' | 'acceptsOverflowFrom' | 'asksOverflowTo'> & {
  readonly id: OrgId;
  readonly acceptsOverflowFrom: readonly OrgId[];
  readonly asksOverflowTo: readonly OrgId[];
};

const COLLECTION = 'organisations';

export type Organisations = ReturnType<typeof createOrganisations>;

export function createOrganisations(records: RecordStore) {
  const parse = (raw: string) => OrganisationSchema.parse(JSON.parse(raw)) as unknown as Organisation;
  return {
    /** Every registered organisation, by id. A single-organisation store has none registered. */
    async list(): Promise<Organisation[]> {
      return (await records.list(COLLECTION)).map((r) => parse(r.value));
    },
    async get(id: OrgId): Promise<Organisation | null> {
      const raw = await records.get(COLLECTION, id);
      return raw === null ? null : parse(raw);
    },
    async put(org: Organisation): Promise<void> {
      await records.put(COLLECTION, org.id, JSON.stringify(OrganisationSchema.parse(org)));
    },
    /** Whether a team of `from` may overflow to a team of `to`: the same organisation, or `to` agreed. */
    async acceptsOverflow(from: OrgId, to: OrgId): Promise<boolean> {
      if (from === to) return true;
      return (await this.get(to))?.acceptsOverflowFrom.includes(from) ?? false;
    },
  };
}
