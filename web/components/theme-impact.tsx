import type { NpsTotals } from '../../shared/api/metrics.js';
import type { ThemeImpact, ThemeImpactBody } from '../../shared/api/themes.js';
import { tooFewAnswers } from '../../shared/intervals.js';
import type { Locale } from '../../shared/locale.js';
import { MIN_ANSWERS_FOR_SIGNIFICANCE } from '../../shared/nps.js';
import { formatNps, formatNumber, formatPercent, formatSigned } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';
import { BarList } from './bar-list.js';

/**
 * A signed figure kept left-to-right inside Persian text (an isolate, as <bdi dir="ltr"> would be): otherwise the
 * minus sign drifts to the digits' right side in a right-to-left line.
 */
const ltr = (figure: string) => `\u2066${figure}\u2069`;

const BUCKETS = [
  ['detractors', 'detractor'],
  ['passives', 'passive'],
  ['promoters', 'promoter'],
] as const;

/** An NPS with its margin and count, or "too few" below the charts' minimum: a handful of answers proves nothing. */
function NpsCell(props: { totals: NpsTotals; locale: Locale; m: Messages }) {
  const { totals, locale, m } = props;
  const n = formatNumber(totals.n, locale);
  if (totals.nps === null) return <span class="muted">–</span>;
  if (tooFewAnswers(totals.n)) {
    return (
      <span class="too-few" data-too-few="">
        {m.tooFewShort} <span class="sub">{m.nEquals(n)}</span>
      </span>
    );
  }
  return (
    <span>
      <span class="figure">
        {ltr(formatNps(totals.nps, locale))} ± {formatNumber(totals.marginOfError ?? 0, locale, 0)}
      </span>{' '}
      <span class="sub">{m.nEquals(n)}</span>
    </span>
  );
}

/**
 * The effect on overall NPS ("−9.4 points ±3.1") with a mark that says in words whether it is significant after the
 * correction for comparing many themes at once. Below the minimum count on either side the figure is not given.
 */
function EffectCell(props: { theme: ThemeImpact; locale: Locale; m: Messages }) {
  const { theme, locale, m } = props;
  const min = formatNumber(MIN_ANSWERS_FOR_SIGNIFICANCE, locale);
  if (!theme.effect) return <span class="muted">{theme.count === 0 ? m.effectNoMentions : m.effectNone}</span>;
  const fewest = Math.min(theme.withTheme.n, theme.withoutTheme.n);
  if (fewest < MIN_ANSWERS_FOR_SIGNIFICANCE) {
    return (
      <span class="too-few" data-too-few="">
        {m.effectTooFew(formatNumber(fewest, locale), min)}
      </span>
    );
  }
  const { points, marginOfError, significant } = theme.effect;
  return (
    <span class="effect" data-significant={String(significant)}>
      <span class="figure effect-figure">{m.effectPoints(ltr(formatSigned(points, locale)), formatNumber(marginOfError, locale, 1))}</span>{' '}
      {significant ? (
        <span class="mark mark-significant">
          <span aria-hidden="true">✓ </span>
          {m.effectSignificant}
        </span>
      ) : (
        <span class="mark mark-not-significant">{m.effectNotSignificant}</span>
      )}
    </span>
  );
}

/**
 * Every theme of the range with its weight and its pull on NPS, biggest pull first (the API's order): how many
 * comments mention it, what share of each score group's comments do (bars with their figures), NPS with and
 * without it, and its effect. A table on a wide screen; below the breakpoint each theme is a card (styles.css).
 * Each theme's name links to its comments.
 */
export function ThemeImpactList(props: {
  body: ThemeImpactBody;
  locale: Locale;
  m: Messages;
  chosen?: string;
  hrefOf: (id: string) => string;
}) {
  const { body, locale, m, chosen } = props;
  const num = (n: number) => formatNumber(n, locale);
  return (
    <section class="card theme-impact" aria-labelledby="theme-impact-title">
      <h2 id="theme-impact-title">{m.themeImpactTitle}</h2>
      <p class="muted">{m.themeCommenters(num(body.commenters.n), num(body.overall.n))}</p>
      {body.themes.length === 0 || body.commenters.n === 0 ? (
        <p class="muted" data-empty="">
          {body.themes.length === 0 ? m.noThemesOn : m.noThemeComments}
        </p>
      ) : (
        <>
          <p class="theme-fdr" data-comparisons={body.comparisons}>
            {m.themesCompared(body.comparisons, formatPercent(body.falseDiscoveryRate * 100, locale))}
          </p>
          <div class="table-wrap">
            <table class="theme-table">
              <caption class="visually-hidden">{m.themeImpactTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.colTheme}</th>
                  <th scope="col">{m.colMentions}</th>
                  <th scope="col">{m.colMentionedBy}</th>
                  <th scope="col">{m.colNpsWith}</th>
                  <th scope="col">{m.colNpsWithout}</th>
                  <th scope="col">{m.colEffect}</th>
                </tr>
              </thead>
              <tbody>
                {body.themes.map((theme) => (
                  <tr key={theme.id} data-theme={theme.id} class={theme.id === chosen ? 'chosen' : undefined}>
                    <th scope="row" class="cell-theme">
                      <a href={props.hrefOf(theme.id)} aria-current={theme.id === chosen ? 'true' : undefined}>
                        {theme.label[locale]}
                      </a>
                    </th>
                    <td class="cell-count" data-label={m.colMentions}>
                      {num(theme.count)}
                    </td>
                    <td class="cell-shares" data-label={m.colMentionedBy}>
                      <BarList
                        class="share-bars"
                        label={m.mentionedByOf(theme.label[locale])}
                        max={1}
                        rows={BUCKETS.map(([group, bucket]) => ({
                          key: bucket,
                          tone: `bucket-${bucket}`,
                          name: m[group],
                          value: theme.shareOf[group],
                          shown: formatPercent(theme.shareOf[group] * 100, locale),
                        }))}
                      />
                    </td>
                    <td class="cell-with" data-label={m.colNpsWith}>
                      <NpsCell totals={theme.withTheme} locale={locale} m={m} />
                    </td>
                    <td class="cell-without" data-label={m.colNpsWithout}>
                      <NpsCell totals={theme.withoutTheme} locale={locale} m={m} />
                    </td>
                    <td class="cell-effect" data-label={m.colEffect}>
                      <EffectCell theme={theme} locale={locale} m={m} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="chart-note muted">{m.effectHelp(formatNumber(MIN_ANSWERS_FOR_SIGNIFICANCE, locale))}</p>
        </>
      )}
    </section>
  );
}
