// The demo organisation for a first `npm start`: three teams and one responder whose login is printed.
import { CATEGORIES } from '../contract/categories.js';
import type { ResponderId, ResponderRecord, Role, Store, TeamId, TeamRecord } from './store/ports.js';
import { DEFAULT_KDF, authKeyHash } from './routes/responder.js';
import { createTeamSettings } from './routing/team-settings.js';
import type { TeamSettings } from '../contract/rest.js';
import { WEEKDAYS, type Weekday } from '../contract/teams.js';
import { systemClock } from './clock.js';
import { createSources } from './sources/index.js';

/** The source tag of the demo's printed widget link. */
export const DEMO_SOURCE = 'demo';

/** The demo's routing: parents to parent guidance, every other category (a new one too) to the youth team. */
export const DEMO_TEAMS: readonly TeamRecord[] = [
  { id: 'unga' as TeamId, name: 'Socialtjänsten – unga', categories: CATEGORIES.filter((c) => c !== 'parent'), overflow: 'konsult' as TeamId },
  { id: 'foraldrar' as TeamId, name: 'Föräldrarådgivning', categories: ['parent'], overflow: 'unga' as TeamId },
  { id: 'konsult' as TeamId, name: 'Konsultationsteamet', categories: [], overflow: null },
];

const every = (from: string, to: string, days: readonly Weekday[]) => Object.fromEntries(days.map((d) => [d, [[from, to] as [string, string]]]));
/**
 * Opening hours a first `npm start` shows (the youth team every day 08:00–22:00, parent guidance
 * on weekdays 09:00–18:00). Tests seed none (a team without hours is open whenever someone is on
 * duty), so they run at any hour; a test about hours sets its own.
 */
export const DEMO_DUTY_HOURS: Readonly<Record<string, TeamSettings['dutyHours']>> = {
  unga: every('08:00', '22:00', WEEKDAYS),
  foraldrar: every('09:00', '18:00', WEEKDAYS.slice(0, 5)),
};

/** Derives the auth and wrap keys from a password as the console does (Argon2id, then KDF "auth" / "wrap"). */
export type LoginKeyDeriver = (
  password: string,
  salt: Uint8Array,
  params: { opslimit: number; memlimit: number },
) => Promise<{ authKey: Uint8Array; wrapKey: Uint8Array }>;

export interface DemoLogin {
  readonly login: string;
  readonly password: string;
  readonly responder: ResponderRecord;
  /** For wrapping the demo responder's private keys (enrolDemoResponder); never stored. */
  readonly wrapKey: Uint8Array;
}

/**
 * Seeds teams and a demo responder (all roles, all teams) unless it exists. Returns the login to
 * print. The password is random per seeding; the server keeps only the hash of the derived key.
 */
export async function seedDemo(
  store: Store,
  derive: LoginKeyDeriver,
  random: (n: number) => Uint8Array,
  login = 'demo',
  options: { readonly dutyHours?: Readonly<Record<string, TeamSettings['dutyHours']>> } = {},
): Promise<DemoLogin | null> {
  const settings = createTeamSettings(store.records);
  for (const team of DEMO_TEAMS) {
    if ((await store.staff.getTeam(team.id)) !== null) continue;
    await store.staff.putTeam(team);
    const hours = options.dutyHours?.[team.id];
    if (hours !== undefined) await settings.put(team.id, { ...(await settings.get(team.id)), dutyHours: hours });
  }
  // The consultation team takes conversations flagged "under threat".
  const konsult = 'konsult' as TeamId;
  if (!(await settings.get(konsult)).specialist) await settings.put(konsult, { ...(await settings.get(konsult)), specialist: true });
  // The outreach source of the printed widget link (/c/demo), so its conversations count under it.
  const sources = createSources({ records: store.records, clock: systemClock });
  if ((await sources.get(DEMO_SOURCE)) === null) await sources.create({ tag: DEMO_SOURCE, label: 'Demo', team: null, language: null });
  if ((await store.staff.findResponderByLogin(login)) !== null) return null;
  const password = Buffer.from(random(12)).toString('base64url');
  const salt = random(16);
  const { authKey, wrapKey } = await derive(password, salt, DEFAULT_KDF);
  const responder: ResponderRecord = {
    id: `r-${login}` as ResponderId,
    login,
    displayName: 'Demo responder',
    teams: DEMO_TEAMS.map((t) => t.id),
    roles: ['responder', 'supervisor', 'admin'] satisfies Role[],
    salt: Buffer.from(salt).toString('base64url'),
    opslimit: DEFAULT_KDF.opslimit,
    memlimit: DEFAULT_KDF.memlimit,
    authHash: authKeyHash(authKey),
    active: true,
  };
  await store.staff.putResponder(responder);
  return { login, password, responder, wrapKey };
}
