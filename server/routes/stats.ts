// Statistics for supervisors and admins (aggregated counters only, invariant 5): a period's report as
// JSON and the same counters as CSV; and the retention settings of the long-lived things (admins).
// A supervisor sees the teams they belong to; an admin sees every team.
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import { OrgRetentionSchema, OrgRetentionViewSchema, RetentionSettingsSchema } from '../../contract/rest.js';
import { createOrgRetention, createRetentionSettings } from '../retention/settings.js';
import { toCsv } from '../stats/csv.js';
import { MAX_PERIOD_DAYS, buildReport, daysBetween, isDay, parseDay } from '../stats/report.js';
import type { ResponderRecord, Store, TeamRecord } from '../store/ports.js';
import { requireRole } from './admin.js';
import { orgScope } from '../directory/org-scope.js';
import { DEFAULT_ORG, createOrganisations, orgOf } from '../directory/organisations.js';
import { answeredElsewhere, flowsBy, type OrgFlow, type OrgResolver } from '../stats/by-organisation.js';
import type { Field } from '../stats/fields.js';
import { createSources } from '../sources/index.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App } from './common.js';
import { StatsReportSchema } from '../../contract/rest.js';

export interface StatsRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly secret: Uint8Array;
  /** CALLBACK_TTL_DAYS in ms: the limit of an organisation's own callback retention (default 7 days). */
  readonly callbackTtlMs?: number;
}

const security = [{ responderSession: [] }];
const Day = z.string().refine(isDay, 'a date YYYY-MM-DD');
const PeriodQuery = z.object({
  from: Day.openapi({ param: { name: 'from', in: 'query' }, example: '2026-11-01' }),
  to: Day.openapi({ param: { name: 'to', in: 'query' }, example: '2026-11-30' }),
  team: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .optional()
    .openapi({ param: { name: 'team', in: 'query' }, description: 'One team; all the caller may see when absent' }),
});


const isAdmin = (me: ResponderRecord) => me.roles.includes('admin');

