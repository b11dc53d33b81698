import type { TimelineItem } from '../../shared/api/staff.js';
import type { Locale } from '../../shared/locale.js';
import { label, type Messages } from '../i18n/messages.js';
import { timelineText } from '../i18n/timeline-text.js';
import { Status, When } from './bits.js';

/**
 * A customer's timeline, oldest first: events, surveys sent, answers, cases and their entries, in the dashboard's
 * language (the API's English titles are for API readers). Ids from outside and notes stay as written, isolated so
 * a Latin id or an English note keeps its order inside Persian text. Used by the case view and the Segments page;
 * for a role that may not read case notes the API leaves the notes out.
 */
export function Timeline(props: { m: Messages; locale: Locale; items: TimelineItem[] | null }) {
  const { m, locale, items } = props;
  if (!items) return <p class="status-line">{m.loading}</p>;
  if (items.length === 0) return <p class="muted">{m.nothingYet}</p>;
  return (
    <ol class="timeline">
      {items.map((item, index) => {
        const entry = timelineText(m, locale, item);
        return (
          <li key={index} class={`tl-${item.kind}`}>
            <div class="trail-meta">
              <When locale={locale} at={item.at} relative={false} /> · <span class="kind">{label(m, 'kind', item.kind)}</span>
            </div>
            {item.kind === 'case' && typeof item.detail.status === 'string' ? (
              <p>
                <Status m={m} status={item.detail.status} />
              </p>
            ) : (
              <p class="tl-text">
                {entry.text}
                {entry.id && (
                  <>
                    {' '}
                    <bdi class="external-id">{entry.id}</bdi>
                  </>
                )}
              </p>
            )}
            {entry.note && (
              <p class="note" dir="auto">
                {entry.note}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
