// The supervisor dashboard: a period and a team, the period's counters as SVG charts with tables,
// and the same counters as a CSV download. Counters only (invariant 5): nothing here is per visitor.
import { useEffect, useState } from 'preact/hooks';
import type { StatsReport } from '../../../../contract/rest.js';
import { useConsole } from '../../context.js';
import type { MessageKey } from '../../i18n/index.js';
import { categoryName } from '../../i18n/record-keys.js';
import { BarList, FlowChart, Histogram, type ChartText } from './StatsCharts.js';

type Histo = StatsReport['lengthMessages'];

const DAY_MS = 86_400_000;
const stockholmDay = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

/** The totals shown, in order. */
const TOTALS: ReadonlyArray<[string, MessageKey]> = [
  ['opened', 'statsOpened'],
  ['claimed', 'statsClaimed'],
  ['claimedAgain', 'statsClaimedAgain'],
  ['abandoned', 'statsAbandoned'],
  ['abandonedLeft', 'statsAbandonedLeft'],
  ['abandonedDeleted', 'statsAbandonedDeleted'],
  ['abandonedExpired', 'statsAbandonedExpired'],
  ['transferred', 'statsTransferred'],
  ['closed', 'statsClosed'],
  ['callbacksRequested', 'statsCallbacksRequested'],
  ['callbacksDone', 'statsCallbacksDone'],
  ['callbacksNotReached', 'statsCallbacksNotReached'],
  ['consents', 'statsConsents'],
];

/** Outcome tags as the close form (Workspace) and the server write them, with their labels. */
const OUTCOME: Record<string, MessageKey> = {
  helped: 'outcomeHelped',
  referred: 'outcomeReferred',
  'follow-up': 'outcomeFollowUp',
  'no-contact': 'outcomeNoContact',
  other: 'outcomeOther',
  'responder-deactivated': 'statsOutcomeDeactivated',
  visitor: 'statsOutcomeVisitor',
  none: 'statsOutcomeNone',
};

