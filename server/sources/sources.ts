// Outreach sources (QR posters, web pages): a tag the statistics count conversations under, a label
// for staff, and optionally the team and widget language a campaign is for. Staff-side records in
// the RecordStore (persistent, never visitor data).
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { LANGUAGE_IDS, type LanguageId } from '../../contract/languages.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Category, OrgId, RecordStore, TeamId, TeamRecord } from '../store/ports.js';

/** A source's widget language: any language the clients speak. */
export const SOURCE_LANGUAGES = LANGUAGE_IDS;
export type SourceLanguage = LanguageId;
export const SOURCE_TAG = /^[a-z0-9-]{1,40}$/;

const SourceRecordSchema = z
  .object({
    tag: z.string().regex(SOURCE_TAG),
    label: z.string().min(1).max(80),
    /** Team whose queue conversations through this source go to, where it handles their category. */
    team: z.string().regex(/^[a-z0-9-]{1,64}$/).nullable(),
    /** Language the widget opens in from this source's QR code or link. */
    language: z.enum(SOURCE_LANGUAGES).nullable(),
    createdAt: z.number().int(),
    /** False once the campaign has ended; its tag still counts (old posters keep hanging). */
    active: z.boolean(),
    /** The organisation whose campaign it is (absent: the deployment's first one). */
    org: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  })
  .strict();
export type SourceRecord = z.infer<typeof SourceRecordSchema>;

export interface NewSource {
  readonly tag: string;
  readonly label: string;
  readonly team: TeamId | null;
  readonly language: SourceLanguage | null;
  readonly org?: OrgId;
}

export type SourceChanges = Partial<Pick<SourceRecord, 'label' | 'team' | 'language' | 'active'>>;

/** What a visitor's page and conversation take from the source tag they came through. */
export interface SourceHint {
  readonly language: SourceLanguage | null;
  readonly team: TeamId | null;
  /** The source's organisation (null: not recorded; then its team's, else the first organisation). */
  readonly org: OrgId | null;
}

const COLLECTION = 'sources';
/** The source of a conversation opened without a tag. */
export const DIRECT_SOURCE = 'direct';
/** The counted source of a conversation opened through a tag nobody registered. */
export const OTHER_SOURCE = 'other';
const NO_HINT: SourceHint = { language: null, team: null, org: null };

export type Sources = ReturnType<typeof createSources>;

export function createSources(deps: { records: RecordStore; clock: Clock }) {
  const { records } = deps;
  const read = async (tag: string): Promise<SourceRecord | null> => {
    if (!SOURCE_TAG.test(tag)) return null;
    const raw = await records.get(COLLECTION, tag);
    return raw === null ? null : SourceRecordSchema.parse(JSON.parse(raw));
  };
  const write = (record: SourceRecord) => records.put(COLLECTION, record.tag, JSON.stringify(SourceRecordSchema.parse(record)));

  return {
    /** Every source, ordered by tag. */
    async list(): Promise<SourceRecord[]> {
      return (await records.list(COLLECTION)).map((r) => SourceRecordSchema.parse(JSON.parse(r.value)));
    },
    get: read,
    /**
     * Creates an active source. Throws ApiError source_exists when the tag is taken (also by an
     * inactive source: a tag printed on posters never changes meaning). Admin-only and rare, so a
     * read-then-write is enough (two admins racing for one tag: the later write wins).
     */
    async create(input: NewSource): Promise<SourceRecord> {
      if (input.tag === DIRECT_SOURCE || input.tag === OTHER_SOURCE) throw new ApiError(ErrorCode.InvalidRequest, `"${input.tag}" is reserved.`);
      if ((await read(input.tag)) !== null) throw new ApiError(ErrorCode.SourceExists);
      const { org, ...rest } = input;
      const record: SourceRecord = { ...rest, createdAt: deps.clock.now(), active: true, ...(org === undefined ? {} : { org }) };
      await write(record);
      return record;
    },
    /** Applies `changes`; the tag and creation time never change. Throws not_found. */
    async update(tag: string, changes: SourceChanges): Promise<SourceRecord> {
      const current = await read(tag);
      if (current === null) throw new ApiError(ErrorCode.NotFound);
      const next: SourceRecord = { ...current, ...changes };
      await write(next);
      return next;
    },
    /**
     * The language and target team a visitor gets from `tag`. Unknown tags give nothing. An inactive
     * source keeps its language (its posters still speak it) but no longer routes: the campaign has
     * ended, conversations route by category.
     */
    async hint(tag: string): Promise<SourceHint> {
      const source = await read(tag);
      if (source === null) return NO_HINT;
      return { language: source.language, team: source.active ? (source.team as TeamId | null) : null, org: (source.org ?? null) as OrgId | null };
    },
    /**
     * What a conversation opened through `tag` records, and the team it asks first (as hint), from
     * one read. The recorded source is a registered tag (active or ended), "direct", or "other" for
     * any tag nobody registered: the statistics live for years and the tag comes from the visitor's
     * URL, so counting free text would let anyone store what they like there (a name, a phone
     * number) long after the conversation is gone.
     */
    async forConversation(tag: string): Promise<{ readonly source: string; readonly team: TeamId | null; readonly org: OrgId | null }> {
      if (tag === DIRECT_SOURCE) return { source: tag, team: null, org: null };
      const source = await read(tag);
      if (source === null) return { source: OTHER_SOURCE, team: null, org: null };
      return { source: tag, team: source.active ? (source.team as TeamId | null) : null, org: (source.org ?? null) as OrgId | null };
    },
  };
}

/**
 * `teams` with `preferred` moved to the front when it handles `category`, so the category's routing
 * (chooseTeam: the first team of the category, then its overflow path) starts at the source's team.
 * Unchanged when there is no preferred team or it does not handle the category. Pure.
 */
export function preferTeam(teams: readonly TeamRecord[], preferred: TeamId | null | undefined, category: Category): readonly TeamRecord[] {
  const team = preferred === null || preferred === undefined ? undefined : teams.find((t) => t.id === preferred);
  if (team === undefined || !team.categories.includes(category)) return teams;
  return [team, ...teams.filter((t) => t.id !== team.id)];
}
