// The HTTP API's request and response shapes: zod schemas that validate requests on the server and
// generate /api/openapi.json, and the TypeScript types clients import (`import type` only: the
// browsers never bundle zod).
import { z } from '@hono/zod-openapi';
import { CATEGORIES } from './categories.js';
import { ErrorCode } from './errors.js';
import { BASE64URL, CLIENT_MESSAGE_ID, CONVERSATION_ID, LANGUAGE_TAG, MESSAGE_ID, ORG_ID, SOURCE_TAG } from './ids.js';
import { RETENTION_LIMITS } from './retention.js';
import { ROLES } from './roles.js';
import { LANGUAGE_IDS, type LanguageId } from './languages.js';
import { isCalendarDate, MAX_HOLIDAY_LABEL, MAX_HOLIDAYS, MAX_NOTICE_CHARS, MAX_WINDOWS, PUBLIC_HOLIDAY_KEYS, WEEKDAYS, type Weekday } from './teams.js';
import { CONVERSATION_STATUSES, ENVELOPE_KINDS, MAX_BODY_CHARS, SENDERS, type LogEntry } from './messages.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.values(ErrorCode)).openapi({ example: 'invalid_request' }),
      message: z.string().openapi({ example: 'The request is not valid.' }),
    }),
  })
  .openapi('Error');

export const base64url = (max: number) => z.string().min(1).max(max).regex(BASE64URL, 'must be base64url without padding');

/** A message id: opaque to clients, which only compare two of them (compareMessageIds). */
export const MessageIdSchema = z
  .string()
  .regex(MESSAGE_ID)
  .brand<'MessageId'>()
  .openapi({ example: '1763899200000-0', description: 'Message id, assigned by the server; opaque: order with compareMessageIds, read the time from `at`' });

export const EnvelopeSchema = z
  .object({
    cid: z.string().regex(CLIENT_MESSAGE_ID, 'client message id: 16–64 base64url characters'),
    kind: z.enum(ENVELOPE_KINDS),
    body: base64url(MAX_BODY_CHARS),
  })
  .strict()
  .openapi('Envelope', { description: 'Opaque end-to-end ciphertext; the server checks shape and size only.' });

export const LogEntrySchema = EnvelopeSchema.extend({
  id: MessageIdSchema,
  from: z.enum(SENDERS),
  session: z.number().int(),
  at: z.number().int().openapi({ description: 'When the server stored it, ms since the epoch' }),
}).openapi('LogEntry');

export const ConversationIdParam = z.object({
  id: z
    .string()
    .regex(CONVERSATION_ID)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'q3R8xvV0m2iU7lYcKp1aZw' }),
});

export const AfterQuery = z.object({
  after: z
    .string()
    .regex(MESSAGE_ID)
    .optional()
    .openapi({ param: { name: 'after', in: 'query' }, description: 'Last message id seen' }),
  limit: z.coerce.number().int().min(1).max(500).default(200).openapi({ param: { name: 'limit', in: 'query' } }),
});

export const CategorySchema = z.enum(CATEGORIES);
export const LanguageSchema = z.string().regex(LANGUAGE_TAG, 'BCP 47 language tag').openapi({ example: 'sv' });
export const SourceSchema = z.string().regex(SOURCE_TAG, 'source tag: 1–40 of a-z, 0-9, -').openapi({ example: 'poster-malmo-c' });

export const StatusQuery = z.object({
  category: CategorySchema.default('chat').openapi({ param: { name: 'category', in: 'query' } }),
  source: SourceSchema.optional().openapi({ param: { name: 'source', in: 'query' }, description: 'Source tag the widget was opened through (its target team, if any, is asked first)' }),
  danger: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name: 'danger', in: 'query' }, description: 'The young person marked "I am in danger right now": without a specialist team of its own, the organisation’s overflow partner answers' }),
});

export const StatusSchema = z
  .object({
    category: CategorySchema,
    team: z.string(),
    staffed: z.boolean().openapi({ description: 'Someone on duty can answer now' }),
    onDuty: z.number().int(),
    waiting: z.number().int(),
  })
  .openapi('Status');

export const ChallengeSchema = z
  .object({ challenge: z.string(), difficulty: z.number().int(), expiresAt: z.number().int() })
  .openapi('PowChallenge');

export const OpenConversationSchema = z
  .object({
    id: z
      .string()
      .regex(CONVERSATION_ID)
      .optional()
      .openapi({ description: 'Conversation id drawn by the visitor (16 random bytes, base64url) so the sealed intake can name it; drawn by the server when absent' }),
    category: CategorySchema,
    language: LanguageSchema,
    source: SourceSchema.default('direct'),
    danger: z.boolean().default(false),
    pow: z.object({ challenge: base64url(128), nonce: base64url(16) }).strict(),
    intake: EnvelopeSchema.optional(),
  })
  .strict()
  .openapi('OpenConversation');

