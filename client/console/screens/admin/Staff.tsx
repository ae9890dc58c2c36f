// Staff: invitations, and certification of enrolled responders after comparing key fingerprints.
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../../context.js';

interface InvitationRow {
  id: string;
  displayName: string;
  teams: string[];
  roles: string[];
  state: 'open' | 'enrolled' | 'certified';
  login: string | null;
  fingerprint: string | null;
}

export function Invitations(props: { window: Window }) {
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

