import { bucketOf, isNpsScore, NPS_MAX } from '../../shared/scoring.js';
import { awaitsContact, type CaseStatus } from '../../shared/callback-rules.js';
import type { Locale } from '../../shared/locale.js';
import { formatDateTime, formatNumber, formatRelative } from '../i18n/format.js';
import type { ComponentChildren } from 'preact';
import { label, type Messages } from '../i18n/messages.js';

/** The score and its group in words, so the bucket is never told by colour alone. */
export function Score(props: { m: Messages; locale: Locale; score: number | null }) {
  const { m, locale, score } = props;
  if (score === null || !isNpsScore(score)) return <span class="muted">{m.noScore}</span>;
  const bucket = bucketOf(score);
  return (
    <span class={`score bucket-${bucket}`}>
      {/* A plain span may not carry an aria-label (screen readers skip it): the "3 of 10" is hidden text instead. */}
      <span class="score-number">
        <span aria-hidden="true">{formatNumber(score, locale)}</span>
        <span class="visually-hidden">{m.scoreOutOf(formatNumber(score, locale), formatNumber(NPS_MAX, locale))}</span>
      </span>
      <span class="score-bucket">{label(m, 'bucket', bucket)}</span>
    </span>
  );
}

/**
 * Said while a list loads for a new filter: the old rows stay (dimmed, the list aria-busy) but cannot pass for the
 * new ones.
 */
export function BusyNote(props: { m: Messages; busy: boolean }) {
  return props.busy ? (
    <p class="busy-note" data-busy-note="">
      {props.m.updating}
    </p>
  ) : null;
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

/**
 * A case's deadline. Only an open case is still racing it: the time left counted (the caller flags it overdue).
 * Once the customer has been contacted (or the case closed) the deadline is history: shown plainly, marked no
 * longer urgent.
 */
export function Due(props: { m: Messages; locale: Locale; item: { status: CaseStatus; dueAt: string } }) {
  const { m, locale, item } = props;
  if (!awaitsContact(item.status)) {
    return (
      <span class="when due-settled" data-settled="">
        <time class="when-absolute" dateTime={item.dueAt}>
          {formatDateTime(item.dueAt, locale)}
        </time>{' '}
        <span class="muted">({m.settledDue})</span>
      </span>
    );
  }
  return <When locale={locale} at={item.dueAt} />;
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

/** A table wider than a phone scrolls in its own box: focusable and named, so a keyboard can scroll it too. */
export function TableScroll(props: { m: Messages; title: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={props.m.tableOf(props.title)}>
      {props.children}
    </div>
  );
}
