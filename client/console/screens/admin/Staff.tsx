// Staff: invitations, the responder list with team and role changes and deactivation, and what awaits
// the organisation key. In a real organisation the key is never opened here (a page the server serves
// could be any script): changes are recorded, a deactivation stops the account at once, and an admin
// signs with `npm run org sign` on their own computer; this screen shows what awaits it, with the key
// fingerprints to compare. In the demo the server holds the key and signs at once.
import { useEffect, useState } from 'preact/hooks';
import type { InvitationSummary, Staff, StaffMember } from '../../../../contract/rest.js';
import { ROLES, type Role } from '../../../../contract/roles.js';
import { useConsole } from '../../context.js';
import { intlTag, type MessageKey } from '../../i18n/index.js';
import { AwaitingSignature } from './AwaitingSignature.js';

const toggle = <T extends string>(list: readonly T[], value: T): T[] => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);

export function Invitations(props: { window: Window }) {
  const { store, state, t } = useConsole();
  const [name, setName] = useState('');
  const [teams, setTeams] = useState<string[]>([]);
  const [roles, setRoles] = useState<Role[]>(['responder']);
  const [link, setLink] = useState<string | null>(null);
  const [rows, setRows] = useState<InvitationSummary[]>([]);
  const [staff, setStaff] = useState<Staff | null>(null);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const [editing, setEditing] = useState<{ id: string; teams: string[]; roles: Role[] } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = async () => {
    const [invitations, current] = await Promise.all([
      store.api.admin.invitations(),
      store.api.admin.staff(),
    ]);
    setRows(invitations.items);
    setStaff(current);
    setRefresh((n) => n + 1);
    return current;
  };
  useEffect(() => {
    void load().catch(() => undefined);
  }, []);

  const real = staff?.org.mode === 'organisation';
  const teamName = (id: string) => staff?.org.teams.find((x) => x.id === id)?.name ?? state.duty?.teams.find((x) => x.team === id)?.name ?? id;
  const roleLabels: Record<Role, string> = { responder: t('roleResponder'), supervisor: t('roleSupervisor'), admin: t('roleAdmin') };
  const allTeams = staff?.org.teams.map((x) => ({ id: x.id, name: x.name })) ?? state.duty?.teams.map((x) => ({ id: x.team, name: x.name })) ?? [];

  /** Runs an admin action and shows its sentence (a key, or '#' and a ready text). */
  const act = async (work: () => Promise<MessageKey | string>) => {
    setBusy(true);
    try {
      const done = await work();
      await load();
      setMessage(done.startsWith('#') ? done.slice(1) : t(done as MessageKey));
    } catch (error) {
      setMessage(t('errGeneric'));
    } finally {
      setBusy(false);
    }
  };

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const made = await store.api.admin.invite({ displayName: name, teams, roles });
      setLink(`${props.window.location.origin}${made.path}`);
      setName('');
      await load();
    } catch {
      setMessage(t('errGeneric'));
    }
  };

  /** Demo organisation only: the server certifies after the typed fingerprint matches. */
  const certify = (row: InvitationSummary) =>
    act(async () => {
      await store.api.admin.certify(row.id, { fingerprint: typed[row.id] ?? '' });
      return 'certified';
    });

  const save = () =>
    act(async () => {
      if (editing === null) return 'errGeneric';
      const result = await store.api.admin.changeStaff(editing.id, { teams: editing.teams, roles: editing.roles });
      setEditing(null);
      return result?.pending === true ? 'staffChangePending' : 'staffSaved';
    });

  const deactivate = (member: StaffMember) =>
    act(async () => {
      const result = await store.api.admin.deactivate(member.id);
      setConfirming(null);
      if (result.pending) return `#${t('staffDeactivatedPending', { name: member.displayName })}`;
      return `#${t('staffDeactivated', { name: member.displayName, teams: result.rotated.map(teamName).join(', ') || '–' })}`;
    });

  const formatDate = (ms: number | null) => (ms === null ? '–' : new Date(ms).toLocaleDateString(intlTag(state.locale)));

  return (
    <>
      {staff === null ? null : real ? (
        <AwaitingSignature refresh={refresh} teamName={teamName} roleName={(x) => roleLabels[x as Role] ?? x} />
      ) : (
        <section class="card" aria-labelledby="org-key-title">
          <h2 id="org-key-title">{t('orgKeyTitle')}</h2>
          <p class="hint">{t('orgKeyDemo')}</p>
        </section>
      )}
      <section class="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{t('inviteTitle')}</h2>
        <form onSubmit={create} autocomplete="off">
          <label for="invite-name">{t('displayName')}</label>
          <input id="invite-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <fieldset>
            <legend>{t('teams')}</legend>
            {allTeams.map((team) => (
              <label class="check" key={team.id}>
                <input type="checkbox" checked={teams.includes(team.id)} onChange={() => setTeams(toggle(teams, team.id))} /> {team.name}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('roles')}</legend>
            {ROLES.map((role) => (
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
      <p role="status">{message}</p>
      {staff !== null && !real && (
      <section class="card" aria-labelledby="pending-title">
        <h2 id="pending-title">{t('pendingTitle')}</h2>
        {rows.filter((r) => r.state === 'enrolled').length === 0 ? (
          <p class="hint">{t('pendingEmpty')}</p>
        ) : (
          <ul class="plain">
            {rows
              .filter((r) => r.state === 'enrolled')
              .map((r) => (
                <li key={r.id} class="queue-item">
                  <p>
                    <strong>{r.displayName}</strong> ({r.login}) · {r.teams.map(teamName).join(', ')} · {r.roles.map((x) => roleLabels[x as Role] ?? x).join(', ')}
                  </p>
                  <label for={`fp-${r.id}`}>{t('fingerprintCompare')}</label>
                  <input id={`fp-${r.id}`} class="code" value={typed[r.id] ?? ''} onInput={(e) => setTyped({ ...typed, [r.id]: e.currentTarget.value })} />
                  <button type="button" disabled={busy} onClick={() => void certify(r)}>
                    {t('certify')}
                  </button>
                </li>
              ))}
          </ul>
        )}
      </section>
      )}
      <section class="card" aria-labelledby="staff-title">
        <h2 id="staff-title">{t('staffListTitle')}</h2>
        {staff === null || staff.responders.length === 0 ? (
          <p class="hint">{t('staffEmpty')}</p>
        ) : (
          <table>
            <caption class="visually-hidden">{t('staffListCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staffColName')}</th>
                <th scope="col">{t('staffColLogin')}</th>
                <th scope="col">{t('staffColTeams')}</th>
                <th scope="col">{t('staffColRoles')}</th>
                <th scope="col">{t('staffColStatus')}</th>
                <th scope="col">{t('staffColFingerprint')}</th>
                <th scope="col">{t('staffColExpiry')}</th>
                <th scope="col">{t('staffColActions')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.responders.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.displayName}</th>
                  <td>{m.login}</td>
                  <td>{m.teams.map(teamName).join(', ')}</td>
                  <td>{m.roles.map((x) => roleLabels[x]).join(', ')}</td>
                  <td>{!m.active ? t('staffInactive') : m.cert === null ? t('staffUncertified') : t('staffActive')}</td>
                  <td>{m.fingerprint === null ? '–' : <code>{m.fingerprint}</code>}</td>
                  <td>{formatDate(m.certExpires)}</td>
                  <td>
                    {m.active && m.id !== state.me?.id && (
                      <>
                        <button type="button" disabled={busy} onClick={() => setEditing({ id: m.id, teams: [...m.teams], roles: [...m.roles] })}>
                          {t('staffEdit', { name: m.displayName })}
                        </button>{' '}
                        {confirming === m.id ? (
                          <button type="button" disabled={busy} onClick={() => void deactivate(m)}>
                            {t('staffDeactivateConfirm', { name: m.displayName })}
                          </button>
                        ) : (
                          <button type="button" disabled={busy} onClick={() => setConfirming(m.id)}>
                            {t('staffDeactivate', { name: m.displayName })}
                          </button>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {confirming !== null && <p class="hint">{t('staffDeactivateHint')}</p>}
        {editing !== null && (
          <form
            class="card"
            aria-labelledby="staff-edit-title"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <h3 id="staff-edit-title">{t('staffEditTitle', { name: staff?.responders.find((m) => m.id === editing.id)?.displayName ?? '' })}</h3>
            <fieldset>
              <legend>{t('staffColTeams')}</legend>
              {allTeams.map((team) => (
                <label class="check" key={team.id}>
                  <input type="checkbox" checked={editing.teams.includes(team.id)} onChange={() => setEditing({ ...editing, teams: toggle(editing.teams, team.id) })} /> {team.name}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('staffColRoles')}</legend>
              {ROLES.map((role) => (
                <label class="check" key={role}>
                  <input type="checkbox" checked={editing.roles.includes(role)} onChange={() => setEditing({ ...editing, roles: toggle(editing.roles, role) })} /> {roleLabels[role]}
                </label>
              ))}
            </fieldset>
            <button type="submit" class="primary" disabled={busy || editing.teams.length === 0 || editing.roles.length === 0}>
              {t('staffSave')}
            </button>{' '}
            <button type="button" onClick={() => setEditing(null)}>
              {t('staffCancel')}
            </button>
          </form>
        )}
      </section>
    </>
  );
}
