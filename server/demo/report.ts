import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { FALSE_DISCOVERY_RATE } from '../../shared/false-discovery.js';
import { wilsonInterval, type PercentInterval } from '../../shared/intervals.js';
import { isOverdue, type CaseStatus } from '../../shared/callback-rules.js';
import {
  changePValues,
  countBuckets,
  MIN_ANSWERS_FOR_SIGNIFICANCE,
  npsSummary,
  significantChanges,
  type NpsSummary,
} from '../../shared/nps.js';

/*
 * What the demo data says, read straight from a database file: weekly NPS overall and for one product (with the
 * dashboard's significance rule), monthly volumes, the invitation funnel, and the recovered detractors.
 *   npx tsx server/demo/report.ts data/demo.db
 */

export interface WeekPoint extends NpsSummary {
  week: string;
  /** Changed from the week before by the dashboard's rule (two-sample test, both weeks with enough answers, Benjamini–Hochberg over the year). */
  significant: boolean;
  /** The p-value of that test; null when either week has too few answers to be tested. */
  p: number | null;
}

export interface DemoFigures {
  weeks: WeekPoint[];
  productWeeks: WeekPoint[];
  months: (NpsSummary & { month: string; events: number })[];
  funnel: { planned: number; skipped: number; failed: number; sent: number; opened: number; answered: number; responseRate: number };
  channels: Record<string, number>;
  locales: Record<string, number>;
  cases: Record<string, number>;
  reasons: Record<string, number>;
  recovered: { confirmedSolved: number; promoterAgain: number; both: number; either: number };
  changedAnswers: number;
  openCases: { open: number; overdue: number };
  /** The delivery theme in detractors' comments around the product's dip; null when the dip is not in the data. */
  deliveryAroundDip: ThemeAroundDip | null;
}

/** How many detractors' comments in some weeks mention a theme (by the themes stored with each response when it was recorded). */
interface ThemeShare {
  /** The weeks (Mondays, YYYY-MM-DD). */
  weeks: string[];
  comments: number;
  mentions: number;
  /** mentions ÷ comments in percent, with its 95% Wilson interval; null without comments. */
  percent: number | null;
  interval: PercentInterval | null;
}

export interface ThemeAroundDip {
  theme: string;
  before: ThemeShare;
  during: ThemeShare;
  after: ThemeShare;
}

/** Weeks compared before and after the dip: long enough to count, short enough to stay clear of the next season. */
const WEEKS_AROUND_DIP = 5;
const WEEK_MS = 7 * 86_400_000;

/** Monday (UTC) of the week a day falls in, as YYYY-MM-DD. */
function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

/** Scores grouped by a key (a week, a month). */
function scoresBy<T extends { score: number }>(rows: readonly T[], keyOf: (row: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row.score);
    else groups.set(key, [row.score]);
  }
  return groups;
}

function trend(rows: { day: string; score: number }[]): WeekPoint[] {
  const byWeek = scoresBy(rows, (r) => weekOf(r.day));
  const weeks = [...byWeek.keys()].sort().map((week) => ({ week, ...npsSummary(countBuckets(byWeek.get(week)!)) }));
  // The dashboard's rule, read over the whole year at once (false discoveries controlled); p kept for the note.
  const { significant } = significantChanges(weeks);
  const p = changePValues(weeks);
  return weeks.map((point, i) => ({ ...point, significant: significant[i]!, p: p[i]! }));
}

/**
 * The weeks of the product's dip as the answers show it: from its first significant weekly drop to the first
 * significant rise after it (that week, the first recovered one, not included). Null when there is none.
 */
function dipWeeks(points: WeekPoint[]): { from: string; to: string } | null {
  const drop = points.findIndex((w, i) => i > 0 && w.significant && w.nps! < points[i - 1]!.nps!);
  if (drop === -1) return null;
  const rise = points.findIndex((w, i) => i > drop && w.significant && w.nps! > points[i - 1]!.nps!);
  return rise === -1 ? null : { from: points[drop]!.week, to: points[rise]!.week };
}

/** `count` Mondays from `monday` on (a negative count: the ones before it). */
function mondays(monday: string, count: number): string[] {
  const t = Date.parse(`${monday}T00:00:00Z`);
  const offsets = count >= 0 ? Array.from({ length: count }, (_, i) => i) : Array.from({ length: -count }, (_, i) => count + i);
  return offsets.map((k) => new Date(t + k * WEEK_MS).toISOString().slice(0, 10));
}

