/**
 * The theme view's target: for 12 months at 1,000,000 answers, GET /api/metrics/themes and its trend answer in under
 * 100 ms (p95), because they read the per-day '#theme' rollups. Writes 1,000,000 responses (40% with a comment tagged
 * with 0–3 of the built-in themes) into a temp SQLite file, recomputes the rollups with rebuildRollups (the real
 * function), and times what the routes run: the dictionary, the counts and the body.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Interval, MetricsFilter } from '../../shared/api/metrics.js';
import { addDays } from '../../shared/periods.js';
import { bucketOf } from '../../shared/scoring.js';
import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import { openDatabase, type Db } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { rebuildRollups } from '../../server/metrics/rollups.js';
import { loadSurveys, type SurveyCatalog } from '../../server/surveys.js';
import { themeDays, themeTotals } from '../../server/themes/counts.js';
import { dictionaryOf } from '../../server/themes/tagging.js';
import { themeImpactBody, themeTrendBody } from '../../server/themes/views.js';
import { prng } from '../helpers/prng.js';
import { record } from './results.js';
import { medianAndP95 } from './timing.js';

const TARGET_MS = 100;
const RUNS = 20;
const ANSWERS = 1_000_000;
const LAST_DAY = '2026-11-22';
const FIRST_DAY = addDays(LAST_DAY, -364);

/** Responses straight into the table (the generator is not what is measured), tags as recordAnswer would store them. */
function writeTaggedResponses(file: string, count: number): void {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -524288');
  const insert = sqlite.prepare(
    `insert into responses (id, invitation_id, customer_id, survey_id, channel, locale, score, bucket, answers, comment, themes, attributes, day, answered_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
  );
  const ids = BUILT_IN_THEMES.map((theme) => theme.id);
  const { next: random } = prng(18);
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const day = addDays(FIRST_DAY, Math.floor((i * 365) / count));
      const at = `${day}T12:00:00.000Z`;
      const survey = random() < 0.6 ? 'post-purchase' : 'post-resolution';
      const score = Math.min(10, Math.floor(random() * 8) + Math.floor(random() * 4));
      const bucket = bucketOf(score);
      const commented = random() < 0.4;
      const themes = commented
        ? [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => ids[Math.floor(random() * ids.length)]!))].sort()
        : [];
      insert.run(
        randomUUID(),
        randomUUID(),
        randomUUID(),
        survey,
        random() < 0.7 ? 'email' : 'sms',
        random() < 0.6 ? 'fa' : 'en',
        score,
        bucket,
        JSON.stringify({ nps: score }),
        commented ? 'a comment' : null,
        JSON.stringify(themes),
        day,
        at,
        at,
      );
    }
  })();
  sqlite.close();
}

async function time(run: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const { median, p95 } = await medianAndP95(run, RUNS);
  return { median, p95 };
}

async function impact(db: Db, surveys: SurveyCatalog, filter: MetricsFilter) {
  const [dictionary, counts] = await Promise.all([dictionaryOf(db), themeTotals(db, surveys, filter)]);
  return themeImpactBody(dictionary, counts);
}

async function trend(db: Db, surveys: SurveyCatalog, filter: MetricsFilter, interval: Interval) {
  const [dictionary, counts] = await Promise.all([dictionaryOf(db), themeDays(db, surveys, filter, { overall: false })]);
  return themeTrendBody(dictionary, counts, { from: filter.from, to: filter.to, interval, calendar: 'gregorian' }, []);
}

/** Runs the theme-view benchmark; returns the targets missed. */
export async function themesViewBench(): Promise<string[]> {
  const failures: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-bench-themes-'));
  const file = path.join(dir, 'themes.db');
  const surveys = loadSurveys();
  const whole: MetricsFilter = { from: FIRST_DAY, to: LAST_DAY, attributes: {} };
  let db = openDatabase({ kind: 'sqlite', path: file });
  try {
    await migrateToLatest(db);
    await db.destroy();
    console.log(`themes: writing ${ANSWERS.toLocaleString('en')} tagged responses over 12 months…`);
    let started = performance.now();
    writeTaggedResponses(file, ANSWERS);
    console.log(`  written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    db = openDatabase({ kind: 'sqlite', path: file });
    started = performance.now();
    const rebuilt = await rebuildRollups(db, surveys.all);
    console.log(
      `  rebuildRollups: ${rebuilt.rows.toLocaleString('en')} rollup rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const body = await impact(db, surveys, whole);
    console.log(
      `  ${body.themes.length} themes, ${body.commenters.n.toLocaleString('en')} commenters of ${body.overall.n.toLocaleString('en')} (source ${body.source})`,
    );
    console.log(`  ${RUNS} runs each (target: p95 under ${TARGET_MS} ms)`);
    const cases: [string, () => Promise<unknown>][] = [
      ['GET /api/metrics/themes', () => impact(db, surveys, whole)],
      ['themes/trend, weekly', () => trend(db, surveys, whole, 'week')],
      ['themes/trend, monthly', () => trend(db, surveys, whole, 'month')],
    ];
    for (const [label, run] of cases) {
      const t = await time(run);
      const pass = t.p95 < TARGET_MS;
      console.log(
        `    ${label.padEnd(26)} median ${t.median.toFixed(1).padStart(6)} ms  p95 ${t.p95.toFixed(1).padStart(6)} ms  ${pass ? 'PASS' : 'FAIL'}`,
      );
      record({
        name: `12-month ${label} at 1,000,000 answers (p95)`,
        value: t.p95,
        unit: 'ms',
        target: `< ${TARGET_MS} ms`,
        pass,
        note: `median ${t.median.toFixed(1)} ms`,
      });
      if (!pass) failures.push(`${label} p95 ${t.p95.toFixed(1)} ms at 1M`);
    }
    await db.destroy();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
