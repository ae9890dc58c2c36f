// Team administration: the teams with their routing settings, a new team, a team's name, overflow
// and settings, which team takes each visitor category, and a team's settings alone.
//
// Who may do what: admins everything. Supervisors read every team and change the settings of their
// own teams (duty hours, holidays, out-of-hours texts, auto-assignment, default capacity) but not
// the specialist flag, a name, an overflow link, the category mapping, nor create teams: those move
// conversations between teams, so they stay with the admins.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/directory.js';
import { holdsDemoOrgKey, refreshDemoOrg } from '../directory/demo-org.js';
import { orgScope } from '../directory/org-scope.js';
import { createOrganisations, orgOf } from '../directory/organisations.js';
import { ApiError, ErrorCode } from '../errors.js';
import { stockholmLocal } from '../routing/duty-hours.js';
import { publicHolidaysBetween } from '../routing/holidays.js';
import { openingAt } from '../routing/opening.js';
import type { Routing } from '../routing/routing.js';
import { applyCategoryMapping, categoryMappingProblems, currentCategoryMapping, overflowLoop, type CategoryMapping } from '../routing/team-config.js';
import { CategoryMappingSchema, NewTeamSchema, TeamSettingsSchema, TeamSlugSchema, TeamsSchema, TeamUpdateSchema, type TeamSettings } from '../../contract/rest.js';
import { CATEGORIES } from '../../contract/categories.js';
import type { ResponderRecord, Store, TeamId, TeamRecord } from '../store/ports.js';
import { createAuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App, type AppEnv } from './common.js';

export interface TeamRouteDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly routing: Routing;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  readonly secret: Uint8Array;
}

const security = [{ responderSession: [] }];
const TeamParam = z.object({ team: TeamSlugSchema.openapi({ param: { name: 'team', in: 'path' }, example: 'unga' }) });

const isAdmin = (me: ResponderRecord) => me.roles.includes('admin');
const editableBy = (me: ResponderRecord, team: TeamId): 'all' | 'settings' | 'none' =>
  isAdmin(me) ? 'all' : me.roles.includes('supervisor') && me.teams.includes(team) ? 'settings' : 'none';

