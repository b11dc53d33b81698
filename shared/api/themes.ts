import { z } from 'zod';
import type { LocalizedText } from '../locale.js';
import { THEME_ID, THEME_LABEL_MAX_LENGTH, THEME_MAX_TERMS, THEME_TERM_MAX_LENGTH, type ThemeDefinition } from '../themes/theme.js';
import type { Interval, MetricsSource, NpsTotals } from './metrics.js';

/*
 * The comment-themes API. Reads (GET /api/metrics/themes*) take the metrics filters (from, to, survey, channel,
 * locale, attr.NAME=VALUE) and answer from the per-day rollups when they can. The dictionary (GET/PUT/POST
 * /api/themes…) is admin-edited; after a change, history is re-tagged (POST /api/themes/retag or `hami themes retag`).
 *
 * Storage (server): responses.themes holds the ids a comment was tagged with when the answer was recorded; the
 * rollups count them as dimension '#theme' with the theme id as value, and '#theme' with value '' counts the
 * responses that have a comment ("commenters"), so every number below is a sum of rollup rows.
 */

/** The effect of one theme on NPS, with its uncertainty; the significance is corrected for comparing many themes at once. */
export interface ThemeEffect {
  /**
   * How many points the theme moves overall NPS: overall NPS minus the NPS of everyone who did not mention it
   * (= share of answers mentioning it × (NPS with − NPS of the rest)). Negative: the theme pulls NPS down.
   */
  points: number;
  /** Half-width of its 95% interval, in NPS points (from the two-sample test of with vs the rest, scaled by the share). */
  marginOfError: number;
  /** Two-sided p-value of the two-sample z test on NPS with the theme vs the rest (shared/nps.ts npsDifferenceTest). */
  p: number;
  /** A discovery after Benjamini–Hochberg over all themes in the answer at FALSE_DISCOVERY_RATE, and both groups ≥ the minimum n. */
  significant: boolean;
}

export interface ThemeImpact {
  id: string;
  label: LocalizedText;
  /** Comments mentioning the theme. */
  count: number;
  /** The share (0–1) of detractors', passives' and promoters' comments that mention it. */
  shareOf: { detractors: number; passives: number; promoters: number };
  /** NPS of the commenters who mention it, and of the commenters who do not. */
  withTheme: NpsTotals;
  withoutTheme: NpsTotals;
  /** Null when nobody mentioned it or nobody else answered. */
  effect: ThemeEffect | null;
}

/** GET /api/metrics/themes?from&to[&filters]: every enabled theme's weight and effect, biggest |effect| first. */
export interface ThemeImpactBody {
  /** NPS of all answers in range, and of those with a comment. */
  overall: NpsTotals;
  commenters: NpsTotals;
  themes: ThemeImpact[];
  /** How many themes were compared at once (the false discovery rate is controlled over these). */
  comparisons: number;
  falseDiscoveryRate: number;
  source: MetricsSource;
}

/** GET /api/metrics/themes/trend?from&to&interval[&calendar][&theme=id…][&filters]: mentions per period. */
export interface ThemeTrendBody {
  interval: Interval;
  /** The first day of each period, YYYY-MM-DD. */
  periods: string[];
  /** Responses with a comment, per period. */
  commenters: number[];
  themes: {
    id: string;
    label: LocalizedText;
    /** Comments mentioning it per period, and that as a share (0–1) of the period's commenters (null with no comments). */
    counts: number[];
    shares: (number | null)[];
  }[];
  source: MetricsSource;
}

/** GET /api/themes: the dictionary in force (built-ins with the admin's edits, then the admin's own themes). */
export interface ThemeDictionaryBody {
  themes: ThemeDefinition[];
  /**
   * When responses were last re-tagged, and whether the dictionary changed since. Until a re-tag, answers (old and
   * new alike) stay tagged with the dictionary of the last re-tag, so the counts never mix two dictionaries.
   */
  retaggedAt: string | null;
  stale: boolean;
  /** A re-tag running in this server: responses done of total. Null when none is. */
  retag: ThemeRetagProgress | null;
}

export interface ThemeRetagProgress {
  done: number;
  total: number;
}

/** POST /api/themes/retag (202): started in the background; follow it on GET /api/themes (`retag`, then `stale`). */
export interface ThemeRetagBody {
  retag: ThemeRetagProgress;
}

const label = z.string().trim().min(1, 'is required').max(THEME_LABEL_MAX_LENGTH, `has at most ${THEME_LABEL_MAX_LENGTH} characters`);
const terms = z
  .array(z.string().trim().min(1, 'cannot be empty').max(THEME_TERM_MAX_LENGTH, `has at most ${THEME_TERM_MAX_LENGTH} characters`))
  .max(THEME_MAX_TERMS, `has at most ${THEME_MAX_TERMS} terms`);

/** PUT /api/themes/{id}: a theme's labels (both languages), terms and whether it is on. */
export const themeEdit = z.strictObject({
  label: z.strictObject({ en: label, fa: label }),
  terms: z.strictObject({ en: terms, fa: terms }),
  enabled: z.boolean().default(true),
});
export type ThemeEdit = z.infer<typeof themeEdit>;

/** POST /api/themes: a new theme of the admin's own. */
export const themeCreate = themeEdit.extend({
  id: z.string().regex(THEME_ID, 'must be 2–40 lower-case letters, digits or -, starting with a letter'),
});
export type ThemeCreate = z.infer<typeof themeCreate>;

/** A frequent phrase of recent comments that no theme covers: a candidate an admin can accept into the dictionary. */
export interface ThemeCandidate {
  /** The phrase in its normalised form (two or three words). */
  phrase: string;
  locale: 'en' | 'fa';
  /** Comments using it, and how many of those are detractors'. */
  count: number;
  detractors: number;
  /** A few comments that use it, for the admin to judge. */
  examples: string[];
}

/** GET /api/themes/candidates?from&to: candidates, most frequent first. */
export interface ThemeCandidatesBody {
  candidates: ThemeCandidate[];
}
