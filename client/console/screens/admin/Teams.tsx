// Teams: which team takes each kind of conversation, a new team, and one form per team — name and
// overflow, claim or auto-assign, capacity, duty hours per weekday, holidays, texts shown when closed.
// Admins change everything; a supervisor the settings of their own teams (the server checks again).
import { CATEGORIES, type Category } from '../../../../contract/categories.js';
import { useEffect, useState } from 'preact/hooks';
import { ApiRequestError } from '../../../../contract/errors.js';
import type { Teams as TeamsData } from '../../../../contract/rest.js';
import { useConsole } from '../../context.js';
import { directionOf, intlTag, type MessageKey, type Translate } from '../../i18n/index.js';
import { LANGUAGE_IDS } from '../../../../contract/languages.js';
import { languageNameIn } from '../../../shared/i18n/languages.js';
import { categoryName } from '../../i18n/record-keys.js';
import {
  compactHours,
  duplicateDate,
  MAX_NOTICE_CHARS,
  MAX_WINDOWS,
  overflowLoop,
  WEEKDAYS,
  windowsValid,
  type Holiday,
  type TeamSettings,
  type TeamView,
  type Weekday,
  type Window,
} from './team-form.js';

const DAY_NAMES: Record<Weekday, MessageKey> = { mon: 'teamsMon', tue: 'teamsTue', wed: 'teamsWed', thu: 'teamsThu', fri: 'teamsFri', sat: 'teamsSat', sun: 'teamsSun' };
const holidayName = (key: string) => `hol${key[0]!.toUpperCase()}${key.slice(1)}` as MessageKey;

type Api = ReturnType<typeof useConsole>['store']['api'];

/** A human sentence for a failed save. */
function failure(t: Translate, error: unknown): string {
  if (error instanceof ApiRequestError) return t(error.code === 'forbidden' ? 'teamsErrForbidden' : 'teamsErrInvalid');
  return t('errGeneric');
}

export function Settings() {
  const { store, state, t } = useConsole();
  const [data, setData] = useState<TeamsData | null>(null);
  const [current, setCurrent] = useState('');
  const load = async () => setData(await store.api.admin.teams());
  useEffect(() => {
    void load().catch(() => undefined);
  }, []);
  const isAdmin = state.me?.roles.includes('admin') ?? false;
  const team = data?.items.find((i) => i.id === current) ?? data?.items.find((i) => i.editable !== 'none') ?? data?.items[0];
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settingsTitle')}</h2>
      {!isAdmin && <p class="hint">{t('teamsSupervisorNote')}</p>}
      {data !== null && isAdmin && <MappingForm api={store.api} data={data} reload={load} />}
      {data !== null && team !== undefined && (
        <>
          <label for="team-pick" class="team-pick">
            {t('teamsPick')}
          </label>
          <select id="team-pick" value={team.id} onChange={(e) => setCurrent(e.currentTarget.value)} class="team-pick">
            {data.items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} – {t(i.openNow ? 'teamsOpenNow' : 'teamsClosedNow')}
              </option>
            ))}
          </select>
          <TeamForm key={team.id} api={store.api} team={team} teams={data.items} overflowTargets={data.overflowTargets ?? []} publicHolidays={data.publicHolidays} reload={load} />
        </>
      )}
      {data !== null && isAdmin && <NewTeamForm api={store.api} teams={data.items} reload={load} onCreated={setCurrent} />}
    </section>
  );
}

function MappingForm(props: { api: Api; data: TeamsData; reload: () => Promise<void> }) {
  const { t } = useConsole();
  const first = props.data.items[0]?.id ?? '';
  const [mapping, setMapping] = useState(() => Object.fromEntries(CATEGORIES.map((c) => [c, props.data.mapping[c] ?? first])) as Record<Category, string>);
  const [message, setMessage] = useState('');
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await props.api.admin.setCategoryMapping(mapping);
      setMessage(t('saved'));
      await props.reload();
    } catch (error) {
      setMessage(failure(t, error));
    }
  };
  return (
    <form onSubmit={save} autocomplete="off">
      <fieldset>
        <legend>{t('teamsMappingTitle')}</legend>
        <p class="hint">{t('teamsMappingHint')}</p>
        {CATEGORIES.map((category) => (
          <div key={category}>
            <label for={`map-${category}`}>{categoryName(t, category, 'mapping')}</label>
            <select id={`map-${category}`} value={mapping[category]} onChange={(e) => setMapping({ ...mapping, [category]: e.currentTarget.value })}>
              {props.data.items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </div>
        ))}
        <button type="submit">{t('teamsMappingSave')}</button>
        <span role="status">{message}</span>
      </fieldset>
    </form>
  );
}

