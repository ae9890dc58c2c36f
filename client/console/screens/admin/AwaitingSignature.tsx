// What awaits the organisation key in a real organisation (GET /api/v1/admin/org/pending): the console
// only shows it, with the key fingerprints the admin compares; `npm run org sign` on an admin's own
// computer signs it (the key is never opened in a page the server serves).
import { useEffect, useState } from 'preact/hooks';
import type { PendingSignatures } from '../../../../contract/rest.js';
import { useConsole } from '../../context.js';
import { intlTag } from '../../i18n/index.js';

export function AwaitingSignature(props: { refresh: number; teamName: (id: string) => string; roleName: (id: string) => string }) {
  const { store, state, t } = useConsole();
  const [pending, setPending] = useState<PendingSignatures | null>(null);
  useEffect(() => {
    void store.api.admin.pendingSignatures().then(setPending, () => setPending(null));
  }, [props.refresh]);
  const date = (ms: number | null) => (ms === null ? '–' : new Date(ms).toLocaleDateString(intlTag(state.locale)));
  const names = (ids: readonly string[], of: (id: string) => string) => ids.map(of).join(', ') || '–';
  const rows =
    pending === null
      ? []
      : [
          ...pending.enrolments.map((e) => (
            <li key={`e-${e.invitation}`}>
              {t('awaitingEnrol', { name: e.displayName, login: e.login })} <code class="code fingerprint">{e.fingerprint}</code>
            </li>
          )),
          ...pending.changes.map((c) => <li key={`c-${c.responder}`}>{t('awaitingChange', { name: c.displayName, teams: names(c.teams, props.teamName), roles: names(c.roles, props.roleName) })}</li>),
          ...pending.deactivations.map((d) => <li key={`d-${d.responder}`}>{t('awaitingDeactivate', { name: d.displayName, teams: names(d.teams, props.teamName) })}</li>),
          ...pending.renewals.map((r) => <li key={`r-${r.responder}`}>{t('awaitingRenew', { name: r.displayName, date: date(r.expires) })}</li>),
          ...pending.teamKeys.map((k) => (
            <li key={`t-${k.team}`}>{k.reason === 'expiring' ? t('awaitingTeamExpiring', { team: k.name, date: date(k.expires) }) : t('awaitingTeamMembers', { team: k.name })}</li>
          )),
          ...(pending.revocationList.due ? [<li key="list">{t('awaitingList', { date: date(pending.revocationList.issuedAt) })}</li>] : []),
        ];
  return (
    <section class="card" aria-labelledby="awaiting-title">
      <h2 id="awaiting-title">{t('awaitingTitle')}</h2>
      {pending?.orgCert?.revoked === true ? (
        <p role="alert">{t('orgCertRevoked')}</p>
      ) : pending?.orgCert?.due === true ? (
        <p role="alert">{t('orgCertDue', { date: date(pending.orgCert.expires) })}</p>
      ) : null}
      <p class="hint">{t('orgKeyRealIntro')}</p>
      {pending?.organisation != null ? (
        <p class="hint">
          {t('awaitingSignCommand', { name: pending.organisation.name })} <code class="code">npm run org -- sign --org {pending.organisation.id}</code>
        </p>
      ) : null}
      {rows.length === 0 ? <p>{t('awaitingEmpty')}</p> : <ul class="plain" aria-labelledby="awaiting-title">{rows}</ul>}
    </section>
  );
}
