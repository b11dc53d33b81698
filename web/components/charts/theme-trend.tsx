import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { ThemeTrendBody } from '../../../shared/api/themes.js';
import type { Interval } from '../../../shared/api/metrics.js';
import { tooFewAnswers } from '../../../shared/intervals.js';
import type { Locale } from '../../../shared/locale.js';
import { MIN_ANSWERS_FOR_SIGNIFICANCE } from '../../../shared/nps.js';
import { formatNumber, formatPercent } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { periodLabels } from './nps-trend.js';
import { BUCKET_COLOURS, LINE, SECOND_LINE, THIRD_LINE } from './palette.js';

/** At most this many lines: more would be a tangle. The table holds every theme. */
const DRAWN = 4;
/** Each line differs in colour, dash and marker, and its legend swatch matches (styles.css .swatch-*). */
const STYLES = [
  { colour: LINE, dash: [], point: 'circle', swatch: 'swatch-line' },
  { colour: THIRD_LINE, dash: [6, 4], point: 'rect', swatch: 'swatch-dashed' },
  { colour: SECOND_LINE, dash: [2, 3], point: 'triangle', swatch: 'swatch-dotted' },
  { colour: BUCKET_COLOURS.detractor, dash: [10, 3, 2, 3], point: 'rectRot', swatch: 'swatch-dashdot' },
] as const;

type TrendTheme = ThemeTrendBody['themes'][number];

/** The themes drawn: the chosen one first, then the most mentioned in the range. */
function drawnThemes(themes: TrendTheme[], chosen: string | undefined): TrendTheme[] {
  const total = (theme: TrendTheme) => theme.counts.reduce((sum, n) => sum + n, 0);
  const ranked = themes.filter((t) => total(t) > 0).sort((a, b) => total(b) - total(a));
  const first = themes.find((t) => t.id === chosen);
  return (first ? [first, ...ranked.filter((t) => t.id !== chosen)] : ranked).slice(0, DRAWN);
}

/**
 * How often the main themes come up, per period: the share of the period's comments that mention each (a busy week
 * has more comments of every kind; the share shows what changed). Each line is named at its end and in the legend
 * and differs in dash and marker, not only colour. A period with too few comments gets no point.
 */
export function ThemeTrend(props: { body: ThemeTrendBody; interval: Interval; locale: Locale; m: Messages; chosen?: string }) {
  const { body, interval, locale, m, chosen } = props;
  const drawn = useMemo(() => drawnThemes(body.themes, chosen), [body, chosen]);
  const labels = useMemo(() => body.periods.map((start) => periodLabels(start, interval, locale, m)), [body, interval, locale, m]);

  const config = useMemo((): ChartConfiguration<'line', (number | null)[], string> => {
    const share = (theme: TrendTheme, i: number) => {
      const value = theme.shares[i];
      return value === null || value === undefined || tooFewAnswers(body.commenters[i] ?? 0) ? null : value * 100;
    };
    return {
      type: 'line',
      data: {
        labels: labels.map((l) => l.short),
        datasets: drawn.map((theme, index) => {
          const style = STYLES[index]!;
          return {
            label: theme.label[locale],
            data: body.periods.map((_, i) => share(theme, i)),
            borderColor: style.colour,
            backgroundColor: style.colour,
            borderDash: [...style.dash],
            borderWidth: 2,
            pointStyle: style.point,
            pointRadius: 4,
          };
        }),
      },
      options: {
        ...baseOptions(locale),
        scales: {
          x: categoryAxis(locale),
          y: {
            position: valueAxisPosition(locale),
            beginAtZero: true,
            suggestedMax: 20,
            title: { display: true, text: m.themeShareAxis },
            ticks: { callback: (v) => formatPercent(Number(v), locale) },
          },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          lineEndLabels: { format: (dataset) => drawn[dataset]?.label[locale] ?? null },
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            callbacks: {
              title: (items) => labels[items[0]?.dataIndex ?? 0]?.long ?? '',
              label: (item) => {
                const theme = drawn[item.datasetIndex];
                if (!theme) return '';
                const i = item.dataIndex;
                return m.themeShareLine(
                  theme.label[locale],
                  formatPercent((theme.shares[i] ?? 0) * 100, locale),
                  formatNumber(theme.counts[i] ?? 0, locale),
                  formatNumber(body.commenters[i] ?? 0, locale),
                );
              },
            },
          },
        },
      },
    };
  }, [body, drawn, labels, locale, m]);

  const table = {
    head: [m.period, m.themeCommentsN, ...body.themes.map((t) => t.label[locale])],
    rows: body.periods.map((_, i) => {
      const commenters = body.commenters[i] ?? 0;
      return [
        labels[i]?.long ?? body.periods[i]!,
        formatNumber(commenters, locale),
        ...body.themes.map((t) => {
          const count = formatNumber(t.counts[i] ?? 0, locale);
          const value = t.shares[i];
          if (value === null || value === undefined) return count;
          return tooFewAnswers(commenters) ? `${count} (${m.tooFewShort})` : `${count} (${formatPercent(value * 100, locale)})`;
        }),
      ];
    }),
  };
  const total = body.commenters.reduce((sum, n) => sum + n, 0);
  const tooFew = body.commenters.some((n) => tooFewAnswers(n));
  const summary = m.themeTrendSummary(formatNumber(body.periods.length, locale), drawn.map((t) => t.label[locale]).join(m.listSeparator));

  return (
    <ChartFigure
      id="theme-trend"
      m={m}
      title={m.themeTrendTitle}
      summary={summary}
      config={config}
      table={table}
      empty={total === 0 || drawn.length === 0}
    >
      <ul class="chart-legend">
        {drawn.map((theme, index) => (
          <li key={theme.id}>
            <span class={`swatch ${STYLES[index]!.swatch}`} aria-hidden="true" /> {theme.label[locale]}
          </li>
        ))}
        {tooFew && <li>{m.legendFewComments(formatNumber(MIN_ANSWERS_FOR_SIGNIFICANCE, locale))}</li>}
      </ul>
      <p class="chart-note muted">{m.themeTrendHelp}</p>
    </ChartFigure>
  );
}
