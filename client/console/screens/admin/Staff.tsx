// Staff: the organisation key (a real organisation unlocks it here), invitations, certification of
// enrolled responders after comparing key fingerprints, and the responder list with team and role
// changes and deactivation. In a real organisation every change is signed in this browser
// (crypto/org-admin.ts) and the server checks it; in the demo the server signs.
import { useEffect, useState } from 'preact/hooks';
import { CryptoErrorCode, isCryptoError } from '../../../../crypto/console.js';
import { ApiRequestError } from '../../../shared/api-client.js';
import { useConsole } from '../../context.js';
import {
  certsDue,
  renewalDue,
  signCertification,
  signDeactivation,
  signRenewal,
  signUpdate,
  unlockOrgKey,
  type SealedOrgKey,
  type SignedChange,
  type StaffMember,
  type StaffState,
} from '../../crypto/org-admin.js';
import type { MessageKey } from '../../i18n/index.js';

interface InvitationRow {
  id: string;
  displayName: string;
  teams: string[];
  roles: string[];
  state: 'open' | 'enrolled' | 'certified';
  login: string | null;
  fingerprint: string | null;
  responder: string | null;
  signPublicKey: string | null;
  boxPublicKey: string | null;
}

type Role = 'responder' | 'supervisor' | 'admin';
const ROLES: readonly Role[] = ['responder', 'supervisor', 'admin'];
const toggle = (list: readonly string[], value: string) => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);

/** Thrown when a real organisation's change needs the unlocked key. */
class OrgKeyNeeded extends Error {}

