import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CallbackDetail, CallbackPatch, CaseEntry, SessionBody, StaffUser, TimelineItem } from '../../shared/api/staff.js';
import { canMoveCase, isClosed, type OutcomeStatus } from '../../shared/callback-rules.js';
import { DEFAULT_LOCALE, directionOf, isLocale, type Locale } from '../../shared/locale.js';
import { outcomeMessage } from '../../shared/outcome-message.js';
import { api, type ApiError } from '../api.js';
import { Due, OverdueFlag, Score, Status, When } from '../components/bits.js';
import { Timeline } from '../components/timeline.js';
import { caseNoteText } from '../i18n/timeline-text.js';
import { formatNumber } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';
import { REASONS } from '../reasons.js';

/** Fields of the case form an API error can name; any other error is shown above the form. */
const FORM_FIELDS = ['ownerId', 'note', 'status', 'reason', 'outcome'] as const;

export function CasePage(props: { id: string; m: Messages; locale: Locale; me: StaffUser; brandName: SessionBody['brandName'] }) {
  const { id, m, locale, me, brandName } = props;
  const [detail, setDetail] = useState<CallbackDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [timeline, setTimeline] = useState<TimelineItem[] | null>(null);
  const [users, setUsers] = useState<StaffUser[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  /** The API's error per field it named; null means "left empty", said in the dashboard's own words. */
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<string, string | null>>>({});
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [closing, setClosing] = useState<OutcomeStatus | null>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('');
  const reasonSelect = useRef<HTMLSelectElement>(null);

  function loadTimeline(customerId: string) {
    api.timeline(customerId).then(
      (body) => setTimeline(body.items),
      () => setTimeline([]),
    );
  }

  useEffect(() => {
    api.callback(id).then(
      (body) => {
        setDetail(body);
        setAssignee(body.ownerId ?? '');
        loadTimeline(body.customer.id);
      },
      (caught: ApiError) => setLoadError(caught),
    );
    // The owner picker is a convenience: without the list (a role that may not read it) Claim still works.
    api.users().then(
      (body) => setUsers(body.users.filter((user) => user.role !== 'marketing')),
      () => setUsers(null),
    );
  }, [id]);

  useEffect(() => {
    if (closing) reasonSelect.current?.focus();
  }, [closing]);

  const name = detail?.customer.name ?? null;
  useEffect(() => {
    document.title = `${name ?? m.unnamedCustomer} · ${m.title}`;
  }, [name, m]);

  if (loadError) {
    return (
      <section>
        <p>
          <a href="#/callbacks">{m.backToList}</a>
        </p>
        <p class="error" role="alert">
          {loadError.status === 404 || loadError.status === 403 ? m.caseNotFound : `${m.somethingWrong} ${loadError.message}`}
        </p>
      </section>
    );
  }
  if (!detail) return <p class="status-line">{m.loading}</p>;

  const customerLocale: Locale = isLocale(detail.locale) ? detail.locale : DEFAULT_LOCALE;
  const closed = isClosed(detail.status);
  const preview = outcomeMessage(customerLocale, detail.customer.name, outcome || '…', brandName?.[customerLocale] ?? null);

  async function save(patch: CallbackPatch, after?: (updated: CallbackDetail) => void) {
    setBusy(true);
    setFlash('');
    setFormError(null);
    setFieldErrors({});
    try {
      const updated = await api.updateCallback(id, patch);
      setDetail(updated);
      setAssignee(updated.ownerId ?? '');
      loadTimeline(updated.customer.id);
      setFlash(m.saved);
      after?.(updated);
    } catch (caught) {
      const error = caught as ApiError;
      // Every field the API named (closing without reason and outcome names both), each shown next to its field.
      const named = error.fields.filter((f) => (FORM_FIELDS as readonly string[]).includes(f.field));
      if (named.length > 0) {
        // The two fields closing needs get the dashboard's own words when left empty; anything else, the API's.
        const empty = (field: string) => (field === 'reason' && !patch.reason) || (field === 'outcome' && !patch.outcome);
        setFieldErrors(Object.fromEntries(named.map((f) => [f.field, empty(f.field) ? null : f.message])));
        document.getElementById(named[0]!.field)?.focus();
      } else setFormError(`${m.somethingWrong} ${error.message}`);
    } finally {
      setBusy(false);
    }
  }

  const hasError = (field: string) => fieldErrors[field] !== undefined;
  const fieldError = (field: string) =>
    hasError(field) ? (
      <p class="field-error" id={`${field}-error`}>
        {fieldErrors[field] ?? (field === 'reason' ? m.reasonRequired : m.outcomeRequired)}
      </p>
    ) : null;
  const invalid = (field: string) => (hasError(field) ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` } : {});
  /** Editing a field the API complained about clears its error. */
  const edited = (field: string) => hasError(field) && setFieldErrors((errors) => ({ ...errors, [field]: undefined }));

  // The comment is shown above; the answer it came from is not repeated.
  const answers = Object.entries(detail.answers).filter(([, value]) => value !== detail.comment);

  return (
    <article class="case" aria-labelledby="case-title">
      <p class="back">
        <a href="#/callbacks">{m.backToList}</a>
      </p>
      <header class="case-head">
        <h1 id="case-title">
          <bdi>{detail.customer.name || m.unnamedCustomer}</bdi>
        </h1>
        <Score m={m} locale={locale} score={detail.score} />
        <Status m={m} status={detail.status} />
        {detail.overdue && <OverdueFlag m={m} />}
      </header>

      <div class="case-grid">
        <div class="case-main">
          {/* Who to call comes first: on a phone it is on the first screen, before the comment and the work. */}
          <section class="card case-contact" aria-labelledby="customer-title">
            <h2 id="customer-title">{m.customer}</h2>
            <dl class="facts">
              <dt>{m.customer}</dt>
              <dd>
                <bdi>{detail.customer.name || m.unnamedCustomer}</bdi>
              </dd>
              {detail.customer.phone && (
                <>
                  <dt>{m.phone}</dt>
                  <dd>
                    <a class="tel" href={`tel:${detail.customer.phone.replace(/[^\d+]/g, '')}`} dir="ltr">
                      {detail.customer.phone}
                    </a>
                  </dd>
                </>
              )}
              {detail.customer.email && (
                <>
                  <dt>{m.email}</dt>
                  <dd>
                    <a href={`mailto:${detail.customer.email}`} dir="ltr">
                      {detail.customer.email}
                    </a>
                  </dd>
                </>
              )}
              <dt>{m.customerLanguage}</dt>
              <dd>{m[`locale_${customerLocale}`]}</dd>
            </dl>
          </section>
          <section class="card case-feedback" aria-labelledby="feedback-title">
            <h2 id="feedback-title" class="visually-hidden">
              {m.comment}
            </h2>
            {detail.comment ? (
              <blockquote class="comment" dir="auto" lang={customerLocale}>
                {detail.comment}
              </blockquote>
            ) : (
              <p class="muted">{m.noComment}</p>
            )}
            <dl class="facts">
              <dt>{m.due}</dt>
              <dd>
                <Due m={m} locale={locale} item={detail} />
              </dd>
              <dt>{m.opened}</dt>
              <dd>
                <When locale={locale} at={detail.openedAt} relative={false} />
              </dd>
              <dt>{m.survey}</dt>
              <dd>
                {label(m, 'survey', detail.surveyId)} · {label(m, 'channel', detail.channel)}
              </dd>
              <dt>{m.owner}</dt>
              <dd>{detail.ownerName ? <bdi>{detail.ownerName}</bdi> : <span class="muted">{m.unassigned}</span>}</dd>
              {detail.reason && (
                <>
                  <dt>{m.closedReason}</dt>
                  <dd>{label(m, 'reason', detail.reason)}</dd>
                </>
              )}
            </dl>
            <h3>{m.answers}</h3>
            {answers.length === 0 ? (
              <p class="muted">{m.noAnswers}</p>
            ) : (
              <dl class="facts answers">
                {answers.map(([key, value]) => (
                  <Fragment key={key}>
                    <dt>{label(m, 'answer', key)}</dt>
                    <dd dir="auto">
                      {typeof value === 'boolean'
                        ? value
                          ? m.yes
                          : m.no
                        : typeof value === 'number'
                          ? formatNumber(value, locale)
                          : value}
                    </dd>
                  </Fragment>
                ))}
              </dl>
            )}
          </section>

          <section class="card work" aria-labelledby="work-title">
            <h2 id="work-title">{m.actions}</h2>
            <p class="flash" role="status">
              {flash}
            </p>
            {formError && (
              <p class="error" role="alert">
                {formError}
              </p>
            )}

            <div class="owner-row">
              {detail.ownerId === me.id ? (
                <p class="owned">{m.youOwnThis}</p>
              ) : (
                !closed && (
                  <button type="button" class="primary" disabled={busy} onClick={() => save({ ownerId: me.id })}>
                    {m.claim}
                  </button>
                )
              )}
              {users && users.length > 0 && !closed && (
                <form
                  class="inline"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void save({ ownerId: assignee || null });
                  }}
                >
                  <label for="assignee">{m.assignTo}</label>
                  <select id="assignee" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} {...invalid('ownerId')}>
                    <option value="">{m.noOwner}</option>
                    {users.map((user) => (
                      <option key={user.id} value={user.id}>
                        {user.name || user.email}
                      </option>
                    ))}
                  </select>
                  <button type="submit" disabled={busy || assignee === (detail.ownerId ?? '')}>
                    {m.assign}
                  </button>
                  {fieldError('ownerId')}
                </form>
              )}
            </div>

            <form
              class="note-form"
              onSubmit={(e) => {
                e.preventDefault();
                void save({ note }, () => setNote(''));
              }}
            >
              <label for="note">{m.addNoteLabel}</label>
              <textarea
                id="note"
                rows={3}
                dir="auto"
                value={note}
                onInput={(e) => {
                  setNote(e.currentTarget.value);
                  edited('note');
                }}
                {...invalid('note')}
              />
              {fieldError('note')}
              <button type="submit" disabled={busy || !note.trim()}>
                {m.addNote}
              </button>
            </form>

            {closed ? (
              <div class="status-row">
                <p class="closed-line">{m.caseClosed}</p>
                <button type="button" disabled={busy} onClick={() => save({ status: 'open' })}>
                  {m.reopen}
                </button>
                {fieldError('status')}
              </div>
            ) : (
              <div class="status-row" role="group" aria-labelledby="status-label">
                <span id="status-label" class="group-label">
                  {m.changeStatus}
                </span>
                {canMoveCase(detail.status, 'contacted') && (
                  <button type="button" disabled={busy} onClick={() => save({ status: 'contacted' })}>
                    {m.markContacted}
                  </button>
                )}
                <button type="button" disabled={busy} aria-expanded={closing === 'resolved'} onClick={() => setClosing('resolved')}>
                  {m.markResolved}
                </button>
                <button type="button" disabled={busy} aria-expanded={closing === 'unresolvable'} onClick={() => setClosing('unresolvable')}>
                  {m.markUnresolvable}
                </button>
                {fieldError('status')}
              </div>
            )}

            {closing && !closed && (
              <form
                class="close-form"
                aria-labelledby="close-title"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save(
                    { status: closing, reason: (reason || undefined) as CallbackPatch['reason'], outcome: outcome.trim() || undefined },
                    (updated) => {
                      setClosing(null);
                      setReason('');
                      setOutcome('');
                      // What happened to the customer: the outcome went out on this channel (or could not).
                      const who = updated.customer.name || m.theCustomer;
                      setFlash(
                        updated.outcomeChannel ? m.outcomeSentTo(who, m[`outcomeBy_${updated.outcomeChannel}`]) : m.outcomeNotSent(who),
                      );
                    },
                  );
                }}
              >
                <h3 id="close-title">{closing === 'resolved' ? m.closeAsResolved : m.closeAsUnresolvable}</h3>
                <label for="reason">{m.reason}</label>
                <select
                  id="reason"
                  ref={reasonSelect}
                  value={reason}
                  onChange={(e) => {
                    setReason(e.currentTarget.value);
                    edited('reason');
                  }}
                  aria-required="true"
                  {...invalid('reason')}
                >
                  <option value="">{m.chooseReason}</option>
                  {REASONS.map((value) => (
                    <option key={value} value={value}>
                      {m[`reason_${value}`]}
                    </option>
                  ))}
                </select>
                {fieldError('reason')}
                <label for="outcome">{m.outcome}</label>
                <p class="help" id="outcome-help">
                  {m.outcomeHelp} <strong>{m[`locale_${customerLocale}`]}</strong>
                </p>
                <textarea
                  id="outcome"
                  rows={4}
                  lang={customerLocale}
                  dir={directionOf(customerLocale)}
                  value={outcome}
                  onInput={(e) => {
                    setOutcome(e.currentTarget.value);
                    edited('outcome');
                  }}
                  aria-required="true"
                  aria-describedby={hasError('outcome') ? 'outcome-error outcome-help' : 'outcome-help'}
                  aria-invalid={hasError('outcome') ? true : undefined}
                />
                {fieldError('outcome')}
                <figure class="preview" lang={customerLocale} dir={directionOf(customerLocale)}>
                  <figcaption lang={locale} dir={directionOf(locale)}>
                    {m.preview}
                  </figcaption>
                  <p class="preview-subject">
                    <span class="preview-label" lang={locale} dir={directionOf(locale)}>
                      {m.subject}:
                    </span>{' '}
                    <bdi>{preview.subject}</bdi>
                  </p>
                  <div class="preview-text" data-testid="outcome-preview">
                    {preview.text}
                  </div>
                </figure>
                <div class="buttons">
                  <button type="submit" class="primary" disabled={busy}>
                    {busy ? m.saving : m.closeAndSend}
                  </button>
                  <button type="button" onClick={() => setClosing(null)}>
                    {m.cancel}
                  </button>
                </div>
              </form>
            )}
          </section>

          <section class="card case-audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{m.auditTrail}</h2>
            <AuditTrail m={m} locale={locale} entries={detail.history} />
          </section>
        </div>

        <div class="case-side">
          <section class="card case-timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{m.timeline}</h2>
            <Timeline m={m} locale={locale} items={timeline} />
          </section>
        </div>
      </div>
    </article>
  );
}

function AuditTrail(props: { m: Messages; locale: Locale; entries: CaseEntry[] }) {
  const { m, locale, entries } = props;
  if (entries.length === 0) return <p class="muted">{m.nothingYet}</p>;
  return (
    <ol class="trail">
      {entries.map((entry, index) => (
        <li key={index}>
          <div class="trail-meta">
            <When locale={locale} at={entry.at} relative={false} /> · <span class="kind">{label(m, 'entry', entry.kind)}</span>
            {entry.toStatus && (
              <>
                {' · '}
                {entry.fromStatus && (
                  <>
                    <Status m={m} status={entry.fromStatus} /> <span aria-hidden="true">{locale === 'fa' ? '←' : '→'}</span>{' '}
                  </>
                )}
                <Status m={m} status={entry.toStatus} />
              </>
            )}
            {' · '}
            <bdi class="actor">{entry.actor ? m.byActor(entry.actor) : m.system}</bdi>
          </div>
          {entry.note && (
            <p class="note" dir="auto">
              {caseNoteText(m, locale, entry.note)}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
