// The live chat: waiting (queue position, honest estimate), then the verified responder, messages
// with delivery states, typing, reconnection notices, safety code, resume code, consent, end, delete.
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, fill, plural, type Lang, type Messages } from '../i18n/index.js';
import type { App, Status } from '../state/app.js';
import { OpeningHours } from './ClosedNotice.js';
import type { ChatMessage, Conversation, ConversationView } from '../state/conversation.js';
import { errorCode } from '../state/api.js';
import { useStore } from '../state/store.js';
import { Emergency, ErrorNote, Heading } from '../components.js';

const teamName = (m: Messages, team: string) => (m.teams as Record<string, string>)[team] ?? m.responderFallbackTeam;

function WaitingInfo(props: { m: Messages; lang: Lang; v: ConversationView; status: Status }) {
  const { m, lang, v } = props;
  const parent = v.category === 'parent';
  const text = !v.staffed
    ? parent
      ? m.parentWaitingNobody
      : m.waitingNobody
    : v.room
      ? parent
        ? m.parentWaitingForResponder
        : m.waitingForResponder
      : parent
        ? m.parentWaitingBusy
        : m.waitingBusy;
  return (
    <div class="waiting">
      <p>{text}</p>
      {/* Nobody there: when we are open, and when we are back. */}
      {!v.staffed ? <OpeningHours status={props.status} lang={lang} m={m} /> : null}
      {/* A place in a queue nobody works on would promise what nobody keeps. */}
      {v.staffed && v.queuePosition !== null ? <p>{plural(lang, m.queuePosition, v.queuePosition + 1)}</p> : null}
      {/* A time only when someone on duty has room: "about 1 minute" while all are busy would not be true. */}
      {v.staffed && v.room ? <p>{v.waitMedianMs !== null ? plural(lang, m.waitEstimate, Math.max(1, Math.round(v.waitMedianMs / 60_000))) : m.waitUnknown}</p> : null}
    </div>
  );
}

function stateText(m: Messages, msg: ChatMessage): string {
  switch (msg.state) {
    case 'sending':
      return m.stateSending;
    case 'sent':
      return m.stateSent;
    case 'queued':
      return m.stateQueued;
    case 'failed':
      return m.stateFailed;
    default:
      return '';
  }
}