/** The share of detractors' comments mentioning `theme` before, during and after the dip (5 weeks either side). */
function themeAroundDip(
  detractorComments: { day: string; themes: readonly string[] }[],
  dip: { from: string; to: string },
  theme: string,
): ThemeAroundDip {
  const during = mondays(dip.from, Math.round((Date.parse(dip.to) - Date.parse(dip.from)) / WEEK_MS));
  const share = (weeks: string[]): ThemeShare => {
    const inWeeks = new Set(weeks);
    const rows = detractorComments.filter((r) => inWeeks.has(weekOf(r.day)));
    const mentions = rows.filter((r) => r.themes.includes(theme)).length;
    return {
      weeks,
      comments: rows.length,
      mentions,
      percent: rows.length ? (mentions / rows.length) * 100 : null,
      interval: wilsonInterval(mentions, rows.length),
    };
  };
  return {
    theme,
    before: share(mondays(dip.from, -WEEKS_AROUND_DIP)),
    during: share(during),
    after: share(mondays(dip.to, WEEKS_AROUND_DIP)),
  };
}

export function demoFigures(path: string, product = 'Headphones'): DemoFigures {
  const db = new SQLite(path, { readonly: true });
  try {
    const all = <T>(query: string, ...params: unknown[]) => db.prepare(query).all(...params) as T[];
    const one = <T>(query: string, ...params: unknown[]) => db.prepare(query).get(...params) as T;
    const scored = all<{ day: string; score: number; product: string | null }>(
      "SELECT day, score, json_extract(attributes, '$.product') AS product FROM responses WHERE score IS NOT NULL",
    );
    const events = all<{ month: string; n: number }>('SELECT substr(occurred_at, 1, 7) AS month, count(*) AS n FROM events GROUP BY 1');
    const byMonth = scoresBy(scored, (r) => r.day.slice(0, 7));
    const months = events
      .sort((a, b) => a.month.localeCompare(b.month))
      .map(({ month, n }) => {
        return { month, events: n, ...npsSummary(countBuckets(byMonth.get(month) ?? [])) };
      });
    const statuses = Object.fromEntries(
      all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM invitations GROUP BY 1').map((r) => [r.status, r.n]),
    );
    const count = (...names: string[]) => names.reduce((sum, name) => sum + (statuses[name] ?? 0), 0);
    const sent = count('sent', 'opened', 'answered');
    const answered = count('answered');
    const grouped = (query: string) => Object.fromEntries(all<{ k: string; n: number }>(query).map((r) => [r.k ?? 'none', r.n]));
    const confirmed = all<{ customer_id: string; at: string }>(
      "SELECT c.customer_id, e.at FROM case_entries e JOIN callback_cases c ON c.id = e.case_id WHERE e.kind = 'confirmed'",
    );
    const promoterAgain = new Set(
      all<{ customer_id: string }>(
        `SELECT DISTINCT c.customer_id FROM callback_cases c
           JOIN responses r ON r.customer_id = c.customer_id AND r.answered_at > c.opened_at AND r.bucket = 'promoter' AND r.id != c.response_id`,
      ).map((r) => r.customer_id),
    );
    const confirmedSet = new Set(confirmed.map((r) => r.customer_id));
    const now = one<{ at: string }>('SELECT max(answered_at) AS at FROM responses').at;
    const productWeeks = trend(scored.filter((r) => r.product === product));
    const dip = dipWeeks(productWeeks);
    // The themes each comment was tagged with when it was recorded (a JSON array of theme ids).
    const detractorComments = all<{ day: string; themes: string }>(
      "SELECT day, themes FROM responses WHERE bucket = 'detractor' AND comment IS NOT NULL",
    ).map((r) => ({ day: r.day, themes: JSON.parse(r.themes) as string[] }));
    return {
      weeks: trend(scored),
      productWeeks,
      months,
      funnel: {
        planned: count(...Object.keys(statuses)),
        skipped: count('skipped'),
        failed: count('failed'),
        sent,
        opened: count('opened', 'answered'),
        answered,
        responseRate: sent ? answered / sent : 0,
      },
      channels: grouped('SELECT channel AS k, count(*) AS n FROM responses GROUP BY 1'),
      locales: grouped('SELECT locale AS k, count(*) AS n FROM responses GROUP BY 1'),
      cases: grouped('SELECT status AS k, count(*) AS n FROM callback_cases GROUP BY 1'),
      reasons: grouped('SELECT reason AS k, count(*) AS n FROM callback_cases WHERE reason IS NOT NULL GROUP BY 1'),
      recovered: {
        confirmedSolved: confirmedSet.size,
        promoterAgain: promoterAgain.size,
        both: [...confirmedSet].filter((c) => promoterAgain.has(c)).length,
        either: new Set([...confirmedSet, ...promoterAgain]).size,
      },
      changedAnswers: one<{ n: number }>(
        'SELECT count(*) AS n FROM (SELECT response_id FROM response_history WHERE score IS NOT NULL GROUP BY response_id HAVING count(DISTINCT score) > 1)',
      ).n,
      openCases: {
        open: one<{ n: number }>("SELECT count(*) AS n FROM callback_cases WHERE status = 'open'").n,
        overdue: all<{ status: CaseStatus; due_at: string }>('SELECT status, due_at FROM callback_cases').filter((c) =>
          isOverdue(c.status, c.due_at, new Date(now)),
        ).length,
      },
      deliveryAroundDip: dip ? themeAroundDip(detractorComments, dip, 'delivery') : null,
    };
  } finally {
    db.close();
  }
}