export const OpenedSchema = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: 'Bearer token for this conversation; shown once, stored only as a hash' }),
    team: z.string(),
    staffed: z.boolean(),
    expiresAt: z.number().int(),
  })
  .openapi('OpenedConversation');

export const ConversationViewSchema = z
  .object({
    id: z.string(),
    category: CategorySchema,
    team: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    session: z.number().int(),
    queuePosition: z.number().int().nullable(),
    danger: z.boolean(),
    /** While waiting (visitor view): someone is on duty in its team now. */
    staffed: z.boolean().optional(),
    /** While waiting (visitor view): someone on duty has room for one more conversation now. */
    room: z.boolean().optional(),
  })
  .openapi('Conversation');

export const AppendedSchema = z
  .object({ id: MessageIdSchema, at: z.number().int().openapi({ description: 'When the server stored it, ms since the epoch' }), duplicate: z.boolean() })
  .openapi('Appended');
export const MessagesSchema = z.object({ messages: z.array(LogEntrySchema) }).openapi('Messages');

export const LoginParamsRequest = z.object({ login: z.string().min(1).max(100) }).strict();
export const LoginParamsSchema = z
  .object({ salt: z.string(), opslimit: z.number().int(), memlimit: z.number().int() })
  .openapi('LoginParams', { description: 'Argon2id salt and parameters; the password never leaves the browser' });
export const LoginRequest = z
  .object({
    login: z.string().min(1).max(100),
    authKey: base64url(64).openapi({ description: 'KDF(master, "auth"), 32 bytes' }),
    totp: z.string().regex(/^\d{6}$/).optional().openapi({ description: 'Current code of the authenticator app, when the account has one' }),
  })
  .strict()
  .openapi('Login');
export const RoleSchema = z.enum(ROLES);
export type { Role } from './roles.js';

export const ResponderSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    teams: z.array(z.string()),
    roles: z.array(RoleSchema),
  })
  .openapi('Responder');
export const LoggedInSchema = z
  .object({ responder: ResponderSchema, csrfToken: z.string().openapi({ description: 'Send as X-CSRF-Token on every state-changing request' }) })
  .openapi('LoggedIn');

export const DutyRequest = z
  .object({ team: z.string().min(1).max(64), onDuty: z.boolean(), capacity: z.number().int().min(1).max(20).optional() })
  .strict()
  .openapi('Duty');

export const QueueItemSchema = z
  .object({
    id: z.string(),
    team: z.string(),
    category: CategorySchema,
    language: z.string(),
    source: z.string(),
    danger: z.boolean(),
    waitingMs: z.number().int(),
    intake: LogEntrySchema.nullable(),
    session: z.number().int().openapi({ description: 'Handshake sessions so far: 0 when new, more after a transfer to the team' }),
    fromOrganisation: z.boolean().openapi({ description: 'Handed over from another organisation (with the young person’s acceptance), not transferred by a colleague' }),
  })
  .openapi('QueueItem');
export const QueueSchema = z.object({ items: z.array(QueueItemSchema) }).openapi('Queue');

export const TransferRequest = z
  .union([
    z.object({ toResponder: z.string().min(1).max(64) }).strict(),
    z.object({ toTeam: z.string().min(1).max(64) }).strict(),
  ])
  .openapi('Transfer');
/**
 * Handover to another organisation's team (issue 17). The responder offers (the offer also travels
 * end-to-end inside the session, where the widget verifies it); only the young person's acceptance
 * (visitor token) moves the conversation.
 */
export const HandoverOfferRequest = z.object({ toTeam: z.string().min(1).max(64) }).strict().openapi('HandoverOffer');
export const HandoverTargetSchema = z
  .object({
    team: z.string(),
    name: z.string().openapi({ description: 'The team’s display name (the responder sends it in the channel)' }),
    org: z.string(),
    orgName: z.string(),
  })
  .openapi('HandoverTarget');
export const HandoverTargetsSchema = z.object({ targets: z.array(HandoverTargetSchema) }).openapi('HandoverTargets');
export const HandoverAnswerRequest = z.object({ team: z.string().min(1).max(64), accept: z.boolean() }).strict().openapi('HandoverAnswer');

export const CloseRequest = z
  .object({ outcome: z.string().regex(/^[a-z0-9-]{1,32}$/).nullable().default(null) })
  .strict()
  .openapi('Close');

// A responder's shift (server/routes/responder-shift.ts).
export const DutyStatusSchema = z
  .object({
    teams: z.array(
      z.object({
        team: z.string(),
        name: z.string(),
        onDuty: z.boolean(),
        inHours: z.boolean(),
        colleaguesOnDuty: z.number().int(),
        waiting: z.number().int(),
      }),
    ),
    capacity: z.number().int(),
    load: z.number().int(),
    heartbeatMs: z.number().int().openapi({ description: 'Send a heartbeat at least this often while on duty' }),
  })
  .openapi('DutyStatus');

