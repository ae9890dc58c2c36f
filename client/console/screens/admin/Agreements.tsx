// Overflow agreements with the region's other organisations (admins): for each, whether its
// conversations may come here (it asks; this organisation accepts or ends) and whether this
// organisation's may go there (this one asks or withdraws; it accepts). Ending an acceptance stops
// routing there at once (server/routing/choose-team.ts).
import { useEffect, useState } from 'preact/hooks';
import type { Organisation } from '../../../../contract/rest.js';
import { useConsole } from '../../context.js';
import type { MessageKey } from '../../i18n/index.js';
import { agreementCall, type AgreementStep } from './agreement-change.js';

type Partner = Organisation['partners'][number];

const INCOMING: Record<Partner['incoming'], MessageKey> = { none: 'agreementIncomingNone', asked: 'agreementIncomingAsked', agreed: 'agreementIncomingAgreed' };
const OUTGOING: Record<Partner['outgoing'], MessageKey> = { none: 'agreementOutgoingNone', asked: 'agreementOutgoingAsked', agreed: 'agreementOutgoingAgreed' };
/** What the status line says once a step is saved. */
const DONE: Record<AgreementStep, MessageKey> = { accept: 'agreementAccepted', end: 'agreementEnded', ask: 'agreementAsked', withdraw: 'agreementWithdrawn' };

export function Agreements() {
  const { store, t } = useConsole();
  const [org, setOrg] = useState<Organisation | null>(null);
  const [ending, setEnding] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  const load = () => store.api.admin.organisation().then(setOrg);
  useEffect(() => {
    load().catch(() => setMessage(t('errGeneric')));
  }, []);

  const take = async (partner: Partner, step: AgreementStep) => {
    if (org === null) return;
    setBusy(true);
    try {
      const call = agreementCall(org, partner.id, step);
      await (call.path === '/api/v1/admin/organisation/overflow' ? store.api.admin.acceptOverflow(call.body) : store.api.admin.askOverflow(call.body));
      await load();
      setMessage(t(DONE[step], { name: partner.name }));
    } catch {
      setMessage(t('agreementError'));
    } finally {
      setEnding(null);
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="agreements-title">
      <h2 id="agreements-title">{t('agreementsTitle')}</h2>
      <p class="hint">{t('agreementsIntro')}</p>
      {org !== null && org.partners.length === 0 && <p>{t('agreementsNone')}</p>}
      {org !== null && org.partners.length > 0 && (
        <table class="agreements">
          <thead>
            <tr>
              <th scope="col">{t('agreementsColOrg')}</th>
              <th scope="col">{t('agreementsColIncoming')}</th>
              <th scope="col">{t('agreementsColOutgoing')}</th>
            </tr>
          </thead>
          <tbody>
            {org.partners.map((p) => (
              <tr key={p.id} data-org={p.id}>
                <th scope="row">{p.name}</th>
                <td>
                  <span>{t(INCOMING[p.incoming])}</span>{' '}
                  {p.incoming === 'asked' && (
                    <button type="button" disabled={busy} onClick={() => void take(p, 'accept')}>
                      {t('agreementAccept', { name: p.name })}
                    </button>
                  )}
                  {p.incoming === 'agreed' &&
                    (ending === p.id ? (
                      <button type="button" disabled={busy} onClick={() => void take(p, 'end')}>
                        {t('agreementEndConfirm', { name: p.name })}
                      </button>
                    ) : (
                      <button type="button" disabled={busy} onClick={() => setEnding(p.id)}>
                        {t('agreementEnd', { name: p.name })}
                      </button>
                    ))}
                </td>
                <td>
                  <span>{t(OUTGOING[p.outgoing])}</span>{' '}
                  {p.outgoing === 'none' && (
                    <button type="button" disabled={busy} onClick={() => void take(p, 'ask')}>
                      {t('agreementAsk', { name: p.name })}
                    </button>
                  )}
                  {p.outgoing === 'asked' && (
                    <button type="button" disabled={busy} onClick={() => void take(p, 'withdraw')}>
                      {t('agreementWithdraw', { name: p.name })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ending !== null && <p class="hint">{t('agreementEndHint', { name: org?.partners.find((p) => p.id === ending)?.name ?? '' })}</p>}
      {org !== null && org.partners.some((p) => p.outgoing === 'agreed') && <p class="hint">{t('agreementOutgoingHint')}</p>}
      <p role="status" class="notice">
        {message}
      </p>
    </section>
  );
}
