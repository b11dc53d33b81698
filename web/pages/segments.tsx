import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FilterOptionsBody } from '../../shared/api/metrics.js';
import type { SavedSegment, SegmentDetailBody } from '../../shared/api/segments.js';
import type { Locale } from '../../shared/locale.js';
import { api, type ApiError, exportHref } from '../api.js';
import { SavedSegments } from '../components/saved-segments.js';
import { SegmentActions } from '../components/segment-actions.js';
import { SegmentBuilder } from '../components/segment-builder.js';
import { SegmentMembers } from '../components/segment-members.js';
import { useDebounced } from '../hooks.js';
import { formatNumber } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';
import { navigate } from '../router.js';
import {
  fromFilter,
  parseSegmentQuery,
  sameSegment,
  segmentHash,
  segmentParams,
  toFilterInput,
  type SegmentView,
} from '../segment-query.js';

/** Filters settle this long before the count and the members are asked again: one request per pause, not per key. */
const DEBOUNCE_MS = 300;
/** While messages wait in the queue their results are re-read this often; afterwards, clicks trickle in slower. */
const SENDING_REFRESH_MS = 1000;
const IDLE_REFRESH_MS = 15_000;

/**
 * Segments (#/segments?<filter> and #/segments/{id}?<filter> for a saved one): marketing builds a segment of
 * customers by how they answered, sees its live count and members, saves it, exports it and sends it a referral
 * invitation or a review request. The filter lives in the address, so a segment can be shared before it is saved.
 */
