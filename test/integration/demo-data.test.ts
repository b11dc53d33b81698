import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { demoFigures, weekOf, type DemoFigures, type WeekPoint } from '../../server/demo/report.js';
import { DEMO_CARE_PASSWORD, seedDemoData, type SeedOptions } from '../../server/demo/seed.js';
import { silentLogger } from '../../server/log.js';
import { startHami, type RunningHami } from '../../server/start.js';
import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import { compileThemes } from '../../shared/themes/tagger.js';
import { ManualClock } from '../helpers/clock.js';

const NOW = '2026-11-23T12:00:00Z';

/** Starts the real app on a fresh SQLite file, seeding it the way `npm run demo` does (before the worker starts). */
async function seeded(options: SeedOptions = {}): Promise<{ hami: RunningHami; file: string; summary: string | null; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-demo-'));
  const config = loadConfig({ HAMI_DATA_DIR: dir, PORT: '0', HAMI_ADMIN_PASSWORD: 'correct horse battery' });
  let summary: string | null = null;
  const hami = await startHami(config, { clock: new ManualClock(NOW), log: silentLogger, prepare: async (deps) => void (summary = await seedDemoData(deps, options)) });
  return {
    hami,
    file: path.join(dir, 'hami.db'),
    summary,
    cleanup: async () => {
      await hami.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Full weeks only: the first and the current one are partial. */
const fullWeeks = (points: WeekPoint[]) => points.slice(1, -1);

describe('npm run demo: a year that tells a story', () => {
  let demo: Awaited<ReturnType<typeof seeded>>;
  let figures: DemoFigures;
  beforeAll(async () => {
    demo = await seeded();
    figures = demoFigures(demo.file);
  }, 180_000);
  afterAll(() => demo?.cleanup());

  test('says what it made, and seeds only an empty database', async () => {
    expect(demo.summary).toMatch(/^Demo data: \d+ customers, \d+ events over 12 months, \d+ answers\./);
    expect(demo.summary).toContain(DEMO_CARE_PASSWORD);
    // Every answer it counts went through to an answered invitation.
    expect(Number(demo.summary!.match(/(\d+) answers\./)![1])).toBe(figures.funnel.answered);
    expect(await seedDemoData(demo.hami.deps)).toBeNull();
  });

  test('every full week has enough answers for the significance rule, more in the peaks than in summer', () => {
    const weeks = fullWeeks(figures.weeks);
    expect(weeks.length).toBeGreaterThanOrEqual(50);
    expect(Math.min(...weeks.map((w) => w.n))).toBeGreaterThanOrEqual(30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(weeks.map((w) => w.n))).toBeGreaterThan(60);
    const events = (month: string) => figures.months.find((m) => m.month === month)!.events;
    expect(events('2025-12')).toBeGreaterThan(1.4 * events('2026-07'));
    expect(events('2026-03')).toBeGreaterThan(1.4 * events('2026-07'));
    const nps = (month: string) => figures.months.find((m) => m.month === month)!.nps!;
    expect(Math.max(nps('2025-12'), nps('2026-03'))).toBeLessThan(nps('2026-07'));
  });

  test('Headphones fall for about seven weeks and recover, with significant weekly changes both ways', () => {
    const weeks = fullWeeks(figures.productWeeks);
    const drops = weeks.filter((w, i) => w.significant && w.nps! < weeks[i - 1]!.nps!);
    const rises = weeks.filter((w, i) => w.significant && w.nps! > weeks[i - 1]!.nps!);
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(rises.length).toBeGreaterThanOrEqual(1);
    const from = drops[0]!.week;
    const to = rises.find((w) => w.week > from)!.week;
    const dip = weeks.filter((w) => w.week >= from && w.week < to);
    expect(dip.length).toBeGreaterThanOrEqual(6);
    expect(dip.length).toBeLessThanOrEqual(8);
    expect(Math.max(...dip.map((w) => w.nps!))).toBeLessThan(10);
    // The whole business feels it: the overall weekly trend marks a change too.
    expect(figures.weeks.some((w) => w.week >= from && w.week <= to && w.significant)).toBe(true);
    expect(figures.reasons.product_defect).toBeGreaterThan(figures.reasons.price!);
  });

  test('delivery complaints rise with the bad batch and fall after it, in the comments the built-in themes tag', async () => {
    // The report's weeks: the Headphones dip, and five weeks either side.
    const { before, during, after } = figures.deliveryAroundDip!;
    expect(during.weeks.length).toBeGreaterThanOrEqual(6);
    const rows = await demo.hami.deps.db.selectFrom('responses').select(['day', 'comment']).where('comment', 'is not', null).execute();
    const tagger = compileThemes(BUILT_IN_THEMES);
    const mentions = new Map<string, number>();
    for (const r of rows) if (tagger.tag(r.comment!).includes('delivery')) mentions.set(weekOf(r.day), (mentions.get(weekOf(r.day)) ?? 0) + 1);
    const perWeek = (weeks: string[]) => weeks.reduce((sum, week) => sum + (mentions.get(week) ?? 0), 0) / weeks.length;
    // Mentions per week: more than twice those of the weeks before and after.
    expect(perWeek(during.weeks)).toBeGreaterThan(2 * perWeek(before.weeks));
    expect(perWeek(during.weeks)).toBeGreaterThan(2 * perWeek(after.weeks));
    // Among detractors' comments, the bad batch's weeks are about delivery as much as about the fault.
    expect(during.percent!).toBeGreaterThan(45);
    expect(during.percent!).toBeGreaterThan(1.5 * before.percent!);
    expect(during.percent!).toBeGreaterThan(1.5 * after.percent!);
  });

  test('a believable funnel and mix: both languages and channels, skipped, failed, opened and unanswered invitations', () => {
    const f = figures.funnel;
    expect(f.responseRate).toBeGreaterThan(0.3);
    expect(f.responseRate).toBeLessThan(0.45);
    expect(f.opened).toBeGreaterThan(f.answered);
    expect(f.skipped).toBeGreaterThan(0);
    expect(f.failed).toBeGreaterThan(0);
    expect(figures.locales.fa!).toBeGreaterThan(figures.locales.en!);
    expect(figures.locales.en!).toBeGreaterThan(500);
    expect(figures.channels.sms!).toBeGreaterThan(500);
    expect(figures.changedAnswers).toBeGreaterThan(50);
  });

  test('detractors are won back: confirmed solved, and promoters in a later purchase', () => {
    expect(figures.recovered.confirmedSolved).toBeGreaterThan(150);
    expect(figures.recovered.promoterAgain).toBeGreaterThan(30);
    expect(figures.recovered.both).toBeGreaterThan(10);
  });

  test('recent cases wait on the callback list; last year sends no mails', async () => {
    const { db } = demo.hami.deps;
    expect(figures.openCases.open).toBeGreaterThan(0);
    const due = await db.selectFrom('jobs').select(['name']).where('status', '=', 'queued').where('run_at', '<=', new Date(NOW).toISOString()).execute();
    expect(due).toEqual([]);
    const queued = await db.selectFrom('jobs').select('name').distinct().where('status', '=', 'queued').execute();
    expect(queued.map((j) => j.name).sort()).toEqual(['case.sla_check', 'invitation.send']);
    const care = await db.selectFrom('users').select('email').where('role', '=', 'care').orderBy('email').execute();
    expect(care.map((u) => u.email)).toEqual(['neda@example.com', 'tom@example.com']);
  });
});

test('the same seed tells the same story', async () => {
  const small = { customers: 300, events: 500 };
  const runs: DemoFigures[] = [];
  for (let i = 0; i < 2; i++) {
    const demo = await seeded(small);
    runs.push(demoFigures(demo.file));
    await demo.cleanup();
  }
  expect(runs[1]).toEqual(runs[0]);
}, 60_000);
