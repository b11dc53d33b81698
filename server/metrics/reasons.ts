import type { ReasonsBody } from '../../shared/api/metrics.js';

/**
 * A Pareto list: each reason with its count, most common first (ties alphabetical), and the cumulative share
 * (0–1) of all reasons covered down to it — "these two causes are 70% of complaints".
 */
export function paretoOf(reasons: readonly string[]): ReasonsBody['categories'] {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  let covered = 0;
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([reason, count]) => {
      covered += count;
      return { reason, count, cumulativeShare: covered / reasons.length };
    });
}
