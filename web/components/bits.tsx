import { bucketOf, isNpsScore, NPS_MAX } from '../../shared/scoring.js';
import type { Locale } from '../../shared/locale.js';
import { formatDateTime, formatNumber, formatRelative } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';

/** The score and its group in words, so the bucket is never told by colour alone. */
export function Score(props: { m: Messages; locale: Locale; score: number | null }) {
  const { m, locale, score } = props;
  if (score === null || !isNpsScore(score)) return <span class="muted">{m.noScore}</span>;
  const bucket = bucketOf(score);
  return (
    <span class={`score bucket-${bucket}`}>
      <span class="score-number" aria-label={m.scoreOutOf(formatNumber(score, locale), formatNumber(NPS_MAX, locale))}>
        {formatNumber(score, locale)}
      </span>
      <span class="score-bucket">{label(m, 'bucket', bucket)}</span>
    </span>
  );
}

export function OverdueFlag(props: { m: Messages }) {
  return (
    <span class="flag-overdue">
      <span aria-hidden="true">⚠ </span>
      {props.m.overdue}
    </span>
  );
}

export function Status(props: { m: Messages; status: string }) {
  return <span class={`status status-${props.status}`}>{label(props.m, 'status', props.status)}</span>;
}

/** A moment as "in 5 hours" with the exact date and time next to it (Jalali in Persian). */
export function When(props: { locale: Locale; at: string; relative?: boolean }) {
  const absolute = formatDateTime(props.at, props.locale);
  if (props.relative === false) return <time dateTime={props.at}>{absolute}</time>;
  return (
    <span class="when">
      <span class="when-relative">{formatRelative(props.at, props.locale)}</span>{' '}
      <time class="when-absolute" dateTime={props.at}>
        {absolute}
      </time>
    </span>
  );
}