export const AssignedSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        team: z.string(),
        category: CategorySchema,
        language: z.string(),
        source: z.string(),
        danger: z.boolean(),
        session: z.number().int(),
        since: z.number().int(),
        gone: z.boolean().openapi({ description: 'The young person has gone (tab closed past VISITOR_GONE_AFTER_SECONDS, no resume): it uses no capacity and may be closed' }),
      }),
    ),
  })
  .openapi('Assigned');

export const ColleaguesSchema = z
  .object({
    teams: z.array(z.object({ id: z.string(), name: z.string(), specialist: z.boolean() })),
    responders: z.array(z.object({ id: z.string(), displayName: z.string(), teams: z.array(z.string()), cert: z.string(), onDuty: z.array(z.string()) })),
  })
  .openapi('Colleagues');

// ---- Statistics (Administration → Statistik): counters only, invariant 5 ----
const StatsFlow = { opened: z.number().int(), claimed: z.number().int(), abandoned: z.number().int() };
const StatsHistogram = { buckets: z.array(z.object({ le: z.number().nullable(), count: z.number().int() })), samples: z.number().int() };
export const StatsReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    team: z.string().nullable(),
    teams: z.array(z.object({ id: z.string(), name: z.string() })).openapi({ description: 'Teams the caller may choose' }),
    totals: z.record(z.string(), z.number().int()),
    days: z.array(z.object({ day: z.string(), ...StatsFlow })),
    bySource: z.array(z.object({ source: z.string(), ...StatsFlow })),
    bySourceOrganisation: z
      .array(z.object({ org: z.string(), name: z.string().nullable(), ...StatsFlow }))
      .openapi({ description: 'The same flows summed by the organisation whose source (QR code, web page) the conversations came through: what a regional team answered for each municipality' }),
    answeredElsewhere: z
      .array(z.object({ org: z.string(), name: z.string().nullable(), ...StatsFlow }))
      .openapi({ description: 'In a region, without a team chosen: conversations that came through this organisation’s own sources and went to another organisation’s team (overflow, danger), summed by that organisation; never another organisation’s sources' }),
    byCategory: z.array(z.object({ category: z.string(), ...StatsFlow })),
    byTeam: z.array(z.object({ team: z.string(), ...StatsFlow })),
    outcomes: z.array(z.object({ outcome: z.string(), count: z.number().int() })),
    transfers: z.array(z.object({ to: z.string(), count: z.number().int() })),
    consents: z.array(z.object({ retentionDays: z.number().int(), count: z.number().int() })),
    wait: z.object({
      ...StatsHistogram,
      p50: z.number().nullable().openapi({ description: 'Seconds: the bucket bound half the waits fall under (null: no claims, or beyond the last bound)' }),
      p90: z.number().nullable(),
      p50Open: z.boolean(),
      p90Open: z.boolean(),
    }),
    lengthMessages: z.object(StatsHistogram),
    lengthMinutes: z.object(StatsHistogram),
  })
  .openapi('StatsReport');
export type StatsReport = z.infer<typeof StatsReportSchema>;

// ---- A region's overflow agreements (Administration → Samverkan) ----
const OrgIdText = z.string().regex(ORG_ID);
/** One side of an agreement between two organisations: nothing, asked by the sender, or accepted by the receiver. */
export const AGREEMENT_STATES = ['none', 'asked', 'agreed'] as const;
export const OrganisationSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable().openapi({ description: 'Null for the deployment’s first organisation when it was never named' }),
    acceptsOverflowFrom: z.array(z.string()),
    asksOverflowTo: z.array(z.string()),
    others: z.array(z.object({ id: z.string(), name: z.string() })).openapi({ description: 'The region’s other organisations' }),
    partners: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          incoming: z.enum(AGREEMENT_STATES).openapi({ description: 'Its overflow to this organisation: it asked (asked), this one accepts it (agreed)' }),
          outgoing: z.enum(AGREEMENT_STATES).openapi({ description: 'This organisation’s overflow to it: this one asked (asked), it accepts (agreed)' }),
        }),
      )
      .openapi({ description: 'Each other organisation and both directions of an overflow agreement with it' }),
    overflowTargets: z.array(z.object({ team: z.string(), name: z.string(), org: z.string() })).openapi({ description: 'Teams of organisations that accept this one’s overflow' }),
  })
  .openapi('Organisation');
export const AcceptOverflowRequest = z.object({ acceptsOverflowFrom: z.array(OrgIdText).max(100) }).strict();
export const AskOverflowRequest = z.object({ asksOverflowTo: z.array(OrgIdText).max(100) }).strict();
export type Organisation = z.infer<typeof OrganisationSchema>;
export type AgreementState = (typeof AGREEMENT_STATES)[number];
export type AcceptOverflow = z.input<typeof AcceptOverflowRequest>;
export type AskOverflow = z.input<typeof AskOverflowRequest>;