function Consent(props: { app: App; conversation: Conversation; onDone: () => void }) {
  const m = props.app.messages();
  const lang = props.app.store.get().lang;
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [days, setDays] = useState(30);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (name.trim() === '' && phone.trim() === '') return setError(m.consentNeedOne);
    setBusy(true);
    try {
      await props.conversation.shareIdentity({ name: name.trim(), phone: phone.trim() }, days);
      props.onDone();
    } catch (err) {
      setError(errorText(m, errorCode(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} autoComplete="off" aria-labelledby="consent-h">
      <h2 id="consent-h">{m.consentHeading}</h2>
      <p>{m.consentText}</p>
      <label for="c-name">{m.consentName}</label>
      <input id="c-name" type="text" autoComplete="off" maxLength={200} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      <label for="c-phone">{m.consentPhone}</label>
      <input id="c-phone" type="tel" autoComplete="off" maxLength={40} value={phone} onInput={(e) => setPhone((e.currentTarget as HTMLInputElement).value)} />
      <fieldset>
        <legend>{m.consentRetention}</legend>
        {[30, 90, 180].map((d) => (
          <label class="check" key={d}>
            <input type="radio" name="retention" value={d} checked={days === d} onChange={() => setDays(d)} />
            {plural(lang, m.days, d)}
          </label>
        ))}
      </fieldset>
      <ErrorNote text={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {m.consentSubmit}
        </button>
        <button type="button" onClick={props.onDone}>
          {m.consentCancel}
        </button>
      </div>
    </form>
  );
}

export function Chat(props: { app: App; conversation: Conversation }) {
  const { app, conversation } = props;
  const s = app.store.get();
  const v = useStore(conversation.view);
  const m = app.messages();
  const lang = s.lang;
  const [text, setText] = useState('');
  const [showCode, setShowCode] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [consentOpen, setConsentOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const log = logRef.current;
    if (log !== null) log.scrollTop = log.scrollHeight;
  }, [v.messages.length]);

  const send = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    if (t === '') return;
    conversation.send(t);
    setText('');
    inputRef.current?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey) send(e);
  };
  const act = async (run: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await run();
    } catch (err) {
      setActionError(errorText(m, errorCode(err)));
    }
  };
  const open = v.phase === 'waiting' || v.phase === 'active';
  const name = v.responder?.name ?? m.someone;

  return (
    <main id="main" class="chat">
      <Heading serial={s.screenSerial}>{m.chatHeading}</Heading>
      <div role="status" aria-live="polite" class="chat-status">
        {v.phase === 'waiting' ? (v.resumed ? <p>{m.resumeWaiting}</p> : <WaitingInfo m={m} lang={lang} v={v} status={s.status[v.category]} />) : null}
        {v.responder !== null && v.phase === 'active' ? (
          <p class="responder">
            {fill(m.connectedTo, { name: v.responder.name, team: teamName(m, v.responder.team) })} <span class="verified">✓ {m.verified}</span>
          </p>
        ) : null}
        {v.connection === 'reconnecting' ? <p class="notice">{m.connectionLost}</p> : null}
        {v.reconnected && v.connection === 'online' ? <p class="notice ok">{m.connectionBack}</p> : null}
        {v.phase === 'closed' ? <p class="notice">{v.closedBy === 'self' ? m.endedByYou : m.endedByThem}</p> : null}
        {v.truncated ? <p class="notice">{m.truncated}</p> : null}
      </div>
      {v.handedOverTo !== null && v.phase !== 'closed' ? (
        <p class="notice" role="status">
          {fill(m.handedOver, { team: v.handedOverTo.teamName, org: v.handedOverTo.orgName })}
          {v.safetyCode !== null ? <> {fill(m.handedOverCode, { code: v.safetyCode })}</> : null}
        </p>
      ) : null}
      {v.handoverOffer !== null && v.phase === 'active' ? (
        <section class="panel" aria-labelledby="handover-h">
          <h2 id="handover-h">{fill(m.handoverOfferTitle, { team: v.handoverOffer.teamName, org: v.handoverOffer.orgName })}</h2>
          <p>{m.handoverOfferText}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => void act(() => conversation.answerHandover(true))}>
              {m.handoverAccept}
            </button>
            <button type="button" onClick={() => void act(() => conversation.answerHandover(false))}>
              {m.handoverDecline}
            </button>
          </div>
        </section>
      ) : null}
      {v.cryptoWarning ? (
        <p class="error" role="alert">
          {m.cryptoWarning}
        </p>
      ) : null}
      {/* Nobody there, or the young person said they are in danger: the emergency numbers stay in view. */}
      {v.phase === 'waiting' && (!v.staffed || v.danger) ? <Emergency m={m} parent={v.category === 'parent'} /> : null}
      <div class="log-wrap" role="log" aria-live="polite" aria-label={m.chatHeading}>
      <ol class="log" ref={logRef} tabIndex={0} aria-label={m.chatHeading}>
        {v.messages.map((msg) => (
          <li key={msg.key} class={msg.from === 'me' ? 'msg me' : 'msg them'}>
            <span class="who">{msg.from === 'me' ? m.you : name}</span>
            <span class="text">{msg.text}</span>
            {msg.from === 'me' ? (
              <span class="state">
                {stateText(m, msg)}
                {msg.state === 'failed' ? (
                  <button type="button" class="link" onClick={() => conversation.retry(msg.key)}>
                    {m.retry}
                  </button>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      </div>
      <p class="typing" aria-live="polite">
        {v.typing ? fill(m.typing, { name }) : ''}
      </p>
      {open ? (
        <form class="composer" onSubmit={send} autoComplete="off">
          <label for="msg" class="visually-hidden">
            {m.messageLabel}
          </label>
          <textarea
            id="msg"
            ref={inputRef}
            rows={2}
            maxLength={4000}
            placeholder={m.messageLabel}
            value={text}
            onKeyDown={onKey}
            onInput={(e) => {
              setText((e.currentTarget as HTMLTextAreaElement).value);
              conversation.typing();
            }}
          />
          <button type="submit" class="primary">
            {m.send}
          </button>
        </form>
      ) : null}
      <ErrorNote text={actionError} />
      <ErrorNote text={v.sendError === null ? null : errorText(m, v.sendError)} />
      {v.safetyCode !== null && showCode ? <p class="panel code">{fill(m.safetyCodeText, { code: v.safetyCode })}</p> : null}
      {v.resumeCode !== null ? (
        <section class="panel" aria-labelledby="resume-h">
          <h2 id="resume-h">{m.resumeShownTitle}</h2>
          <p class="resume-code" data-testid="resume-code">
            {v.resumeCode}
          </p>
          <p>{plural(lang, { other: m.resumeShownText }, 72)}</p>
          {v.phase === 'waiting' && !v.staffed ? <p>{m.resumeAnswerLater}</p> : null}
        </section>
      ) : null}
      {v.consent !== null ? (
        <p class="panel">
          {fill(m.consentShared, { date: new Date(v.consent.expiresAt).toLocaleDateString(lang) })}{' '}
          <button type="button" class="link" onClick={() => void act(() => conversation.withdrawIdentity())}>
            {m.consentWithdraw}
          </button>
        </p>
      ) : null}
      {v.earlierConsent !== null ? (
        <p class="panel">
          {fill(m.consentEarlier, { org: v.earlierConsent.orgName || m.responderFallbackTeam, date: new Date(v.earlierConsent.expiresAt).toLocaleDateString(lang) })}{' '}
          <button type="button" class="link" onClick={() => void act(() => conversation.withdrawIdentity(true))}>
            {m.consentWithdraw}
          </button>
        </p>
      ) : null}
      {consentOpen ? <Consent app={app} conversation={conversation} onDone={() => setConsentOpen(false)} /> : null}
      <div class="actions secondary">
        {v.safetyCode !== null ? (
          <button type="button" aria-expanded={showCode} onClick={() => setShowCode(!showCode)}>
            {m.safetyCodeButton}
          </button>
        ) : null}
        {v.phase === 'active' && v.resumeCode === null ? (
          <button type="button" onClick={() => void act(() => conversation.createResumeCode())}>
            {m.resumeButton}
          </button>
        ) : null}
        {v.phase === 'active' && v.consent === null && !consentOpen ? (
          <button type="button" onClick={() => setConsentOpen(true)}>
            {m.consentButton}
          </button>
        ) : null}
        {open ? (
          <button type="button" onClick={() => void act(() => conversation.end())}>
            {m.endChat}
          </button>
        ) : null}
        {confirmDelete ? (
          <div class="confirm" role="group" aria-labelledby="del-q">
            <p id="del-q">{m.deleteConfirm}</p>
            <button type="button" class="danger-button" onClick={() => void app.erase()}>
              {m.deleteYes}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {m.deleteNo}
            </button>
          </div>
        ) : (
          <button type="button" class="danger-button" onClick={() => setConfirmDelete(true)}>
            {m.deleteNow}
          </button>
        )}
        {v.phase === 'closed' ? (
          <button type="button" class="link" onClick={() => app.go('home')}>
            {m.startOver}
          </button>
        ) : null}
      </div>
    </main>
  );
}
