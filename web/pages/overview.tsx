import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Calendar, FilterOptionsBody, MetricsSource } from '../../shared/api/metrics.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { Distribution } from '../components/charts/distribution.js';
import { NpsTrend } from '../components/charts/nps-trend.js';
import { Reasons } from '../components/charts/reasons.js';
import { SatisfactionTrend } from '../components/charts/satisfaction-trend.js';
import { Comments } from '../components/comments.js';
import { Funnel } from '../components/funnel.js';
import { OverviewFilters } from '../components/overview-filters.js';
import { Tiles } from '../components/tiles.js';
import type { Messages } from '../i18n/messages.js';
import { filterParams, overviewHash, parseOverviewQuery, type OverviewQuery } from '../overview-query.js';
import { navigate } from '../router.js';

interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * One API answer for the current view. The previous answer stays on screen while the next loads (marked busy),
 * so changing a filter does not blank the page; an answer for a view already left is dropped.
 */
function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { retry: () => void } {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: true });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (caught: Error) => current && setState({ data: null, error: caught.message, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}

function Failed(props: { m: Messages; error: string; retry: () => void }) {
  return (
    <p class="error" role="alert">
      {props.m.somethingWrong} {props.error}{' '}
      <button type="button" class="link-button" onClick={props.retry}>
        {props.m.retry}
      </button>
    </p>
  );
}

/** Whether the page's figures came from the per-day rollups or a scan of the answers (filters the rollups lack). */
function SourceNote(props: { m: Messages; sources: (MetricsSource | undefined)[] }) {
  const known = props.sources.filter((s): s is MetricsSource => s !== undefined);
  if (known.length === 0) return null;
  const source: MetricsSource = known.every((s) => s === 'rollup') ? 'rollup' : 'scan';
  return (
    <p class="source-note muted" data-source={source}>
      {source === 'rollup' ? props.m.sourceRollup : props.m.sourceScan}
    </p>
  );
}

/**
 * The overview (#/overview?…): is satisfaction really moving? Trends with honest error bars, the score distribution,
 * the headline numbers, the response funnel, why detractors are unhappy and what customers wrote, all for the
 * filters in the address. In Persian, periods are Jalali months and Saturday weeks and time runs right to left.
 */
export function OverviewPage(props: { m: Messages; locale: Locale; query: URLSearchParams; canOpenCases: boolean }) {
  const { m, locale, query } = props;
  const calendar: Calendar = locale === 'fa' ? 'jalali' : 'gregorian';
  const queryText = query.toString();
  const view = useMemo(() => parseOverviewQuery(query, calendar), [queryText, calendar]);
  const hash = overviewHash(view);
  const filters = useMemo(() => filterParams(view), [hash]);
  const key = `${filters}|${calendar}`;
  const trendKey = `${key}|${view.interval}`;

  // The address always names the whole view (defaults written in), so copying it shares exactly what is shown.
  useEffect(() => {
    if (`#/overview?${queryText}` !== hash) navigate(hash, true);
  }, [hash, queryText]);
  useEffect(() => {
    document.title = `${m.overviewTitle} · ${m.title}`;
  }, [m]);

  const [options, setOptions] = useState<FilterOptionsBody | null>(null);
  useEffect(() => {
    // Without the options the filters still work (with what the address holds); no error worth a banner.
    api.metrics.filters().then(setOptions, () => setOptions(null));
  }, []);

  const nps = useLoad(() => api.metrics.nps(filters, view.interval, calendar), trendKey);
  const satisfaction = useLoad(() => api.metrics.satisfaction(filters, view.interval, calendar), trendKey);
  const summary = useLoad(() => api.metrics.summary(filters), key);
  const reasons = useLoad(() => api.metrics.reasons(filters), key);
  const busy = nps.loading || satisfaction.loading || summary.loading || reasons.loading;

  const change = (next: OverviewQuery) => navigate(overviewHash(next));

  return (
    <section class="overview" aria-labelledby="overview-title" aria-busy={busy}>
      <div class="page-head">
        <h1 id="overview-title">{m.overviewTitle}</h1>
        <SourceNote m={m} sources={[nps.data?.source, satisfaction.data?.source, summary.data?.source]} />
      </div>
      <OverviewFilters view={view} options={options} calendar={calendar} locale={locale} m={m} onChange={change} />

      {summary.error ? <Failed m={m} error={summary.error} retry={summary.retry} /> : summary.data ? <Tiles summary={summary.data} locale={locale} m={m} /> : <p class="status-line">{m.loading}</p>}

      <div class="overview-grid">
        <div class="wide">
          {nps.error ? <Failed m={m} error={nps.error} retry={nps.retry} /> : nps.data && <NpsTrend body={nps.data} interval={view.interval} locale={locale} m={m} />}
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
        <div class="wide">{reasons.error ? <Failed m={m} error={reasons.error} retry={reasons.retry} /> : reasons.data && <Reasons body={reasons.data} locale={locale} m={m} />}</div>
      </div>

      <Comments filters={filters} locale={locale} m={m} canOpenCases={props.canOpenCases} />
    </section>
  );
}
