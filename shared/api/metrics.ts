import { z } from 'zod';
import type { PercentInterval } from '../intervals.js';
import { LOCALES } from '../locale.js';
import { CHANNELS } from '../survey-schema.js';
import { attributeFilters, dayKey } from './fields.js';

/*
 * The metrics API (GET /api/metrics/*), read by the dashboard's overview. Every endpoint takes the same filters
 * and says how it answered: from the per-day rollups ("rollup", cost follows days) or from an indexed scan of
 * the responses ("scan", for filters the rollups do not cover).
 */

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
/** Weeks and months in the Gregorian calendar (weeks from Monday) or the Jalali one (weeks from Saturday). */
export const CALENDARS = ['gregorian', 'jalali'] as const;
export type Calendar = (typeof CALENDARS)[number];

/**
 * The filters of every metrics view, as query parameters: `from`/`to` (inclusive UTC days), `survey`, `channel`,
 * `locale`, and `attr.NAME=VALUE` for any event or customer attribute. Parsed from a URLSearchParams-like record.
 */
export const metricsFilterInput = z
  .object({
    from: dayKey,
    to: dayKey,
    survey: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a survey id')
      .optional(),
    channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
    locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }).optional(),
    /** attr.NAME=VALUE pairs, gathered from the query by the route. */
    attributes: attributeFilters,
  })
  .refine((f) => f.from <= f.to, { path: ['to'], message: 'must not be before from' })
  .refine((f) => Date.parse(`${f.to}T00:00:00Z`) - Date.parse(`${f.from}T00:00:00Z`) <= 3 * 366 * 86_400_000, {
    path: ['from'],
    message: 'the range can span at most three years',
  });
export type MetricsFilter = z.infer<typeof metricsFilterInput>;

export const trendInput = z.object({
  interval: z.enum(INTERVALS, { error: `must be one of ${INTERVALS.join(', ')}` }).default('week'),
  calendar: z.enum(CALENDARS, { error: `must be one of ${CALENDARS.join(', ')}` }).default('gregorian'),
});

export type MetricsSource = 'rollup' | 'scan';

export interface NpsTotals {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100…100; null when nobody gave a score. */
  nps: number | null;
  /** Half-width of the 95% adjusted-Wald interval, in NPS points (shared/nps.ts); never 0 once someone answered. */
  marginOfError: number | null;
}

/** GET /api/metrics/nps?from&to&interval[&calendar][&filters] (the shape is in the public contract). */
export interface NpsTrendBody {
  total: NpsTotals;
  points: (NpsTotals & {
    /** First day of the period, YYYY-MM-DD. */
    start: string;
    /**
     * The change from the previous period is significant: a two-sample z test on the NPS difference, both periods with
     * ≥ 30 answers, Benjamini–Hochberg over all the trend's tested changes at a 5% false discovery rate.
     */
    significant: boolean;
  })[];
  /** How many period-to-period changes were tested (pairs where both periods have ≥ 30 answers). */
  comparisons: number;
  source: MetricsSource;
}

export interface SatisfactionTotals {
  /** CSAT 1–5: answers, and the share of 4–5 as a percentage. */
  csatN: number;
  csat: number | null;
  /** The 95% Wilson interval of the CSAT share, in percent; null when nobody answered. */
  csatInterval: PercentInterval | null;
  /** CES 1–7: answers and their mean. */
  cesN: number;
  ces: number | null;
  /** "Was your problem solved?": answers and the share of yes as a percentage. */
  solvedN: number;
  solvedRate: number | null;
  /** The 95% Wilson interval of the solved rate, in percent; null when nobody answered. */
  solvedInterval: PercentInterval | null;
}

/** GET /api/metrics/satisfaction?from&to&interval[&calendar][&filters]: CSAT, CES and the solved rate over time. */
export interface SatisfactionTrendBody {
  total: SatisfactionTotals;
  points: (SatisfactionTotals & { start: string })[];
  source: MetricsSource;
}

/** GET /api/metrics/summary?from&to[&filters]: the numbers behind the overview's tiles and bars. */
export interface SummaryBody {
  nps: NpsTotals;
  satisfaction: SatisfactionTotals;
  /** How many answers gave each score, index 0…10. */
  distribution: number[];
  /** Responses, scored or not. */
  responses: number;
  /**
   * Invitations planned for a day in the range (by send_at; skipped ones and public-link answers left out), and how
   * far each got, whenever it got there: sent, opened (or answered straight from the message), answered.
   * responseRate is answered / sent as a percentage, null when nothing was sent.
   */
  funnel: { planned: number; sent: number; opened: number; answered: number; responseRate: number | null };
  source: MetricsSource;
}

/** GET /api/metrics/reasons?from&to[&filters]: why detractors are unhappy, most common first (a Pareto list). */
export interface ReasonsBody {
  /** Root causes recorded when care closed detractor cases; cumulativeShare is 0–1, of all reasons counted. */
  categories: { reason: string; count: number; cumulativeShare: number }[];
  /** The most frequent words of detractor comments (stop words removed); count = comments using the word. */
  keywords: { word: string; count: number }[];
  source: 'scan';
}

export interface CommentItem {
  responseId: string;
  customerId: string;
  customerName: string | null;
  surveyId: string;
  channel: string;
  locale: string;
  score: number | null;
  bucket: string | null;
  comment: string;
  answeredAt: string;
  /** The callback case this answer opened (a detractor's), null when there is none. */
  caseId: string | null;
}

/** GET /api/metrics/comments?from&to[&q][&limit][&filters]: the latest comments, newest first (limit 20 by default, at most 100). */
export interface CommentsBody {
  items: CommentItem[];
  source: 'scan';
}

/** GET /api/metrics/filters: what the filter controls can offer. */
export interface FilterOptionsBody {
  surveys: string[];
  channels: string[];
  locales: string[];
  /** The attributes surveys declare as dimensions (rolled up), with the values seen. */
  dimensions: Record<string, string[]>;
}