/** One callback request as a responder's lists show it: never a number (only sealed copies carry one). */
export const CallbackViewSchema = z
  .object({
    id: z.string(),
    team: z.string(),
    language: z.string(),
    /** Outreach source tag (a staff-made label, e.g. a poster campaign). */
    source: z.string(),
    state: z.enum(['waiting', 'claimed', 'done']),
    createdAt: z.number().int(),
    claimedAt: z.number().int().nullable(),
    doneAt: z.number().int().nullable(),
    autoAssigned: z.boolean(),
    attempts: z.array(z.object({ at: z.number().int() })),
    /** Held by this display name (the supervisor's team list only), else null. */
    heldBy: z.string().nullable(),
    /** The claimer's console has re-sealed it (the team-sealed copy is gone). */
    resealed: z.boolean(),
  })
  .openapi('Callback');

export const CallbackListsSchema = z
  .object({
    waiting: z.array(CallbackViewSchema),
    mine: z.array(CallbackViewSchema),
    done: z.array(CallbackViewSchema),
    /** For a supervisor: requests held by others in the supervisor's teams (revealed only by an audited action). */
    team: z.array(CallbackViewSchema),
    onDutyTeams: z.array(z.string()),
    /** The server's clock when it answered, ms. */
    now: z.number().int(),
  })
  .openapi('CallbackLists');

/** A sealed callback copy: team-sealed (the visitor's request), the holder's own, or one sealed to a supervisor. */
export const SealedCallbackSchema = z.object({ kind: z.enum(['team', 'own', 'supervisor']), sealed: z.string() }).openapi('SealedCallback');

/** A sealed request or re-sealed copy: 8 KiB padded plus headers, in base64url. */
const SealedText = base64url(12_000);

export const ResealRequest = z
  .object({ own: SealedText, supervisors: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), SealedText).refine((m) => Object.keys(m).length <= 20, 'at most 20 supervisors') })
  .strict()
  .openapi('Reseal');

export type CallbackView = z.infer<typeof CallbackViewSchema>;
export type CallbackLists = z.infer<typeof CallbackListsSchema>;
export type SealedCallback = z.infer<typeof SealedCallbackSchema>;
export type Reseal = z.input<typeof ResealRequest>;

/** Holds when two types accept the same values (a compile-time check that a schema and a plain type agree). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof LogEntrySchema>, LogEntry>;

export type Status = z.infer<typeof StatusSchema>;
export type PowChallenge = z.infer<typeof ChallengeSchema>;
/** What a visitor sends to open a conversation (defaults filled in by the server). */
export type OpenConversation = z.input<typeof OpenConversationSchema>;
export type Opened = z.infer<typeof OpenedSchema>;
export type ConversationView = z.infer<typeof ConversationViewSchema>;
export type Appended = z.infer<typeof AppendedSchema>;
export type Messages = z.infer<typeof MessagesSchema>;
export type LoginParams = z.infer<typeof LoginParamsSchema>;
export type ResponderView = z.infer<typeof ResponderSchema>;
export type LoggedIn = z.infer<typeof LoggedInSchema>;
export type Duty = z.input<typeof DutyRequest>;
export type QueueItem = z.infer<typeof QueueItemSchema>;
export type Queue = z.infer<typeof QueueSchema>;
export type Transfer = z.input<typeof TransferRequest>;
export type HandoverTarget = z.infer<typeof HandoverTargetSchema>;
export type HandoverTargets = z.infer<typeof HandoverTargetsSchema>;
export type HandoverOffer = z.input<typeof HandoverOfferRequest>;
export type HandoverAnswer = z.infer<typeof HandoverAnswerRequest>;
export type Close = z.input<typeof CloseRequest>;
export type DutyStatus = z.infer<typeof DutyStatusSchema>;
export type Assigned = z.infer<typeof AssignedSchema>;
export type Colleagues = z.infer<typeof ColleaguesSchema>;

/** A sealed team note (crypto/note.ts) is at most about 2.9 KB: 4,096 base64url characters. */
export const MAX_NOTE_CHARS = 4096;

/** A team note as the server keeps it: opaque ciphertext, its author and when it was stored. */
export const NoteSchema = z
  .object({
    id: z.string(),
    author: z.string().openapi({ description: 'Responder id of the author; readers check the note against this responder’s certificate' }),
    at: z.number().int(),
    body: z.string().openapi({ description: 'crypto/note.ts wire, base64url' }),
  })
  .openapi('Note');

