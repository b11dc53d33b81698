import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { npsSummary, significantChanges, type NpsSummary } from '../../shared/nps.js';
import { bucketOf } from '../../shared/scoring.js';

/*
 * What the demo data says, read straight from a database file: weekly NPS overall and for one product (with the
 * dashboard's significance rule), monthly volumes, the invitation funnel, and the recovered detractors.
 *   npx tsx server/demo/report.ts data/demo.db
 */

export interface WeekPoint extends NpsSummary {
  week: string;
  significant: boolean;
}

export interface DemoFigures {
  weeks: WeekPoint[];
  productWeeks: WeekPoint[];
  months: { month: string; events: number; answers: number; nps: number | null }[];
  funnel: { planned: number; skipped: number; failed: number; sent: number; opened: number; answered: number; responseRate: number };
  channels: Record<string, number>;
  locales: Record<string, number>;
  cases: Record<string, number>;
  reasons: Record<string, number>;
  recovered: { confirmedSolved: number; promoterAgain: number; both: number; either: number };
  changedAnswers: number;
  openCases: { open: number; overdue: number };
}

/** Monday (UTC) of the week a day falls in, as YYYY-MM-DD. */
function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

function trend(rows: { day: string; score: number }[]): WeekPoint[] {
  const byWeek = new Map<string, { promoters: number; passives: number; detractors: number }>();
  for (const { day, score } of rows) {
    const week = weekOf(day);
    const counts = byWeek.get(week) ?? { promoters: 0, passives: 0, detractors: 0 };
    const bucket = bucketOf(score);
    if (bucket === 'promoter') counts.promoters++;
    else if (bucket === 'passive') counts.passives++;
    else counts.detractors++;
    byWeek.set(week, counts);
  }
  const weeks = [...byWeek.keys()].sort().map((week) => ({ week, ...npsSummary(byWeek.get(week)!) }));
  // The dashboard's rule, read over the whole year at once (false discoveries controlled).
  const { significant } = significantChanges(weeks);
  return weeks.map((point, i) => ({ ...point, significant: significant[i]! }));
}

export function demoFigures(path: string, product = 'Headphones'): DemoFigures {
  const db = new SQLite(path, { readonly: true });
  try {
    const all = <T>(query: string, ...params: unknown[]) => db.prepare(query).all(...params) as T[];
    const one = <T>(query: string, ...params: unknown[]) => db.prepare(query).get(...params) as T;
    const scored = all<{ day: string; score: number; product: string | null }>(
      "SELECT day, score, json_extract(attributes, '$.product') AS product FROM responses WHERE score IS NOT NULL",
    );
    const events = all<{ month: string; n: number }>("SELECT substr(occurred_at, 1, 7) AS month, count(*) AS n FROM events GROUP BY 1");
    const byMonth = new Map<string, { promoters: number; passives: number; detractors: number }>();
    for (const { day, score } of scored) {
      const counts = byMonth.get(day.slice(0, 7)) ?? { promoters: 0, passives: 0, detractors: 0 };
      counts[score >= 9 ? 'promoters' : score >= 7 ? 'passives' : 'detractors']++;
      byMonth.set(day.slice(0, 7), counts);
    }
    const months = events
      .sort((a, b) => a.month.localeCompare(b.month))
      .map(({ month, n }) => {
        const summary = npsSummary(byMonth.get(month) ?? { promoters: 0, passives: 0, detractors: 0 });
        return { month, events: n, answers: summary.n, nps: summary.nps };
      });
    const statuses = Object.fromEntries(all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM invitations GROUP BY 1').map((r) => [r.status, r.n]));
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
           JOIN responses r ON r.customer_id = c.customer_id AND r.answered_at > c.opened_at AND r.score >= 9 AND r.id != c.response_id`,
      ).map((r) => r.customer_id),
    );
    const confirmedSet = new Set(confirmed.map((r) => r.customer_id));
    const now = one<{ at: string }>('SELECT max(answered_at) AS at FROM responses').at;
    return {
      weeks: trend(scored),
      productWeeks: trend(scored.filter((r) => r.product === product)),
      months,
      funnel: { planned: count(...Object.keys(statuses)), skipped: count('skipped'), failed: count('failed'), sent, opened: count('opened', 'answered'), answered, responseRate: sent ? answered / sent : 0 },
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
        overdue: one<{ n: number }>("SELECT count(*) AS n FROM callback_cases WHERE status IN ('open', 'contacted') AND due_at < ?", now).n,
      },
    };
  } finally {
    db.close();
  }
}

function printFigures(figures: DemoFigures): void {
  const fmt = (p: WeekPoint) => `${p.week}  n=${String(p.n).padStart(3)}  nps=${p.nps === null ? '  —' : p.nps.toFixed(0).padStart(4)} ±${(p.marginOfError ?? 0).toFixed(0).padStart(2)}${p.significant ? '  ◆ significant' : ''}`;
  console.log('Weekly NPS, all surveys:');
  for (const p of figures.weeks) console.log(`  ${fmt(p)}`);
  console.log('Weekly NPS, Headphones:');
  for (const p of figures.productWeeks) console.log(`  ${fmt(p)}`);
  console.log('Months (events, scored answers, NPS):');
  for (const m of figures.months) console.log(`  ${m.month}  events=${String(m.events).padStart(5)}  answers=${String(m.answers).padStart(4)}  nps=${m.nps === null ? '—' : m.nps.toFixed(0)}`);
  const f = figures.funnel;
  console.log(`Funnel: planned ${f.planned}, skipped ${f.skipped}, failed ${f.failed}, sent ${f.sent}, opened ${f.opened}, answered ${f.answered} (${(f.responseRate * 100).toFixed(1)}% of sent)`);
  console.log('Responses by channel:', figures.channels, 'by locale:', figures.locales);
  console.log('Cases:', figures.cases, 'reasons:', figures.reasons, 'open now:', figures.openCases);
  console.log('Recovered detractors:', figures.recovered, 'answers changed:', figures.changedAnswers);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: npx tsx server/demo/report.ts path/to/demo.db [product]');
    process.exit(1);
  }
  printFigures(demoFigures(path, process.argv[3]));
}
