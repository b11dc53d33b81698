import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { Locale } from '../../../shared/locale.js';
import { bucketOf } from '../../../shared/scoring.js';
import { formatNumber, formatPercent } from '../../i18n/format.js';
import { label, type Messages } from '../../i18n/messages.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { BUCKET_COLOURS } from './palette.js';

/** How many answers gave each score 0–10, coloured by group; 0 stands at the right in Persian, like the survey's scale. */
export function Distribution(props: { counts: number[]; locale: Locale; m: Messages }) {
  const { counts, locale, m } = props;
  const total = counts.reduce((sum, count) => sum + count, 0);
  const scores = counts.map((_, score) => score);
  const share = (count: number) => formatPercent(total === 0 ? 0 : (count / total) * 100, locale);

  const config = useMemo((): ChartConfiguration<'bar', number[], string> => {
    const colours = scores.map((score) => BUCKET_COLOURS[bucketOf(score)]);
    return {
      type: 'bar',
      data: {
        labels: scores.map((score) => formatNumber(score, locale)),
        datasets: [{ label: m.answeredN, data: counts, backgroundColor: colours, borderColor: colours, borderWidth: 1 }],
      },
      options: {
        ...baseOptions(locale),
        scales: {
          x: { ...categoryAxis(locale), title: { display: true, text: m.scoreAxis } },
          y: {
            position: valueAxisPosition(locale),
            beginAtZero: true,
            ticks: { precision: 0, callback: (v) => formatNumber(Number(v), locale) },
          },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          barValueLabels: { format: (_dataset, index) => formatNumber(counts[index] ?? 0, locale) },
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            callbacks: {
              title: (items) =>
                m.scoreBucket(formatNumber(items[0]?.dataIndex ?? 0, locale), label(m, 'bucket', bucketOf(items[0]?.dataIndex ?? 0))),
              label: (item) => m.countShare(formatNumber(counts[item.dataIndex] ?? 0, locale), share(counts[item.dataIndex] ?? 0)),
            },
          },
        },
      },
    };
  }, [counts, locale, m]);

  const table = {
    head: [m.colScore, m.answeredN, m.share],
    rows: counts.map((count, score) => [
      `${formatNumber(score, locale)} (${label(m, 'bucket', bucketOf(score))})`,
      formatNumber(count, locale),
      share(count),
    ]),
  };
  return (
    <ChartFigure
      id="distribution"
      m={m}
      title={m.distributionTitle}
      summary={m.distributionSummary(formatNumber(total, locale))}
      config={config}
      table={table}
      short
      empty={total === 0}
    >
      <ul class="chart-legend">
        {(['detractor', 'passive', 'promoter'] as const).map((bucket) => (
          <li key={bucket}>
            <span class={`swatch swatch-${bucket}`} aria-hidden="true" /> {label(m, 'bucket', bucket)} ({m[`range_${bucket}`]})
          </li>
        ))}
      </ul>
    </ChartFigure>
  );
}