export function registerStatsRoutes(app: App, deps: StatsRouteDeps): void {
  const { store } = deps;
  const retention = createRetentionSettings(store.records);
  const audit = createAuditWriter(deps);
  app.use('/api/v1/admin/stats', requireRole('admin', 'supervisor'));
  app.use('/api/v1/admin/stats/*', requireRole('admin', 'supervisor'));
  app.use('/api/v1/admin/retention', requireRole('admin'));
  app.use('/api/v1/admin/retention/organisation', requireRole('admin'));
  const orgRetention = createOrgRetention(store.records);
  /** The deployment's limits of an organisation's own retention. */
  const limits = async () => ({ consentDays: (await retention.get()).consentDays, callbackDays: Math.max(1, Math.floor((deps.callbackTtlMs ?? 7 * 86_400_000) / 86_400_000)) });
  const orgView = async (me: ResponderRecord) => {
    const org = (await orgScope(store.staff, me)).org;
    const max = await limits();
    return { ...(await orgRetention.effective(org, max)), limits: max };
  };
  // Retention is one for the deployment: the first organisation's admins set it.
  app.use('/api/v1/admin/retention', async function firstOrganisation(c, next) {
    if (!(await orgScope(store.staff, c.get('responder'))).first) throw new ApiError(ErrorCode.Forbidden);
    await next();
  });

  /** Which organisation each source and team belongs to, and the names of the organisations. */
  async function organisations(teams: readonly TeamRecord[]) {
    const orgOfSource = new Map((await createSources({ records: store.records, clock: deps.clock }).list()).map((s) => [s.tag, (s.org ?? DEFAULT_ORG) as string]));
    const orgOfTeam = new Map(teams.map((t) => [t.id as string, orgOf(t) as string]));
    const names = new Map((await createOrganisations(store.records).list()).map((o) => [o.id as string, o.name]));
    const resolver: OrgResolver = { source: (tag) => orgOfSource.get(tag) ?? DEFAULT_ORG, team: (team) => orgOfTeam.get(team) };
    const named = (rows: OrgFlow[]) => rows.map((r) => ({ org: r.org, name: names.get(r.org) ?? null, opened: r.opened, claimed: r.claimed, abandoned: r.abandoned }));
    return { resolver, named };
  }

  /** The period's parsed counters, the teams the caller may read (null: all), and what it may read of the region. */
  async function load(me: ResponderRecord, query: z.infer<typeof PeriodQuery>) {
    const { from, to } = query;
    const days = daysBetween(from, to);
    if (days.length === 0) throw new ApiError(ErrorCode.InvalidRequest, 'from: must not be after to');
    if (days.length > MAX_PERIOD_DAYS) throw new ApiError(ErrorCode.InvalidRequest, `to: at most ${MAX_PERIOD_DAYS} days per request`);
    const allTeams = await store.staff.listTeams();
    // Each organisation of a region reads the counters of its own teams only.
    const scope = await orgScope(store.staff, me);
    const region = scope.teams.length !== allTeams.length;
    const visible = isAdmin(me) ? [...scope.teams] : scope.teams.filter((t) => me.teams.includes(t.id));
    if (query.team !== undefined && !visible.some((t) => t.id === query.team)) throw new ApiError(ErrorCode.Forbidden);
    const teams = query.team !== undefined ? new Set([query.team]) : isAdmin(me) && !region ? null : new Set(visible.map((t) => t.id));
    const hashes = await Promise.all(days.map((day) => store.stats.day(day)));
    const orgs = await organisations(allTeams);
    // And, for the whole organisation (no team chosen), its own sources' counters under other
    // organisations' teams: what the regional team answered for it.
    const elsewhere = region && query.team === undefined ? answeredElsewhere(scope.org, orgs.resolver) : null;
    return { counters: days.map((day, i) => parseDay(day, hashes[i] ?? {})), teams, visible, region, orgs, elsewhere };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/stats',
      tags: ['admin'],
      summary: 'Aggregated statistics of a period (counters only), optionally for one team',
      security,
      request: { query: PeriodQuery },
      responses: { 200: json(StatsReportSchema, 'Report'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { counters, teams, visible, orgs, elsewhere } = await load(c.get('responder'), query);
      const report = buildReport({ from: query.from, to: query.to, team: query.team ?? null, teams, days: counters });
      const mine = (f: Field) => teams === null || teams.has(f.team);
      return c.json(
        {
          ...report,
          bySourceOrganisation: orgs.named(flowsBy(counters, mine, (f) => orgs.resolver.source(f.source))),
          answeredElsewhere: elsewhere === null ? [] : orgs.named(flowsBy(counters, elsewhere, (f) => orgs.resolver.team(f.team) ?? DEFAULT_ORG)),
          teams: visible.map((t) => ({ id: t.id, name: t.name })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/stats/csv',
      tags: ['admin'],
      summary: 'The counters of a period as CSV: one row per day × team × category × source × metric × bucket',
      security,
      request: { query: PeriodQuery },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV file' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { counters, teams, region, orgs, elsewhere } = await load(c.get('responder'), query);
      const name = `utvag-statistik-${query.from}-${query.to}${query.team === undefined ? '' : `-${query.team}`}.csv`;
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${name}"`);
      c.header('Cache-Control', 'no-store');
      // In a region each row also names the organisation of its team and of its source.
      const rows = (f: Field) => teams === null || teams.has(f.team) || (elsewhere?.(f) ?? false);
      return c.body(toCsv(counters, rows, region ? orgs.resolver : undefined), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/retention',
      tags: ['admin'],
      summary: 'How long the audit log, statistics and consented identities are kept',
      security,
      responses: { 200: json(RetentionSettingsSchema, 'Settings'), ...ERROR_RESPONSES },
    }),
    async (c) => c.json(await retention.get(), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/retention',
      tags: ['admin'],
      summary: 'Change the retention settings (older data is deleted by the next purge, within ten minutes)',
      security,
      request: { body: { content: { 'application/json': { schema: RetentionSettingsSchema } }, required: true } },
      responses: { 200: json(RetentionSettingsSchema, 'Stored'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const settings = c.req.valid('json');
      await retention.put(settings);
      await audit(c.get('responder').id, 'retention-settings');
      return c.json(await retention.get(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/retention/organisation',
      tags: ['admin'],
      summary: 'How long the caller’s organisation keeps its consented identities and open callback requests, and the deployment’s limits',
      security,
      responses: { 200: json(OrgRetentionViewSchema, 'Settings'), ...ERROR_RESPONSES },
    }),
    async (c) => c.json(await orgView(c.get('responder')), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/retention/organisation',
      tags: ['admin'],
      summary: 'Change the caller’s organisation’s retention (consents: the next purge, within ten minutes; callbacks: requests filed from now on), within the deployment’s limits',
      security,
      request: { body: { content: { 'application/json': { schema: OrgRetentionSchema } }, required: true } },
      responses: { 200: json(OrgRetentionViewSchema, 'Stored'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const settings = c.req.valid('json');
      const me = c.get('responder');
      const max = await limits();
      if (settings.consentDays > max.consentDays) throw new ApiError(ErrorCode.InvalidRequest, `consentDays: at most ${max.consentDays} (the deployment's limit)`);
      if (settings.callbackDays > max.callbackDays) throw new ApiError(ErrorCode.InvalidRequest, `callbackDays: at most ${max.callbackDays} (CALLBACK_TTL_DAYS)`);
      await orgRetention.put((await orgScope(store.staff, me)).org, settings);
      await audit(me.id, 'retention-settings');
      return c.json(await orgView(me), 200);
    },
  );
}
