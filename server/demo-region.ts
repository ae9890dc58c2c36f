// The demo region for a first `npm start`: two municipalities, each with its own organisation key,
// team, outreach source and a login, and a regional night team that both send their overflow to
// (both sides of the agreement configured). Beside the demo organisation of server/demo.ts.
import type { OrgId, ResponderId, ResponderRecord, Role, TeamId, TeamRecord } from './store/ports.js';
import { DEFAULT_KDF, authKeyHash } from './routes/responder.js';
import { createSources } from './sources/index.js';
import { enrolDemoResponder, ensureDemoOrg, type DemoOrgDeps, type DemoOrganisation } from './directory/demo-org.js';
import { createOrganisations } from './directory/organisations.js';
import type { DemoLogin, LoginKeyDeriver } from './demo.js';
import { createTeamSettings } from './routing/team-settings.js';
import type { TeamSettings } from '../contract/rest.js';
import { WEEKDAYS } from '../contract/teams.js';

/**
 * Opening hours a first `npm start` gives the region: the municipalities' teams on weekdays
 * 08:00–17:00; the regional team has none (open whenever someone is on duty: nights, weekends, and
 * when a municipality is full). Tests seed none.
 */
export const REGION_DUTY_HOURS: Readonly<Record<string, TeamSettings['dutyHours']>> = Object.fromEntries(
  ['huddinge-unga', 'botkyrka-unga'].map((team) => [team, Object.fromEntries(WEEKDAYS.slice(0, 5).map((d) => [d, [['08:00', '17:00']]]))]),
);

export const REGION_ORGS: readonly DemoOrganisation[] = [
  { id: 'huddinge' as OrgId, name: 'Huddinge kommun' },
  { id: 'botkyrka' as OrgId, name: 'Botkyrka kommun' },
  { id: 'regionen' as OrgId, name: 'Regionjouren' },
];

export const REGION_TEAMS: readonly TeamRecord[] = [
  { id: 'huddinge-unga' as TeamId, name: 'Huddinge – unga', categories: ['chat', 'callback'], overflow: 'regionjouren' as TeamId, org: 'huddinge' as OrgId },
  { id: 'botkyrka-unga' as TeamId, name: 'Botkyrka – unga', categories: ['chat', 'callback'], overflow: 'regionjouren' as TeamId, org: 'botkyrka' as OrgId },
  { id: 'regionjouren' as TeamId, name: 'Regionjouren', categories: ['chat', 'callback'], overflow: null, org: 'regionen' as OrgId },
];

/** The outreach source (QR code, /c/<tag>) of each municipality. */
export const REGION_SOURCES = [
  { tag: 'huddinge', label: 'Huddinge – affisch', team: 'huddinge-unga' as TeamId, org: 'huddinge' as OrgId },
  { tag: 'botkyrka', label: 'Botkyrka – affisch', team: 'botkyrka-unga' as TeamId, org: 'botkyrka' as OrgId },
] as const;

/**
 * Seeds the region unless its first login exists: organisations with their keys, teams, sources,
 * the overflow agreements (each municipality asks the regional body, which accepts both), and one
 * login per organisation (responder, supervisor and admin of its own team only), enrolled with keys.
 * Returns the logins to print (random passwords; the server keeps only hashes of the derived keys), or [] when seeded.
 */
export async function seedDemoRegion(
  deps: DemoOrgDeps,
  derive: LoginKeyDeriver,
  options: { readonly dutyHours?: Readonly<Record<string, TeamSettings['dutyHours']>> } = {},
): Promise<DemoLogin[]> {
  const { store } = deps;
  for (const org of REGION_ORGS) await ensureDemoOrg(deps, org);
  const registry = createOrganisations(store.records);
  const region = REGION_ORGS[2]!;
  const known = await registry.get(region.id);
  await registry.put({ id: region.id, name: region.name, acceptsOverflowFrom: [...new Set([...(known?.acceptsOverflowFrom ?? []), REGION_ORGS[0]!.id, REGION_ORGS[1]!.id])], asksOverflowTo: known?.asksOverflowTo ?? [] });
  // The municipalities' half: each asked the regional body to take its overflow.
  for (const org of REGION_ORGS.slice(0, 2)) {
    const own = await registry.get(org.id);
    if (own !== null && !own.asksOverflowTo.includes(region.id)) await registry.put({ ...own, asksOverflowTo: [...own.asksOverflowTo, region.id] });
  }
  const settings = createTeamSettings(store.records);
  for (const team of REGION_TEAMS) {
    if ((await store.staff.getTeam(team.id)) !== null) continue;
    await store.staff.putTeam(team);
    const hours = options.dutyHours?.[team.id];
    if (hours !== undefined) await settings.put(team.id, { ...(await settings.get(team.id)), dutyHours: hours });
  }
  const sources = createSources({ records: store.records, clock: deps.clock });
  for (const s of REGION_SOURCES) if ((await sources.get(s.tag)) === null) await sources.create({ tag: s.tag, label: s.label, team: s.team, language: null, org: s.org });
  const logins: DemoLogin[] = [];
  for (const org of REGION_ORGS) {
    const login = org.id as string;
    if ((await store.staff.findResponderByLogin(login)) !== null) continue;
    const password = Buffer.from(deps.random(12)).toString('base64url');
    const salt = deps.random(16);
    const { authKey, wrapKey } = await derive(password, salt, DEFAULT_KDF);
    const responder: ResponderRecord = {
      id: `r-${login}` as ResponderId,
      login,
      displayName: `${org.name} (demo)`,
      teams: REGION_TEAMS.filter((t) => t.org === org.id).map((t) => t.id),
      roles: ['responder', 'supervisor', 'admin'] satisfies Role[],
      salt: Buffer.from(salt).toString('base64url'),
      opslimit: DEFAULT_KDF.opslimit,
      memlimit: DEFAULT_KDF.memlimit,
      authHash: authKeyHash(authKey),
      active: true,
      org: org.id,
    };
    await store.staff.putResponder(responder);
    await enrolDemoResponder(deps, responder, wrapKey);
    logins.push({ login, password, responder, wrapKey });
  }
  return logins;
}
