import type { TimelineItem } from '../../shared/api/staff.js';
import type { Locale } from '../../shared/locale.js';
import { label, type Messages } from '../i18n/messages.js';
import { Status, When } from './bits.js';

/**
 * A customer's timeline, oldest first: events, surveys sent, answers, cases and their entries. Used by the case
 * view and the Segments page; for a role that may not read case notes the API leaves the notes out.
 */
export function Timeline(props: { m: Messages; locale: Locale; items: TimelineItem[] | null }) {
  const { m, locale, items } = props;
  if (!items) return <p class="status-line">{m.loading}</p>;
  if (items.length === 0) return <p class="muted">{m.nothingYet}</p>;
  return (
    <ol class="timeline">
      {items.map((item, index) => (
        <li key={index} class={`tl-${item.kind}`}>
          <div class="trail-meta">
            <When locale={locale} at={item.at} relative={false} /> · <span class="kind">{label(m, 'kind', item.kind)}</span>
          </div>
          {item.kind === 'case' && typeof item.detail.status === 'string' ? (
            <p>
              <Status m={m} status={item.detail.status} />
            </p>
          ) : (
            <p dir="auto">{item.title}</p>
          )}
          {typeof item.detail.note === 'string' && item.detail.note && (
            <p class="note" dir="auto">
              {item.detail.note}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
