// Outreach sources: create and edit campaigns (tag, name, receiving team, widget language), their QR
// codes (preview, SVG and PNG made by the server), the A4 poster, and the embed snippet for a
// municipality's website. Supervisors see everything and change nothing.
import { useEffect, useState } from 'preact/hooks';
import { ApiRequestError } from '../../../../contract/errors.js';
import { isLanguageId, type LanguageId } from '../../../../contract/languages.js';
import type { EmbedParts } from '../../../../contract/rest.js';
import { embedSnippet } from '../../../shared/embed-snippet.js';
import { useConsole } from '../../context.js';
import { LOCALES, type MessageKey } from '../../i18n/index.js';
import { categoryName } from '../../i18n/record-keys.js';
import { SourcePoster } from './SourcePoster.js';
import { qrPath, type SourceRow } from './source-row.js';
import './sources.css';


/** The sentence for a failed source call. */
function errorKey(error: unknown): MessageKey {
  const code = error instanceof ApiRequestError ? error.code : '';
  if (code === 'source_exists') return 'errSourceExists';
  if (code === 'invalid_request') return 'errSourceInvalid';
  if (code === 'forbidden') return 'errSourceForbidden';
  if (code === 'not_found') return 'errSourceGone';
  return 'errGeneric';
}

export function Sources(props: { window: Window }) {
  const { store, state, t } = useConsole();
  const isAdmin = state.me?.roles.includes('admin') ?? false;
  const [rows, setRows] = useState<SourceRow[]>([]);
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [poster, setPoster] = useState<SourceRow | null>(null);
  const teams = useTeams();
  const teamName = (id: string | null) => (id === null ? t('sourceTeamDefault') : (teams.find((x) => x.team === id)?.name ?? id));
  const load = async () => setRows((await store.api.admin.sources()).items);
  useEffect(() => {
    void load().catch((e: unknown) => setMessage(t(errorKey(e))));
  }, []);

  /** Runs a change; shows its sentence or the error's; true when it succeeded. */
  const act = async (work: () => Promise<string>): Promise<boolean> => {
    try {
      setMessage(await work());
      await load();
      return true;
    } catch (e) {
      setMessage(t(errorKey(e)));
      return false;
    }
  };

  return (
    <>
      <section class="card" aria-labelledby="sources-title">
        <h2 id="sources-title">{t('sourcesTitle')}</h2>
        <p class="hint">{t('sourcesIntro')}</p>
        {isAdmin && (
          <NewSourceForm
            teams={teams}
            onCreate={(input) =>
              act(async () => {
                await store.api.admin.createSource(input);
                return t('sourceCreated', { tag: input.tag });
              })
            }
          />
        )}
        <p role="status" class="source-status">
          {message}
        </p>
      </section>
      <section class="card" aria-labelledby="source-list-title">
        <h2 id="source-list-title">{t('sourceListTitle')}</h2>
        {rows.length === 0 ? (
          <p class="hint">{t('sourceEmpty')}</p>
        ) : (
          <ul class="plain source-list">
            {rows.map((row) => (
              <li key={row.tag} class="source-item" data-source={row.tag}>
                <img class="source-qr" src={`${qrPath(row.tag, 'svg')}?inline=1`} alt={t('sourceQrAlt', { url: row.url })} width={112} height={112} />
                <div class="source-body">
                  <h3>
                    {row.label} <span class="code">({row.tag})</span>
                  </h3>
                  <p class="meta">
                    {row.active ? t('sourceActive') : <strong>{t('sourceEnded')}</strong>} · {t('sourceTeam')}: {teamName(row.team)} · {t('sourceLanguage')}:{' '}
                    {LOCALES.find((l) => l.id === row.language)?.name ?? t('sourceLanguageDefault')}
                  </p>
                  {!row.active && <p class="hint">{t('sourceEndedNote')}</p>}
                  <p class="meta">
                    {t('sourceLink')}: <code class="link-out">{row.url}</code>
                  </p>
                  <p class="source-actions">
                    <a class="button-link" href={qrPath(row.tag, 'svg')} download={`utvag-qr-${row.tag}.svg`}>
                      {t('sourceDownloadSvg', { tag: row.tag })}
                    </a>
                    <a class="button-link" href={qrPath(row.tag, 'png')} download={`utvag-qr-${row.tag}.png`}>
                      {t('sourceDownloadPng', { tag: row.tag })}
                    </a>
                    <button type="button" onClick={() => setPoster(row)}>
                      {t('sourceOpenPoster', { tag: row.tag })}
                    </button>
                    {isAdmin && editing !== row.tag && (
                      <button type="button" aria-label={t('sourceEditTitle', { tag: row.tag })} onClick={() => setEditing(row.tag)}>
                        {t('sourceEdit')}
                      </button>
                    )}
                  </p>
                  {isAdmin && editing === row.tag && (
                    <EditSourceForm
                      row={row}
                      teams={teams}
                      onCancel={() => setEditing(null)}
                      onSave={(changes) =>
                        act(async () => {
                          await store.api.admin.changeSource(row.tag, changes);
                          setEditing(null);
                          return t('sourceSaved', { tag: row.tag });
                        })
                      }
                      onDeactivate={() =>
                        act(async () => {
                          await store.api.admin.deactivateSource(row.tag);
                          setEditing(null);
                          return t('sourceSaved', { tag: row.tag });
                        })
                      }
                    />
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <EmbedSnippet sources={rows} window={props.window} />
      {poster !== null && <SourcePoster source={poster} window={props.window} onClose={() => setPoster(null)} />}
    </>
  );
}

type Teams = ReadonlyArray<{ team: string; name: string; categories?: readonly string[] }>;

/** Every team with the categories it takes (admin API); the caller's own teams when that fails. */
function useTeams(): Teams {
  const { store, state } = useConsole();
  const [all, setAll] = useState<Teams | null>(null);
  useEffect(() => {
    void store.api.admin
      .teams()
      .then(({ items }) => setAll(items.map((x) => ({ team: x.id, name: x.name, categories: x.categories }))))
      .catch(() => setAll(null));
  }, []);
  return all ?? state.duty?.teams ?? [];
}

function TeamAndLanguage(props: { id: string; teams: Teams; team: string; language: string; onTeam: (v: string) => void; onLanguage: (v: string) => void }) {
  const { t } = useConsole();
  return (
    <>
      <label for={`${props.id}-team`}>{t('sourceTeam')}</label>
      <select id={`${props.id}-team`} value={props.team} aria-describedby={`${props.id}-team-note`} onChange={(e) => props.onTeam(e.currentTarget.value)}>
        <option value="">{t('sourceTeamDefault')}</option>
        {props.teams.map((x) => (
          <option key={x.team} value={x.team}>
            {x.categories === undefined ? x.name : `${x.name} (${x.categories.map((c) => categoryName(t, c)).join(', ') || '–'})`}
          </option>
        ))}
      </select>
      <p class="hint" id={`${props.id}-team-note`}>
        {t('sourceTeamNote')}
      </p>
      <label for={`${props.id}-lang`}>{t('sourceLanguage')}</label>
      <select id={`${props.id}-lang`} value={props.language} onChange={(e) => props.onLanguage(e.currentTarget.value)}>
        <option value="">{t('sourceLanguageDefault')}</option>
        {LOCALES.map((l) => (
          <option key={l.id} value={l.id} lang={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </>
  );
}

const orNull = (v: string) => (v === '' ? null : v);
/** The select's value as a language the API takes; '' (the visitor's browser decides) is null. */
const languageOrNull = (v: string): LanguageId | null => (isLanguageId(v) ? v : null);

function NewSourceForm(props: { teams: Teams; onCreate: (input: { tag: string; label: string; team: string | null; language: LanguageId | null }) => Promise<boolean> }) {
  const { t } = useConsole();
  const [tag, setTag] = useState('');
  const [label, setLabel] = useState('');
  const [team, setTeam] = useState('');
  const [language, setLanguage] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!(await props.onCreate({ tag, label, team: orNull(team), language: languageOrNull(language) }))) return;
    setTag('');
    setLabel('');
    setTeam('');
    setLanguage('');
  };
  return (
    <form onSubmit={(e) => void submit(e)} autocomplete="off" aria-labelledby="source-new-title">
      <h3 id="source-new-title">{t('sourceNewTitle')}</h3>
      <label for="source-tag">{t('sourceTag')}</label>
      <input id="source-tag" class="code" required pattern="[a-z0-9\-]{1,40}" maxLength={40} aria-describedby="source-tag-hint" value={tag} onInput={(e) => setTag(e.currentTarget.value)} />
      <p class="hint" id="source-tag-hint">
        {t('sourceTagHint')}
      </p>
      <label for="source-label">{t('sourceLabel')}</label>
      <input id="source-label" required maxLength={80} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
      <TeamAndLanguage id="source-new" teams={props.teams} team={team} language={language} onTeam={setTeam} onLanguage={setLanguage} />
      <button type="submit" class="primary">
        {t('sourceCreate')}
      </button>
    </form>
  );
}

function EditSourceForm(props: {
  row: SourceRow;
  teams: Teams;
  onCancel: () => void;
  onSave: (changes: { label: string; team: string | null; language: LanguageId | null; active: boolean }) => Promise<boolean>;
  onDeactivate: () => Promise<boolean>;
}) {
  const { t } = useConsole();
  const [label, setLabel] = useState(props.row.label);
  const [team, setTeam] = useState(props.row.team ?? '');
  const [language, setLanguage] = useState<string>(props.row.language ?? '');
  const [active, setActive] = useState(props.row.active);
  const id = `source-edit-${props.row.tag}`;
  return (
    <form
      class="source-edit"
      autocomplete="off"
      aria-label={t('sourceEditTitle', { tag: props.row.tag })}
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSave({ label, team: orNull(team), language: languageOrNull(language), active });
      }}
    >
      <label for={`${id}-label`}>{t('sourceLabel')}</label>
      <input id={`${id}-label`} required maxLength={80} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
      <TeamAndLanguage id={id} teams={props.teams} team={team} language={language} onTeam={setTeam} onLanguage={setLanguage} />
      <label class="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> {t('sourceActiveCheck')}
      </label>
      <button type="submit" class="primary">
        {t('sourceSave')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t('sourceCancel')}
      </button>
      {props.row.active && (
        <button type="button" class="warn" onClick={() => void props.onDeactivate()}>
          {t('sourceDeactivate')}
        </button>
      )}
    </form>
  );
}

function EmbedSnippet(props: { sources: readonly SourceRow[]; window: Window }) {
  const { store, t } = useConsole();
  const [source, setSource] = useState('');
  const [parts, setParts] = useState<EmbedParts | 'unavailable' | null>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    void store.api.admin
      .embed()
      .then(setParts)
      .catch(() => setParts('unavailable'));
  }, []);
  const language = props.sources.find((s) => s.tag === source)?.language ?? null;
  const snippet =
    parts === null || parts === 'unavailable'
      ? null
      : embedSnippet({
          origin: parts.origin,
          rootPublicKey: parts.rootPublicKey,
          loaderIntegrity: parts.loaderIntegrity,
          ...(source === '' ? {} : { source }),
          ...(language === null ? {} : { language }),
        });
  const copy = async () => {
    if (snippet === null) return;
    try {
      await props.window.navigator.clipboard.writeText(snippet);
      setCopied(t('sourceCopied'));
    } catch {
      setCopied(t('sourceCopyFailed'));
    }
  };
  return (
    <section class="card" aria-labelledby="embed-title">
      <h2 id="embed-title">{t('sourceEmbedTitle')}</h2>
      <p class="hint">{t('sourceEmbedIntro')}</p>
      {parts === 'unavailable' && <p>{t('sourceEmbedUnavailable')}</p>}
      {snippet !== null && (
        <>
          <label for="embed-source">{t('sourceEmbedFor')}</label>
          <select id="embed-source" value={source} onChange={(e) => setSource(e.currentTarget.value)}>
            <option value="">{t('sourceEmbedNone')}</option>
            {props.sources
              .filter((s) => s.active)
              .map((s) => (
                <option key={s.tag} value={s.tag}>
                  {s.label} ({s.tag})
                </option>
              ))}
          </select>
          <label for="embed-code">{t('sourceEmbedCode')}</label>
          <textarea id="embed-code" class="code embed-code" readOnly rows={5} dir="ltr" value={snippet} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy()}>
            {t('sourceCopy')}
          </button>
          <span role="status">{copied}</span>
        </>
      )}
    </section>
  );
}
