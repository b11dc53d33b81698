import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type DefaultDataPoint,
  type Plugin,
} from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Locale } from '../../../shared/locale.js';
import type { Messages } from '../../i18n/messages.js';
import { spreadEndLabels, type EndLabel } from './end-labels.js';

/*
 * The only module that imports chart.js. Only the pieces the overview draws are registered, so the bundle carries
 * only those (chart.js is tree-shakeable; its 'auto' entry would bring every chart type). No Legend plugin: each
 * chart explains itself in HTML next to it, which also reads right-to-left and can say more than a colour swatch.
 */
declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Each bar's value written on it: the text for bar `index` of dataset `dataset` (null: no label). */
    barValueLabels?: { format: (dataset: number, index: number) => string | null };
    /** Each line's name written beside its last point (null: no label), so no line needs a colour key to be told. */
    lineEndLabels?: { format: (dataset: number) => string | null };
  }
}

/**
 * Writes every bar's value just above it (inside the bar's top for a bar that reaches the top), so no bar is
 * left for the eye to measure against the axis. The texts come formatted from the chart (Persian digits in Persian).
 */
const barValueLabels: Plugin & { descriptors: { _scriptable: boolean; _indexable: boolean } } = {
  id: 'barValueLabels',
  // `format` is our function, not a chart.js scriptable option: chart.js must not call it to resolve it.
  descriptors: { _scriptable: false, _indexable: false },
  afterDatasetsDraw(chart) {
    const format = chart.options.plugins?.barValueLabels?.format;
    if (!format) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.fillStyle = '#1f2328';
    ctx.textAlign = 'center';
    ctx.font = `600 12px ${Chart.defaults.font.family ?? 'sans-serif'}`;
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      if (meta.type !== 'bar' || !chart.isDatasetVisible(datasetIndex)) return;
      meta.data.forEach((bar, index) => {
        // A period without a bar (null) gets no label either.
        if (dataset.data[index] === null || dataset.data[index] === undefined) return;
        const text = format(datasetIndex, index);
        if (text === null) return;
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        const inside = y - 16 < chartArea.top;
        ctx.textBaseline = inside ? 'top' : 'bottom';
        ctx.fillText(text, x, inside ? y + 2 : y - 3);
      });
    });
    ctx.restore();
  },
};

/**
 * Writes each line's name next to its latest drawn point (the one furthest along the time axis), on the side of the
 * point that faces the chart's middle, so the name stays inside the canvas in either direction; names that would
 * overlap are moved apart (end-labels.ts).
 */
const lineEndLabels: Plugin & { descriptors: { _scriptable: boolean; _indexable: boolean } } = {
  id: 'lineEndLabels',
  descriptors: { _scriptable: false, _indexable: false },
  afterDatasetsDraw(chart) {
    const format = chart.options.plugins?.lineEndLabels?.format;
    if (!format) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `600 12px ${Chart.defaults.font.family ?? 'sans-serif'}`;
    ctx.textBaseline = 'bottom';
    const labels: (EndLabel & { text: string; colour: string })[] = [];
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      if (meta.type !== 'line' || !chart.isDatasetVisible(datasetIndex)) return;
      const text = format(datasetIndex);
      if (text === null) return;
      const last = [...dataset.data.keys()].reverse().find((i) => dataset.data[i] !== null && dataset.data[i] !== undefined);
      const point = last === undefined ? undefined : meta.data[last];
      if (!point) return;
      const { x, y } = point.getProps(['x', 'y'], true) as { x: number; y: number };
      const rightHalf = x > (chartArea.left + chartArea.right) / 2;
      const colour = typeof dataset.borderColor === 'string' ? dataset.borderColor : '#1f2328';
      labels.push({
        text,
        colour,
        align: rightHalf ? 'right' : 'left',
        x: rightHalf ? x - 6 : x + 6,
        y: y - 4,
        width: ctx.measureText(text).width,
      });
    });
    const ys = spreadEndLabels(labels, chartArea.top + 14);
    labels.forEach((label, i) => {
      ctx.textAlign = label.align;
      // A white halo keeps the name readable where it crosses another line's points.
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 3;
      ctx.lineJoin = 'round';
      ctx.strokeText(label.text, label.x, ys[i]!);
      ctx.fillStyle = label.colour;
      ctx.fillText(label.text, label.x, ys[i]!);
    });
    ctx.restore();
  },
};

