import { useEffect, useState } from 'preact/hooks';
import type { CommentItem } from '../../shared/api/metrics.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { useDebounced } from '../hooks.js';
import { formatDateTime } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';
import { caseHref } from '../router.js';
import { BusyNote, Score } from './bits.js';

const LIMIT = 20;
/** Typing pauses this long before the search is asked: one request per word, not per key. */
const DEBOUNCE_MS = 300;

/**
 * The latest comments under the page's filters, newest first, with a search; on the themes page, those of one theme
 * (`theme`: its id and its name for the heading). Customers wrote these: they are put on the page as text nodes
 * only (Preact escapes them), with their own direction (dir=auto) whatever the page's.
 */
export function Comments(props: {
  filters: URLSearchParams;
  locale: Locale;
  m: Messages;
  canOpenCases: boolean;
  theme?: { id: string; name: string };
}) {
  const { filters, locale, m, canOpenCases, theme } = props;
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed.trim(), DEBOUNCE_MS);
  const [items, setItems] = useState<CommentItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const filterKey = filters.toString();

  useEffect(() => {
    let current = true;
    setError(null);
    setBusy(true);
    api.metrics.comments(filters, search, LIMIT, theme?.id).then(
      (body) => current && (setItems(body.items), setBusy(false)),
      (caught: Error) => current && (setError(caught.message), setBusy(false)),
    );
    return () => {
      current = false;
    };
  }, [filterKey, search, theme?.id]);

  return (
    <section class="card comments" aria-labelledby="comments-title" aria-busy={busy} data-theme={theme?.id}>
      <div class="section-head">
        <h2 id="comments-title">{theme ? m.themeComments(theme.name) : m.latestComments}</h2>
        <div class="field">
          <label for="comment-search">{m.searchComments}</label>
          <input
            id="comment-search"
            type="search"
            value={typed}
            placeholder={m.searchCommentsPlaceholder}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </div>
      </div>
      {error ? (
        <p class="error" role="alert">
          {m.somethingWrong} {error}
        </p>
      ) : !items ? (
        <p class="status-line">{m.loading}</p>
      ) : (
        <>
          <BusyNote m={m} busy={busy} />
          <p class="visually-hidden" aria-live="polite">
            {m.commentCount(items.length)}
          </p>
          {items.length === 0 ? (
            <p class="muted">{search ? m.noCommentsMatch : m.noCommentsYet}</p>
          ) : (
            <ul class="comment-list">
              {items.map((item) => (
                <li key={item.responseId} data-response={item.responseId}>
                  <div class="comment-meta">
                    <Score m={m} locale={locale} score={item.score} />
                    <bdi class="comment-name">{item.customerName || m.unnamedCustomer}</bdi>
                    {/* Apart by the flex gap, not a middle dot: next to Persian digits a dot reads as a zero (۰). */}
                    <span class="muted">{label(m, 'survey', item.surveyId)}</span>
                    <time class="muted" dateTime={item.answeredAt}>
                      {formatDateTime(item.answeredAt, locale)}
                    </time>
                    {/* A detractor's comment opened a case: straight to it, for those who work cases. */}
                    {canOpenCases && item.caseId && (
                      <a class="comment-case" href={caseHref(item.caseId)}>
                        {m.openCase}
                      </a>
                    )}
                  </div>
                  <p class="comment-text" dir="auto">
                    {item.comment}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
