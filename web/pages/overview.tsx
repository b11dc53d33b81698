import { useEffect } from 'preact/hooks';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { Distribution } from '../components/charts/distribution.js';
import { NpsTrend } from '../components/charts/nps-trend.js';
import { Reasons } from '../components/charts/reasons.js';
import { SatisfactionTrend } from '../components/charts/satisfaction-trend.js';
import { Comments } from '../components/comments.js';
import { Funnel } from '../components/funnel.js';
import { Failed, SourceNote, useLoad, useMetricsView } from '../components/loaded.js';
import { OverviewFilters } from '../components/overview-filters.js';
import { Tiles } from '../components/tiles.js';
import type { Messages } from '../i18n/messages.js';

/**
 * The overview (#/overview?…): is satisfaction really moving? Trends with honest error bars, the score distribution,
 * the headline numbers, the response funnel, why detractors are unhappy and what customers wrote, all for the
 * filters in the address. In Persian, periods are Jalali months and Saturday weeks and time runs right to left.
 */
export function OverviewPage(props: { m: Messages; locale: Locale; query: URLSearchParams; canOpenCases: boolean }) {
  const { m, locale, query } = props;
  const { calendar, view, filters, options, change } = useMetricsView('overview', query, locale);
  const key = `${filters}|${calendar}`;
  const trendKey = `${key}|${view.interval}`;

  useEffect(() => {
    document.title = `${m.overviewTitle} · ${m.title}`;
  }, [m]);

  const nps = useLoad(() => api.metrics.nps(filters, view.interval, calendar), trendKey);
  const satisfaction = useLoad(() => api.metrics.satisfaction(filters, view.interval, calendar), trendKey);
  const summary = useLoad(() => api.metrics.summary(filters), key);
  const reasons = useLoad(() => api.metrics.reasons(filters), key);
  const busy = nps.loading || satisfaction.loading || summary.loading || reasons.loading;

  return (
    <section class="overview" aria-labelledby="overview-title" aria-busy={busy}>
      <div class="page-head">
        <h1 id="overview-title">{m.overviewTitle}</h1>
        <SourceNote m={m} sources={[nps.data?.source, satisfaction.data?.source, summary.data?.source]} />
      </div>
      <OverviewFilters view={view} options={options} calendar={calendar} locale={locale} m={m} onChange={change} />

      {summary.error ? (
        <Failed m={m} error={summary.error} retry={summary.retry} />
      ) : summary.data ? (
        <Tiles summary={summary.data} locale={locale} m={m} />
      ) : (
        <p class="status-line">{m.loading}</p>
      )}

      <div class="overview-grid">
        <div class="wide">
          {nps.error ? (
            <Failed m={m} error={nps.error} retry={nps.retry} />
          ) : (
            nps.data && <NpsTrend body={nps.data} interval={view.interval} locale={locale} m={m} />
          )}
        </div>
        {summary.data && <Distribution counts={summary.data.distribution} locale={locale} m={m} />}
        {summary.data && <Funnel funnel={summary.data.funnel} locale={locale} m={m} />}
        <div class="wide">
          {satisfaction.error ? (
            <Failed m={m} error={satisfaction.error} retry={satisfaction.retry} />
          ) : (
            satisfaction.data && <SatisfactionTrend body={satisfaction.data} interval={view.interval} locale={locale} m={m} />
          )}
        </div>
        <div class="wide">
          {reasons.error ? (
            <Failed m={m} error={reasons.error} retry={reasons.retry} />
          ) : (
            reasons.data && <Reasons body={reasons.data} locale={locale} m={m} />
          )}
        </div>
      </div>

      <Comments filters={filters} locale={locale} m={m} canOpenCases={props.canOpenCases} />
    </section>
  );
}
