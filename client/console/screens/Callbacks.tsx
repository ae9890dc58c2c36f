// Callback requests: time window and language decrypted in the browser; take one to see the number
// and the verification word to say; done erases it, "not reached" counts an attempt.
import { useEffect } from 'preact/hooks';
import { PhoneNumber } from '../../shared/ltr-numbers.js';
import { formatWait, useConsole } from '../context.js';

export function Callbacks() {
  const { store, state, t } = useConsole();
  useEffect(() => {
    const timer = setInterval(() => void store.refreshCallbacks(), 5000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section class="card" aria-labelledby="callbacks-title">
      <h1 id="callbacks-title">{t('callbacksTitle')}</h1>
      {state.callbacks.length === 0 ? (
        <p class="hint">{t('callbacksEmpty')}</p>
      ) : (
        <ul class="plain">
          {state.callbacks.map((cb) => (
            <li key={cb.id} class="queue-item" data-callback={cb.id}>
              <p class="meta">
                {t('timeWindow')}: <strong dir="auto">{cb.timeWindow ?? t('undecryptable')}</strong> · {cb.language} · {t('waited', { time: formatWait(cb.waitingMs) })} ·{' '}
                {t('attempts', { n: cb.attempts })}
              </p>
              {cb.revealed === null ? (
                <button type="button" class="primary" onClick={() => void store.revealCallback(cb.id)}>
                  {t('reveal')}
                </button>
              ) : (
                <>
                  <dl>
                    <dt>{t('phone')}</dt>
                    <dd class="code">
                      <PhoneNumber value={cb.revealed.phone} />
                    </dd>
                    <dt>{t('verificationWord')}</dt>
                    <dd class="code">{cb.revealed.verificationWord}</dd>
                    {cb.revealed.note !== '' && (
                      <>
                        <dt>{t('note')}</dt>
                        <dd dir="auto">{cb.revealed.note}</dd>
                      </>
                    )}
                  </dl>
                  <button type="button" class="primary" onClick={() => void store.callbackDone(cb.id)}>
                    {t('done')}
                  </button>
                  <button type="button" onClick={() => void store.callbackNotReached(cb.id)}>
                    {t('notReached')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
