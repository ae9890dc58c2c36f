// The administration routes of the typed API client (`createResponderApi(...).admin`): staff,
// invitations, what awaits the organisation key, the audit log, statistics, retention, teams and
// sources. Shapes from contract/rest.ts (types only); the session's CSRF token travels with every
// unsafe call.
import type {
  AcceptOverflow,
  CategoryMapping,
  EmbedParts,
  NewSource,
  NewTeam,
  SourceChanges,
  Sources,
  Teams,
  TeamSettings,
  TeamUpdate,
  AskOverflow,
  AuditEntries,
  Certify,
  Deactivated,
  InvitationCreated,
  Invitations,
  NewInvitation,
  Organisation,
  OrgRetention,
  OrgRetentionView,
  PendingSignatures,
  RetentionSettings,
  Staff,
  StaffChange,
  StaffChangePending,
  StatsReport,
} from '../../contract/rest.js';

/** One call of the session: method, path, JSON body; the answer as the route's contract type. */
export type SessionCall = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => Promise<T>;

export function createAdminApi(call: SessionCall) {
  const admin = '/api/v1/admin';
  return {
    invitations: () => call<Invitations>('GET', `${admin}/invitations`),
    invite: (invitation: NewInvitation) => call<InvitationCreated>('POST', `${admin}/invitations`, invitation),
    /** Demo organisation only: certify an enrolled responder whose fingerprint the admin compared. */
    certify: (id: string, body: Certify) => call<void>('POST', `${admin}/invitations/${id}/certify`, body),
    withdrawInvitation: (id: string) => call<void>('DELETE', `${admin}/invitations/${id}`),
    staff: () => call<Staff>('GET', `${admin}/staff`),
    /** Undefined when the change took effect (demo), `{ pending: true }` when it awaits `npm run org sign`. */
    changeStaff: (id: string, change: StaffChange) => call<StaffChangePending | undefined>('PUT', `${admin}/staff/${id}`, change),
    deactivate: (id: string) => call<Deactivated>('POST', `${admin}/staff/${id}/deactivate`, {}),
    pendingSignatures: () => call<PendingSignatures>('GET', `${admin}/org/pending`),
    audit: (limit = 100) => call<AuditEntries>('GET', `${admin}/audit?limit=${limit}`),
    /** The statistics report of a period (Stockholm days, inclusive), of one team or all the caller may see. */
    stats: (period: { readonly from: string; readonly to: string; readonly team?: string }) =>
      call<StatsReport>('GET', `${admin}/stats?from=${period.from}&to=${period.to}${period.team === undefined || period.team === '' ? '' : `&team=${encodeURIComponent(period.team)}`}`),
    /** The caller's organisation and its overflow agreements. */
    organisation: () => call<Organisation>('GET', `${admin}/organisation`),
    /** The receiving side: the organisations whose overflow this one takes. */
    acceptOverflow: (body: AcceptOverflow) => call<void>('PUT', `${admin}/organisation/overflow`, body),
    /** The sending side: the organisations this one asks to take its overflow. */
    askOverflow: (body: AskOverflow) => call<void>('PUT', `${admin}/organisation/overflow-requests`, body),
    retention: () => call<RetentionSettings>('GET', `${admin}/retention`),
    setRetention: (settings: RetentionSettings) => call<RetentionSettings>('PUT', `${admin}/retention`, settings),
    /** The caller's organisation's own retention, within the deployment's limits. */
    orgRetention: () => call<OrgRetentionView>('GET', `${admin}/retention/organisation`),
    setOrgRetention: (settings: OrgRetention) => call<OrgRetentionView>('PUT', `${admin}/retention/organisation`, settings),
    /** The teams the caller may see, with their settings, the category mapping and the public holidays ahead. */
    teams: () => call<Teams>('GET', `${admin}/teams`),
    createTeam: (team: NewTeam) => call<void>('POST', `${admin}/teams`, team),
    /** Admins: name, overflow and settings at once. */
    updateTeam: (id: string, update: TeamUpdate) => call<void>('PUT', `${admin}/teams/${id}`, update),
    /** Supervisors of the team: its settings alone. */
    updateTeamSettings: (id: string, settings: TeamSettings) => call<void>('PUT', `${admin}/teams/${id}/settings`, settings),
    setCategoryMapping: (mapping: CategoryMapping) => call<void>('PUT', `${admin}/category-mapping`, mapping),
    sources: () => call<Sources>('GET', `${admin}/sources`),
    createSource: (source: NewSource) => call<void>('POST', `${admin}/sources`, source),
    changeSource: (tag: string, changes: SourceChanges) => call<void>('PUT', `${admin}/sources/${tag}`, changes),
    deactivateSource: (tag: string) => call<void>('POST', `${admin}/sources/${tag}/deactivate`),
    /** What the embed snippet needs for this build (404 without a configured root). */
    embed: () => call<EmbedParts>('GET', `${admin}/embed`),
  };
}
