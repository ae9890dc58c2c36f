// Outreach sources for admins (create, edit, deactivate) and supervisors (read): their QR codes as
// SVG and PNG downloads, and what the console needs to write a municipality's embed snippet.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { orgScope } from '../directory/org-scope.js';
import { orgOf } from '../directory/organisations.js';
import type { Directory } from '../directory/directory.js';
import { ApiError, ErrorCode } from '../errors.js';
import { preferTeam, qrPng, qrSvg, sourceUrl, type SourceRecord, type Sources } from '../sources/index.js';
import { createTeamSettings } from '../routing/team-settings.js';
import type { OrgId, Store, TeamId } from '../store/ports.js';
import { requireRole } from './admin.js';
import type { AuditWriter } from './audit-writer.js';
import { ERROR_RESPONSES, json, type App, type AppEnv } from './common.js';
import { EmbedPartsSchema, NewSourceSchema, SourceChangesSchema, SourceSchema, SourcesSchema, SourceViewSchema } from '../../contract/rest.js';

export interface SourceRouteDeps {
  readonly store: Store;
  readonly sources: Sources;
  readonly directory: Directory;
  readonly audit: AuditWriter;
  /** Origin visitors use (config.publicUrl): QR codes and snippets point there. */
  readonly publicOrigin: string;
  /** Built clients (config.staticDir), for the loader's integrity hash in widget-manifest.json. */
  readonly staticDir: string;
  /** Root public key the served pages pin, when the deployment configures one. */
  readonly rootPublicKey: string | null;
}

const security = [{ responderSession: [] }];
const TagParam = z.object({ tag: SourceSchema.openapi({ param: { name: 'tag', in: 'path' } }) });
const EmbedQuery = z.object({ source: SourceSchema.optional().openapi({ param: { name: 'source', in: 'query' } }) });
/** Reads may be made by supervisors too; every change needs an admin. */
const sourcesAccess: MiddlewareHandler<AppEnv> = (() => {
  const read = requireRole('admin', 'supervisor');
  const write = requireRole('admin');
  return async function sourcesAccess(c, next) {
    return c.req.method === 'GET' || c.req.method === 'HEAD' ? read(c, next) : write(c, next);
  };
})();

