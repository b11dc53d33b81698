import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { demoFigures, type DemoFigures, type WeekPoint } from '../../server/demo/report.js';
import { DEMO_CARE_PASSWORD, seedDemoData, type SeedOptions } from '../../server/demo/seed.js';
import { silentLogger } from '../../server/log.js';
import { startHami, type RunningHami } from '../../server/start.js';
import type { ThemeImpactBody, ThemeTrendBody } from '../../shared/api/themes.js';
import { ManualClock } from '../helpers/clock.js';
import { ADMIN, signIn } from '../helpers/staff.js';

const NOW = '2026-11-23T12:00:00Z';

/** Starts the real app on a fresh SQLite file, seeding it the way `npm run demo` does (before the worker starts). */
async function seeded(
  options: SeedOptions = {},
): Promise<{ hami: RunningHami; file: string; summary: string | null; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-demo-'));
  const config = loadConfig({ HAMI_DATA_DIR: dir, PORT: '0', HAMI_ADMIN_PASSWORD: 'correct horse battery' });
  let summary: string | null = null;
  const hami = await startHami(config, {
    clock: new ManualClock(NOW),
    log: silentLogger,
    prepare: async (deps) => void (summary = await seedDemoData(deps, options)),
  });
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
  }, 300_000); // a year of answers, each comment tagged as it is recorded, on a machine that may be busy
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

  test('delivery complaints rise with the bad batch and fall after it: the report, the theme trend and the theme view say so', async () => {
    // The report's weeks (the Headphones dip, and five weeks either side) and its shares of detractors' comments.
    const { before, during, after } = figures.deliveryAroundDip!;
    expect(during.weeks.length).toBeGreaterThanOrEqual(6);
    expect(during.percent!).toBeGreaterThan(45);
    expect(during.percent!).toBeGreaterThan(1.5 * before.percent!);
    expect(during.percent!).toBeGreaterThan(1.5 * after.percent!);

    const admin = await signIn(demo.hami, ADMIN.email, ADMIN.password);
    const lastDay = (weeks: string[]) => new Date(Date.parse(weeks[weeks.length - 1]!) + 6 * 86_400_000).toISOString().slice(0, 10);
    const trend = await admin.call(
      'GET',
      `/api/metrics/themes/trend?from=${before.weeks[0]}&to=${lastDay(after.weeks)}&interval=week&theme=delivery`,
    );
    expect(trend.status).toBe(200);
    const body = trend.body as ThemeTrendBody;
    const counts = body.themes.find((t) => t.id === 'delivery')!.counts;
    const perWeek = (weeks: string[]) => weeks.reduce((sum, week) => sum + counts[body.periods.indexOf(week)]!, 0) / weeks.length;
    // Mentions per week (all comments, any score): more than twice those of the weeks before and after.
    expect(perWeek(during.weeks)).toBeGreaterThan(2 * perWeek(before.weeks));
    expect(perWeek(during.weeks)).toBeGreaterThan(2 * perWeek(after.weeks));

    // The theme view: in the dip's weeks delivery pulls NPS down, significantly; before it, it did not.
    const effect = async (weeks: string[]) => {
      const view = await admin.call('GET', `/api/metrics/themes?from=${weeks[0]}&to=${lastDay(weeks)}`);
      expect(view.status).toBe(200);
      return (view.body as ThemeImpactBody).themes.find((t) => t.id === 'delivery')!.effect!;
    };
    const inDip = await effect(during.weeks);
    expect(inDip.points).toBeLessThan(-5);
    expect(inDip.significant).toBe(true);
    expect((await effect(before.weeks)).points).toBeGreaterThan(inDip.points + 5);
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
    const due = await db
      .selectFrom('jobs')
      .select(['name'])
      .where('status', '=', 'queued')
      .where('run_at', '<=', new Date(NOW).toISOString())
      .execute();
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