export function registerTeamRoutes(app: App, deps: TeamRouteDeps): void {
  const { store, routing } = deps;
  const audit = createAuditWriter(deps);

  const me = (c: Context<AppEnv>, ...roles: Array<'admin' | 'supervisor'>) => {
    const responder = c.get('responder');
    if (!responder.roles.some((r) => (roles as string[]).includes(r))) throw new ApiError(ErrorCode.Forbidden);
    return responder;
  };
  /** A team of the caller's organisation (another organisation's team is as unknown as a missing one). */
  const requireTeam = async (id: string, caller: ResponderRecord): Promise<TeamRecord> => {
    const team = await store.staff.getTeam(id as TeamId);
    if (team === null || orgOf(team) !== orgOf(caller)) throw new ApiError(ErrorCode.NotFound);
    return team;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/teams',
      tags: ['admin'],
      summary: 'Every team with its category, overflow and routing settings, and what the caller may change',
      security,
      responses: { 200: json(TeamsSchema, 'Teams'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const caller = me(c, 'admin', 'supervisor');
      const teams = (await orgScope(store.staff, caller)).teams;
      const now = deps.clock.now();
      const items = await Promise.all(
        teams.map(async (t) => {
          const settings = await routing.settings.get(t.id);
          return {
            id: t.id,
            name: t.name,
            categories: [...t.categories],
            overflow: t.overflow,
            settings,
            editable: editableBy(caller, t.id),
            inboxKey: (await deps.directory.currentTeamKey(t.id)) !== null,
            openNow: openingAt(settings, now).open,
          };
        }),
      );
      const publicHolidays = publicHolidaysBetween(stockholmLocal(now).date, 366);
      const org = orgOf(caller);
      const accepting = new Set((await createOrganisations(store.records).list()).filter((o) => o.id !== org && o.acceptsOverflowFrom.includes(org)).map((o) => o.id as string));
      const overflowTargets = (await store.staff.listTeams()).filter((t) => accepting.has(orgOf(t))).map((t) => ({ id: t.id, name: t.name }));
      return c.json({ items, mapping: currentCategoryMapping(teams), publicHolidays, overflowTargets }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/teams',
      tags: ['admin'],
      summary: 'Create a team (id slug and name); it takes no category and has no overflow until set (admin)',
      security,
      request: { body: { content: { 'application/json': { schema: NewTeamSchema } }, required: true } },
      responses: { 201: json(z.object({ id: z.string() }), 'Created'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const caller = me(c, 'admin');
      const body = c.req.valid('json');
      const id = body.id as TeamId;
      if ((await store.staff.getTeam(id)) !== null) throw new ApiError(ErrorCode.InvalidRequest, `id: a team ${id} exists already`);
      const scope = await orgScope(store.staff, caller);
      await store.staff.putTeam({ id, name: body.name, categories: [], overflow: null, ...(scope.first ? {} : { org: scope.org }) });
      // The demo organisation certifies the new team's inbox key at once; a real one in an admin's browser.
      if (await holdsDemoOrgKey(store)) await refreshDemoOrg({ store, directory: deps.directory, clock: deps.clock, random: deps.random });
      await audit(caller.id, 'team-create', id);
      return c.json({ id }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/teams/{team}',
      tags: ['admin'],
      summary: 'A team’s name, overflow team (no loops) and routing settings (admin)',
      security,
      request: { params: TeamParam, body: { content: { 'application/json': { schema: TeamUpdateSchema } }, required: true } },
      responses: { 204: { description: 'Saved' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const caller = me(c, 'admin');
      const team = await requireTeam(c.req.valid('param').team, caller);
      const body = c.req.valid('json');
      const overflow = body.overflow as TeamId | null;
      const teams = await store.staff.listTeams();
      const target = overflow === null ? null : (teams.find((t) => t.id === overflow) ?? null);
      // Another organisation's team only when that organisation accepts this one's overflow (its half of the agreement).
      if (overflow !== null && (target === null || !(await createOrganisations(store.records).acceptsOverflow(orgOf(team), orgOf(target))))) {
        throw new ApiError(ErrorCode.InvalidRequest, `overflow: unknown team ${overflow}`);
      }
      const loop = overflowLoop(teams, team.id, overflow);
      if (loop !== null) throw new ApiError(ErrorCode.InvalidRequest, `overflow: would form a loop ${loop.join(' → ')}`);
      await routing.settings.put(team.id, body.settings);
      await store.staff.putTeam({ ...team, name: body.name, overflow });
      await audit(caller.id, 'team-update', team.id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/category-mapping',
      tags: ['admin'],
      summary: `Which team takes each visitor category (${CATEGORIES.join(', ')}): every category exactly one team (admin)`,
      security,
      request: { body: { content: { 'application/json': { schema: CategoryMappingSchema } }, required: true } },
      responses: { 204: { description: 'Saved' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const caller = me(c, 'admin');
      const mapping = c.req.valid('json') as CategoryMapping;
      // Each organisation maps the categories to its own teams.
      const teams = (await orgScope(store.staff, caller)).teams;
      const problems = categoryMappingProblems(mapping, teams);
      if (problems.length > 0) throw new ApiError(ErrorCode.InvalidRequest, problems.join('; '));
      // Teams that gain a category first, then those that lose one: a category is never without a team.
      const updated = applyCategoryMapping(teams, mapping);
      const gains = updated.filter((t, i) => t.categories.some((cat) => !teams[i]!.categories.includes(cat)));
      const rest = updated.filter((t, i) => !gains.includes(t) && t.categories.join() !== teams[i]!.categories.join());
      for (const t of [...gains, ...rest]) await store.staff.putTeam(t);
      await audit(caller.id, 'category-mapping');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/teams/{team}/settings', tags: ['admin'], summary: 'Routing settings of a team', security, request: { params: TeamParam }, responses: { 200: json(TeamSettingsSchema, 'Settings'), ...ERROR_RESPONSES } }),
    async (c) => {
      const caller = me(c, 'admin', 'supervisor');
      const team = await requireTeam(c.req.valid('param').team, caller);
      return c.json(await routing.settings.get(team.id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/teams/{team}/settings',
      tags: ['admin'],
      summary: 'Duty hours (Europe/Stockholm), holidays, out-of-hours texts, auto-assignment, default capacity, specialist flag (admin; a supervisor of the team all but the specialist flag)',
      security,
      request: { params: TeamParam, body: { content: { 'application/json': { schema: TeamSettingsSchema } }, required: true } },
      responses: { 204: { description: 'Saved' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const caller = me(c, 'admin', 'supervisor');
      const team = await requireTeam(c.req.valid('param').team, caller);
      const settings: TeamSettings = c.req.valid('json');
      const may = editableBy(caller, team.id);
      if (may === 'none') throw new ApiError(ErrorCode.Forbidden, 'Supervisors change the settings of their own teams only.');
      if (may === 'settings' && settings.specialist !== (await routing.settings.get(team.id)).specialist) {
        throw new ApiError(ErrorCode.Forbidden, 'Only an admin changes which team is the specialist team.');
      }
      await routing.settings.put(team.id, settings);
      await audit(caller.id, 'team-settings', team.id);
      return c.body(null, 204);
    },
  );
}
