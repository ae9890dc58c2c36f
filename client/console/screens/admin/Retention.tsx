// Retention of the long-lived things (admins): how many days the audit log, the statistics and
// consented identities are kept before the automatic purge deletes them (the deployment's, set by the
// first organisation's admins), and each organisation's own consent and callback retention within
// those limits (issue 17).
import { useEffect, useState } from 'preact/hooks';
import type { OrgRetentionView, RetentionSettings } from '../../../../contract/rest.js';
import { RETENTION_LIMITS } from '../../../../contract/retention.js';
import { useConsole } from '../../context.js';
import type { MessageKey } from '../../i18n/index.js';

/** The contract's limits, which the server's schema checks too, for the form's own checks. */
const FIELDS: ReadonlyArray<{ key: keyof RetentionSettings; label: MessageKey; min: number; max: number }> = [
  { key: 'auditDays', label: 'retentionAudit', ...RETENTION_LIMITS.auditDays },
  { key: 'statsDays', label: 'retentionStats', ...RETENTION_LIMITS.statsDays },
  { key: 'consentDays', label: 'retentionConsents', ...RETENTION_LIMITS.consentDays },
];

export function Retention() {
  return (
    <>
      <OrgRetention />
      <DeploymentRetention />
    </>
  );
}

/** The caller's organisation's own retention, within the deployment's limits. */
function OrgRetention() {
  const { store, t } = useConsole();
  const [view, setView] = useState<OrgRetentionView | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    void store.api.admin
      .orgRetention()
      .then(setView)
      .catch(() => setMessage(t('errGeneric')));
  }, []);
  const save = async (e: Event) => {
    e.preventDefault();
    if (view === null) return;
    try {
      setView(await store.api.admin.setOrgRetention({ consentDays: view.consentDays, callbackDays: view.callbackDays }));
      setMessage(t('retentionSaved'));
    } catch {
      setMessage(t('retentionError'));
    }
  };
  const fields: ReadonlyArray<{ key: 'consentDays' | 'callbackDays'; label: MessageKey }> = [
    { key: 'consentDays', label: 'retentionOrgConsents' },
    { key: 'callbackDays', label: 'retentionOrgCallbacks' },
  ];
  return (
    <section class="card" aria-labelledby="retention-org-title">
      <h2 id="retention-org-title">{t('retentionOrgTitle')}</h2>
      <p class="hint">{t('retentionOrgIntro')}</p>
      {view !== null && (
        <form onSubmit={save} autocomplete="off">
          {fields.map((f) => (
            <div key={f.key}>
              <label for={`retention-org-${f.key}`}>{t(f.label, { max: view.limits[f.key] })}</label>
              <input
                id={`retention-org-${f.key}`}
                type="number"
                inputMode="numeric"
                min={1}
                max={view.limits[f.key]}
                step={1}
                required
                value={view[f.key]}
                onInput={(e) => setView({ ...view, [f.key]: Number(e.currentTarget.value) })}
              />
            </div>
          ))}
          <button type="submit" class="primary">
            {t('retentionOrgSave')}
          </button>
        </form>
      )}
      <p role="status" class="notice">
        {message}
      </p>
    </section>
  );
}

/** The deployment's settings: only the first organisation's admins may read them (others get 403: not shown). */
function DeploymentRetention() {
  const { store, t } = useConsole();
  const [settings, setSettings] = useState<RetentionSettings | null>(null);
  const [hidden, setHidden] = useState(false);
  const [message, setMessage] = useState('');
  useEffect(() => {
    void store.api.admin
      .retention()
      .then(setSettings)
      .catch((error: { status?: number }) => (error.status === 403 ? setHidden(true) : setMessage(t('errGeneric'))));
  }, []);
  // Nothing until the server has answered: an organisation's admin who may not see it never sees it flash.
  if (hidden || (settings === null && message === '')) return null;
  const save = async (e: Event) => {
    e.preventDefault();
    if (settings === null) return;
    try {
      setSettings(await store.api.admin.setRetention(settings));
      setMessage(t('retentionSaved'));
    } catch {
      setMessage(t('retentionError'));
    }
  };
  return (
    <section class="card" aria-labelledby="retention-title">
      <h2 id="retention-title">{t('retentionTitle')}</h2>
      <p class="hint">{t('retentionIntro')}</p>
      {settings !== null && (
        <form onSubmit={save} autocomplete="off">
          {FIELDS.map((f) => (
            <div key={f.key}>
              <label for={`retention-${f.key}`}>{t(f.label, { min: f.min, max: f.max })}</label>
              <input
                id={`retention-${f.key}`}
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                step={1}
                required
                value={settings[f.key]}
                onInput={(e) => setSettings({ ...settings, [f.key]: Number(e.currentTarget.value) })}
              />
            </div>
          ))}
          <button type="submit" class="primary">
            {t('retentionSave')}
          </button>
        </form>
      )}
      <p role="status" class="notice">
        {message}
      </p>
    </section>
  );
}
