import type { ThemeImpactBody, ThemeTrendBody } from '../../shared/api/themes.js';
import { FALSE_DISCOVERY_RATE } from '../../shared/false-discovery.js';
import { themeImpacts } from '../../shared/themes/impact.js';
import type { ThemeDefinition } from '../../shared/themes/theme.js';
import { bucketsOf, countsByPeriod, npsTotalsOf, sumCounts, type TrendRange } from '../metrics/trends.js';
import type { ThemeDays } from './counts.js';

/* From the per-day counts to the themes views' bodies; the same whichever source counted (see counts.ts). */

/** Every enabled theme of the dictionary with its count, shares and effect on NPS. */
export function themeImpactBody(dictionary: readonly ThemeDefinition[], counts: ThemeDays): ThemeImpactBody {
  const themes = dictionary.filter((theme) => theme.enabled);
  const overall = sumCounts(counts.overall);
  const commenters = sumCounts(counts.byTheme.get('') ?? []);
  const totals = themes.map((theme) => {
    const total = sumCounts(counts.byTheme.get(theme.id) ?? []);
    return { id: theme.id, count: total.responses, buckets: bucketsOf(total) };
  });
  const impacts = themeImpacts(bucketsOf(overall), bucketsOf(commenters), totals);
  const labels = new Map(themes.map((theme) => [theme.id, theme.label]));
  return {
    overall: npsTotalsOf(overall),
    commenters: npsTotalsOf(commenters),
    themes: impacts.themes.map((impact) => ({ ...impact, label: labels.get(impact.id)! })),
    comparisons: impacts.comparisons,
    falseDiscoveryRate: FALSE_DISCOVERY_RATE,
    source: counts.source,
  };
}

/** Mentions per period of the chosen themes (all enabled ones when none is chosen), and as a share of the commenters. */
export function themeTrendBody(dictionary: readonly ThemeDefinition[], counts: ThemeDays, range: TrendRange, chosen: readonly string[]): ThemeTrendBody {
  const themes = dictionary.filter((theme) => theme.enabled && (chosen.length === 0 || chosen.includes(theme.id)));
  const commenters = countsByPeriod(counts.byTheme.get('') ?? [], range);
  return {
    interval: range.interval,
    periods: commenters.map((period) => period.start),
    commenters: commenters.map((period) => period.counts.responses),
    themes: themes.map((theme) => {
      const mentions = countsByPeriod(counts.byTheme.get(theme.id) ?? [], range).map((period) => period.counts.responses);
      return {
        id: theme.id,
        label: theme.label,
        counts: mentions,
        shares: mentions.map((count, i) => (commenters[i]!.counts.responses === 0 ? null : count / commenters[i]!.counts.responses)),
      };
    }),
    source: counts.source,
  };
}
