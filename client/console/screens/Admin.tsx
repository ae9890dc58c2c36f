// Administration: invitations and certification after comparing fingerprints, team routing settings
// (duty hours, auto-assignment, capacity, specialist team), and the audit log (never content).
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../context.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
type DutyHours = Partial<Record<Weekday, Array<[string, string]>>>;
interface TeamSettings {
  dutyHours: DutyHours | null;
  autoAssign: boolean;
  defaultCapacity: number;
  specialist: boolean;
}
interface InvitationRow {
  id: string;
  displayName: string;
  teams: string[];
  roles: string[];
  state: 'open' | 'enrolled' | 'certified';
  login: string | null;
  fingerprint: string | null;
}

/** "mon-fri 08:00-17:00; sat 10:00-14:00" → duty hours; "" → null (always open). Throws on bad text. */
export function parseDutyHours(text: string): DutyHours | null {
  if (text.trim() === '') return null;
  const hours: DutyHours = {};
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d\d:\d\d)-(\d\d:\d\d)$/.exec(part);
    if (m === null) throw new Error(part);
    const from = WEEKDAYS.indexOf(m[1] as Weekday);
    const to = m[2] === undefined ? from : WEEKDAYS.indexOf(m[2] as Weekday);
    if (from < 0 || to < from) throw new Error(part);
    for (let d = from; d <= to; d++) (hours[WEEKDAYS[d]!] ??= []).push([m[3]!, m[4]!]);
  }
  return hours;
}

export function formatDutyHours(hours: DutyHours | null): string {
  if (hours === null) return '';
  return WEEKDAYS.flatMap((d) => (hours[d] ?? []).map(([a, b]) => `${d} ${a}-${b}`)).join('; ');
}

export function Admin(props: { window: Window }) {
  const { state, t } = useConsole();
  const isAdmin = state.me?.roles.includes('admin') ?? false;
  return (
    <div class="admin">
      <h1>{t('adminTitle')}</h1>
      {isAdmin && <Invitations window={props.window} />}
      <Settings />
      <Audit />
    </div>
  );
}

