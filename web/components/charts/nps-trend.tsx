import { useMemo } from 'preact/hooks';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { Interval, NpsTrendBody } from '../../../shared/api/metrics.js';
import { tooFewAnswers } from '../../../shared/intervals.js';
import { MIN_ANSWERS_FOR_SIGNIFICANCE } from '../../../shared/nps.js';
import type { Locale } from '../../../shared/locale.js';
import { formatDay, formatNps, formatNumber } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { baseOptions, categoryAxis, ChartFigure, valueAxisPosition } from './chart.js';
import { BAND, LINE, SIGNIFICANT, TOO_FEW } from './palette.js';

type Point = NpsTrendBody['points'][number];

/** A period's name on the axis ("23 Nov", "Nov 2026") and in full for tooltips and the table. */
export function periodLabels(start: string, interval: Interval, locale: Locale, m: Messages): { short: string; long: string } {
  if (interval === 'month') return { short: formatDay(start, locale, 'month'), long: formatDay(start, locale, 'month') };
  if (interval === 'week') return { short: formatDay(start, locale, 'short'), long: m.weekOf(formatDay(start, locale)) };
  return { short: formatDay(start, locale, 'short'), long: formatDay(start, locale) };
}

const clamp = (value: number) => Math.max(-100, Math.min(100, value));
/** A period with a score worth drawing: answered, and by enough people. */
const drawn = (point: Point) => point.nps !== null && !tooFewAnswers(point.n);
const bound = (point: Point, sign: 1 | -1) =>
  !drawn(point) || point.marginOfError === null ? null : clamp(point.nps! + sign * point.marginOfError);

/**
 * NPS per period as a line inside its 95% margin-of-error band, with a diamond on each point whose change from the
 * previous period is significant (the API decides: a two-sample test on the NPS difference at 95%). The counts are in every tooltip.
 * A period with too few answers gets no point: a grey column across the whole scale says "too few" (its score
 * could be anything), so three unhappy answers never read as "−100 ± 0". A range nobody answered says so.
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
          {
            label: m.moeUpper,
            data: body.points.map((p) => bound(p, 1)),
            borderWidth: 0,
            pointRadius: 0,
            pointHitRadius: 0,
            pointHoverRadius: 0,
            fill: false,
          },
          {
            label: m.moeLower,
            data: body.points.map((p) => bound(p, -1)),
            borderWidth: 0,
            pointRadius: 0,
            pointHitRadius: 0,
            pointHoverRadius: 0,
            fill: '-1',
            backgroundColor: BAND,
          },
          {
            label: m.nps,
            data: body.points.map((p) => (drawn(p) ? p.nps : null)),
            borderColor: LINE,
            backgroundColor: LINE,
            borderWidth: 2,
            pointStyle: significant.map((s) => (s ? 'rectRot' : 'circle')),
            pointRadius: significant.map((s) => (s ? 7 : 3)),
            pointBackgroundColor: significant.map((s) => (s ? SIGNIFICANT : LINE)),
            pointBorderColor: significant.map((s) => (s ? '#ffffff' : LINE)),
          },
          // Too few answers: a grey column from −100 to +100, labelled with its count.
          {
            type: 'bar',
            label: m.tooFewShort,
            data: body.points.map((p) => (tooFewAnswers(p.n) ? [-100, 100] : null)),
            backgroundColor: TOO_FEW,
            barPercentage: 0.6,
          } as unknown as ChartDataset<'line', (number | null)[]>, // a floating bar inside the line chart: chart.js's mixed typing cannot say it
        ],
      },
      options: {
        ...baseOptions(locale),
        scales: {
          // Room at both ends for a too-few column at the first or last period.
          x: { ...categoryAxis(locale), offset: body.points.some((p) => tooFewAnswers(p.n)) },
          // Zero always in view, so the sign of the score is never lost in a zoomed axis.
          y: { position: valueAxisPosition(locale), suggestedMin: 0, suggestedMax: 0, ticks: { callback: (value) => num(Number(value)) } },
        },
        plugins: {
          ...baseOptions(locale).plugins,
          barValueLabels: { format: (_dataset, index) => m.tooFewLabel(formatNumber(body.points[index]?.n ?? 0, locale)) },
          tooltip: {
            ...baseOptions(locale).plugins.tooltip,
            // One entry per period, the NPS line's or the too-few column's: the band's bounds are in the text.
            filter: (item) => item.datasetIndex === (tooFewAnswers(body.points[item.dataIndex]?.n ?? 0) ? 3 : 2),
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

  const latest = [...body.points].reverse().find(drawn);
  const tooFew = body.points.some((p) => tooFewAnswers(p.n));
  const summary = m.npsTrendSummary(
    formatNumber(body.points.length, locale),
    latest ? npsLine(latest, locale, m) : m.noAnswersYet,
    formatNumber(body.points.filter((p) => p.significant).length, locale),
  );
  const table = {
    head: [m.period, m.nps, m.marginOfError, m.answeredN, m.promoters, m.passives, m.detractors, m.significant],
    rows: body.points.map((p) => [
      periodLabels(p.start, interval, locale, m).long,
      p.nps === null ? '–' : tooFewAnswers(p.n) ? m.tooFewShort : formatNps(p.nps, locale),
      p.marginOfError === null || tooFewAnswers(p.n) ? '–' : `±${formatNumber(p.marginOfError, locale, 0)}`,
      formatNumber(p.n, locale),
      formatNumber(p.promoters, locale),
      formatNumber(p.passives, locale),
      formatNumber(p.detractors, locale),
      p.significant ? m.yes : '',
    ]),
  };

  return (
    <ChartFigure id="nps-trend" m={m} title={m.npsOverTime} summary={summary} config={config} table={table} empty={body.total.n === 0}>
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
        {tooFew && (
          <li>
            <span class="swatch swatch-too-few" aria-hidden="true" /> {m.legendTooFew(formatNumber(MIN_ANSWERS_FOR_SIGNIFICANCE, locale))}
          </li>
        )}
      </ul>
    </ChartFigure>
  );
}

/** "NPS +32 ± 8 (n = 120)": never a score without the count behind it, and no score from too few answers. */
function npsLine(point: Pick<Point, 'nps' | 'marginOfError' | 'n'> | undefined, locale: Locale, m: Messages): string {
  if (!point || point.nps === null) return m.noAnswersYet;
  if (tooFewAnswers(point.n)) return m.tooFewAnswers(formatNumber(point.n, locale), formatNumber(MIN_ANSWERS_FOR_SIGNIFICANCE, locale));
  return m.npsWithMoe(formatNps(point.nps, locale), formatNumber(point.marginOfError ?? 0, locale, 0), formatNumber(point.n, locale));
}
