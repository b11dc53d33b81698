import { useEffect, useState } from 'preact/hooks';
import type {
  ActionCounts,
  ActionInput,
  ActionKind,
  MessageTemplate,
  SegmentAction,
  SegmentDetailBody,
} from '../../shared/api/segments.js';
import { directionOf, LOCALES, type Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { formatNumber } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';
import { ACTION_CHANNELS, fromFilter, segmentParams } from '../segment-query.js';
import { When } from './bits.js';
import { Modal } from './modal.js';

const COUNTS = ['planned', 'skipped', 'queued', 'sent', 'failed', 'clicked'] as const satisfies readonly (keyof ActionCounts)[];

/**
 * Who a message goes to, as the server decides it (shared/api/segments.ts, ActionAudience): a referral goes to the
 * segment; a review request to everyone who answered under the segment's other filters, whatever their score,
 * because review sites forbid asking only happy customers ("review gating").
 */
function audienceFilter(segment: SegmentDetailBody, kind: ActionKind): URLSearchParams {
  const view = fromFilter(segment.filter);
  return segmentParams(kind === 'review_request' ? { ...view, buckets: [] } : view, true);
}

/**
 * Referral invitations and review requests for a saved segment: the buttons, the confirmation (audience size,
 * review gating, the message in each language) and the results of what was sent, which the page keeps fresh.
 * Actions need the segment saved as shown, so their results stay attached to a definition that does not move.
 */
export function SegmentActions(props: {
  segment: SegmentDetailBody | null;
  dirty: boolean;
  locale: Locale;
  m: Messages;
  onSent: () => void;
}) {
  const { segment, dirty, locale, m } = props;
  const [kind, setKind] = useState<ActionKind | null>(null);
  const [flash, setFlash] = useState('');
  const blocked = !segment ? m.saveToAct : dirty ? m.saveChangesToAct : null;
  return (
    <section class="card segment-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{m.actionsTitle}</h2>
      {blocked && <p class="help">{blocked}</p>}
      <div class="buttons">
        <button type="button" disabled={!!blocked} data-action="referral" onClick={() => setKind('referral')}>
          {m.sendReferral}
        </button>
        <button type="button" disabled={!!blocked} data-action="review_request" onClick={() => setKind('review_request')}>
          {m.sendReview}
        </button>
      </div>
      <p class="flash" role="status">
        {flash}
      </p>
      {segment && kind && (
        <ActionDialog
          segment={segment}
          kind={kind}
          locale={locale}
          m={m}
          onClose={() => setKind(null)}
          onSent={() => {
            setKind(null);
            setFlash(m.sendStarted);
            props.onSent();
          }}
        />
      )}
      {segment && <ActionResults actions={segment.actions} locale={locale} m={m} />}
    </section>
  );
}

function ActionDialog(props: {
  segment: SegmentDetailBody;
  kind: ActionKind;
  locale: Locale;
  m: Messages;
  onClose: () => void;
  onSent: () => void;
}) {
  const { segment, kind, locale, m } = props;
  const [channel, setChannel] = useState<ActionInput['channel']>('email');
  const [audience, setAudience] = useState<number | null>(null);
  const [template, setTemplate] = useState<MessageTemplate | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gated = kind === 'review_request';

  useEffect(() => {
    api.segments.count(audienceFilter(segment, kind)).then(
      (body) => setAudience(body.count),
      (caught: Error) => setError(caught.message),
    );
    api.segments.templates().then(
      (body) => setTemplate(body.items.find((item) => item.kind === kind) ?? null),
      // The preview helps but is not needed to send.
      () => setTemplate(null),
    );
  }, [segment.id, kind]);

  async function send() {
    setBusy(true);
    setError(null);
    try {
      await api.segments.act(segment.id, { kind, channel });
      props.onSent();
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  }

  return (
    <Modal labelledBy="action-title" class="action-dialog" onClose={props.onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <h2 id="action-title">
          {label(m, 'action', kind)}: <bdi>{segment.name}</bdi>
        </h2>
        <fieldset class="radios">
          <legend>{m.sendBy}</legend>
          <div class="radio-row">
            {ACTION_CHANNELS.map((value) => (
              <label key={value}>
                <input type="radio" name="action-channel" value={value} checked={channel === value} onChange={() => setChannel(value)} />
                {label(m, 'channel', value)}
              </label>
            ))}
          </div>
        </fieldset>
        <dl class="facts audience" data-audience={gated ? 'all_answered' : 'segment'}>
          <dt>{m.audience}</dt>
          <dd>
            <strong>{m[gated ? 'audience_all_answered' : 'audience_segment']}</strong>:{' '}
            <span class="audience-size">{audience === null ? '…' : m.audienceSize(audience)}</span>
          </dd>
        </dl>
        {gated && (
          <div class="gating" role="note" aria-labelledby="gating-title">
            <h3 id="gating-title">{m.reviewGatingTitle}</h3>
            <p>{m.reviewGating}</p>
          </div>
        )}
        <p class="help">{m.skipRules}</p>
        {template && <TemplatePreview template={template} channel={channel} locale={locale} m={m} />}
        {error && (
          <p class="error" role="alert">
            {m.somethingWrong} {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy || audience === null}>
            {busy ? m.sending : m.sendNow(audience ?? 0)}
          </button>
          <button type="button" onClick={props.onClose}>
            {m.cancel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The template in each language as the customer gets it ({name} and {link} are filled in per customer). */
function TemplatePreview(props: { template: MessageTemplate; channel: ActionInput['channel']; locale: Locale; m: Messages }) {
  const { template, channel, locale, m } = props;
  return (
    <section class="template-preview" aria-labelledby="preview-title">
      <h3 id="preview-title">{m.previewTitle}</h3>
      {LOCALES.map((lang) => {
        const text = template.texts[lang];
        return (
          <figure key={lang} class="preview" lang={lang} dir={directionOf(lang)} data-preview={lang}>
            <figcaption lang={locale} dir={directionOf(locale)}>
              {label(m, 'locale', lang)} · {channel === 'sms' ? m.previewSms : m.preview}
            </figcaption>
            {channel === 'email' && (
              <p class="preview-subject">
                <span class="preview-label" lang={locale} dir={directionOf(locale)}>
                  {m.subject}:
                </span>{' '}
                <bdi>{text.subject}</bdi>
              </p>
            )}
            <div class="preview-text">{channel === 'email' ? text.body : text.sms}</div>
          </figure>
        );
      })}
      <p class="help">
        {m.previewLink}{' '}
        <bdi dir="ltr" class="target-url">
          {template.targetUrl}
        </bdi>
      </p>
    </section>
  );
}

/** What was sent to the segment, newest first: planned, skipped (and why), waiting, sent, failed, clicked. */
function ActionResults(props: { actions: SegmentAction[]; locale: Locale; m: Messages }) {
  const { actions, locale, m } = props;
  const num = (n: number) => formatNumber(n, locale);
  return (
    <>
      <h3 id="results-title">{m.resultsTitle}</h3>
      {actions.length === 0 ? (
        <p class="muted">{m.noActions}</p>
      ) : (
        <div class="table-wrap">
          <table class="data action-results" aria-labelledby="results-title">
            <thead>
              <tr>
                <th scope="col">{m.colWhen}</th>
                <th scope="col">{m.colAction}</th>
                {COUNTS.map((count) => (
                  <th key={count} scope="col">
                    {m[`count_${count}`]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {actions.map((action) => {
                const reasons = Object.entries(action.counts.skippedByReason)
                  .filter(([, n]) => n)
                  .map(([reason, n]) => `${label(m, 'skip', reason)} ${num(n ?? 0)}`);
                return (
                  <tr key={action.id} data-action-id={action.id} data-kind={action.kind}>
                    <th scope="row">
                      <When locale={locale} at={action.createdAt} relative={false} />
                    </th>
                    <td>
                      {label(m, 'action', action.kind)} · {label(m, 'channel', action.channel)}
                      <span class="sub" data-audience={action.audience}>
                        {label(m, 'audience', action.audience)}
                      </span>
                    </td>
                    {COUNTS.map((count) => (
                      <td key={count} data-count={count}>
                        {num(action.counts[count])}
                        {count === 'skipped' && reasons.length > 0 && (
                          <span class="sub">{m.skippedBecause(reasons.join(locale === 'fa' ? '، ' : ', '))}</span>
                        )}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
