import type { ThemeImpactBody, ThemeTrendBody } from '../../shared/api/themes.js';
import { FALSE_DISCOVERY_RATE } from '../../shared/false-discovery.js';
import { themeImpacts } from '../../shared/themes/impact.js';
import type { ThemeDefinition } from '../../shared/themes/theme.js';
import { daysBetween, periodStart } from '../../shared/periods.js';
import { emptyCounts } from '../metrics/contribution.js';
import { bucketsOf, npsTotalsOf, type DayCounts, type TrendRange } from '../metrics/trends.js';
import type { ThemeDays, ThemeTotals } from './counts.js';

/* From the per-day counts to the themes views' bodies; the same whichever source counted (see counts.ts). */

/** Every enabled theme of the dictionary with its count, shares and effect on NPS. */
export function themeImpactBody(dictionary: readonly ThemeDefinition[], counts: ThemeTotals): ThemeImpactBody {
  const themes = dictionary.filter((theme) => theme.enabled);
  const { overall } = counts;
  const commenters = counts.byTheme.get('') ?? emptyCounts();
  const totals = themes.map((theme) => {
    const total = counts.byTheme.get(theme.id) ?? emptyCounts();
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
export function themeTrendBody(
  dictionary: readonly ThemeDefinition[],
  counts: ThemeDays,
  range: TrendRange,
  chosen: readonly string[],
): ThemeTrendBody {
  const themes = dictionary.filter((theme) => theme.enabled && (chosen.length === 0 || chosen.includes(theme.id)));
  // Each day's period, worked out once for all themes (calendar arithmetic per day is the costly part).
  const periods: string[] = [];
  const periodOfDay = new Map<string, number>();
  for (const day of daysBetween(range.from, range.to)) {
    const start = periodStart(day, range.interval, range.calendar);
    if (periods[periods.length - 1] !== start) periods.push(start);
    periodOfDay.set(day, periods.length - 1);
  }
  const perPeriod = (days: readonly DayCounts[] | undefined) => {
    const sums = new Array<number>(periods.length).fill(0);
    for (const day of days ?? []) {
      const index = periodOfDay.get(day.day);
      if (index !== undefined) sums[index] = sums[index]! + day.responses;
    }
    return sums;
  };
  const commenters = perPeriod(counts.byTheme.get(''));
  return {
    interval: range.interval,
    periods,
    commenters,
    themes: themes.map((theme) => {
      const mentions = perPeriod(counts.byTheme.get(theme.id));
      return {
        id: theme.id,
        label: theme.label,
        counts: mentions,
        shares: mentions.map((count, i) => (commenters[i] === 0 ? null : count / commenters[i]!)),
      };
    }),
    source: counts.source,
  };
}
