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
  return (
    <RetentionCard
      id="retention-org"
      title={t('retentionOrgTitle')}
      intro={t('retentionOrgIntro')}
      save={t('retentionOrgSave')}
      fields={
        view === null
          ? null
          : [
              { key: 'consentDays', label: t('retentionOrgConsents', { max: view.limits.consentDays }), min: 1, max: view.limits.consentDays, value: view.consentDays },
              { key: 'callbackDays', label: t('retentionOrgCallbacks', { max: view.limits.callbackDays }), min: 1, max: view.limits.callbackDays, value: view.callbackDays },
            ]
      }
      onInput={(key, days) => view !== null && setView({ ...view, [key]: days })}
      onSubmit={save}
      message={message}
    />
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
    <RetentionCard
      id="retention"
      title={t('retentionTitle')}
      intro={t('retentionIntro')}
      save={t('retentionSave')}
      fields={settings === null ? null : FIELDS.map((f) => ({ key: f.key, label: t(f.label, { min: f.min, max: f.max }), min: f.min, max: f.max, value: settings[f.key] }))}
      onInput={(key, days) => settings !== null && setSettings({ ...settings, [key]: days })}
      onSubmit={save}
      message={message}
    />
  );
}

/** One retention card: a heading, what it is for, a number of days per field, save, and what happened. */
function RetentionCard(props: {
  id: string;
  title: string;
  intro: string;
  save: string;
  /** Null until the server has answered. */
  fields: ReadonlyArray<{ key: string; label: string; min: number; max: number; value: number }> | null;
  onInput: (key: string, days: number) => void;
  onSubmit: (e: Event) => void;
  message: string;
}) {
  return (
    <section class="card" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p class="hint">{props.intro}</p>
      {props.fields !== null && (
        <form onSubmit={props.onSubmit} autocomplete="off">
          {props.fields.map((f) => (
            <div key={f.key}>
              <label for={`${props.id}-${f.key}`}>{f.label}</label>
              <input
                id={`${props.id}-${f.key}`}
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                step={1}
                required
                value={f.value}
                onInput={(e) => props.onInput(f.key, Number(e.currentTarget.value))}
              />
            </div>
          ))}
          <button type="submit" class="primary">
            {props.save}
          </button>
        </form>
      )}
      <p role="status" class="notice">
        {props.message}
      </p>
    </section>
  );
}
