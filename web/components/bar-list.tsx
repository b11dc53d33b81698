import type { ComponentChildren } from 'preact';

interface BarRow {
  key: string;
  name: ComponentChildren;
  value: number;
  /** The figure shown after the bar, already formatted. */
  shown: string;
  /** A class for the row, e.g. the score group whose colour its bar takes. */
  tone?: string;
}

/**
 * Rows of name, bar and figure: a ranked list or a funnel in plain HTML, readable without the canvas. The bars'
 * lengths are relative to `max` and set through the DOM (style properties, which the page's CSP allows).
 */
export function BarList(props: { rows: BarRow[]; max: number; label: string; class?: string }) {
  return (
    <ol class={`bar-list ${props.class ?? ''}`} aria-label={props.label}>
      {props.rows.map((row) => (
        <li key={row.key} class={row.tone}>
          <span class="bar-name">{row.name}</span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: `${props.max > 0 ? Math.min(100, (row.value / props.max) * 100) : 0}%` }} />
          </span>
          <span class="bar-figure">{row.shown}</span>
        </li>
      ))}
    </ol>
  );
}