export const NoteRequest = z
  .object({ body: z.string().min(1).max(MAX_NOTE_CHARS).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding') })
  .openapi('NoteRequest');

// Staff administration (server/routes/staff.ts).
/** What awaits the organisation key (GET /api/v1/admin/org/pending); `npm run org sign` signs it. */
export const PendingSignaturesSchema = z
  .object({
    enrolments: z.array(z.object({ invitation: z.string(), responder: z.string(), displayName: z.string(), login: z.string(), teams: z.array(z.string()), roles: z.array(z.string()), fingerprint: z.string() })),
    changes: z.array(z.object({ responder: z.string(), displayName: z.string(), teams: z.array(z.string()), roles: z.array(z.string()), fromTeams: z.array(z.string()), fromRoles: z.array(z.string()) })),
    deactivations: z.array(z.object({ responder: z.string(), displayName: z.string(), serial: z.number().int().nullable(), teams: z.array(z.string()) })),
    renewals: z.array(z.object({ responder: z.string(), displayName: z.string(), serial: z.number().int(), expires: z.number().int() })),
    teamKeys: z.array(z.object({ team: z.string(), name: z.string(), epoch: z.number().int(), expires: z.number().int().nullable(), reason: z.enum(['expiring', 'members']) })),
    revocationList: z.object({ issuedAt: z.number().int().nullable(), due: z.boolean() }),
    orgCert: z.object({ serial: z.number().int(), expires: z.number().int(), due: z.boolean(), revoked: z.boolean() }).nullable().openapi({ description: 'The organisation certificate: due when it ends within 14 days (the root key holders renew it with npm run org renew-org-cert)' }),
    organisation: z.object({ id: z.string(), name: z.string() }).nullable().openapi({ description: 'The organisation of a region whose list this is (null: the deployment’s first); its admins sign with npm run org -- sign --org <id>' }),
  })
  .openapi('PendingSignatures');

/** One responder as staff administration lists it (GET /api/v1/admin/staff). */
export const StaffMemberSchema = z
  .object({
    id: z.string(),
    login: z.string(),
    displayName: z.string(),
    teams: z.array(z.string()),
    roles: z.array(RoleSchema),
    active: z.boolean(),
    /** Key fingerprint (as compared at enrolment), certificate serial, expiry and wire; null before certification. */
    fingerprint: z.string().nullable(),
    certSerial: z.number().int().nullable(),
    certExpires: z.number().int().nullable(),
    cert: z.string().nullable(),
  })
  .openapi('StaffMember');

export const StaffSchema = z
  .object({
    org: z.object({
      mode: z.enum(['demo', 'organisation']),
      orgCert: z.string().nullable(),
      revocationList: z.string().nullable(),
      teams: z.array(z.object({ id: z.string(), name: z.string(), epoch: z.number().int(), expires: z.number().int().nullable() })),
    }),
    responders: z.array(StaffMemberSchema),
  })
  .openapi('Staff');

export type PendingSignatures = z.infer<typeof PendingSignaturesSchema>;
export type StaffMember = z.infer<typeof StaffMemberSchema>;
export type Staff = z.infer<typeof StaffSchema>;
export const NotesSchema = z.object({ notes: z.array(NoteSchema) }).openapi('Notes');
export type Note = z.infer<typeof NoteSchema>;
export type NoteBody = z.input<typeof NoteRequest>;
export type Notes = z.infer<typeof NotesSchema>;

// Keys and consents of a responder (server/routes/directory.ts, consent.ts, responder-shift.ts).
/** What a logged-in responder needs to unlock its keys (GET /api/v1/responder/keys): certificates to verify against the pinned root, wrapped private keys, sealed team inbox keys. */
export const ResponderKeysSchema = z
  .object({
    orgCert: z.string(),
    revocationList: z.string(),
    orgRevocation: z.string().optional().openapi({ description: 'The root’s revocation of organisation certificates, when one was published' }),
    cert: z.string(),
    wrappedKeys: z.string().openapi({ description: 'Private keys encrypted under the password-derived wrap key' }),
    inbox: z.array(z.object({ team: z.string(), epoch: z.number().int(), cert: z.string(), sealed: z.string() })),
  })
  .openapi('ResponderKeys');

/** A consented identity as the responder list hands it out: sealed to the team inbox key. */
export const ConsentSchema = z
  .object({
    id: z.string(),
    team: z.string(),
    conversation: z.string(),
    sealed: z.string(),
    retentionDays: z.number().int(),
    createdAt: z.number().int(),
    expiresAt: z.number().int(),
  })
  .openapi('Consent');
export const ConsentPageSchema = z.object({ items: z.array(ConsentSchema), next: z.string().nullable() }).openapi('Consents');

/** Records that consented identities were copied (POST /api/v1/responder/audit/consent). */
export const ConsentAuditRequest = z.object({ consents: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).min(1).max(200), action: z.enum(['copy']) }).strict();

export type ResponderKeys = z.infer<typeof ResponderKeysSchema>;
export type Consent = z.infer<typeof ConsentSchema>;
export type ConsentPage = z.infer<typeof ConsentPageSchema>;
export type ConsentAudit = z.input<typeof ConsentAuditRequest>;

// Staff administration: invitations, changes, deactivation, the audit log (server/routes/admin.ts, staff.ts).
export const TeamSlugSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

export const InvitationRequest = z
  .object({
    displayName: z.string().min(1).max(80),
    teams: z.array(TeamSlugSchema).min(1).max(10),
    roles: z.array(RoleSchema).min(1),
  })
  .strict()
  .openapi('InvitationRequest');
export const InvitationCreatedSchema = z.object({ token: z.string(), path: z.string(), expiresAt: z.number().int() }).openapi('InvitationCreated');
export const InvitationSummarySchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    teams: z.array(z.string()),
    roles: z.array(z.string()),
    state: z.enum(['open', 'enrolled', 'certified']),
    login: z.string().nullable(),
    fingerprint: z.string().nullable(),
    /** The enrolled keys (base64url) `npm run org sign` certifies after showing their fingerprint. */
    responder: z.string().nullable(),
    signPublicKey: z.string().nullable(),
    boxPublicKey: z.string().nullable(),
    expiresAt: z.number().int(),
  })
  .openapi('InvitationSummary');
