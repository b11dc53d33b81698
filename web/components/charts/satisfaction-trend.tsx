import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { Interval, SatisfactionTrendBody } from '../../../shared/api/metrics.js';
import type { Locale } from '../../../shared/locale.js';
import { formatNumber, formatPercent } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { periodLabels } from './nps-trend.js';
import { LINE, SECOND_LINE, THIRD_LINE } from './palette.js';

type Point = SatisfactionTrendBody['points'][number];

/** CSAT and the solved rate (percent, one axis) and CES (mean 1–7, the other axis) per period, each with its count. */
export function SatisfactionTrend(props: { body: SatisfactionTrendBody; interval: Interval; locale: Locale; m: Messages }) {
  const { body, interval, locale, m } = props;
  const labels = useMemo(() => body.points.map((p) => periodLabels(p.start, interval, locale, m)), [body, interval, locale, m]);

  const config = useMemo((): ChartConfiguration<'line', (number | null)[], string> => {
    const percentAxis = valueAxisPosition(locale);
    const line = (colour: string, dash: number[] = []) => ({ borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 3, borderDash: dash });
    return {
      type: 'line',
      data: {
        labels: labels.map((l) => l.short),
        datasets: [
          { label: m.csat, data: body.points.map((p) => p.csat), yAxisID: 'percent', ...line(LINE) },
          { label: m.solvedRate, data: body.points.map((p) => p.solvedRate), yAxisID: 'percent', ...line(THIRD_LINE, [6, 4]) },
          { label: m.ces, data: body.points.map((p) => p.ces), yAxisID: 'effort', ...line(SECOND_LINE, [2, 3]) },
        ],
      },
      options: {
        ...baseOptions(locale),
        scales: {
          x: categoryAxis(locale),
          percent: { position: percentAxis, min: 0, max: 100, title: { display: true, text: m.percentAxis }, ticks: { callback: (v) => formatPercent(Number(v), locale) } },
          effort: {
            position: percentAxis === 'left' ? 'right' : 'left',
            min: 1,
            max: 7,
            title: { display: true, text: m.cesAxis },
            grid: { drawOnChartArea: false },
            ticks: { stepSize: 1 },
          },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            callbacks: {
              title: (items) => labels[items[0]?.dataIndex ?? 0]?.long ?? '',
              label: (item) => satisfactionLine(item.datasetIndex, body.points[item.dataIndex], locale, m),
            },
          },
        },
      },
    };
  }, [body, labels, locale, m]);

  const table = {
    head: [m.period, m.csat, m.csatN, m.ces, m.cesN, m.solvedRate, m.solvedN],
    rows: body.points.map((p, i) => [
      labels[i]?.long ?? p.start,
      p.csat === null ? '–' : formatPercent(p.csat, locale),
      formatNumber(p.csatN, locale),
      p.ces === null ? '–' : formatNumber(p.ces, locale),
      formatNumber(p.cesN, locale),
      p.solvedRate === null ? '–' : formatPercent(p.solvedRate, locale),
      formatNumber(p.solvedN, locale),
    ]),
  };
  return (
    <ChartFigure id="satisfaction-trend" m={m} title={m.satisfactionOverTime} summary={m.satisfactionSummary} config={config} table={table}>
      <ul class="chart-legend">
        <li>
          <span class="swatch swatch-line" aria-hidden="true" /> {m.csat} ({m.csatHelp})
        </li>
        <li>
          <span class="swatch swatch-dashed" aria-hidden="true" /> {m.solvedRate}
        </li>
        <li>
          <span class="swatch swatch-dotted" aria-hidden="true" /> {m.ces} ({m.cesHelp})
        </li>
      </ul>
    </ChartFigure>
  );
}

/** One tooltip line with the count behind it: "CSAT 82% (n = 40)". */
function satisfactionLine(dataset: number, point: Point | undefined, locale: Locale, m: Messages): string {
  if (!point) return '';
  const n = (count: number) => formatNumber(count, locale);
  if (dataset === 0) return point.csat === null ? '' : m.valueWithN(m.csat, formatPercent(point.csat, locale), n(point.csatN));
  if (dataset === 1) return point.solvedRate === null ? '' : m.valueWithN(m.solvedRate, formatPercent(point.solvedRate, locale), n(point.solvedN));
  return point.ces === null ? '' : m.valueWithN(m.ces, formatNumber(point.ces, locale), n(point.cesN));
}