export function SegmentsPage(props: { m: Messages; locale: Locale; savedId: string | null; query: URLSearchParams }) {
  const { m, locale, savedId, query } = props;
  const queryText = query.toString();
  const view = useMemo(() => parseSegmentQuery(query), [queryText]);
  const hash = segmentHash(view, savedId ?? undefined);
  const apiFilter = segmentParams(view, true).toString();
  const settled = useDebounced(apiFilter, DEBOUNCE_MS);
  const filter = useMemo(() => new URLSearchParams(settled), [settled]);

  const [options, setOptions] = useState<FilterOptionsBody | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [reachable, setReachable] = useState<number | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedSegment[] | null>(null);
  const [listVersion, setListVersion] = useState(0);
  const [detail, setDetail] = useState<SegmentDetailBody | null>(null);
  const [gone, setGone] = useState(false);
  const [detailVersion, setDetailVersion] = useState(0);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const change = (next: SegmentView) => navigate(segmentHash(next, savedId ?? undefined), true);

  useEffect(() => {
    document.title = `${m.segmentsTitle} · ${m.title}`;
  }, [m]);
  // The address always names the view in one canonical form, so the same segment is the same link.
  useEffect(() => {
    const current = `#/segments${savedId ? `/${encodeURIComponent(savedId)}` : ''}${queryText ? `?${queryText}` : ''}`;
    if (current !== hash && !(savedId && !queryText)) navigate(hash, true);
  }, [hash, queryText, savedId]);

  useEffect(() => {
    // Without the options the builder still works with what the address holds.
    api.metrics.filters().then(setOptions, () => setOptions(null));
  }, []);

  useEffect(() => {
    let current = true;
    setCountError(null);
    api.segments.count(filter).then(
      (body) => {
        if (!current) return;
        setCount(body.count);
        setReachable(body.reachable);
      },
      (caught: Error) => current && setCountError(caught.message),
    );
    return () => {
      current = false;
    };
  }, [settled, listVersion]);

  useEffect(() => {
    api.segments.list().then(
      (body) => setSaved(body.items),
      () => setSaved([]),
    );
  }, [listVersion]);

  useEffect(() => {
    if (!savedId) {
      setDetail(null);
      setGone(false);
      return;
    }
    let current = true;
    api.segments.get(savedId).then(
      (body) => {
        if (!current) return;
        setDetail(body);
        setGone(false);
        // Opened by its bare address: the builder shows the saved filters.
        if (!queryText) navigate(segmentHash(fromFilter(body.filter), body.id), true);
      },
      (caught: ApiError) => {
        if (!current) return;
        setDetail(null);
        setGone(caught.status === 404);
      },
    );
    return () => {
      current = false;
    };
  }, [savedId, detailVersion]);

  // Results follow the messages: quickly while some wait in the queue, slowly for the clicks afterwards.
  const sending = !!detail?.actions.some((action) => action.counts.queued > 0);
  useEffect(() => {
    if (!detail) return;
    const timer = setTimeout(() => setDetailVersion((n) => n + 1), sending ? SENDING_REFRESH_MS : IDLE_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [detail, sending]);

  const dirty = !!detail && !sameSegment(view, fromFilter(detail.filter));
  const stale = settled !== apiFilter || count === null;

  async function remove(segment: SavedSegment) {
    if (!confirm(m.confirmDelete(segment.name))) return;
    setRemoveError(null);
    try {
      await api.segments.remove(segment.id);
      // Its filters stay in the builder, now as an unsaved segment.
      if (segment.id === savedId) navigate(segmentHash(view), true);
    } catch (caught) {
      setRemoveError((caught as Error).message);
    }
    setListVersion((n) => n + 1);
  }

  return (
    <section class="segments" aria-labelledby="segments-title">
      <div class="page-head">
        <h1 id="segments-title">{m.segmentsTitle}</h1>
        <p class="muted">{m.segmentsHelp}</p>
      </div>
      {gone && (
        <p class="error" role="alert">
          {m.segmentGone}
        </p>
      )}
      <div class="segments-grid">
        <div class="segments-main">
          <SegmentBuilder view={view} options={options} m={m} locale={locale} onChange={change} />
          <div class="card segment-summary">
            <p class="segment-count" aria-live="polite" aria-busy={stale} data-count={stale ? undefined : count}>
              {countError ? <span class="error">{countError}</span> : count === null ? m.counting : m.memberCount(count)}
              {!countError && count !== null && reachable !== null && reachable < count && (
                <span class="segment-reachable"> · {m.reachableCount(formatNumber(reachable, locale))}</span>
              )}
            </p>
            <SaveForm
              view={view}
              detail={detail}
              dirty={dirty}
              m={m}
              onSaved={(segment, created) => {
                setListVersion((n) => n + 1);
                if (created) navigate(segmentHash(view, segment.id), true);
                else setDetailVersion((n) => n + 1);
              }}
            />
            <div class="exports" role="group" aria-labelledby="export-title">
              <span id="export-title" class="group-label">
                {m.exportTitle}
              </span>
              <a class="button" href={exportHref(new URLSearchParams(apiFilter), 'csv')} download="" data-export="csv">
                {m.exportCsv}
              </a>
              <a class="button" href={exportHref(new URLSearchParams(apiFilter), 'json')} download="" data-export="json">
                {m.exportJson}
              </a>
            </div>
          </div>
          <SegmentActions segment={detail} dirty={dirty} locale={locale} m={m} onSent={() => setDetailVersion((n) => n + 1)} />
          <SegmentMembers filter={filter} locale={locale} m={m} />
        </div>
        <aside class="segments-side">
          {removeError && (
            <p class="error" role="alert">
              {m.somethingWrong} {removeError}
            </p>
          )}
          <SavedSegments items={saved} currentId={savedId} locale={locale} m={m} onDelete={remove} />
        </aside>
      </div>
    </section>
  );
}

/** Saves the builder as a new named segment, or (a saved one open and changed) saves the changes into it. */
function SaveForm(props: {
  view: SegmentView;
  detail: SegmentDetailBody | null;
  dirty: boolean;
  m: Messages;
  onSaved: (segment: SavedSegment, created: boolean) => void;
}) {
  const { view, detail, dirty, m } = props;
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function save(asNew: boolean) {
    setBusy(true);
    setError(null);
    try {
      const filter = toFilterInput(view);
      const segment =
        asNew || !detail ? await api.segments.create({ name: name.trim(), filter }) : await api.segments.update(detail.id, { filter });
      if (asNew) setName('');
      props.onSaved(segment, asNew || !detail);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  }

  const nameError = error?.field === 'name';
  return (
    <form
      class="save-form"
      aria-labelledby="save-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save(true);
      }}
    >
      <h2 id="save-title" class="visually-hidden">
        {m.saveTitle}
      </h2>
      {detail && dirty && (
        <p class="dirty">
          <span class="muted">{m.unsavedChanges}</span>{' '}
          <button type="button" class="primary" disabled={busy} onClick={() => save(false)}>
            {m.saveChanges(detail.name)}
          </button>
        </p>
      )}
      <div class="inline">
        <label for="segment-name">{m.segmentName}</label>
        <input
          id="segment-name"
          value={name}
          maxLength={120}
          dir="auto"
          required
          aria-invalid={nameError || undefined}
          aria-describedby={nameError ? 'segment-name-error' : undefined}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || !name.trim()}>
          {m.saveAsNew}
        </button>
      </div>
      {error && (
        <p class={nameError ? 'field-error' : 'error'} id={nameError ? 'segment-name-error' : undefined} role="alert">
          {nameError ? error.message : `${m.somethingWrong} ${error.message}`}
        </p>
      )}
    </form>
  );
}