export const InvitationsSchema = z.object({ items: z.array(InvitationSummarySchema) }).openapi('Invitations');
/** Demo organisation only: certify an enrolled responder after comparing the key fingerprint. */
export const CertifyRequest = z.object({ fingerprint: z.string().max(64) }).strict().openapi('Certify');
export const StaffChangeRequest = z.object({ teams: z.array(TeamSlugSchema).min(1).max(10), roles: z.array(RoleSchema).min(1) }).strict().openapi('StaffChange');
/** 202: the change is recorded and awaits the organisation key (204 when the demo server signed at once). */
export const StaffChangePendingSchema = z.object({ pending: z.literal(true) }).openapi('StaffChangePending');
export const DeactivatedSchema = z
  .object({ rotated: z.array(z.string()), requeued: z.number().int(), closed: z.number().int(), pending: z.boolean() })
  .openapi('Deactivated');
export const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const AuditEntriesSchema = z
  .object({
    entries: z.array(
      z.object({ at: z.number().int(), actor: z.string(), actorName: z.string(), action: z.string(), ref: z.string(), fromTeam: z.string().optional(), toTeam: z.string().optional() }),
    ),
  })
  .openapi('AuditEntries');

export type NewInvitation = z.input<typeof InvitationRequest>;
export type InvitationCreated = z.infer<typeof InvitationCreatedSchema>;
export type InvitationSummary = z.infer<typeof InvitationSummarySchema>;
export type Invitations = z.infer<typeof InvitationsSchema>;
export type Certify = z.input<typeof CertifyRequest>;
export type StaffChange = z.input<typeof StaffChangeRequest>;
export type StaffChangePending = z.infer<typeof StaffChangePendingSchema>;
export type Deactivated = z.infer<typeof DeactivatedSchema>;
export type AuditEntries = z.infer<typeof AuditEntriesSchema>;

// Retention (server/retention/settings.ts; the limits in retention.ts).
const retentionDays = (limits: { min: number; max: number }) => z.number().int().min(limits.min).max(limits.max);

export const RetentionSettingsSchema = z
  .object({
    auditDays: retentionDays(RETENTION_LIMITS.auditDays).openapi({ description: 'Audit log entries older than this are deleted', example: 365 }),
    statsDays: retentionDays(RETENTION_LIMITS.statsDays).openapi({ description: 'Statistics days older than this are deleted', example: 1830 }),
    consentDays: retentionDays(RETENTION_LIMITS.consentDays).openapi({
      description: 'Consented identities older than this are deleted, even if the visitor chose longer (at most 180)',
      example: 180,
    }),
  })
  .strict()
  .openapi('RetentionSettings');
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;

/**
 * Each organisation's own retention (issue 17): how long its consented identities and its open
 * callback requests are kept, within the deployment's limits (the deployment's consentDays, set by
 * the first organisation's admins, and CALLBACK_TTL_DAYS). Unset: the deployment's.
 */
export const OrgRetentionSchema = z
  .object({
    consentDays: retentionDays(RETENTION_LIMITS.consentDays).openapi({ description: 'This organisation’s consented identities older than this are deleted (at most the deployment’s)', example: 90 }),
    callbackDays: z.number().int().min(1).max(30).openapi({ description: 'This organisation’s open callback requests are erased after this many days (at most CALLBACK_TTL_DAYS)', example: 7 }),
  })
  .strict()
  .openapi('OrgRetention');
export type OrgRetention = z.infer<typeof OrgRetentionSchema>;
/** GET /api/v1/admin/retention/organisation: the organisation's retention and the deployment's limits. */
export const OrgRetentionViewSchema = z
  .object({ ...OrgRetentionSchema.shape, limits: z.object({ consentDays: z.number().int(), callbackDays: z.number().int() }).openapi({ description: 'The deployment’s limits (its consent retention, CALLBACK_TTL_DAYS)' }) })
  .openapi('OrgRetentionView');
export type OrgRetentionView = z.infer<typeof OrgRetentionViewSchema>;

