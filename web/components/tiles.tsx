import type { ComponentChildren } from 'preact';
import type { SummaryBody } from '../../shared/api/metrics.js';
import { tooFewAnswers, type PercentInterval } from '../../shared/intervals.js';
import type { Locale } from '../../shared/locale.js';
import { formatNps, formatNumber, formatPercent } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

function Tile(props: { id: string; title: string; value: string; details: ComponentChildren[] }) {
  return (
    <div class="tile" data-tile={props.id}>
      <dt>{props.title}</dt>
      <dd>
        <span class="tile-value">{props.value}</span>
        {/* One line each, no separator: a middle dot next to Persian digits reads as a zero (۰). */}
        {props.details.map((detail, i) => (
          <span class="tile-detail" key={i}>
            {detail}
          </span>
        ))}
      </dd>
    </div>
  );
}

/**
 * The headline numbers of the chosen range: NPS with its margin of error and the count behind it, the three
 * groups as counts and shares, CSAT, CES, the solved rate and the response rate. A figure nobody answered is "–".
 */
export function Tiles(props: { summary: SummaryBody; locale: Locale; m: Messages }) {
  const { summary, locale, m } = props;
  const { nps, satisfaction: s, funnel } = summary;
  const num = (value: number) => formatNumber(value, locale);
  const share = (count: number) => formatPercent(nps.n === 0 ? 0 : (count / nps.n) * 100, locale);
  const dash = '–';
  // A share's 95% interval (Wilson), so a CSAT from a handful of answers shows how little it says.
  const interval = (i: PercentInterval | null) =>
    i === null ? '' : m.intervalRange(formatPercent(i.low, locale), formatPercent(i.high, locale));
  return (
    <dl class="tiles">
      <Tile
        id="nps"
        title={m.nps}
        value={nps.nps === null ? dash : tooFewAnswers(nps.n) ? m.tooFewShort : formatNps(nps.nps, locale)}
        details={[
          nps.marginOfError === null || tooFewAnswers(nps.n) ? '' : `± ${formatNumber(nps.marginOfError, locale, 0)}`,
          m.nEquals(num(nps.n)),
        ]}
      />
      {(['promoter', 'passive', 'detractor'] as const).map((bucket) => {
        const count = nps[`${bucket}s`];
        return (
          <Tile
            key={bucket}
            id={bucket}
            title={m[`${bucket}s`]}
            value={num(count)}
            details={[
              <>
                <span class={`chip chip-${bucket}`}>{share(count)}</span> {m[`range_${bucket}`]}
              </>,
            ]}
          />
        );
      })}
      <Tile
        id="csat"
        title={m.csat}
        value={s.csat === null ? dash : formatPercent(s.csat, locale)}
        details={[m.csatHelp, interval(s.csatInterval), m.nEquals(num(s.csatN))]}
      />
      <Tile
        id="ces"
        title={m.ces}
        value={s.ces === null ? dash : formatNumber(s.ces, locale)}
        details={[m.cesHelp, m.nEquals(num(s.cesN))]}
      />
      <Tile
        id="solved"
        title={m.solvedRate}
        value={s.solvedRate === null ? dash : formatPercent(s.solvedRate, locale)}
        details={[interval(s.solvedInterval), m.nEquals(num(s.solvedN))]}
      />
      <Tile
        id="response-rate"
        title={m.responseRate}
        value={funnel.responseRate === null ? dash : formatPercent(funnel.responseRate, locale)}
        details={[m.answeredOfSent(num(funnel.answered), num(funnel.sent))]}
      />
    </dl>
  );
}