function Invitations(props: { window: Window }) {
  const { store, state, t } = useConsole();
  const [name, setName] = useState('');
  const [teams, setTeams] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>(['responder']);
  const [link, setLink] = useState<string | null>(null);
  const [rows, setRows] = useState<InvitationRow[]>([]);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const load = async () => setRows((await store.api.call<{ items: InvitationRow[] }>('GET', '/api/v1/admin/invitations')).items);
  useEffect(() => {
    void load().catch(() => undefined);
  }, []);
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const made = await store.api.call<{ path: string }>('POST', '/api/v1/admin/invitations', { displayName: name, teams, roles });
      setLink(`${props.window.location.origin}${made.path}`);
      setName('');
      await load();
    } catch {
      setMessage(t('errGeneric'));
    }
  };
  const certify = async (id: string) => {
    try {
      await store.api.call('POST', `/api/v1/admin/invitations/${id}/certify`, { fingerprint: typed[id] ?? '' });
      setMessage(t('certified'));
      await load();
    } catch {
      setMessage(t('errGeneric'));
    }
  };
  const allTeams = state.duty?.teams ?? [];
  const roleLabels = { responder: t('roleResponder'), supervisor: t('roleSupervisor'), admin: t('roleAdmin') } as const;
  return (
    <>
      <section class="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{t('inviteTitle')}</h2>
        <form onSubmit={create} autocomplete="off">
          <label for="invite-name">{t('displayName')}</label>
          <input id="invite-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <fieldset>
            <legend>{t('teams')}</legend>
            {allTeams.map((team) => (
              <label class="check" key={team.team}>
                <input type="checkbox" checked={teams.includes(team.team)} onChange={() => setTeams(toggle(teams, team.team))} /> {team.name}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('roles')}</legend>
            {(['responder', 'supervisor', 'admin'] as const).map((role) => (
              <label class="check" key={role}>
                <input type="checkbox" checked={roles.includes(role)} onChange={() => setRoles(toggle(roles, role))} /> {roleLabels[role]}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary" disabled={teams.length === 0 || roles.length === 0}>
            {t('invite')}
          </button>
        </form>
        {link !== null && (
          <p>
            {t('inviteLink')}: <code class="link-out">{link}</code>
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="pending-title">
        <h2 id="pending-title">{t('pendingTitle')}</h2>
        <p role="status">{message}</p>
        {rows.filter((r) => r.state === 'enrolled').length === 0 ? (
          <p class="hint">{t('pendingEmpty')}</p>
        ) : (
          <ul class="plain">
            {rows
              .filter((r) => r.state === 'enrolled')
              .map((r) => (
                <li key={r.id} class="queue-item">
                  <p>
                    <strong>{r.displayName}</strong> ({r.login}) · {r.teams.join(', ')} · {r.roles.join(', ')}
                  </p>
                  <label for={`fp-${r.id}`}>{t('fingerprintCompare')}</label>
                  <input id={`fp-${r.id}`} class="code" value={typed[r.id] ?? ''} onInput={(e) => setTyped({ ...typed, [r.id]: e.currentTarget.value })} />
                  <button type="button" onClick={() => void certify(r.id)}>
                    {t('certify')}
                  </button>
                </li>
              ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Settings() {
  const { store, state, t } = useConsole();
  const teams = state.duty?.teams ?? [];
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settingsTitle')}</h2>
      {teams.map((team) => (
        <TeamSettingsForm key={team.team} team={team.team} name={team.name} api={store.api} />
      ))}
    </section>
  );
}

function TeamSettingsForm(props: { team: string; name: string; api: ReturnType<typeof useConsole>['store']['api'] }) {
  const { t } = useConsole();
  const [settings, setSettings] = useState<TeamSettings | null>(null);
  const [hours, setHours] = useState('');
  const [message, setMessage] = useState('');
  useEffect(() => {
    void props.api
      .call<TeamSettings>('GET', `/api/v1/admin/teams/${props.team}/settings`)
      .then((s) => {
        setSettings(s);
        setHours(formatDutyHours(s.dutyHours));
      })
      .catch(() => undefined);
  }, [props.team]);
  if (settings === null) return null;
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await props.api.call('PUT', `/api/v1/admin/teams/${props.team}/settings`, { ...settings, dutyHours: parseDutyHours(hours) });
      setMessage(t('saved'));
    } catch {
      setMessage(t('errGeneric'));
    }
  };
  const id = (x: string) => `${x}-${props.team}`;
  return (
    <form onSubmit={save} class="team-settings" autocomplete="off">
      <h3>{props.name}</h3>
      <label for={id('hours')}>{t('dutyHours')}</label>
      <input id={id('hours')} value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
      <label class="check">
        <input type="checkbox" checked={settings.autoAssign} onChange={(e) => setSettings({ ...settings, autoAssign: e.currentTarget.checked })} /> {t('autoAssign')}
      </label>
      <label class="check">
        <input type="checkbox" checked={settings.specialist} onChange={(e) => setSettings({ ...settings, specialist: e.currentTarget.checked })} /> {t('specialist')}
      </label>
      <label for={id('cap')}>{t('capacity')}</label>
      <input id={id('cap')} type="number" min={1} max={20} value={settings.defaultCapacity} onInput={(e) => setSettings({ ...settings, defaultCapacity: Number(e.currentTarget.value) })} />
      <button type="submit">{t('save')}</button>
      <span role="status">{message}</span>
    </form>
  );
}

function Audit() {
  const { store, state, t } = useConsole();
  const [entries, setEntries] = useState<Array<{ at: number; actorName: string; action: string; ref: string }>>([]);
  useEffect(() => {
    void store.api
      .call<{ entries: typeof entries }>('GET', '/api/v1/admin/audit?limit=100')
      .then((r) => setEntries(r.entries))
      .catch(() => undefined);
  }, []);
  return (
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('auditTitle')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('auditWhen')}</th>
            <th scope="col">{t('auditWho')}</th>
            <th scope="col">{t('auditWhat')}</th>
            <th scope="col">{t('auditRef')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td>{new Date(e.at).toLocaleString(state.locale)}</td>
              <td>{e.actorName}</td>
              <td>{e.action}</td>
              <td>
                <code>{e.ref}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
