// Återuppringningar: what waits in my teams (taking one needs duty), what I hold — with its number,
// time window and the word to say, opened in this browser only — and its attempts, what I have done,
// and for a supervisor what others in the team hold (the number only by an audited reveal).
import { useEffect } from 'preact/hooks';
import { PhoneNumber } from '../../shared/ltr-numbers.js';
import { formatWait, useConsole } from '../context.js';
import type { CallbackItem, CallbackNumber } from '../state/console-store.js';

function NumberDetails({ number }: { number: CallbackNumber | 'unreadable' | undefined }) {
  const { t } = useConsole();
  if (number === undefined) return <p class="hint">{t('callbackOpening')}</p>;
  if (number === 'unreadable') return <p class="hint">{t('callbackUnreadable')}</p>;
  return (
    <dl>
      <dt>{t('phone')}</dt>
      <dd class="code">
        <PhoneNumber value={number.phone} />
      </dd>
      <dt>{t('timeWindow')}</dt>
      <dd dir="auto">{number.timeWindow}</dd>
      <dt>{t('verificationWord')}</dt>
      <dd class="code">{number.verificationWord}</dd>
      {number.note !== '' && (
        <>
          <dt>{t('note')}</dt>
          <dd dir="auto">{number.note}</dd>
        </>
      )}
    </dl>
  );
}

function Meta({ item, now }: { item: CallbackItem; now: number }) {
  const { t } = useConsole();
  const parts = [item.language, t('waited', { time: formatWait(now - item.createdAt) })];
  if (item.state !== 'waiting') parts.push(item.attempts.length === 0 ? t('callbackAttemptsNone') : t('attempts', { n: item.attempts.length }));
  if (item.state === 'done' && item.doneAt !== null) parts.push(t('callbackDoneAgo', { time: formatWait(now - item.doneAt) }));
  return <p class="meta">{parts.join(' · ')}</p>;
}

export function Callbacks() {
  const { store, state, t } = useConsole();
  useEffect(() => {
    void store.refreshCallbacks();
  }, []);
  const lists = state.callbacks;
  if (lists === null) return <section class="card" aria-labelledby="callbacks-title"><h1 id="callbacks-title">{t('callbacksTitle')}</h1></section>;
  const numbers = state.callbackNumbers;
  const onDuty = (team: string) => lists.onDutyTeams.includes(team);
  return (
    <section class="card" aria-labelledby="callbacks-title">
      <h1 id="callbacks-title">{t('callbacksTitle')}</h1>

      <h2 id="callbacks-mine">{t('callbacksMineTitle', { n: lists.mine.length })}</h2>
      {lists.mine.length === 0 ? (
        <p class="hint">{t('callbacksMineEmpty')}</p>
      ) : (
        <ul class="plain" aria-labelledby="callbacks-mine">
          {lists.mine.map((cb) => (
            <li key={cb.id} class="queue-item" data-callback={cb.id}>
              <Meta item={cb} now={lists.now} />
              {cb.autoAssigned && <p class="hint">{t('callbackAutoAssigned')}</p>}
              <NumberDetails number={numbers[cb.id]} />
              {cb.attempts.length > 0 && <p class="hint">{t('callbackStaysMine')}</p>}
              <button type="button" class="primary" onClick={() => void store.callbackDone(cb.id)}>
                {t('done')}
              </button>
              <button type="button" onClick={() => void store.callbackNotReached(cb.id)}>
                {t('notReached')}
              </button>
            </li>
          ))}
        </ul>
      )}

      <h2 id="callbacks-waiting">{t('callbacksWaitingTitle', { n: lists.waiting.length })}</h2>
      {lists.waiting.length === 0 ? (
        <p class="hint">{t('callbacksWaitingEmpty')}</p>
      ) : (
        <>
          {lists.waiting.some((cb) => !onDuty(cb.team)) && <p class="hint">{t('callbacksOffDuty')}</p>}
          <ul class="plain" aria-labelledby="callbacks-waiting">
            {lists.waiting.map((cb) => (
              <li key={cb.id} class="queue-item" data-callback={cb.id}>
                <Meta item={cb} now={lists.now} />
                <button type="button" class="primary" disabled={!onDuty(cb.team)} onClick={() => void store.takeCallback(cb.id)}>
                  {t('reveal')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}

      {lists.team.length > 0 && (
        <>
          <h2 id="callbacks-team">{t('callbacksTeamTitle', { n: lists.team.length })}</h2>
          <p class="hint">{t('callbackRevealNote')}</p>
          <ul class="plain" aria-labelledby="callbacks-team">
            {lists.team.map((cb) => (
              <li key={cb.id} class="queue-item" data-callback={cb.id}>
                <Meta item={cb} now={lists.now} />
                <p class="meta">{t('callbackHeldBy', { name: cb.heldBy ?? '' })}</p>
                {numbers[cb.id] === undefined ? (
                  <button type="button" onClick={() => void store.revealCallback(cb.id)}>
                    {t('callbackRevealSupervisor')}
                  </button>
                ) : (
                  <NumberDetails number={numbers[cb.id]} />
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="callbacks-done">{t('callbacksDoneTitle', { n: lists.done.length })}</h2>
      {lists.done.length === 0 ? (
        <p class="hint">{t('callbacksDoneEmpty')}</p>
      ) : (
        <ul class="plain" aria-labelledby="callbacks-done">
          {lists.done.map((cb) => (
            <li key={cb.id} class="queue-item" data-callback={cb.id}>
              <Meta item={cb} now={lists.now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
