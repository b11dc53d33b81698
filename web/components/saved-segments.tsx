import type { SavedSegment } from '../../shared/api/segments.js';
import type { Locale } from '../../shared/locale.js';
import type { Messages } from '../i18n/messages.js';
import { fromFilter, segmentHash } from '../segment-query.js';

/** The saved segments by name, each with its live member count; a link opens one in the builder. */
export function SavedSegments(props: {
  items: SavedSegment[] | null;
  currentId: string | null;
  locale: Locale;
  m: Messages;
  onDelete: (segment: SavedSegment) => void;
}) {
  const { items, currentId, m } = props;
  return (
    <section class="card saved-segments" aria-labelledby="saved-title">
      <div class="section-head">
        <h2 id="saved-title">{m.savedTitle}</h2>
        <a href="#/segments">{m.newSegment}</a>
      </div>
      {!items ? (
        <p class="status-line">{m.loading}</p>
      ) : items.length === 0 ? (
        <p class="muted">{m.noSaved}</p>
      ) : (
        <ul class="saved-list">
          {items.map((segment) => (
            <li key={segment.id} data-segment={segment.id}>
              <a href={segmentHash(fromFilter(segment.filter), segment.id)} aria-current={segment.id === currentId ? 'page' : undefined}>
                <bdi>{segment.name}</bdi>
              </a>
              <span class="saved-count">{m.memberCount(segment.memberCount)}</span>
              <button type="button" class="link-button" aria-label={m.deleteNamed(segment.name)} onClick={() => props.onDelete(segment)}>
                {m.deleteSegment}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
