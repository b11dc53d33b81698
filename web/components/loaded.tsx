import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Calendar, FilterOptionsBody, MetricsSource } from '../../shared/api/metrics.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import type { Messages } from '../i18n/messages.js';
import { filterParams, overviewHash, parseOverviewQuery, type MetricsPage, type OverviewQuery } from '../overview-query.js';
import { navigate } from '../router.js';

/* What the metrics pages (the overview, themes) share: one answer per view loaded, its failure, and its source. */

interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * One API answer for the current view. The previous answer stays on screen while the next loads (marked busy),
 * so changing a filter does not blank the page; an answer for a view already left is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { retry: () => void } {
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

export function Failed(props: { m: Messages; error: string; retry: () => void }) {
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
export function SourceNote(props: { m: Messages; sources: (MetricsSource | undefined)[] }) {
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
 * The filters a metrics page shows, as its address says (#/overview?…, #/themes?…): the view, its API parameters, the
 * calendar of the dashboard's language, the choices the filter controls offer, and a change that goes into the
 * address. The address always names the whole view (defaults written in), so copying it shares exactly what is shown.
 */
export function useMetricsView(page: MetricsPage, query: URLSearchParams, locale: Locale, extra: Record<string, string | undefined> = {}) {
  const calendar: Calendar = locale === 'fa' ? 'jalali' : 'gregorian';
  const queryText = query.toString();
  const view = useMemo(() => parseOverviewQuery(query, calendar), [queryText, calendar]);
  const base = overviewHash(view, page);
  const hash = overviewHash(view, page, extra);
  const filters = useMemo(() => filterParams(view), [base]);

  useEffect(() => {
    if (`#/${page}?${queryText}` !== hash) navigate(hash, true);
  }, [hash, queryText]);

  const [options, setOptions] = useState<FilterOptionsBody | null>(null);
  useEffect(() => {
    // Without the options the filters still work (with what the address holds); no error worth a banner.
    api.metrics.filters().then(setOptions, () => setOptions(null));
  }, []);

  return { calendar, view, filters, options, change: (next: OverviewQuery) => navigate(overviewHash(next, page, extra)) };
}
