import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { ReasonsBody } from '../../../shared/api/metrics.js';
import type { Locale } from '../../../shared/locale.js';
import { formatNumber, formatPercent } from '../../i18n/format.js';
import { label, type Messages } from '../../i18n/messages.js';
import { BarList } from '../bar-list.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { BUCKET_COLOURS, LINE } from './palette.js';

/**
 * Why detractors were unhappy, as a Pareto chart: the root causes care recorded when closing cases, most common
 * first, with the cumulative share as a line (the few causes behind most complaints stand out). The most frequent
 * words of detractors' comments follow as a ranked list, for causes nobody has categorised yet.
 */
export function Reasons(props: { body: ReasonsBody; locale: Locale; m: Messages }) {
  const { body, locale, m } = props;
  const names = useMemo(() => body.categories.map((c) => label(m, 'reason', c.reason)), [body, m]);

  const config = useMemo((): ChartConfiguration<'bar' | 'line', number[], string> => {
    const countAxis = valueAxisPosition(locale);
    return {
      type: 'bar',
      data: {
        labels: names,
        datasets: [
          {
            type: 'bar',
            label: m.cases,
            data: body.categories.map((c) => c.count),
            backgroundColor: BUCKET_COLOURS.detractor,
            yAxisID: 'count',
            order: 2,
          },
          {
            type: 'line',
            label: m.cumulativeShare,
            // The API gives the cumulative share as 0–1; the axis reads in percent.
            data: body.categories.map((c) => c.cumulativeShare * 100),
            borderColor: LINE,
            backgroundColor: LINE,
            borderWidth: 2,
            pointRadius: 3,
            yAxisID: 'cumulative',
            order: 1,
          },
        ],
      },
      options: {
        ...baseOptions(locale),
        scales: {
          x: categoryAxis(locale),
          count: { position: countAxis, beginAtZero: true, ticks: { precision: 0, callback: (v) => formatNumber(Number(v), locale) } },
          cumulative: {
            position: countAxis === 'left' ? 'right' : 'left',
            min: 0,
            max: 100,
            grid: { drawOnChartArea: false },
            ticks: { callback: (v) => formatPercent(Number(v), locale) },
          },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          barValueLabels: { format: (_dataset, index) => formatNumber(body.categories[index]?.count ?? 0, locale) },
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            callbacks: {
              label: (item) => {
                const category = body.categories[item.dataIndex];
                if (!category) return '';
                return item.datasetIndex === 0
                  ? `${m.cases}: ${formatNumber(category.count, locale)}`
                  : `${m.cumulativeShare}: ${formatPercent(category.cumulativeShare * 100, locale)}`;
              },
            },
          },
        },
      },
    };
  }, [body, names, locale, m]);

  const table = {
    head: [m.reason, m.cases, m.cumulativeShare],
    rows: body.categories.map((c, i) => [
      names[i] ?? c.reason,
      formatNumber(c.count, locale),
      formatPercent(c.cumulativeShare * 100, locale),
    ]),
  };
  const total = body.categories.reduce((sum, c) => sum + c.count, 0);

  return (
    <div class="reasons">
      {body.categories.length === 0 ? (
        <section class="card" aria-labelledby="reasons-title">
          <h2 id="reasons-title">{m.reasonsTitle}</h2>
          <p class="muted">{m.noReasons}</p>
        </section>
      ) : (
        <ChartFigure
          id="reasons"
          m={m}
          title={m.reasonsTitle}
          summary={m.reasonsSummary(formatNumber(total, locale), names[0] ?? '')}
          config={config}
          table={table}
          short
        >
          <p class="chart-note muted">{m.reasonsHelp}</p>
        </ChartFigure>
      )}
      <section class="card keywords" aria-labelledby="keywords-title">
        <h2 id="keywords-title">{m.keywordsTitle}</h2>
        {body.keywords.length === 0 ? (
          <p class="muted">{m.noKeywords}</p>
        ) : (
          <BarList
            label={m.keywordsTitle}
            max={body.keywords[0]?.count ?? 0}
            rows={body.keywords.map((k) => ({
              key: k.word,
              name: <bdi>{k.word}</bdi>,
              value: k.count,
              shown: formatNumber(k.count, locale),
            }))}
          />
        )}
      </section>
    </div>
  );
}
