import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { Interval, NpsTrendBody } from '../../../shared/api/metrics.js';
import type { Locale } from '../../../shared/locale.js';
import { formatDay, formatNps, formatNumber } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { BAND, LINE, SIGNIFICANT } from './palette.js';

type Point = NpsTrendBody['points'][number];

/** A period's name on the axis ("23 Nov", "Nov 2026") and in full for tooltips and the table. */
export function periodLabels(start: string, interval: Interval, locale: Locale, m: Messages): { short: string; long: string } {
  if (interval === 'month') return { short: formatDay(start, locale, 'month'), long: formatDay(start, locale, 'month') };
  if (interval === 'week') return { short: formatDay(start, locale, 'short'), long: m.weekOf(formatDay(start, locale)) };
  return { short: formatDay(start, locale, 'short'), long: formatDay(start, locale) };
}

const clamp = (value: number) => Math.max(-100, Math.min(100, value));
const bound = (point: Point, sign: 1 | -1) => (point.nps === null || point.marginOfError === null ? null : clamp(point.nps + sign * point.marginOfError));

/**
 * NPS per period as a line inside its 95% margin-of-error band, with a diamond on each point whose change from the
 * previous period is significant (the API decides: the two intervals do not overlap). The counts are in every tooltip.
 */
export function NpsTrend(props: { body: NpsTrendBody; interval: Interval; locale: Locale; m: Messages }) {
  const { body, interval, locale, m } = props;
  const config = useMemo((): ChartConfiguration<'line', (number | null)[], string> => {
    const labels = body.points.map((p) => periodLabels(p.start, interval, locale, m));
    const significant = body.points.map((p) => p.significant);
    const num = (value: number) => formatNumber(value, locale, 0);
    return {
      type: 'line',
      data: {
        labels: labels.map((l) => l.short),
        datasets: [
          // The band: the upper bound, and the lower bound filled up to it ('-1' = the dataset before).
          { label: m.moeUpper, data: body.points.map((p) => bound(p, 1)), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, pointHoverRadius: 0, fill: false },
          { label: m.moeLower, data: body.points.map((p) => bound(p, -1)), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, pointHoverRadius: 0, fill: '-1', backgroundColor: BAND },
          {
            label: m.nps,
            data: body.points.map((p) => p.nps),
            borderColor: LINE,
            backgroundColor: LINE,
            borderWidth: 2,
            pointStyle: significant.map((s) => (s ? 'rectRot' : 'circle')),
            pointRadius: significant.map((s) => (s ? 7 : 3)),
            pointBackgroundColor: significant.map((s) => (s ? SIGNIFICANT : LINE)),
            pointBorderColor: significant.map((s) => (s ? '#ffffff' : LINE)),
          },
        ],
      },
      options: {
        ...baseOptions(locale),
        scales: {
          x: categoryAxis(locale),
          // Zero always in view, so the sign of the score is never lost in a zoomed axis.
          y: { position: valueAxisPosition(locale), suggestedMin: 0, suggestedMax: 0, ticks: { callback: (value) => num(Number(value)) } },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            // One entry per period, the NPS line's: the band's bounds are in its text.
            filter: (item) => item.datasetIndex === 2,
            // One series: a colour box would only repeat the marker (and show a diamond's white rim as the colour).
            displayColors: false,
            callbacks: {
              title: (items) => labels[items[0]?.dataIndex ?? 0]?.long ?? '',
              label: (item) => npsLine(body.points[item.dataIndex], locale, m),
              afterLabel: (item) => (body.points[item.dataIndex]?.significant ? m.significantChange : ''),
            },
          },
        },
      },
    };
  }, [body, interval, locale, m]);

  const latest = [...body.points].reverse().find((p) => p.nps !== null);
  const summary = m.npsTrendSummary(
    formatNumber(body.points.length, locale),
    latest ? npsLine(latest, locale, m) : m.noAnswersYet,
    formatNumber(body.points.filter((p) => p.significant).length, locale),
  );
  const table = {
    head: [m.period, m.nps, m.marginOfError, m.answeredN, m.promoters, m.passives, m.detractors, m.significant],
    rows: body.points.map((p) => [
      periodLabels(p.start, interval, locale, m).long,
      p.nps === null ? '–' : formatNps(p.nps, locale),
      p.marginOfError === null ? '–' : `±${formatNumber(p.marginOfError, locale, 0)}`,
      formatNumber(p.n, locale),
      formatNumber(p.promoters, locale),
      formatNumber(p.passives, locale),
      formatNumber(p.detractors, locale),
      p.significant ? m.yes : '',
    ]),
  };

  return (
    <ChartFigure id="nps-trend" m={m} title={m.npsOverTime} summary={summary} config={config} table={table}>
      <ul class="chart-legend">
        <li>
          <span class="swatch swatch-line" aria-hidden="true" /> {m.legendNps}
        </li>
        <li>
          <span class="swatch swatch-band" aria-hidden="true" /> {m.legendBand}
        </li>
        <li>
          <span class="swatch swatch-diamond" aria-hidden="true" /> {m.legendSignificant}
        </li>
      </ul>
    </ChartFigure>
  );
}

/** "NPS +32 ± 8 (n = 120)": never a score without the count behind it. */
export function npsLine(point: Pick<Point, 'nps' | 'marginOfError' | 'n'> | undefined, locale: Locale, m: Messages): string {
  if (!point || point.nps === null) return m.noAnswersYet;
  return m.npsWithMoe(formatNps(point.nps, locale), formatNumber(point.marginOfError ?? 0, locale, 0), formatNumber(point.n, locale));
}
