// Team settings: duty hours (Europe/Stockholm), auto-assignment, default capacity, specialist team.
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../../context.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
type DutyHours = Partial<Record<Weekday, Array<[string, string]>>>;
interface TeamSettings {
  dutyHours: DutyHours | null;
  autoAssign: boolean;
  defaultCapacity: number;
  specialist: boolean;
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

export function Settings() {
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

