import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CallbackItem, StaffUser } from '../../shared/api/staff.js';
import { CASE_STATUSES } from '../../shared/callback-rules.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { BusyNote, Due, OverdueFlag, Score, Status } from '../components/bits.js';
import type { Messages } from '../i18n/messages.js';
import { caseHref, navigate } from '../router.js';
import { shortcutOf } from '../shortcuts.js';

/** "active" (no status asked) is what the API lists by default: open and contacted cases, the work still to do. */
const STATUS_CHOICES = ['active', ...CASE_STATUSES] as const;
const OWNER_CHOICES = ['all', 'me', 'none'] as const;
const EXCERPT = 90;
const REFRESH_MS = 60_000;

/** The case last opened from the list: selected again on return, so j/k continue where they were. */
let lastOpened: string | null = null;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1).trimEnd()}…` : flat;
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName));
}

export function CallbacksPage(props: { m: Messages; locale: Locale; me: StaffUser; query: URLSearchParams }) {
  const { m, locale, query } = props;
  const status = (STATUS_CHOICES as readonly string[]).includes(query.get('status') ?? 'active')
    ? (query.get('status') ?? 'active')
    : 'active';
  const owner = (OWNER_CHOICES as readonly string[]).includes(query.get('owner') ?? '') ? query.get('owner')! : 'all';
  const overdueOnly = query.get('overdue') === '1';
  const newest = query.get('sort') === 'newest';
  const text = query.get('q') ?? '';

  const [items, setItems] = useState<CallbackItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reload, setReload] = useState(0);
  const [selected, setSelected] = useState<string | null>(lastOpened);
  const tableBody = useRef<HTMLTableSectionElement>(null);
  const search = useRef<HTMLInputElement>(null);

  function setParam(name: string, value: string | null) {
    const next = new URLSearchParams(query);
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
    const text = next.toString();
    navigate(`#/callbacks${text ? `?${text}` : ''}`, true);
  }

  useEffect(() => {
    document.title = `${m.callbacksTitle} · ${m.title}`;
  }, [m]);

  useEffect(() => {
    let current = true;
    setError(null);
    setLoading(true);
    api
      .callbacks({ status: status === 'active' ? undefined : status, owner: owner === 'all' ? undefined : owner, overdue: overdueOnly })
      .then(
        (body) => current && (setItems(body.items), setLoading(false)),
        (caught: Error) => current && (setError(caught.message), setLoading(false)),
      );
    const timer = setTimeout(() => setReload((n) => n + 1), REFRESH_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [status, owner, overdueOnly, reload]);

  const shown = useMemo(() => {
    if (!items) return [];
    const needle = text.trim().toLocaleLowerCase();
    const matching = needle
      ? items.filter((item) =>
          [item.customer.name, item.customer.email, item.comment].some((field) => field?.toLocaleLowerCase().includes(needle)),
        )
      : items;
    return newest ? [...matching].sort((a, b) => b.openedAt.localeCompare(a.openedAt)) : matching;
  }, [items, text, newest]);

  // What the key handler reads: registered once, it must not see a list or selection from an earlier render.
  const live = useRef({ shown, selected });
  live.current = { shown, selected };

  function focusRow(index: number) {
    const item = live.current.shown[index];
    if (!item) return;
    live.current.selected = item.id;
    setSelected(item.id);
    tableBody.current?.querySelectorAll<HTMLAnchorElement>('a.row-link')[index]?.focus();
  }

  // Back from a case: the case opened last is focused again.
  useEffect(() => {
    if (!items || !lastOpened) return;
    const index = shown.findIndex((item) => item.id === lastOpened);
    lastOpened = null;
    if (index >= 0) focusRow(index);
  }, [items]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      if (isTyping(event.target)) {
        // Escape leaves a filter control, so j/k work again without reaching for the mouse.
        if (shortcut === 'leave') (event.target as HTMLElement).blur();
        return;
      }
      const { shown, selected } = live.current;
      const index = shown.findIndex((item) => item.id === selected);
      if (shortcut === 'next' || shortcut === 'previous') {
        event.preventDefault();
        focusRow(index < 0 ? 0 : Math.max(0, Math.min(shown.length - 1, index + (shortcut === 'next' ? 1 : -1))));
      } else if (shortcut === 'search') {
        event.preventDefault();
        search.current?.focus();
        search.current?.select();
      } else if (
        shortcut === 'open' &&
        index >= 0 &&
        !(event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement)
      ) {
        event.preventDefault();
        open(shown[index]!.id);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  function open(id: string) {
    lastOpened = id;
    navigate(caseHref(id));
  }

  return (
    <section aria-labelledby="callbacks-title" aria-busy={loading} class="callback-list">
      <div class="page-head">
        <h1 id="callbacks-title">{m.callbacksTitle}</h1>
        {items && (
          <p class="muted" aria-live="polite">
            {m.caseCount(shown.length)}
          </p>
        )}
      </div>

      <form class="filters" role="search" aria-label={m.filters} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="f-text">{m.filterText}</label>
          <input
            id="f-text"
            ref={search}
            type="search"
            placeholder={m.filterTextPlaceholder}
            value={text}
            aria-keyshortcuts="/"
            onInput={(e) => setParam('q', e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="f-status">{m.filterStatus}</label>
          <select
            id="f-status"
            value={status}
            onChange={(e) => setParam('status', e.currentTarget.value === 'active' ? null : e.currentTarget.value)}
          >
            {STATUS_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 'active' ? m.statusActive : m[`status_${choice}`]}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="radios">
          <legend>{m.filterOwner}</legend>
          <div class="radio-row">
            {OWNER_CHOICES.map((choice) => (
              <label key={choice}>
                <input
                  type="radio"
                  name="owner"
                  value={choice}
                  checked={owner === choice}
                  onChange={() => setParam('owner', choice === 'all' ? null : choice)}
                />
                {choice === 'all' ? m.ownerAll : choice === 'me' ? m.ownerMe : m.ownerNone}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field check">
          <label>
            <input type="checkbox" checked={overdueOnly} onChange={(e) => setParam('overdue', e.currentTarget.checked ? '1' : null)} />
            {m.overdueOnly}
          </label>
        </div>
        <div class="field">
          <label for="f-sort">{m.sortLabel}</label>
          <select
            id="f-sort"
            value={newest ? 'newest' : 'due'}
            onChange={(e) => setParam('sort', e.currentTarget.value === 'newest' ? 'newest' : null)}
          >
            <option value="due">{m.sortDue}</option>
            <option value="newest">{m.sortNewest}</option>
          </select>
        </div>
      </form>
      <p class="hint muted">{m.keyboardHint}</p>
      <BusyNote m={m} busy={loading && items !== null} />

      {error ? (
        <p class="error" role="alert">
          {m.somethingWrong} {error}{' '}
          <button type="button" class="link-button" onClick={() => setReload((n) => n + 1)}>
            {m.retry}
          </button>
        </p>
      ) : !items ? (
        <p class="status-line">{m.loading}</p>
      ) : shown.length === 0 ? (
        <p class="empty">{m.noCallbacks}</p>
      ) : (
        <div class="table-wrap">
          <table class="callbacks case-list">
            <thead>
              <tr>
                <th scope="col">{m.colCustomer}</th>
                <th scope="col">{m.colScore}</th>
                <th scope="col">{m.colComment}</th>
                <th scope="col">{m.colDue}</th>
                <th scope="col">{m.colOwner}</th>
                <th scope="col">{m.colStatus}</th>
              </tr>
            </thead>
            <tbody ref={tableBody}>
              {shown.map((item) => (
                <tr
                  key={item.id}
                  data-case={item.id}
                  class={`${item.overdue ? 'overdue' : ''} ${item.id === selected ? 'selected' : ''}`}
                  onClick={(e) => {
                    if (!(e.target instanceof HTMLAnchorElement)) open(item.id);
                  }}
                >
                  <th scope="row">
                    <a
                      class="row-link"
                      href={caseHref(item.id)}
                      onFocus={() => setSelected(item.id)}
                      onClick={() => (lastOpened = item.id)}
                    >
                      <bdi>{item.customer.name || m.unnamedCustomer}</bdi>
                    </a>
                    {item.customer.email && (
                      <span class="sub" dir="ltr">
                        {item.customer.email}
                      </span>
                    )}
                  </th>
                  <td class="cell-score">
                    <Score m={m} locale={locale} score={item.score} />
                  </td>
                  <td class="comment-cell">
                    {item.comment ? (
                      <span dir="auto" title={item.comment}>
                        {excerpt(item.comment)}
                      </span>
                    ) : (
                      <span class="muted">{m.noComment}</span>
                    )}
                  </td>
                  <td class="cell-due" data-label={m.colDue}>
                    {item.overdue && <OverdueFlag m={m} />}
                    <Due m={m} locale={locale} item={item} />
                  </td>
                  <td class="cell-owner" data-label={m.colOwner}>
                    {item.ownerName ? <bdi>{item.ownerName}</bdi> : <span class="muted">{m.unassigned}</span>}
                  </td>
                  <td class="cell-status">
                    <Status m={m} status={item.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
