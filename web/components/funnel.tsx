import type { SummaryBody } from '../../shared/api/metrics.js';
import type { Locale } from '../../shared/locale.js';
import { formatNumber, formatPercent } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';
import { BarList } from './bar-list.js';

const STAGES = ['planned', 'sent', 'opened', 'answered'] as const;

/** How far the invitations planned for the range got: planned → sent → opened → answered, each as a share of planned. */
export function Funnel(props: { funnel: SummaryBody['funnel']; locale: Locale; m: Messages }) {
  const { funnel, locale, m } = props;
  const share = (count: number) => formatPercent(funnel.planned === 0 ? 0 : (count / funnel.planned) * 100, locale);
  return (
    <section class="card funnel" aria-labelledby="funnel-title" data-funnel="">
      <h2 id="funnel-title">{m.funnelTitle}</h2>
      <BarList
        label={m.funnelTitle}
        max={funnel.planned}
        rows={STAGES.map((stage) => ({
          key: stage,
          name: m[`funnel_${stage}`],
          value: funnel[stage],
          shown: `${formatNumber(funnel[stage], locale)} (${share(funnel[stage])})`,
        }))}
      />
      <p class="muted">
        {m.responseRate}: <strong>{funnel.responseRate === null ? '–' : formatPercent(funnel.responseRate, locale)}</strong> (
        {m.answeredOfSent(formatNumber(funnel.answered, locale), formatNumber(funnel.sent, locale))})
      </p>
    </section>
  );
}