function NewTeamForm(props: { api: Api; teams: TeamView[]; reload: () => Promise<void>; onCreated: (id: string) => void }) {
  const { t } = useConsole();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    if (props.teams.some((x) => x.id === id)) return setMessage(t('teamsErrTaken', { id }));
    try {
      await props.api.admin.createTeam({ id, name });
      setMessage(t('teamsCreated', { name }));
      setId('');
      setName('');
      await props.reload();
      props.onCreated(id);
    } catch (error) {
      setMessage(failure(t, error));
    }
  };
  return (
    <form onSubmit={create} autocomplete="off">
      <fieldset>
        <legend>{t('teamsNewTitle')}</legend>
        <label for="new-team-id">{t('teamsNewId')}</label>
        <input id="new-team-id" required pattern="[a-z0-9]([a-z0-9\-]{0,38}[a-z0-9])?" maxLength={40} value={id} onInput={(e) => setId(e.currentTarget.value)} />
        <label for="new-team-name">{t('teamsNewName')}</label>
        <input id="new-team-name" required maxLength={80} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit">{t('teamsCreate')}</button>
        <span role="status">{message}</span>
      </fieldset>
    </form>
  );
}

/** One "HH:MM" field of a duty window (24:00 allowed as an end). */
function TimeInput(props: { id: string; label: string; placeholder: string; value: string; disabled: boolean; onInput: (value: string) => void }) {
  return (
    <input
      id={props.id}
      aria-label={props.label}
      inputMode="numeric"
      pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
      placeholder={props.placeholder}
      maxLength={5}
      class="short-input"
      value={props.value}
      disabled={props.disabled}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  );
}

/** Up to MAX_WINDOWS from–to windows of one day, each removable; `label` names the day in every control. */
function WindowsEditor(props: { idPrefix: string; label: string; windows: Window[]; disabled: boolean; onChange: (windows: Window[]) => void }) {
  const { t } = useConsole();
  const { windows } = props;
  const set = (i: number, part: 0 | 1, value: string) => props.onChange(windows.map((w, j) => (j === i ? ((part === 0 ? [value, w[1]] : [w[0], value]) as Window) : w)));
  return (
    <div>
      {windows.length === 0 && <span class="hint">{t('teamsClosedDay')} </span>}
      {windows.map((w, i) => (
        <span key={i} class="window-row">
          <TimeInput id={`${props.idPrefix}-${i}-from`} label={t('teamsFrom', { day: props.label, n: i + 1 })} placeholder="08:00" value={w[0]} disabled={props.disabled} onInput={(v) => set(i, 0, v)} />
          –
          <TimeInput id={`${props.idPrefix}-${i}-to`} label={t('teamsTo', { day: props.label, n: i + 1 })} placeholder="17:00" value={w[1]} disabled={props.disabled} onInput={(v) => set(i, 1, v)} />
          <button type="button" class="link" disabled={props.disabled} onClick={() => props.onChange(windows.filter((_, j) => j !== i))}>
            {t('teamsRemoveWindow', { n: i + 1, day: props.label })}
          </button>
        </span>
      ))}
      {windows.length < MAX_WINDOWS && (
        <button type="button" class="link" disabled={props.disabled} onClick={() => props.onChange([...windows, ['08:00', '17:00']])}>
          {t('teamsAddWindow', { day: props.label })}
        </button>
      )}
    </div>
  );
}