/**
 * Many week-to-week tests at 95% mark some changes by chance alone: says how many were tested, how many a plain 95%
 * test would mark, and how many are marked with the false discovery rate over all of them held at 5% (Benjamini–Hochberg).
 */
function chanceNote(points: WeekPoint[]): string {
  const pValues = points.flatMap((p) => (p.p === null ? [] : [p.p]));
  const plain = pValues.filter((p) => p < 0.05).length;
  const marked = points.filter((p) => p.significant).length;
  const tested = pValues.length;
  return `${tested} week-to-week changes tested: ${plain} pass a plain 95% test (had nothing changed, about ${Math.round(tested * 0.05)} would, by chance); ${marked} marked, with the false discovery rate over all ${tested} held at ${FALSE_DISCOVERY_RATE * 100}% (Benjamini–Hochberg).`;
}

function printFigures(figures: DemoFigures): void {
  const nps = (s: NpsSummary) =>
    s.nps === null ? '  —' : `${s.nps.toFixed(0).padStart(4)} ±${(s.marginOfError ?? 0).toFixed(0).padStart(2)}`;
  const fmt = (p: WeekPoint) => `${p.week}  n=${String(p.n).padStart(3)}  nps=${nps(p)}${p.significant ? '  ◆ changed' : ''}`;
  console.log(
    `NPS ± its 95% margin of error (adjusted Wald); ◆ changed from the week before (two-sample test on the difference, both weeks ≥ ${MIN_ANSWERS_FOR_SIGNIFICANCE} answers, Benjamini–Hochberg over the year at ${FALSE_DISCOVERY_RATE * 100}%).`,
  );
  console.log('Weekly NPS, all surveys:');
  for (const p of figures.weeks) console.log(`  ${fmt(p)}`);
  console.log(`  ${chanceNote(figures.weeks)}`);
  console.log('Weekly NPS, Headphones:');
  for (const p of figures.productWeeks) console.log(`  ${fmt(p)}`);
  console.log(`  ${chanceNote(figures.productWeeks)}`);
  console.log('Months (events, scored answers, NPS):');
  for (const m of figures.months)
    console.log(`  ${m.month}  events=${String(m.events).padStart(5)}  answers=${String(m.n).padStart(4)}  nps=${nps(m)}`);
  const f = figures.funnel;
  console.log(
    `Funnel: planned ${f.planned}, skipped ${f.skipped}, failed ${f.failed}, sent ${f.sent}, opened ${f.opened}, answered ${f.answered} (${(f.responseRate * 100).toFixed(1)}% of sent)`,
  );
  console.log('Responses by channel:', figures.channels, 'by locale:', figures.locales);
  console.log('Cases:', figures.cases, 'reasons:', figures.reasons, 'open now:', figures.openCases);
  console.log('Recovered detractors:', figures.recovered, 'answers changed:', figures.changedAnswers);
  const delivery = figures.deliveryAroundDip;
  if (!delivery) {
    console.log('Delivery theme: no Headphones dip in the data to compare with.');
    return;
  }
  const share = (s: ThemeShare, when: string) =>
    s.percent === null
      ? `no comments ${when}`
      : `${s.percent.toFixed(0)}% (${s.mentions} of ${s.comments}, 95% ${s.interval!.low.toFixed(0)}–${s.interval!.high.toFixed(0)}%) ${when}`;
  console.log(
    `Delivery theme in detractors' comments: ${share(delivery.before, `in the ${delivery.before.weeks.length} weeks before the Headphones dip`)}, ${share(delivery.during, `in its ${delivery.during.weeks.length} weeks`)}, ${share(delivery.after, `in the ${delivery.after.weeks.length} weeks after`)}.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: npx tsx server/demo/report.ts path/to/demo.db [product]');
    process.exit(1);
  }
  printFigures(demoFigures(path, process.argv[3]));
}
