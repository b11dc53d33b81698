import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { Interval, SatisfactionTrendBody } from '../../../shared/api/metrics.js';
import { tooFewAnswers, type PercentInterval } from '../../../shared/intervals.js';
import type { Locale } from '../../../shared/locale.js';
import { formatNumber, formatPercent } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { MIN_ANSWERS_FOR_SIGNIFICANCE } from '../../../shared/nps.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { periodLabels } from './nps-trend.js';
import { BAND, LINE, SECOND_LINE, THIRD_BAND, THIRD_LINE } from './palette.js';

type Point = SatisfactionTrendBody['points'][number];

/** A figure worth drawing: answered by enough people (else no point: the table and tooltip say "too few"). */
const shown = (value: number | null, n: number) => (value === null || tooFewAnswers(n) ? null : value);
const edge = (interval: PercentInterval | null, n: number, side: 'low' | 'high') =>
  interval === null || tooFewAnswers(n) ? null : interval[side];

/**
 * CSAT and the solved rate (percent, one axis) and CES (mean 1–7, the other axis) per period, each with its count;
 * CSAT and the solved rate inside their 95% Wilson bands. Periods with too few answers get no point.
 */
export function SatisfactionTrend(props: { body: SatisfactionTrendBody; interval: Interval; locale: Locale; m: Messages }) {
  const { body, interval, locale, m } = props;
  const labels = useMemo(() => body.points.map((p) => periodLabels(p.start, interval, locale, m)), [body, interval, locale, m]);

  const config = useMemo((): ChartConfiguration<'line', (number | null)[], string> => {
    const percentAxis = valueAxisPosition(locale);
    const line = (colour: string, dash: number[] = []) => ({
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: 3,
      borderDash: dash,
    });
    return {
      type: 'line',
      data: {
        labels: labels.map((l) => l.short),
        datasets: [
          { label: m.csat, data: body.points.map((p) => shown(p.csat, p.csatN)), yAxisID: 'percent', ...line(LINE) },
          {
            label: m.solvedRate,
            data: body.points.map((p) => shown(p.solvedRate, p.solvedN)),
            yAxisID: 'percent',
            ...line(THIRD_LINE, [6, 4]),
          },
          { label: m.ces, data: body.points.map((p) => shown(p.ces, p.cesN)), yAxisID: 'effort', ...line(SECOND_LINE, [2, 3]) },
          // The bands: each upper bound, then its lower bound filled up to it (by dataset index).
          ...band(
            m.csat,
            3,
            BAND,
            body.points.map((p) => [edge(p.csatInterval, p.csatN, 'high'), edge(p.csatInterval, p.csatN, 'low')]),
          ),
          ...band(
            m.solvedRate,
            5,
            THIRD_BAND,
            body.points.map((p) => [edge(p.solvedInterval, p.solvedN, 'high'), edge(p.solvedInterval, p.solvedN, 'low')]),
          ),
        ],
      },
      options: {
        ...baseOptions(locale),
        scales: {
          x: categoryAxis(locale),
          percent: {
            position: percentAxis,
            min: 0,
            max: 100,
            title: { display: true, text: m.percentAxis },
            ticks: { callback: (v) => formatPercent(Number(v), locale) },
          },
          effort: {
            position: percentAxis === 'left' ? 'right' : 'left',
            min: 1,
            max: 7,
            title: { display: true, text: m.cesAxis },
            grid: { drawOnChartArea: false },
            ticks: { stepSize: 1, callback: (v) => formatNumber(Number(v), locale) },
          },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            // The three lines only: each band's bounds are in its line's text.
            filter: (item) => item.datasetIndex < 3,
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
      shareCell(p.csat, p.csatInterval, p.csatN, locale, m),
      formatNumber(p.csatN, locale),
      p.ces === null ? '–' : tooFewAnswers(p.cesN) ? m.tooFewShort : formatNumber(p.ces, locale),
      formatNumber(p.cesN, locale),
      shareCell(p.solvedRate, p.solvedInterval, p.solvedN, locale, m),
      formatNumber(p.solvedN, locale),
    ]),
  };
  const tooFew = body.points.some((p) => tooFewAnswers(p.csatN) || tooFewAnswers(p.cesN) || tooFewAnswers(p.solvedN));
  return (
    <ChartFigure
      id="satisfaction-trend"
      m={m}
      title={m.satisfactionOverTime}
      summary={m.satisfactionSummary}
      config={config}
      table={table}
      empty={body.total.csatN + body.total.cesN + body.total.solvedN === 0}
    >
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
        <li>
          <span class="swatch swatch-band" aria-hidden="true" /> {m.legendWilson}
        </li>
        {tooFew && <li>{m.legendNoPoint(formatNumber(MIN_ANSWERS_FOR_SIGNIFICANCE, locale))}</li>}
      </ul>
    </ChartFigure>
  );
}

/** An upper bound and a lower bound filled up to it, drawn under the lines, with no points or tooltip of their own. */
function band(name: string, upperIndex: number, colour: string, bounds: (number | null)[][]) {
  const quiet = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, pointHoverRadius: 0, yAxisID: 'percent' };
  return [
    { label: `${name} ↑`, data: bounds.map((b) => b[0] ?? null), fill: false, ...quiet },
    { label: `${name} ↓`, data: bounds.map((b) => b[1] ?? null), fill: upperIndex, backgroundColor: colour, ...quiet },
  ];
}

/** "82% (72–89%)": a share with its 95% interval. */
function shareFigure(value: number, interval: PercentInterval | null, locale: Locale, m: Messages): string {
  return interval
    ? `${formatPercent(value, locale)} (${m.intervalRange(formatPercent(interval.low, locale), formatPercent(interval.high, locale))})`
    : formatPercent(value, locale);
}

/** A table cell: the share with its interval, "too few", or "–" for nobody. */
function shareCell(value: number | null, interval: PercentInterval | null, n: number, locale: Locale, m: Messages): string {
  if (value === null) return '–';
  return tooFewAnswers(n) ? m.tooFewShort : shareFigure(value, interval, locale, m);
}

/** One tooltip line with its interval and the count behind it: "CSAT 82% (72–89%, n = 40)"; too few: no figure. */
function satisfactionLine(dataset: number, point: Point | undefined, locale: Locale, m: Messages): string {
  if (!point) return '';
  const n = (count: number) => formatNumber(count, locale);
  const share = (name: string, value: number | null, interval: PercentInterval | null, count: number) => {
    if (value === null) return '';
    if (tooFewAnswers(count)) return `${name}: ${m.tooFewAnswers(n(count), n(MIN_ANSWERS_FOR_SIGNIFICANCE))}`;
    return m.valueWithN(name, shareFigure(value, interval, locale, m), n(count));
  };
  if (dataset === 0) return share(m.csat, point.csat, point.csatInterval, point.csatN);
  if (dataset === 1) return share(m.solvedRate, point.solvedRate, point.solvedInterval, point.solvedN);
  if (point.ces === null) return '';
  return tooFewAnswers(point.cesN)
    ? `${m.ces}: ${m.tooFewAnswers(n(point.cesN), n(MIN_ANSWERS_FOR_SIGNIFICANCE))}`
    : m.valueWithN(m.ces, formatNumber(point.ces, locale), n(point.cesN));
}
