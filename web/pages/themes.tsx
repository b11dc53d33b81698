import { useEffect, useRef } from 'preact/hooks';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { ThemeTrend } from '../components/charts/theme-trend.js';
import { Comments } from '../components/comments.js';
import { Failed, SourceNote, useLoad, useMetricsView } from '../components/loaded.js';
import { OverviewFilters } from '../components/overview-filters.js';
import { ThemeImpactList } from '../components/theme-impact.js';
import type { Messages } from '../i18n/messages.js';
import { overviewHash } from '../overview-query.js';

/**
 * Themes (#/themes?…&theme=id): what customers' comments are about and how much each theme moves NPS, for the
 * overview's filters; how the main themes come and go over time; and the comments of the theme chosen (with their
 * cases, for those who work cases). The dictionary behind the themes is edited in Settings.
 */
export function ThemesPage(props: { m: Messages; locale: Locale; query: URLSearchParams; canOpenCases: boolean }) {
  const { m, locale, query } = props;
  const chosen = query.get('theme') || undefined;
  const { calendar, view, filters, options, change } = useMetricsView('themes', query, locale, { theme: chosen });
  const key = `${filters}|${calendar}`;
  const impact = useLoad(() => api.metrics.themes(filters), key);
  const trend = useLoad(() => api.metrics.themeTrend(filters, view.interval, calendar), `${key}|${view.interval}`);
  const comments = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = `${m.themesTitle} · ${m.title}`;
  }, [m]);
  // A theme chosen: its comments come into view (they lie below the table and the chart).
  useEffect(() => {
    if (chosen) comments.current?.scrollIntoView({ block: 'start' });
  }, [chosen]);

  const chosenTheme = impact.data?.themes.find((t) => t.id === chosen) ?? trend.data?.themes.find((t) => t.id === chosen);
  return (
    <section class="themes-page" aria-labelledby="themes-title" aria-busy={impact.loading || trend.loading}>
      <div class="page-head">
        <h1 id="themes-title">{m.themesTitle}</h1>
        <SourceNote m={m} sources={[impact.data?.source, trend.data?.source]} />
      </div>
      <p class="muted page-intro">{m.themesIntro}</p>
      <OverviewFilters view={view} options={options} calendar={calendar} locale={locale} m={m} onChange={change} />

      {impact.error ? (
        <Failed m={m} error={impact.error} retry={impact.retry} />
      ) : impact.data ? (
        <ThemeImpactList
          body={impact.data}
          locale={locale}
          m={m}
          chosen={chosen}
          hrefOf={(id) => overviewHash(view, 'themes', { theme: id })}
        />
      ) : (
        <p class="status-line">{m.loading}</p>
      )}
      {trend.error ? (
        <Failed m={m} error={trend.error} retry={trend.retry} />
      ) : (
        trend.data && <ThemeTrend body={trend.data} interval={view.interval} locale={locale} m={m} chosen={chosen} />
      )}

      <div ref={comments} class="theme-comments">
        {chosen ? (
          <Comments
            filters={filters}
            locale={locale}
            m={m}
            canOpenCases={props.canOpenCases}
            theme={{ id: chosen, name: chosenTheme?.label[locale] ?? chosen }}
          />
        ) : (
          <p class="card muted" data-choose-theme="">
            {m.chooseTheme}
          </p>
        )}
      </div>
    </section>
  );
}