// Enrolment from an invitation link (server/routes/enrolment.ts).
const enrolB64 = (len: number) => z.string().regex(/^[A-Za-z0-9_-]+$/).max(len);
export const InvitationViewSchema = z
  .object({ displayName: z.string(), teams: z.array(z.string()), roles: z.array(z.string()), expiresAt: z.number().int(), kdf: z.object({ opslimit: z.number().int(), memlimit: z.number().int() }) })
  .openapi('InvitationView');

/** Enrolment (POST /api/v1/enrol/{token}); the server adds the Argon2id limits of crypto/password.ts to opslimit and memlimit. */
export const EnrolRequestShape = z
  .object({
    login: z.string().regex(/^[a-z0-9._-]{3,40}$/, 'login: 3–40 of a-z, 0-9, . _ -'),
    salt: enrolB64(32),
    opslimit: z.number().int(),
    memlimit: z.number().int(),
    authKey: enrolB64(64),
    signPublicKey: enrolB64(64),
    boxPublicKey: enrolB64(64),
    wrappedKeys: enrolB64(1024),
  })
  .strict();

export const EnrolledSchema = z
  .object({ responder: z.string(), fingerprint: z.string(), totpUri: z.string(), totpSecret: z.string() })
  .openapi('Enrolled', { description: 'Compare the fingerprint with the admin; add the TOTP secret to an authenticator app and confirm a code' });

export const TotpConfirmRequest = z.object({ code: z.string().regex(/^\d{6}$/) }).strict().openapi('TotpConfirm');
export type InvitationView = z.infer<typeof InvitationViewSchema>;
export type Enrol = z.input<typeof EnrolRequestShape>;
export type Enrolled = z.infer<typeof EnrolledSchema>;
export type TotpConfirm = z.input<typeof TotpConfirmRequest>;

// Teams and their routing settings (server/routes/teams.ts; stored by server/routing/team-settings.ts).
const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM (00:00–24:00)');
const WindowSchema = z.tuple([Hhmm, Hhmm]).refine(([a, b]) => a < b, 'a window ends after it starts');
/** A day's windows: at most MAX_WINDOWS, none overlapping another. */
const WindowsSchema = z
  .array(WindowSchema)
  .max(MAX_WINDOWS)
  .refine((ws) => [...ws].sort((x, y) => (x[0] < y[0] ? -1 : 1)).every((w, i, sorted) => i === 0 || sorted[i - 1]![1] <= w[0]), 'windows of one day overlap');

/** Control characters other than tab and newline never belong in a text shown to visitors. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NoticeText = z
  .string()
  .max(MAX_NOTICE_CHARS, `at most ${MAX_NOTICE_CHARS} characters`)
  .refine((s) => !CONTROL.test(s), 'no control characters');

export const HolidaySchema = z
  .object({
    date: z.string().refine((d) => isCalendarDate(d) && d >= '2000-01-01' && d < '2200-01-01', 'a date is YYYY-MM-DD (2000–2199)'),
    label: z.string().max(MAX_HOLIDAY_LABEL).refine((s) => !CONTROL.test(s), 'no control characters').default(''),
    /** Special hours that day (local Stockholm time); empty: closed all day. */
    hours: WindowsSchema.default([]),
  })
  .strict();

/** Nothing written in any language (the widget's own text shows). */
export const NO_OUT_OF_HOURS_TEXT = Object.fromEntries(LANGUAGE_IDS.map((id) => [id, ''])) as Record<LanguageId, string>;

/** One text per language the clients speak (each given, "" for none; settings stored before a language was added read it as ""). */
export const OutOfHoursTextSchema = z.object(Object.fromEntries(LANGUAGE_IDS.map((id) => [id, NoticeText])) as Record<LanguageId, typeof NoticeText>).strict();

export const TeamSettingsSchema = z
  .object({
    /** null: always open. */
    dutyHours: z
      .object(Object.fromEntries(WEEKDAYS.map((d) => [d, WindowsSchema.optional()])) as Record<Weekday, z.ZodOptional<typeof WindowsSchema>>)
      .strict()
      .nullable(),
    /** Assign new conversations to the least-loaded on-duty responder instead of offering them. */
    autoAssign: z.boolean(),
    /** Simultaneous chats a responder takes when going on duty without saying. */
    defaultCapacity: z.number().int().min(1).max(20),
    /** Takes conversations flagged "under threat" (e.g. the consultation team). */
    specialist: z.boolean().default(false),
    /** Dates (Europe/Stockholm) when the team is closed or keeps special hours; each date once. */
    holidays: z
      .array(HolidaySchema)
      .max(MAX_HOLIDAYS)
      .refine((hs) => new Set(hs.map((h) => h.date)).size === hs.length, 'each holiday date once')
      .default([]),
    /** Closed on Swedish public holidays and on midsummer, Christmas and New Year's eve (unless listed in holidays). */
    publicHolidays: z.boolean().default(false),
    /** Plain text shown to visitors while the team is closed, per widget language (empty: the widget's own text). */
    outOfHoursText: OutOfHoursTextSchema.default(NO_OUT_OF_HOURS_TEXT),
  })
  .strict();