export function Invitations(props: { window: Window }) {
  const { store, state, t } = useConsole();
  const [name, setName] = useState('');
  const [teams, setTeams] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>(['responder']);
  const [link, setLink] = useState<string | null>(null);
  const [rows, setRows] = useState<InvitationRow[]>([]);
  const [staff, setStaff] = useState<StaffState | null>(null);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [unlocked, setUnlocked] = useState(store.org.signer() !== null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ id: string; teams: string[]; roles: string[] } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = async () => {
    const [invitations, current] = await Promise.all([
      store.api.call<{ items: InvitationRow[] }>('GET', '/api/v1/admin/invitations'),
      store.api.call<StaffState>('GET', '/api/v1/admin/staff'),
    ]);
    setRows(invitations.items);
    setStaff(current);
    return current;
  };
  useEffect(() => {
    void load().catch(() => undefined);
  }, []);

  const real = staff?.org.mode === 'organisation';
  const teamName = (id: string) => staff?.org.teams.find((x) => x.id === id)?.name ?? state.duty?.teams.find((x) => x.team === id)?.name ?? id;
  const roleLabels: Record<Role, string> = { responder: t('roleResponder'), supervisor: t('roleSupervisor'), admin: t('roleAdmin') };
  const allTeams = staff?.org.teams.map((x) => ({ id: x.id, name: x.name })) ?? state.duty?.teams.map((x) => ({ id: x.team, name: x.name })) ?? [];

  /** Runs an admin action: signs with the unlocked key in a real organisation, shows a sentence. */
  const act = async (work: (current: StaffState) => Promise<MessageKey | string>) => {
    setBusy(true);
    try {
      const current = staff ?? (await load());
      const done = await work(current);
      await load();
      setMessage(done.startsWith('#') ? done.slice(1) : t(done as MessageKey));
    } catch (error) {
      if (error instanceof OrgKeyNeeded) setMessage(t('orgKeyNeeded'));
      else if (isCryptoError(error, CryptoErrorCode.UntrustedKey) && error.message.includes('fingerprint')) setMessage(t('fingerprintMismatch'));
      else setMessage(t('errGeneric'));
    } finally {
      setBusy(false);
    }
  };
  /** The signed artefacts of a change in a real organisation; undefined in the demo (the server signs). */
  const signed = (make: (signer: NonNullable<ReturnType<typeof store.org.signer>>) => SignedChange | Promise<SignedChange>) => {
    if (!real) return undefined;
    const signer = store.org.signer();
    if (signer === null) throw new OrgKeyNeeded();
    return make(signer);
  };

  const unlock = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const current = staff ?? (await load());
      const sealed = await store.api.call<SealedOrgKey>('GET', '/api/v1/admin/org/key');
      if (store.rootPublicKey === null || current.org.orgCert === null) throw new Error('no pinned root key');
      const signer = await unlockOrgKey({ sealed, passphrase, derive: store.derive, rootPublicKey: store.rootPublicKey, orgCert: current.org.orgCert, now: new Date() });
      setPassphrase('');
      store.org.hold(signer);
      setUnlocked(true);
      if (renewalDue(current, new Date())) {
        await store.api.call('POST', '/api/v1/admin/org/renew', signRenewal(signer, current, new Date()));
        // Certificates ending within a week: the same teams and roles, a new certificate.
        let latest = await load();
        for (const member of certsDue(latest, new Date())) {
          const signedUpdate = signUpdate(signer, latest, member.id, member.teams, member.roles, new Date());
          await store.api.call('PUT', `/api/v1/admin/staff/${member.id}`, { teams: member.teams, roles: member.roles, signed: signedUpdate });
          latest = await load();
        }
        setMessage(t('orgKeyRenewed'));
      } else setMessage(t('orgKeyUnlocked'));
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'not_found') setMessage(t('orgKeyMissing'));
      else if (isCryptoError(error)) setMessage(t('orgKeyWrong'));
      else setMessage(t('errGeneric'));
    } finally {
      setBusy(false);
    }
  };
  const lockKey = () => {
    store.org.wipe();
    setUnlocked(false);
    setMessage('');
  };

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

  const certify = (row: InvitationRow) =>
    act(async (current) => {
      const fingerprint = typed[row.id] ?? '';
      const extra = await signed((signer) =>
        signCertification(
          signer,
          current,
          { responder: row.responder ?? '', displayName: row.displayName, teams: row.teams, roles: row.roles, signPublicKey: row.signPublicKey ?? '', boxPublicKey: row.boxPublicKey ?? '' },
          fingerprint,
          new Date(),
        ),
      );
      await store.api.call('POST', `/api/v1/admin/invitations/${row.id}/certify`, { fingerprint, ...(extra ?? {}) });
      return 'certified';
    });

  const save = () =>
    act(async (current) => {
      if (editing === null) return 'errGeneric';
      const extra = await signed((signer) => signUpdate(signer, current, editing.id, editing.teams, editing.roles, new Date()));
      await store.api.call('PUT', `/api/v1/admin/staff/${editing.id}`, { teams: editing.teams, roles: editing.roles, ...(extra === undefined ? {} : { signed: extra }) });
      setEditing(null);
      return 'staffSaved';
    });

  const deactivate = (member: StaffMember) =>
    act(async (current) => {
      const extra = await signed((signer) => signDeactivation(signer, current, member.id, new Date()));
      const result = await store.api.call<{ rotated: string[] }>('POST', `/api/v1/admin/staff/${member.id}/deactivate`, extra === undefined ? {} : { signed: extra });
      setConfirming(null);
      return `#${t('staffDeactivated', { name: member.displayName, teams: result.rotated.map(teamName).join(', ') || '–' })}`;
    });

  const formatDate = (ms: number | null) => (ms === null ? '–' : new Date(ms).toLocaleDateString(state.locale === 'ar' ? 'ar' : state.locale === 'en' ? 'en-GB' : 'sv-SE'));

  return (
    <>
      <section class="card" aria-labelledby="org-key-title">
        <h2 id="org-key-title">{t('orgKeyTitle')}</h2>
        {staff === null ? null : !real ? (
          <p class="hint">{t('orgKeyDemo')}</p>
        ) : unlocked ? (
          <>
            <p>{t('orgKeyUnlocked')}</p>
            <button type="button" onClick={lockKey}>
              {t('orgKeyLock')}
            </button>
          </>
        ) : (
          <form onSubmit={unlock} autocomplete="off">
            <p class="hint">{t('orgKeyIntro')}</p>
            <label for="org-passphrase">{t('orgKeyPassphrase')}</label>
            <input id="org-passphrase" type="password" autocomplete="off" required value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
            <button type="submit" class="primary" disabled={busy || passphrase === ''}>
              {t('orgKeyUnlock')}
            </button>
          </form>
        )}
      </section>
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
                  <td>{m.roles.map((x) => roleLabels[x as Role] ?? x).join(', ')}</td>
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
