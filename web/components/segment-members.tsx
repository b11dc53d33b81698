import { useEffect, useState } from 'preact/hooks';
import type { SegmentMember } from '../../shared/api/segments.js';
import type { TimelineItem } from '../../shared/api/staff.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { formatNumber } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';
import { BusyNote, Score, When } from './bits.js';
import { Modal } from './modal.js';
import { Timeline } from './timeline.js';

interface Page {
  members: SegmentMember[];
  total: number;
  nextCursor: string | null;
}

/**
 * The members of the filter, newest answer first, a page at a time ("Load more" follows the API's cursor).
 * Customers wrote the names and comments: they are put on the page as text only (Preact escapes them), each in
 * its own direction (dir=auto, bdi). A name opens the customer's timeline in a side panel.
 */
export function SegmentMembers(props: { filter: URLSearchParams; locale: Locale; m: Messages }) {
  const { filter, locale, m } = props;
  const key = filter.toString();
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<SegmentMember | null>(null);

  useEffect(() => {
    let current = true;
    setBusy(true);
    setError(null);
    api.segments.members(filter, null).then(
      (body) => current && (setPage(body), setBusy(false)),
      (caught: Error) => current && (setError(caught.message), setBusy(false)),
    );
    return () => {
      current = false;
    };
  }, [key]);

  async function loadMore() {
    if (!page?.nextCursor) return;
    setBusy(true);
    try {
      const next = await api.segments.members(filter, page.nextCursor);
      setPage({ members: [...page.members, ...next.members], total: next.total, nextCursor: next.nextCursor });
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const num = (n: number) => formatNumber(n, locale);
  return (
    <section class="card members" aria-labelledby="members-title" aria-busy={busy}>
      <div class="section-head">
        <h2 id="members-title">{m.membersTitle}</h2>
        {page && <p class="muted shown-of">{m.shownOf(num(page.members.length), num(page.total))}</p>}
      </div>
      <BusyNote m={m} busy={busy && page !== null} />
      {error ? (
        <p class="error" role="alert">
          {m.somethingWrong} {error}
        </p>
      ) : !page ? (
        <p class="status-line">{m.loading}</p>
      ) : page.members.length === 0 ? (
        <p class="empty">{m.noMembers}</p>
      ) : (
        <div class="table-wrap">
          <table class="callbacks member-table">
            <thead>
              <tr>
                <th scope="col">{m.colCustomer}</th>
                <th scope="col">{m.colContact}</th>
                <th scope="col">{m.colScore}</th>
                <th scope="col">{m.colComment}</th>
                <th scope="col">{m.colAnswered}</th>
              </tr>
            </thead>
            <tbody>
              {page.members.map((member) => (
                <tr key={member.customerId} data-customer={member.customerId}>
                  <th scope="row">
                    <button type="button" class="link-button row-link" onClick={() => setOpen(member)}>
                      <bdi>{member.name || m.unnamedCustomer}</bdi>
                    </button>
                  </th>
                  <td>
                    {member.email && (
                      <span class="sub" dir="ltr">
                        {member.email}
                      </span>
                    )}
                    {member.phone && (
                      <span class="sub" dir="ltr">
                        {member.phone}
                      </span>
                    )}
                  </td>
                  <td>
                    <Score m={m} locale={locale} score={member.score} />
                  </td>
                  <td class="comment-cell">
                    {member.comment ? (
                      <span class="clamp" dir="auto" lang={member.locale} title={member.comment}>
                        {member.comment}
                      </span>
                    ) : (
                      <span class="muted">{m.noComment}</span>
                    )}
                  </td>
                  <td>
                    <When locale={locale} at={member.answeredAt} relative={false} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page?.nextCursor && !error && (
        <p class="load-more">
          <button type="button" disabled={busy} onClick={loadMore}>
            {busy ? m.loading : m.loadMore}
          </button>
        </p>
      )}
      {open && <TimelinePanel member={open} locale={locale} m={m} onClose={() => setOpen(null)} />}
    </section>
  );
}

/** One customer's timeline beside the list (the API leaves case notes out for marketing). */
function TimelinePanel(props: { member: SegmentMember; locale: Locale; m: Messages; onClose: () => void }) {
  const { member, locale, m, onClose } = props;
  const [items, setItems] = useState<TimelineItem[] | null>(null);
  useEffect(() => {
    api.timeline(member.customerId).then(
      (body) => setItems(body.items),
      () => setItems([]),
    );
  }, [member.customerId]);
  const name = member.name || m.unnamedCustomer;
  return (
    <Modal labelledBy="panel-title" class="side-panel" onClose={onClose}>
      <div class="panel-head">
        <h2 id="panel-title">
          {m.timeline}: <bdi>{name}</bdi>
        </h2>
        <button type="button" class="close" aria-label={m.close} onClick={onClose}>
          ×
        </button>
      </div>
      {/* The answer that put them in the segment; the timeline below titles answers by score only. */}
      <p>
        <Score m={m} locale={locale} score={member.score} /> <When locale={locale} at={member.answeredAt} relative={false} />
      </p>
      {member.comment && (
        <blockquote class="comment" dir="auto" lang={member.locale}>
          {member.comment}
        </blockquote>
      )}
      <dl class="facts">
        {member.email && (
          <>
            <dt>{m.email}</dt>
            <dd dir="ltr">{member.email}</dd>
          </>
        )}
        {member.phone && (
          <>
            <dt>{m.phone}</dt>
            <dd dir="ltr">{member.phone}</dd>
          </>
        )}
        <dt>{m.customerLanguage}</dt>
        <dd>{label(m, 'locale', member.locale)}</dd>
      </dl>
      <Timeline m={m} locale={locale} items={items} />
    </Modal>
  );
}