function TeamForm(props: { api: Api; team: TeamView; teams: TeamView[]; overflowTargets: Array<{ id: string; name: string }>; publicHolidays: TeamsData['publicHolidays']; reload: () => Promise<void> }) {
  const { t, state } = useConsole();
  const { team } = props;
  const [name, setName] = useState(team.name);
  const [overflow, setOverflow] = useState(team.overflow ?? '');
  const [settings, setSettings] = useState<TeamSettings>(team.settings);
  const [newDate, setNewDate] = useState('');
  const [message, setMessage] = useState('');
  const all = team.editable === 'all';
  const readOnly = team.editable === 'none';
  const id = (x: string) => `${x}-${team.id}`;
  const update = (patch: Partial<TeamSettings>) => setSettings({ ...settings, ...patch });
  const dayName = (d: Weekday) => t(DAY_NAMES[d]);
  const holidays = settings.holidays;
  const setHoliday = (i: number, patch: Partial<Holiday>) => update({ holidays: holidays.map((h, j) => (j === i ? { ...h, ...patch } : h)) });
  const dateLabel = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString(intlTag(state.locale), { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

  /** The first problem the server would refuse, as a sentence, or null. */
  const problem = (): string | null => {
    for (const d of WEEKDAYS) if (!windowsValid(settings.dutyHours?.[d] ?? [])) return t('teamsErrWindow', { day: dayName(d) });
    for (const h of holidays) if (!windowsValid(h.hours)) return t('teamsErrWindow', { day: h.date });
    const twice = duplicateDate(holidays);
    if (twice !== null) return t('teamsErrDuplicateDate', { date: twice });
    const loop = all ? overflowLoop(props.teams, team.id, overflow === '' ? null : overflow) : null;
    if (loop !== null) return t('teamsErrLoop', { path: loop.map((x) => props.teams.find((y) => y.id === x)?.name ?? x).join(' → ') });
    return null;
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const wrong = problem();
    if (wrong !== null) return setMessage(wrong);
    const body = { ...settings, dutyHours: compactHours(settings.dutyHours) };
    try {
      if (all) await props.api.admin.updateTeam(team.id, { name, overflow: overflow === '' ? null : overflow, settings: body });
      else await props.api.admin.updateTeamSettings(team.id, body);
      setMessage(t('saved'));
      await props.reload();
    } catch (error) {
      setMessage(failure(t, error));
    }
  };

  const addHoliday = () => {
    if (newDate === '') return;
    if (holidays.some((h) => h.date === newDate)) return setMessage(t('teamsErrDuplicateDate', { date: newDate }));
    update({ holidays: [...holidays, { date: newDate, label: '', hours: [] }].sort((a, b) => (a.date < b.date ? -1 : 1)) });
    setNewDate('');
  };

  return (
    <form onSubmit={save} class="team-settings" autocomplete="off" aria-labelledby={id('title')}>
      <h3 id={id('title')}>{team.name}</h3>
      <p class="hint">
        {t(team.openNow ? 'teamsOpenNow' : 'teamsClosedNow')}
        {readOnly ? ` · ${t('teamsReadOnly')}` : ''}
      </p>
      {!team.inboxKey && <p class="hint">{t('teamsNoInboxKey')}</p>}

      <fieldset disabled={readOnly}>
        <legend>{t('teamsBasics')}</legend>
        <label for={id('name')}>{t('teamsName')}</label>
        <input id={id('name')} required maxLength={80} value={name} disabled={!all} onInput={(e) => setName(e.currentTarget.value)} />
        <label for={id('overflow')}>{t('teamsOverflow')}</label>
        <select id={id('overflow')} value={overflow} disabled={!all} onChange={(e) => setOverflow(e.currentTarget.value)}>
          <option value="">{t('teamsOverflowNone')}</option>
          {[...props.teams.filter((x) => x.id !== team.id), ...props.overflowTargets].map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={settings.specialist} disabled={!all} onChange={(e) => update({ specialist: e.currentTarget.checked })} /> {t('specialist')}
        </label>
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t('teamsAssignLegend')}</legend>
        <label class="check">
          <input type="radio" class="inline-control" name={id('assign')} checked={!settings.autoAssign} onChange={() => update({ autoAssign: false })} /> {t('teamsAssignClaim')}
        </label>
        <label class="check">
          <input type="radio" class="inline-control" name={id('assign')} checked={settings.autoAssign} onChange={() => update({ autoAssign: true })} /> {t('autoAssign')}
        </label>
        <label for={id('cap')}>{t('teamsCapacity')}</label>
        <input id={id('cap')} type="number" min={1} max={20} required class="short-input" value={settings.defaultCapacity} onInput={(e) => update({ defaultCapacity: Number(e.currentTarget.value) })} />
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t('teamsHoursLegend')}</legend>
        <label class="check">
          <input type="checkbox" checked={settings.dutyHours === null} onChange={(e) => update({ dutyHours: e.currentTarget.checked ? null : {} })} /> {t('teamsAlwaysOpen')}
        </label>
        {settings.dutyHours !== null && (
          <>
            <p class="hint">{t('teamsTimeHint')}</p>
            {WEEKDAYS.map((d) => (
              <fieldset key={d} class="day">
                <legend>{dayName(d)}</legend>
                <WindowsEditor
                  idPrefix={id(d)}
                  label={dayName(d)}
                  windows={settings.dutyHours?.[d] ?? []}
                  disabled={readOnly}
                  onChange={(windows) => update({ dutyHours: { ...settings.dutyHours, [d]: windows } })}
                />
              </fieldset>
            ))}
          </>
        )}
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t('teamsHolidaysLegend')}</legend>
        <label class="check">
          <input type="checkbox" checked={settings.publicHolidays} onChange={(e) => update({ publicHolidays: e.currentTarget.checked })} /> {t('teamsPublicHolidays')}
        </label>
        {settings.publicHolidays && props.publicHolidays.length > 0 && (
          <details>
            <summary>{t('teamsPublicList')}</summary>
            <ul>
              {props.publicHolidays.map((h) => (
                <li key={h.date}>
                  {dateLabel(h.date)}: {t(holidayName(h.key))}
                </li>
              ))}
            </ul>
          </details>
        )}
        <p class="hint">{t('teamsHolidayClosed')}</p>
        {holidays.length === 0 && <p>{t('teamsHolidayEmpty')}</p>}
        {holidays.map((h, i) => (
          <fieldset key={h.date} class="holiday">
            <legend>
              {dateLabel(h.date)}
              {h.label === '' ? '' : ` – ${h.label}`}
            </legend>
            <label for={id(`hl-${h.date}`)}>{t('teamsHolidayLabel')}</label>
            <input id={id(`hl-${h.date}`)} maxLength={60} value={h.label} onInput={(e) => setHoliday(i, { label: e.currentTarget.value })} />
            <WindowsEditor idPrefix={id(`hh-${h.date}`)} label={dateLabel(h.date)} windows={h.hours} disabled={readOnly} onChange={(hours) => setHoliday(i, { hours })} />
            <button type="button" class="warn" onClick={() => update({ holidays: holidays.filter((_, j) => j !== i) })}>
              {t('teamsHolidayRemove', { date: dateLabel(h.date) })}
            </button>
          </fieldset>
        ))}
        <label for={id('new-date')}>{t('teamsHolidayNew')}</label>
        <input id={id('new-date')} type="date" class="date-input" value={newDate} onInput={(e) => setNewDate(e.currentTarget.value)} />
        <button type="button" onClick={addHoliday}>
          {t('teamsHolidayAdd')}
        </button>
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t('teamsTextsLegend')}</legend>
        <p class="hint" id={id('texts-hint')}>
          {t('teamsTextsHint', { max: MAX_NOTICE_CHARS })}
        </p>
        {LANGUAGE_IDS.map((lang) => (
          <div key={lang}>
            <label for={id(`text-${lang}`)}>{languageNameIn(lang, state.locale)}</label>
            <textarea
              id={id(`text-${lang}`)}
              lang={lang}
              dir={directionOf(lang)}
              rows={3}
              maxLength={MAX_NOTICE_CHARS}
              aria-describedby={id('texts-hint')}
              value={settings.outOfHoursText[lang]}
              onInput={(e) => update({ outOfHoursText: { ...settings.outOfHoursText, [lang]: e.currentTarget.value } })}
            />
          </div>
        ))}
      </fieldset>

      {!readOnly && (
        <button type="submit" class="primary">
          {t('teamsSave', { name: team.name })}
        </button>
      )}
      <p role="status">{message}</p>
    </form>
  );
}
