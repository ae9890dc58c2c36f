// Consented identities of the responder's teams: decrypted in the browser, copied to the case system
// (each view and copy is audited without content), deleted on request.
import { useConsole } from '../context.js';

export function Consents(props: { window: Window }) {
  const { store, state, t } = useConsole();
  const copy = async (id: string, text: string) => {
    await props.window.navigator.clipboard?.writeText(text).catch(() => undefined);
    await store.consentCopied(id);
  };
  return (
    <section class="card" aria-labelledby="consents-title">
      <h1 id="consents-title">{t('consentsTitle')}</h1>
      {state.consents.length === 0 ? (
        <p class="hint">{t('consentsEmpty')}</p>
      ) : (
        <ul class="plain">
          {state.consents.map((c) => (
            <li key={c.id} class="queue-item">
              <pre dir="auto">{c.identity ?? t('undecryptable')}</pre>
              <p class="hint">{t('consentVersion', { version: c.version ?? '–', time: new Date(c.createdAt).toLocaleString(state.locale) })}</p>
              {c.identity !== null && (
                <button type="button" onClick={() => void copy(c.id, c.identity ?? '')}>
                  {t('copy')}
                </button>
              )}
              <button type="button" onClick={() => void store.deleteConsent(c.id)}>
                {t('delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
