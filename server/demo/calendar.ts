/*
 * The demo shop's year, as seen from Tehran: the sale before Nowruz (late March) and the Nowruz holidays, the
 * "Black Friday" and Yalda / end-of-year sales (late November, December) bring more orders and slower couriers;
 * summer is calm. A Headphones launch promotion sits in a quiet stretch of the year, and a bad batch shipped in
 * the middle of it. Everything is relative to the clock the seeder is given, so any "now" tells the same story.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Iran keeps UTC+03:30 all year. */
const TEHRAN_OFFSET = 3.5 * HOUR;

export type SeasonName = 'nowruz_sale' | 'nowruz' | 'black_friday' | 'year_end_sale' | 'yalda' | 'backlog' | 'summer';
/** Seasons when couriers fall behind: more orders, slower shipping. */
const PEAKS: ReadonlySet<SeasonName> = new Set(['nowruz_sale', 'nowruz', 'black_friday', 'year_end_sale', 'yalda', 'backlog']);

export interface Season {
  name: SeasonName | null;
  /** Order volume relative to an ordinary day. */
  volume: number;
  /** Extra share of detractors because shipping is slow (negative: calmer than usual). */
  stress: number;
}

/** Tehran's calendar day of an instant: month 1–12, day of month, weekday 0 (Sunday)…6. */
export function tehranDate(t: number): { month: number; day: number; weekday: number } {
  const local = new Date(t + TEHRAN_OFFSET);
  return { month: local.getUTCMonth() + 1, day: local.getUTCDate(), weekday: local.getUTCDay() };
}

/** Tehran's hour of the day (0–23.99) of an instant. */
export function tehranHour(t: number): number {
  return ((((t + TEHRAN_OFFSET) % DAY) + DAY) % DAY) / HOUR;
}

/** The season of a Tehran calendar day, before smoothing. */
function seasonOfDay(month: number, day: number): Season {
  if (month === 3 && day <= 19) return { name: 'nowruz_sale', volume: 1.75, stress: day < 10 ? 0.02 : 0.07 };
  if ((month === 3 && day >= 20) || (month === 4 && day <= 3)) return { name: 'nowruz', volume: 1.1, stress: 0.11 };
  if (month === 4 && day <= 10) return { name: 'backlog', volume: 0.95, stress: 0.05 };
  if (month === 11 && day >= 20) return { name: 'black_friday', volume: 1.5, stress: 0.04 };
  if (month === 12 && day <= 12) return { name: 'year_end_sale', volume: 1.25, stress: 0.03 };
  if (month === 12) return { name: 'yalda', volume: 1.65, stress: 0.09 };
  if (month === 1 && day <= 6) return { name: 'backlog', volume: 0.95, stress: 0.06 };
  if ((month === 6 && day >= 15) || month === 7 || month === 8) return { name: 'summer', volume: 0.8, stress: -0.035 };
  return { name: null, volume: 1, stress: 0 };
}

/** Fewer orders on the Iranian weekend (Thursday afternoon and Friday), more on Saturday. */
export function weekdayVolume(t: number): number {
  const { weekday } = tehranDate(t);
  return weekday === 5 ? 0.72 : weekday === 4 ? 0.9 : weekday === 6 ? 1.12 : 1.04;
}

/**
 * The seasons of every day from `start` for `days` days, volume smoothed over 5 days and stress over 3, so a
 * sale ramps up and down instead of jumping.
 */
export function seasonsFrom(start: number, days: number): Season[] {
  const raw = Array.from({ length: days + 6 }, (_, i) => {
    const { month, day } = tehranDate(start + (i - 3) * DAY);
    return seasonOfDay(month, day);
  });
  return Array.from({ length: days }, (_, i) => {
    const at = i + 3;
    const mean = (span: number, of: (s: Season) => number) => {
      let sum = 0;
      for (let k = -span; k <= span; k++) sum += of(raw[at + k]!);
      return sum / (2 * span + 1);
    };
    return { name: raw[at]!.name, volume: mean(2, (s) => s.volume), stress: mean(1, (s) => s.stress) };
  });
}

export function isPeak(season: Season): boolean {
  return season.name !== null && PEAKS.has(season.name);
}

export interface Launch {
  /** The Headphones launch promotion: more Headphones orders, and more orders overall. */
  promoStart: number;
  promoEnd: number;
  /** Orders shipped from the bad batch (battery and hinge faults), Saturday to Saturday: a day later their surveys go out. */
  batchStart: number;
  batchEnd: number;
  /** Support tickets about the faulty units keep coming for a while after the batch. */
  ticketsEnd: number;
  /**
   * The courier's backlog: from a few days into the batch, collecting the faulty units and bringing replacements
   * floods it, and every order ships late until the batch is no longer shipped (its last returns go with the rest).
   */
  backlogStart: number;
  backlogEnd: number;
}

const WEEK = 7 * DAY;

/**
 * Places the Headphones launch (12 weeks of promotion; weeks 3–9 shipped the bad batch) in a quiet stretch: no
 * overlap with a peak season, as little summer as possible, about half a year before `end`.
 */
export function chooseLaunch(start: number, end: number): Launch {
  const firstDay = Math.floor(start / DAY) * DAY;
  let best: { cost: number; at: number } | null = null;
  for (let back = 100; back <= 250; back++) {
    let at = Math.floor((end - back * DAY) / DAY) * DAY;
    // The bad batch's surveys are answered from a Monday (UTC) on, so a weekly chart shows the drop in one step.
    while (new Date(at + 2 * WEEK).getUTCDay() !== 1) at -= DAY;
    if (at < start + 21 * DAY || at + 12 * WEEK + 21 * DAY > end) continue;
    const seasons = seasonsFrom(at, 12 * 7 + 14);
    if (seasons.some(isPeak)) continue;
    const summer = seasons.filter((s) => s.name === 'summer').length;
    const cost = summer + Math.abs(back - 190) * 0.2;
    if (!best || cost < best.cost) best = { cost, at };
  }
  const promoStart = best?.at ?? firstDay + 120 * DAY;
  return {
    promoStart,
    batchStart: promoStart + 2 * WEEK - 2 * DAY,
    batchEnd: promoStart + 9 * WEEK - 2 * DAY,
    ticketsEnd: promoStart + 10 * WEEK,
    backlogStart: promoStart + 2 * WEEK + DAY,
    backlogEnd: promoStart + 9 * WEEK - DAY,
    promoEnd: promoStart + 12 * WEEK,
  };
}
