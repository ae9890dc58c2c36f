// The responder's workspace: duty per team, the queue of waiting conversations, own chats, and the
// open chat with quick replies, safety code, transfer and close.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatWait, useConsole } from '../context.js';
import { LOCALES, translator, type MessageKey } from '../i18n/index.js';
import { categoryName } from '../i18n/record-keys.js';
import { languageOfTag } from '../../shared/i18n/languages.js';
import type { ChatView, QueueView } from '../state/console-store.js';
import type { NoteView } from '../state/notes-store.js';

const OUTCOME_KEY = {
  helped: 'outcomeHelped',
  referred: 'outcomeReferred',
  'follow-up': 'outcomeFollowUp',
  'no-contact': 'outcomeNoContact',
  other: 'outcomeOther',
} as const satisfies Record<string, MessageKey>;

/** The team templates, sent in the language the young person wrote in ({name}: the responder). */
const TEMPLATE_KEYS = ['templateGreeting', 'templateAnonymous', 'templateCallback', 'templateHelpToLeave', 'templateThanks'] as const satisfies readonly MessageKey[];

export function Workspace() {
  const { state, t } = useConsole();
  const active = state.chats.find((c) => c.id === state.activeChat) ?? null;
  return (
    <div class="workspace">
      <h1 class="visually-hidden">{t('navWork')}</h1>
      <div class="side">
        <DutyPanel />
        <QueuePanel />
      </div>
      <div class="pane">
        <ChatTabs />
        {active !== null ? <ChatPane chat={active} key={active.id} /> : null}
      </div>
    </div>
  );
}

/**
 * Duty per team. Once the responder is on duty somewhere the settings fold away to one line per
 * team (its switch stays at hand); "Ändra tjänstgöring" opens them again.
 */
