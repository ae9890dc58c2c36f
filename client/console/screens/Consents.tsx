// Consented identities of the responder's teams: decrypted in the browser, copied to the case system
// (each view and copy is audited without content), deleted on request.
import { PhoneNumber } from '../../shared/ltr-numbers.js';
import { useConsole } from '../context.js';
import { consentFieldKey } from '../i18n/record-keys.js';

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
          {state.consents.map((c) => {
            // Labels from the catalogues; the copied text carries them in the console's language.
            const text = c.identity?.map((f) => `${t(consentFieldKey(f.field))}: ${f.value}`).join('\n') ?? null;
            return (
              <li key={c.id} class="queue-item">
                {c.identity === null ? (
                  <p>{t('undecryptable')}</p>
                ) : (
                  <dl class="identity">
                    {c.identity.map((f) => (
                      <div key={f.field}>
                        <dt>{t(consentFieldKey(f.field))}</dt>
                        <dd dir="auto">{f.field === 'phone' ? <PhoneNumber value={f.value} /> : f.value}</dd>
                      </div>
                    ))}
                  </dl>
                )}
                <p class="hint">{t('consentVersion', { version: c.version ?? '–', time: new Date(c.createdAt).toLocaleString(state.locale) })}</p>
                {text !== null && (
                  <button type="button" onClick={() => void copy(c.id, text)}>
                    {t('copy')}
                  </button>
                )}
                <button type="button" onClick={() => void store.deleteConsent(c.id)}>
                  {t('delete')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