Chart.register(
  LineController,
  BarController,
  LineElement,
  BarElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Tooltip,
  barValueLabels,
  lineEndLabels,
);

/** The options every overview chart shares: sized by its box, drawn at once, tooltips for the whole period. */
export function baseOptions(locale: Locale) {
  const rtl = locale === 'fa';
  return {
    responsive: true,
    maintainAspectRatio: false,
    // Drawn at once: figures appear without a fly-in and screenshots and tests see the final picture.
    animation: false,
    // Intl tag for chart.js's own number formatting (axis ticks): Persian digits in Persian.
    locale: locale === 'fa' ? 'fa-IR' : 'en',
    interaction: { mode: 'index', intersect: false },
    plugins: { tooltip: { rtl, textDirection: rtl ? 'rtl' : 'ltr' } },
  } as const;
}

/** The x axis of time and of the 0–10 scale runs right-to-left in Persian, as the survey page's scale does. */
export function categoryAxis(locale: Locale) {
  return { reverse: locale === 'fa', grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } } as const;
}

/** In right-to-left the value axis stands at the right, where a reader of the chart starts. */
export const valueAxisPosition = (locale: Locale) => (locale === 'fa' ? 'right' : 'left');

interface DataTable {
  head: string[];
  rows: string[][];
}

/**
 * A chart as a figure: a heading, the canvas with a one-sentence summary for screen readers, an explanation, and
 * the numbers behind it as a table (folded away, there for anyone who wants exact figures and for assistive tech).
 */
export function ChartFigure<TType extends ChartType>(props: {
  id: string;
  m: Messages;
  title: string;
  summary: string;
  config: ChartConfiguration<TType, DefaultDataPoint<TType>, string>;
  table: DataTable;
  children?: ComponentChildren;
  /** A shorter box, for charts with few categories. */
  short?: boolean;
  /** Nobody answered in the range: the figure says so instead of drawing empty axes. */
  empty?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { config } = props;

  useEffect(() => {
    if (!canvas.current || props.empty) return;
    // The canvas draws text itself: give it the page's fonts (with Persian glyphs) instead of chart.js's default.
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    // A new chart for new data or options: simpler than patching one, and cheap without animation.
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config, props.empty]);

  const reversed = config.options?.scales?.x?.reverse === true;
  return (
    <figure class="chart card" aria-labelledby={`${props.id}-title`} data-chart={props.id}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.empty ? (
        <p class="chart-empty muted" data-empty="">
          {props.m.noAnswersInRange}
        </p>
      ) : (
        <>
          <div class={`chart-box${props.short ? ' short' : ''}`}>
            <canvas ref={canvas} role="img" aria-label={props.summary} data-x-reversed={String(reversed)} />
          </div>
          {props.children}
          <details class="chart-data">
            <summary>{props.m.showData}</summary>
            {/* Wider than a phone: it scrolls in its own box, which a keyboard can focus and scroll too. */}
            <div class="table-wrap" tabIndex={0} role="region" aria-label={props.m.tableOf(props.title)}>
              <table class="data" data-table={props.id}>
                <caption class="visually-hidden">{props.title}</caption>
                <thead>
                  <tr>
                    {props.table.head.map((cell) => (
                      <th scope="col" key={cell}>
                        {cell}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {props.table.rows.map((row, index) => (
                    <tr key={index}>
                      {row.map((cell, column) =>
                        column === 0 ? (
                          <th scope="row" key={column}>
                            {cell}
                          </th>
                        ) : (
                          <td key={column}>{cell}</td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}