function DutyPanel() {
  const { store, state, t } = useConsole();
  const duty = state.duty;
  const [capacity, setCapacity] = useState<number | null>(null);
  const [open, setOpen] = useState<boolean | null>(null);
  const cap = capacity ?? duty?.capacity ?? 3;
  const onDutyTeams = (duty?.teams ?? []).filter((d) => d.onDuty);
  const expanded = open ?? onDutyTeams.length === 0;
  return (
    <section class="card duty" aria-labelledby="duty-title">
      <div class="card-head">
        <h2 id="duty-title">{t('dutyTitle')}</h2>
        <button type="button" class="link" aria-expanded={expanded} aria-controls="duty-settings" onClick={() => setOpen(!expanded)}>
          {expanded ? t('dutyHide') : t('dutySettings')}
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {onDutyTeams.length > 0 ? t('dutySummaryOn', { teams: onDutyTeams.map((d) => d.name).join(', ') }) : t('dutySummaryOff')}
        {duty !== null && onDutyTeams.length > 0 && ` · ${t('load', { load: duty.load, capacity: duty.capacity })}`}
      </p>
      <div id="duty-settings">
        {expanded && (
          <>
            <label for="capacity">{t('capacity')}</label>
            <input id="capacity" type="number" min={1} max={20} value={cap} onInput={(e) => setCapacity(Number(e.currentTarget.value))} />
          </>
        )}
        <ul class="plain">
          {(duty?.teams ?? []).map((team) => (
            <li key={team.team} class="duty-row">
              <span>
                <strong>{team.name}</strong>
                {expanded && (
                  <>
                    {' '}
                    — {team.onDuty ? t('onDuty') : t('offDuty')}
                    {!team.inHours && ` (${t('outsideHours')})`} · {t('colleaguesOnDuty', { n: team.colleaguesOnDuty })}
                  </>
                )}
              </span>
              <button
                type="button"
                aria-pressed={team.onDuty}
                aria-label={team.onDuty ? t('goOffDuty', { team: team.name }) : t('goOnDuty', { team: team.name })}
                onClick={() => void store.setDuty(team.team, !team.onDuty, cap)}
              >
                {expanded ? (team.onDuty ? t('goOffDuty', { team: team.name }) : t('goOnDuty', { team: team.name })) : team.onDuty ? t('goOffDutyShort') : t('goOnDutyShort')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function QueuePanel() {
  const { store, state, t } = useConsole();
  const onDuty = state.duty?.teams.some((d) => d.onDuty) ?? false;
  // At capacity the server offers nothing; what waits in one's teams is still said, not hidden.
  const full = state.duty !== null && onDuty && state.duty.load >= state.duty.capacity;
  const waiting = (state.duty?.teams ?? []).filter((d) => d.onDuty).reduce((n, d) => n + d.waiting, 0);
  return (
    <section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">
        {t('queueTitle')} ({full ? Math.max(waiting, state.queue.length) : state.queue.length})
      </h2>
      <label class="check">
        <input type="checkbox" checked={state.notify} onChange={(e) => void store.setNotify(e.currentTarget.checked)} /> {t('notify')}
      </label>
      {state.queue.length === 0 ? (
        <p class="hint" data-testid="queue-state">{full && waiting > 0 ? t('queueFull', { n: waiting }) : onDuty ? t('queueEmpty') : t('queueOffDuty')}</p>
      ) : (
        <ul class="plain queue" aria-label={t('queueTitle')}>
          {state.queue.map((item) => (
            <QueueRow item={item} key={item.id} />
          ))}
        </ul>
      )}
    </section>
  );
}

function QueueRow({ item }: { item: QueueView }) {
  const { store, state, t } = useConsole();
  const team = state.duty?.teams.find((d) => d.team === item.team)?.name ?? item.team;
  return (
    <li class={item.danger ? 'queue-item danger' : 'queue-item'} data-conversation={item.id}>
      <p class="meta">
        {item.danger && <strong class="flag">{t('danger')}</strong>} {categoryName(t, item.category)} · {team} · {item.language} · {t('source')} {item.source} ·{' '}
        {t('waited', { time: formatWait(item.waitingMs) })}
      </p>
      {item.transferred && <p class="hint">{t(item.fromOrganisation ? 'handedInFromOrganisation' : 'transferredIn')}</p>}
      <blockquote class="first" dir="auto">
        {item.firstMessage ?? (item.transferred ? '' : t('undecryptable'))}
      </blockquote>
      <button type="button" class="primary" onClick={() => void store.claim(item.id)}>
        {t('claim')}
      </button>
    </li>
  );
}

/** "Mina samtal" as tabs above the open chat: each with its unread count and typing state. */
function ChatTabs() {
  const { store, state, t } = useConsole();
  return (
    <section class="card chat-tabs" aria-labelledby="chats-title">
      <h2 id="chats-title">
        {t('chatsTitle')} ({state.chats.length})
      </h2>
      {state.chats.length === 0 ? (
        <p class="hint">{t('chatsEmpty')}</p>
      ) : (
        <ul class="plain tab-row">
          {state.chats.map((chat) => (
            <li key={chat.id}>
              <button type="button" class="chat-tab" aria-current={state.activeChat === chat.id ? 'true' : undefined} onClick={() => store.openChat(chat.id)}>
                {chat.danger && '⚠ '}
                {categoryName(t, chat.category)} · {chat.language} · {chat.id.slice(0, 6)}
                {chat.unread > 0 && <span class="badge">{t('unread', { n: chat.unread })}</span>}
                {chat.typing && <span class="hint"> {t('typing')}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const PERSONAL_KEY = 'utvag.console.canned';

function ChatPane({ chat }: { chat: ChatView }) {
  const { store, state, t } = useConsole();
  const [draft, setDraft] = useState('');
  const [outcome, setOutcome] = useState('helped');
  const [target, setTarget] = useState('');
  const [handoverTo, setHandoverTo] = useState('');
  const [confirming, setConfirming] = useState<'close' | 'threat' | null>(null);
  const [personal, setPersonal] = useState<string[]>(() => JSON.parse(localStorage.getItem(PERSONAL_KEY) ?? '[]') as string[]);
  const log = useRef<HTMLOListElement>(null);
  const visitorLocale = languageOfTag(LOCALES.map((l) => l.id), chat.language, 'sv');
  const tv = translator(visitorLocale);
  const templates = TEMPLATE_KEYS.map((key) => tv(key, { name: state.me?.displayName ?? '' }));
  const emergency = tv('emergencySnippet');

  useEffect(() => {
    if (state.colleagues === null) void store.loadColleagues();
  }, []);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [chat.lines.length]);

  const open = chat.phase === 'open';
  const send = async (e: Event) => {
    e.preventDefault();
    if (await store.send(chat.id, draft)) setDraft('');
  };
  const savePersonal = () => {
    if (draft.trim() === '') return;
    const next = [...personal, draft.trim()].slice(-20);
    setPersonal(next);
    localStorage.setItem(PERSONAL_KEY, JSON.stringify(next));
  };
  const colleagues = (state.colleagues?.responders ?? []).filter((r) => r.id !== state.me?.id && r.teams.includes(chat.team));
  const teams = state.colleagues?.teams ?? [];
  const handoverTargets = state.handoverTargets ?? [];
  const handover = chat.handover ?? null;
  const phaseNotice: Partial<Record<ChatView['phase'], MessageKey>> = {
    connecting: 'connecting',
    'awaiting-visitor': 'waitingForVisitor',
    transferred: 'transferred',
    closed: 'closed',
    lost: 'accessEnded',
    elsewhere: 'openElsewhere',
  };
  const notice = phaseNotice[chat.phase];
  // The young person closed the tab and has not come back: say so, the chat may be closed.
  const gone = chat.gone === true && open;

  const outcomeKey = OUTCOME_KEY[outcome as keyof typeof OUTCOME_KEY] ?? 'outcomeOther';

  return (
    <section class="card chat" aria-labelledby="chat-title" data-conversation={chat.id} data-phase={chat.phase}>
      <div class="chat-head">
        <h2 id="chat-title">
          {chat.danger && <strong class="flag">{t('danger')}</strong>} {categoryName(t, chat.category)} · {chat.language} · {chat.id.slice(0, 6)}
        </h2>
        {chat.safetyCode !== null && open && (
          <p class="safety">
            {t('safetyCode')}: <strong class="code">{chat.safetyCode}</strong> <span class="hint">{t('safetyHint')}</span>
          </p>
        )}
      </div>
      {notice !== undefined && (
        <p class="phase" role="status">
          {t(notice)}
        </p>
      )}
      {gone && (
        <p class="phase" role="status">
          {t('visitorGone')}
        </p>
      )}
      <div class="chat-body">
        <div class="chat-main">
          <ol class="log" ref={log} aria-label={t('logLabel')} aria-live="polite" tabIndex={0}>
            {chat.lines.map((line) => (
              <li key={line.key} class={`line ${line.from}`}>
                <span class="from">{line.from === 'visitor' ? t('visitor') : line.from === 'responder' ? t('you') : ''}</span>
                <p dir="auto">{line.from === 'system' ? t(line.text as MessageKey) : line.text}</p>
              </li>
            ))}
          </ol>
          {chat.typing && <p class="hint typing">{t('typing')}</p>}
          {open && (
            <form onSubmit={send} class="composer" autocomplete="off">
              <label for="draft">{t('message')}</label>
              <textarea
                id="draft"
                dir="auto"
                rows={2}
                value={draft}
                onInput={(e) => {
                  setDraft(e.currentTarget.value);
                  store.typing(chat.id);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !e.shiftKey) void send(e);
                }}
              />
              <div class="composer-actions">
                <button type="submit" class="primary">
                  {t('send')}
                </button>
                <button type="button" onClick={savePersonal}>
                  {t('cannedAdd')}
                </button>
                <button type="button" onClick={() => setDraft((d) => (d === '' ? emergency : `${d}\n${emergency}`))}>
                  {t('emergency')}
                </button>
              </div>
            </form>
          )}
          {open && (
            <details class="canned">
              <summary>{t('cannedTitle')}</summary>
              <h3>{t('cannedTeam')}</h3>
              <ul class="plain">
                {templates.map((text, i) => (
                  <li key={`team-${i}`}>
                    <button type="button" class="link" lang={visitorLocale} dir="auto" onClick={() => setDraft(text)}>
                      {text}
                    </button>
                  </li>
                ))}
              </ul>
              <h3>{t('cannedPersonal')}</h3>
              <ul class="plain">
                {personal.map((text, i) => (
                  <li key={`own-${i}`}>
                    <button type="button" class="link" dir="auto" onClick={() => setDraft(text)}>
                      {text}
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <NotesPanel chat={chat} />
      </div>
      {handover !== null && (
        <p class="phase" role="status" data-handover={handover.state}>
          {handover.state === 'asked'
            ? t('handoverAsked', { team: handover.target.name, org: handover.target.orgName })
            : handover.state === 'declined'
              ? t('handoverDeclined')
              : t('handoverAccepted', { team: handover.target.name, org: handover.target.orgName })}
        </p>
      )}
      {open && confirming === null && (
        <div class="actions">
          <fieldset>
            <legend>{t('transferTitle')}</legend>
            <label for="transfer-target">{t('transferTo')}</label>
            <select id="transfer-target" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              <option value="">—</option>
              <optgroup label={t('transferColleague')}>
                {colleagues.map((r) => (
                  <option key={r.id} value={`r:${r.id}`}>
                    {r.displayName}
                    {r.onDuty.length > 0 ? ` (${t('onDuty')})` : ''}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('transferTeam')}>
                {teams.map((team) => (
                  <option key={team.id} value={`t:${team.id}`}>
                    {team.name}
                  </option>
                ))}
              </optgroup>
            </select>
            <button
              type="button"
              disabled={target === ''}
              onClick={() => void store.transfer(chat.id, target.startsWith('r:') ? { toResponder: target.slice(2) } : { toTeam: target.slice(2) })}
            >
              {t('transfer')}
            </button>
            <button type="button" class="warn" onClick={() => setConfirming('threat')}>
              {t('threat')}
            </button>
          </fieldset>
          {handoverTargets.length > 0 && (
            <fieldset>
              <legend>{t('handoverTitle')}</legend>
              <label for="handover-target">{t('handoverTo')}</label>
              <select id="handover-target" value={handoverTo} onChange={(e) => setHandoverTo(e.currentTarget.value)}>
                <option value="">—</option>
                {handoverTargets.map((h) => (
                  <option key={h.team} value={h.team}>
                    {h.name} ({h.orgName})
                  </option>
                ))}
              </select>
              <button
                type="button"
                disabled={handoverTo === '' || handover?.state === 'asked'}
                onClick={() => {
                  const chosen = handoverTargets.find((h) => h.team === handoverTo);
                  if (chosen !== undefined) void store.offerHandover(chat.id, chosen);
                }}
              >
                {t('handoverAsk')}
              </button>
            </fieldset>
          )}
          <fieldset>
            <legend>{t('closeTitle')}</legend>
            <label for="outcome">{t('outcome')}</label>
            <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
              <option value="helped">{t('outcomeHelped')}</option>
              <option value="referred">{t('outcomeReferred')}</option>
              <option value="follow-up">{t('outcomeFollowUp')}</option>
              <option value="no-contact">{t('outcomeNoContact')}</option>
              <option value="other">{t('outcomeOther')}</option>
            </select>
            <button type="button" onClick={() => setConfirming('close')}>
              {t('close')}
            </button>
          </fieldset>
        </div>
      )}
      {open && confirming === 'close' && (
        <Confirm
          question={t('confirmClose', { outcome: t(outcomeKey) })}
          yes={t('confirmCloseYes')}
          onYes={() => {
            setConfirming(null);
            void store.close(chat.id, outcome);
          }}
          onNo={() => setConfirming(null)}
        />
      )}
      {open && confirming === 'threat' && (
        <Confirm
          question={t('confirmThreat')}
          yes={t('confirmThreatYes')}
          onYes={() => {
            setConfirming(null);
            void store.transfer(chat.id, { threat: true });
          }}
          onNo={() => setConfirming(null)}
        />
      )}
      {(chat.phase === 'closed' || chat.phase === 'transferred' || chat.phase === 'lost' || chat.phase === 'elsewhere') && (
        <button type="button" onClick={() => store.dismissChat(chat.id)}>
          {t('dismiss')}
        </button>
      )}
    </section>
  );
}

/**
 * An irreversible step asks first: the question, the step's own words on the yes button and a way
 * back. The way back has the focus (WAI-ARIA's alertdialog pattern: the least destructive action),
 * so an Enter meant for the message box loses nothing. Nothing happens until yes.
 */
function Confirm(props: { question: string; yes: string; onYes: () => void; onNo: () => void }) {
  const { t } = useConsole();
  const no = useRef<HTMLButtonElement>(null);
  // A layout effect: focus and Escape are in place as soon as the question shows (a plain effect waits for a frame).
  useLayoutEffect(() => {
    no.current?.focus();
    // Escape goes back wherever the focus is (the log may have taken it meanwhile).
    const doc = no.current?.ownerDocument;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onNo();
    };
    doc?.addEventListener('keydown', onKey);
    return () => doc?.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="confirm" role="alertdialog" aria-labelledby="confirm-question">
      <p id="confirm-question">{props.question}</p>
      <button type="button" class="warn" onClick={props.onYes}>
        {props.yes}
      </button>
      <button type="button" ref={no} onClick={props.onNo}>
        {t('confirmNo')}
      </button>
    </div>
  );
}

/** The team's notes on this chat: sealed in the browser, for the responder and the team only. */
function NotesPanel({ chat }: { chat: ChatView }) {
  const { store, state, t } = useConsole();
  const [notes, setNotes] = useState<NoteView[]>([]);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const reload = async () => setNotes(await store.loadNotes(chat));
  useEffect(() => {
    void reload().catch(() => undefined);
  }, [chat.id, state.colleagues, state.phase]);
  const save = async (e: Event) => {
    e.preventDefault();
    if (draft.trim() === '') return;
    if (new TextEncoder().encode(draft).length > 2000) {
      setProblem('noteTooLong');
      return;
    }
    try {
      await store.addNote(chat, draft.trim());
      setDraft('');
      setProblem(null);
      await reload();
    } catch (error) {
      setProblem((error as { code?: string }).code === 'notes_full' ? 'notesFull' : 'errGeneric');
    }
  };
  return (
    <section class="notes" aria-labelledby="notes-title">
      <h3 id="notes-title">{t('notesTitle')}</h3>
      <p class="hint">{t('notesHint')}</p>
      {notes.length === 0 ? (
        <p class="hint">{t('notesEmpty')}</p>
      ) : (
        <ul class="plain">
          {notes.map((n) => (
            <li key={n.id} class="note">
              <span class="hint">{t('noteBy', { name: n.by ?? '?', time: new Date(n.at).toLocaleTimeString(state.locale, { hour: '2-digit', minute: '2-digit' }) })}</span>
              <p dir="auto">{n.text ?? t('noteUnreadable')}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} autocomplete="off">
        <label for="note-draft">{t('noteLabel')}</label>
        <textarea id="note-draft" dir="auto" rows={2} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        {problem !== null && <p role="alert">{t(problem)}</p>}
        <button type="submit">{t('noteSave')}</button>
      </form>
    </section>
  );
}