export function Statistics() {
  const { store, state, t } = useConsole();
  const today = stockholmDay(Date.now());
  const [from, setFrom] = useState(stockholmDay(Date.now() - 29 * DAY_MS));
  const [to, setTo] = useState(today);
  const [team, setTeam] = useState('');
  const [report, setReport] = useState<StatsReport | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');

  const query = `from=${from}&to=${to}${team === '' ? '' : `&team=${encodeURIComponent(team)}`}`;
  const load = () => {
    setStatus('loading');
    store.api.admin
      .stats({ from, to, team })
      .then((r) => {
        setReport(r);
        setStatus('ready');
      })
      .catch(() => setStatus('error'));
  };
  useEffect(load, []);

  const number = new Intl.NumberFormat(state.locale);
  const text: ChartText = { rtl: state.locale === 'ar', fmt: (n) => number.format(n), showTable: t('statsShowTable') };
  const seconds = (s: number) => (s < 60 ? t('statsSeconds', { n: number.format(s) }) : t('statsMinutes', { n: number.format(Math.round(s / 6) / 10) }));
  const secondsShort = (s: number) => (s < 60 ? t('statsSecondsShort', { n: number.format(s) }) : t('statsMinutesShort', { n: number.format(Math.round(s / 6) / 10) }));
  /** Full labels for tables, short ticks for the axis. */
  const bucketLabels = (h: Histo, unit: (n: number) => string, short: (n: number) => string = unit) => {
    const lastBound = h.buckets.at(-2)?.le ?? 0;
    return h.buckets.map((b) =>
      b.le === null
        ? { label: t('statsMoreThan', { value: unit(lastBound) }), tick: t('statsMoreThanShort', { value: short(lastBound) }) }
        : { label: t('statsUpTo', { value: unit(b.le) }), tick: t('statsUpToShort', { value: short(b.le) }) },
    );
  };

  return (
    <section class="card stats" aria-labelledby="stats-title">
      <h2 id="stats-title">{t('statsTitle')}</h2>
      <p class="hint">{t('statsIntro')}</p>
      <form
        class="stats-period"
        autocomplete="off"
        aria-label={t('statsPeriod')}
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label for="stats-from">{t('statsFrom')}</label>
        <input id="stats-from" type="date" value={from} max={today} required onInput={(e) => setFrom(e.currentTarget.value)} />
        <label for="stats-to">{t('statsTo')}</label>
        <input id="stats-to" type="date" value={to} max={today} required onInput={(e) => setTo(e.currentTarget.value)} />
        <label for="stats-team">{t('statsTeam')}</label>
        <select id="stats-team" value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
          <option value="">{t('statsAllTeams')}</option>
          {(report?.teams ?? []).map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
        <button type="submit" class="primary">
          {t('statsShow')}
        </button>
        <a class="stats-csv" href={`/api/v1/admin/stats/csv?${query}`} download>
          {t('statsCsv')}
        </a>
      </form>
      <p role="status" class="notice">
        {status === 'loading' ? t('statsLoading') : status === 'error' ? t('statsError') : ''}
      </p>
      {report !== null && status !== 'error' && <Dashboard report={report} text={text} seconds={seconds} secondsShort={secondsShort} bucketLabels={bucketLabels} />}
    </section>
  );
}

function Dashboard(props: {
  report: StatsReport;
  text: ChartText;
  seconds: (s: number) => string;
  secondsShort: (s: number) => string;
  bucketLabels: (h: Histo, unit: (n: number) => string, short?: (n: number) => string) => Array<{ label: string; tick: string }>;
}) {
  const { t } = useConsole();
  const { report: r, text, seconds, secondsShort, bucketLabels } = props;
  const fmt = text.fmt;
  const total = (k: string) => r.totals[k] ?? 0;
  const series = [
    { key: 'opened', label: t('statsOpened') },
    { key: 'claimed', label: t('statsClaimed') },
    { key: 'abandoned', label: t('statsAbandoned') },
  ] as const;

  const waitLabels = bucketLabels(r.wait, seconds, secondsShort);
  const markOf = (i: number) => {
    const marks: string[] = [];
    const at = (bound: number | null, open: boolean) => (open ? r.wait.buckets.length - 1 : r.wait.buckets.findIndex((b) => b.le === bound));
    if (r.wait.samples > 0 && at(r.wait.p50, r.wait.p50Open) === i) marks.push('p50');
    if (r.wait.samples > 0 && at(r.wait.p90, r.wait.p90Open) === i) marks.push('p90');
    return marks;
  };
  const percentile = (bound: number | null, open: boolean) =>
    open ? t('statsMoreThan', { value: seconds(r.wait.buckets.at(-2)?.le ?? 0) }) : bound === null ? '–' : seconds(bound);
  const minutes = (n: number) => t('statsMinutes', { n: fmt(n) });
  const minutesShort = (n: number) => t('statsMinutesShort', { n: fmt(n) });
  const messages = (n: number) => t('statsMessages', { n: fmt(n) });

  const bars = (rows: Array<{ key: string; label: string; value: number }>) => rows.filter((row) => row.value > 0);
  const barsDesc = (rows: Array<{ label: string; value: number }>) =>
    rows.length === 0 ? t('statsBarsNone') : t('statsBarsDesc', { count: fmt(rows.length), top: rows[0]?.label ?? '', value: fmt(rows[0]?.value ?? 0) });
  const sources = bars(r.bySource.map((s) => ({ key: s.source, label: s.source === 'unknown' ? t('statsUnknown') : s.source, value: s.opened })));
  const sourceOrgs = bars(r.bySourceOrganisation.map((o) => ({ key: o.org, label: o.name ?? t('statsUnknown'), value: o.opened })));
  const categories = bars(r.byCategory.map((c) => ({ key: c.category, label: c.category === 'unknown' ? t('statsUnknown') : categoryName(t, c.category, 'stats'), value: c.opened })));
  const outcomes = bars(r.outcomes.map((o) => ({ key: o.outcome, label: OUTCOME[o.outcome] === undefined ? o.outcome : t(OUTCOME[o.outcome]!), value: o.count })));

  return (
    <div class="stats-dashboard">
      <h3 id="stats-totals">{t('statsTotals')}</h3>
      <table aria-labelledby="stats-totals" class="stats-totals">
        <tbody>
          {TOTALS.map(([key, label]) => (
            <tr key={key} data-total={key}>
              <th scope="row">{t(label)}</th>
              <td>{fmt(total(key))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FlowChart
        id="stats-days"
        title={t('statsPerDay')}
        desc={t('statsPerDayDesc', { days: fmt(r.days.length), opened: fmt(total('opened')), claimed: fmt(total('claimed')), abandoned: fmt(total('abandoned')) })}
        dayLabel={t('statsColDay')}
        series={series}
        days={r.days}
        text={text}
      />
      <Histogram
        id="stats-wait"
        title={t('statsWait')}
        desc={r.wait.samples === 0 ? t('statsWaitNone') : t('statsWaitDesc', { samples: fmt(r.wait.samples), p50: percentile(r.wait.p50, r.wait.p50Open), p90: percentile(r.wait.p90, r.wait.p90Open) })}
        bucketLabel={t('statsColBucket')}
        countLabel={t('statsColCount')}
        buckets={r.wait.buckets.map((b, i) => ({ label: waitLabels[i]?.label ?? '', tick: waitLabels[i]?.tick ?? '', count: b.count, marks: markOf(i) }))}
        text={text}
      />
      <Histogram
        id="stats-length-messages"
        title={t('statsLengthMessages')}
        desc={t('statsLengthDesc', { samples: fmt(r.lengthMessages.samples) })}
        bucketLabel={t('statsColBucket')}
        countLabel={t('statsColCount')}
        buckets={bucketLabels(r.lengthMessages, messages, fmt).map((l, i) => ({ ...l, count: r.lengthMessages.buckets[i]?.count ?? 0 }))}
        text={text}
      />
      <Histogram
        id="stats-length-minutes"
        title={t('statsLengthMinutes')}
        desc={t('statsLengthDesc', { samples: fmt(r.lengthMinutes.samples) })}
        bucketLabel={t('statsColBucket')}
        countLabel={t('statsColCount')}
        buckets={bucketLabels(r.lengthMinutes, minutes, minutesShort).map((l, i) => ({ ...l, count: r.lengthMinutes.buckets[i]?.count ?? 0 }))}
        text={text}
      />
      {r.bySourceOrganisation.some((o) => o.name !== null) && (
        <BarList id="stats-source-orgs" title={t('statsBySourceOrganisation')} desc={barsDesc(sourceOrgs)} nameLabel={t('statsColName')} countLabel={t('statsColCount')} rows={sourceOrgs} text={text} />
      )}
      {r.answeredElsewhere.length > 0 && (
        <>
          <h3 id="stats-elsewhere">{t('statsAnsweredElsewhere')}</h3>
          <p class="hint">{t('statsAnsweredElsewhereIntro')}</p>
          <table aria-labelledby="stats-elsewhere" class="stats-elsewhere">
            <thead>
              <tr>
                <th scope="col">{t('statsColName')}</th>
                <th scope="col">{t('statsOpened')}</th>
                <th scope="col">{t('statsClaimed')}</th>
                <th scope="col">{t('statsAbandoned')}</th>
              </tr>
            </thead>
            <tbody>
              {r.answeredElsewhere.map((o) => (
                <tr key={o.org} data-org={o.org}>
                  <th scope="row">{o.name ?? o.org}</th>
                  <td>{fmt(o.opened)}</td>
                  <td>{fmt(o.claimed)}</td>
                  <td>{fmt(o.abandoned)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <BarList id="stats-sources" title={t('statsBySource')} desc={barsDesc(sources)} nameLabel={t('statsColName')} countLabel={t('statsColCount')} rows={sources} text={text} />
      <BarList id="stats-categories" title={t('statsByCategory')} desc={barsDesc(categories)} nameLabel={t('statsColName')} countLabel={t('statsColCount')} rows={categories} text={text} />
      <BarList id="stats-outcomes" title={t('statsOutcomes')} desc={barsDesc(outcomes)} nameLabel={t('statsColName')} countLabel={t('statsColCount')} rows={outcomes} text={text} />
    </div>
  );
}