export function registerSourceRoutes(app: App, deps: SourceRouteDeps): void {
  const { sources, store } = deps;
  app.use('/api/v1/admin/sources', sourcesAccess);
  app.use('/api/v1/admin/sources/*', sourcesAccess);
  app.use('/api/v1/admin/embed', requireRole('admin', 'supervisor'));

  const settings = createTeamSettings(store.records);
  /** The weekly hours of the team a chat through the source goes to first (its own team, else its organisation's chat team). */
  const hoursOf = async (s: SourceRecord) => {
    const teams = (await store.staff.listTeams()).filter((t) => orgOf(t) === orgOf({ org: s.org as OrgId | undefined }));
    const team = preferTeam(teams, s.team as TeamId | null, 'chat').find((t) => t.categories.includes('chat'));
    const hours = team === undefined ? null : (await settings.get(team.id)).dutyHours;
    return hours === null ? null : Object.fromEntries(Object.entries(hours).map(([day, windows]) => [day, (windows ?? []).map(([a, b]) => [a, b] as [string, string])]));
  };
  const view = async (s: SourceRecord) => ({ ...s, url: sourceUrl(deps.publicOrigin, s.tag), hours: await hoursOf(s) });
  const scopeOf = (c: Context<AppEnv>) => orgScope(store.staff, c.get('responder'));
  /** A target team of the caller's own organisation (another organisation's is as unknown as a missing one). */
  const checkTeam = async (c: Context<AppEnv>, team: string | null | undefined) => {
    if (team !== null && team !== undefined && !(await scopeOf(c)).has(team)) throw new ApiError(ErrorCode.InvalidRequest, `Unknown team ${team}.`);
  };
  /** A source of the caller's organisation. */
  const existing = async (c: Context<AppEnv>, tag: string) => {
    const source = await sources.get(tag);
    if (source === null || !(await scopeOf(c)).owns({ org: source.org as OrgId | undefined })) throw new ApiError(ErrorCode.NotFound);
    return source;
  };

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/sources', tags: ['admin'], summary: 'Outreach sources (QR posters, web pages), active and ended', security, responses: { 200: json(SourcesSchema, 'Sources'), ...ERROR_RESPONSES } }),
    async (c) => {
      const scope = await scopeOf(c);
      return c.json({ items: await Promise.all((await sources.list()).filter((s) => scope.owns({ org: s.org as OrgId | undefined })).map(view)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/sources',
      tags: ['admin'],
      summary: 'Create a source: a tag (never reused), a label, optionally a target team and a widget language',
      security,
      request: { body: { content: { 'application/json': { schema: NewSourceSchema } }, required: true } },
      responses: { 201: json(SourceViewSchema, 'Created'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid('json');
      await checkTeam(c, body.team);
      const scope = await scopeOf(c);
      const created = await sources.create({ tag: body.tag, label: body.label, team: body.team as TeamId | null, language: body.language, ...(scope.first ? {} : { org: scope.org }) });
      await deps.audit(c.get('responder').id, 'source-create', body.tag);
      return c.json(await view(created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/admin/sources/{tag}',
      tags: ['admin'],
      summary: 'Change a source’s label, target team, language or active flag (the tag stays)',
      security,
      request: { params: TagParam, body: { content: { 'application/json': { schema: SourceChangesSchema } }, required: true } },
      responses: { 200: json(SourceViewSchema, 'Updated'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { tag } = c.req.valid('param');
      const body = c.req.valid('json');
      await existing(c, tag);
      await checkTeam(c, body.team);
      const updated = await sources.update(tag, { ...body, team: body.team as TeamId | null });
      await deps.audit(c.get('responder').id, 'source-update', tag);
      return c.json(await view(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/sources/{tag}/deactivate',
      tags: ['admin'],
      summary: 'End a campaign: its tag still counts and its page still opens, but it no longer routes to its team',
      security,
      request: { params: TagParam },
      responses: { 200: json(SourceViewSchema, 'Deactivated'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { tag } = c.req.valid('param');
      await existing(c, tag);
      const updated = await sources.update(tag, { active: false });
      await deps.audit(c.get('responder').id, 'source-deactivate', tag);
      return c.json(await view(updated), 200);
    },
  );

  const attachment = (tag: string, ext: string) => `attachment; filename="utvag-qr-${tag}.${ext}"`;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/sources/{tag}/qr.svg',
      tags: ['admin'],
      summary: 'QR code of the source’s link as SVG (error correction Q, quiet zone of 4 modules)',
      security,
      request: { params: TagParam, query: z.object({ inline: z.enum(['1']).optional().openapi({ param: { name: 'inline', in: 'query' }, description: 'Show instead of download (previews, the poster)' }) }) },
      responses: { 200: { content: { 'image/svg+xml': { schema: z.string() } }, description: 'SVG' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { tag } = c.req.valid('param');
      await existing(c, tag);
      const svg = await qrSvg(sourceUrl(deps.publicOrigin, tag));
      c.header('Content-Type', 'image/svg+xml; charset=utf-8');
      c.header('Content-Disposition', c.req.valid('query').inline === '1' ? 'inline' : attachment(tag, 'svg'));
      return c.body(svg, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/sources/{tag}/qr.png',
      tags: ['admin'],
      summary: 'QR code of the source’s link as a 1000 × 1000 PNG (error correction Q, quiet zone of 4 modules)',
      security,
      request: { params: TagParam },
      responses: { 200: { content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'PNG' }, ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { tag } = c.req.valid('param');
      await existing(c, tag);
      const png = await qrPng(sourceUrl(deps.publicOrigin, tag));
      c.header('Content-Type', 'image/png');
      c.header('Content-Disposition', attachment(tag, 'png'));
      return c.body(new Uint8Array(png), 200);
    },
  );

  // The loader's hash is fixed per build; read once, like /loader.js itself.
  const manifestPath = join(deps.staticDir, 'widget-manifest.json');
  const loaderIntegrity = existsSync(manifestPath) ? ((JSON.parse(readFileSync(manifestPath, 'utf8')) as { loader?: { integrity?: string } }).loader?.integrity ?? null) : null;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/embed',
      tags: ['admin'],
      summary: 'What the embed snippet for a municipality’s website pins in this build: origin, root public key, loader integrity',
      security,
      request: { query: EmbedQuery },
      responses: { 200: json(EmbedPartsSchema, 'Snippet parts'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const { source } = c.req.valid('query');
      const rootPublicKey = deps.rootPublicKey ?? (await deps.directory.getOrg())?.rootPublicKey ?? null;
      if (loaderIntegrity === null || rootPublicKey === null) throw new ApiError(ErrorCode.NotFound, 'This deployment has no built loader or no organisation key yet.');
      return c.json({ origin: deps.publicOrigin, rootPublicKey, loaderIntegrity, source: source ?? null }, 200);
    },
  );
}
