// The audit log of responder actions: who did what and when, never content.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntries } from '../../../../contract/rest.js';
import { useConsole } from '../../context.js';
import { auditActionKey } from '../../i18n/record-keys.js';

export function Audit() {
  const { store, state, t } = useConsole();
  const [entries, setEntries] = useState<AuditEntries['entries']>([]);
  useEffect(() => {
    void store.api.admin
      .audit(100)
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
              <td data-action={e.action}>{t(auditActionKey(e.action))}</td>
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