/** A new team's id: lowercase letters, digits and inner hyphens, at most 40 characters. */
const NewTeamSlug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'an id is 1–40 of a–z, 0–9 and inner hyphens');
const TeamName = z.string().trim().min(1).max(80);

export const TeamViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    categories: z.array(z.enum(CATEGORIES)),
    overflow: z.string().nullable(),
    settings: TeamSettingsSchema,
    /** What the caller may change: everything (admin), the settings (supervisor of the team), nothing. */
    editable: z.enum(['all', 'settings', 'none']),
    /** Whether an inbox key is published (visitors can write to the team only then). */
    inboxKey: z.boolean(),
    /** Open now by its duty hours and holidays (Europe/Stockholm). */
    openNow: z.boolean(),
  })
  .openapi('TeamView');

export const TeamsSchema = z
  .object({
    items: z.array(TeamViewSchema),
    /** Category → team where exactly one team takes it. */
    mapping: z.object(Object.fromEntries(CATEGORIES.map((c) => [c, z.string().optional()])) as Record<(typeof CATEGORIES)[number], z.ZodOptional<z.ZodString>>),
    /** Swedish public holidays and holiday eves in the coming twelve months (for teams that close on them). */
    publicHolidays: z.array(z.object({ date: z.string(), key: z.enum(PUBLIC_HOLIDAY_KEYS) })),
    /** Other organisations' teams a team may name as overflow (their organisation accepts this one's). */
    overflowTargets: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .openapi('Teams');

export const NewTeamSchema = z.object({ id: NewTeamSlug, name: TeamName }).strict().openapi('NewTeam');
export const TeamUpdateSchema = z.object({ name: TeamName, overflow: TeamSlugSchema.nullable(), settings: TeamSettingsSchema }).strict().openapi('TeamUpdate');
export const CategoryMappingSchema = z
  .object(Object.fromEntries(CATEGORIES.map((c) => [c, TeamSlugSchema])) as Record<(typeof CATEGORIES)[number], typeof TeamSlugSchema>)
  .strict()
  .openapi('CategoryMapping');

export type Holiday = z.infer<typeof HolidaySchema>;
export type OutOfHoursText = Record<LanguageId, string>;
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;
export type TeamView = z.infer<typeof TeamViewSchema>;
export type Teams = z.infer<typeof TeamsSchema>;
export type NewTeam = z.input<typeof NewTeamSchema>;
export type TeamUpdate = z.input<typeof TeamUpdateSchema>;
export type CategoryMapping = z.input<typeof CategoryMappingSchema>;

// Outreach sources (server/routes/sources.ts; stored by server/sources/sources.ts).
const SourceLabel = z.string().trim().min(1).max(80);
const SourceTeam = TeamSlugSchema.nullable();
const SourceLanguage = z.enum(LANGUAGE_IDS).nullable();

export const SourceViewSchema = z
  .object({
    tag: z.string(),
    label: z.string(),
    team: z.string().nullable(),
    language: SourceLanguage,
    createdAt: z.number().int(),
    active: z.boolean(),
    url: z.string().openapi({ description: 'The public link the QR code encodes: origin + /c/<tag>' }),
    hours: z
      .record(z.string(), z.array(z.tuple([z.string(), z.string()])))
      .nullable()
      .openapi({ description: 'Weekly opening hours (Europe/Stockholm) of the team its chats go to, for the poster; null when that team keeps none' }),
  })
  .openapi('Source');
export const SourcesSchema = z.object({ items: z.array(SourceViewSchema) }).openapi('Sources');
export const NewSourceSchema = z
  .object({ tag: SourceSchema, label: SourceLabel, team: SourceTeam.default(null), language: SourceLanguage.default(null) })
  .strict()
  .openapi('NewSource');
export const SourceChangesSchema = z
  .object({ label: SourceLabel, team: SourceTeam, language: SourceLanguage, active: z.boolean() })
  .strict()
  .openapi('SourceChanges', { description: 'Every editable field (the tag and creation time never change)' });
export const EmbedPartsSchema = z
  .object({
    origin: z.string(),
    rootPublicKey: z.string().openapi({ description: 'Organisation root public key (base64url) the snippet pins' }),
    loaderIntegrity: z.string().openapi({ description: 'Subresource Integrity of /loader.js in this build' }),
    source: z.string().nullable(),
  })
  .openapi('EmbedParts', { description: 'Everything embedSnippet() (client/shared/embed-snippet.ts) needs for this build' });

export type SourceView = z.infer<typeof SourceViewSchema>;
export type Sources = z.infer<typeof SourcesSchema>;
export type NewSource = z.input<typeof NewSourceSchema>;
export type SourceChanges = z.input<typeof SourceChangesSchema>;
export type EmbedParts = z.infer<typeof EmbedPartsSchema>;
