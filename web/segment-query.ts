import type { ActionInput, Basis, SegmentFilter, SegmentFilterInput } from '../shared/api/segments.js';
import { parseWholeNumber } from '../shared/digits.js';
import { isLocale } from '../shared/locale.js';
import type { Bucket } from '../shared/scoring.js';
import type { Channel } from '../shared/survey-schema.js';

/*
 * The segment builder's state as the URL hash query says it (#/segments?bucket=promoter&basis=ever&attr.product=…),
 * so a segment can be shared before it is saved and survives a reload. The hash uses the API's own parameter
 * names (shared/api/segments.ts), so the hash query is the API query. The value lists are repeated, not imported:
 * importing a value from shared/api/segments.ts or survey-schema.ts would bundle zod (see reasons.ts); the
 * `satisfies` clauses fail the type check if they drift.
 */

export const BUCKETS = ['promoter', 'passive', 'detractor'] as const satisfies readonly Bucket[];
export const BASES = ['latest', 'ever'] as const satisfies readonly Basis[];
export const CHANNELS = ['email', 'sms', 'bale'] as const satisfies readonly Channel[];
/** Channels a review or referral request can go by (ACTION_CHANNELS): not Bale. */
export const ACTION_CHANNELS = ['email', 'sms'] as const satisfies readonly ActionInput['channel'][];
const MAX_DAYS = 3650;
const ATTR = 'attr.';
const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;

export interface SegmentView {
  buckets: Bucket[];
  basis: Basis;
  survey?: string;
  from?: string;
  to?: string;
  channel?: Channel;
  locale?: SegmentFilter['locale'];
  attributes: Record<string, string>;
  /**
   * The two day counts as typed: kept raw so a half-typed or wrong value stays in the box (marked invalid)
   * instead of vanishing from the address; only a valid count reaches the API.
   */
  answeredWithinDays: string;
  notContactedDays: string;
}

export const EMPTY_VIEW: SegmentView = { buckets: [], basis: 'latest', attributes: {}, answeredWithinDays: '', notContactedDays: '' };

/** A day count the API accepts (1–3650), typed in Latin, Persian or Arabic-Indic digits, or undefined. */
export function validDays(raw: string): number | undefined {
  const value = parseWholeNumber(raw);
  return value !== null && value >= 1 && value <= MAX_DAYS ? value : undefined;
}

const isBucket = (value: string): value is Bucket => (BUCKETS as readonly string[]).includes(value);
const isChannel = (value: string | null): value is Channel => (CHANNELS as readonly string[]).includes(value ?? '');
const day = (value: string | null) => (value && DAY_KEY.test(value) ? value : undefined);

/** The builder's state from a hash query; values it does not know are dropped. */
export function parseSegmentQuery(query: URLSearchParams): SegmentView {
  const buckets = query
    .getAll('bucket')
    .flatMap((value) => value.split(','))
    .filter(isBucket);
  const basis = query.get('basis') === 'ever' ? 'ever' : 'latest';
  const attributes: Record<string, string> = {};
  for (const [key, value] of query)
    if (key.startsWith(ATTR) && key.length > ATTR.length && value) attributes[key.slice(ATTR.length)] = value;
  const channel = query.get('channel');
  const locale = query.get('locale');
  return {
    // In BUCKETS order, once each: the same segment is always the same address.
    buckets: BUCKETS.filter((bucket) => buckets.includes(bucket)),
    basis,
    survey: query.get('survey') || undefined,
    from: day(query.get('from')),
    to: day(query.get('to')),
    channel: isChannel(channel) ? channel : undefined,
    locale: isLocale(locale) ? locale : undefined,
    attributes,
    answeredWithinDays: query.get('answeredWithinDays') ?? '',
    notContactedDays: query.get('notContactedDays') ?? '',
  };
}

/**
 * The hash query of a view, in a fixed order with defaults left out. With `forApi`, day counts that are not valid
 * are left out too, so the API is only asked what it can answer.
 */
export function segmentParams(view: SegmentView, forApi = false): URLSearchParams {
  const params = new URLSearchParams();
  if (view.buckets.length) params.set('bucket', view.buckets.join(','));
  if (view.basis !== 'latest') params.set('basis', view.basis);
  for (const key of ['survey', 'from', 'to', 'channel', 'locale'] as const) {
    const value = view[key];
    if (value) params.set(key, value);
  }
  for (const [name, value] of Object.entries(view.attributes).sort(([a], [b]) => a.localeCompare(b))) params.set(`${ATTR}${name}`, value);
  for (const key of ['answeredWithinDays', 'notContactedDays'] as const) {
    const raw = view[key].trim();
    const days = validDays(raw);
    // The API reads Latin digits; the address keeps what was typed.
    if (forApi ? days !== undefined : raw) params.set(key, forApi ? String(days) : raw);
  }
  return params;
}

/** The address of the builder showing `view`, for a saved segment when `savedId` is given. */
export function segmentHash(view: SegmentView, savedId?: string): string {
  const query = segmentParams(view).toString();
  return `#/segments${savedId ? `/${encodeURIComponent(savedId)}` : ''}${query ? `?${query}` : ''}`;
}

/** The view as the JSON filter a saved segment stores. */
export function toFilterInput(view: SegmentView): SegmentFilterInput {
  return {
    buckets: view.buckets,
    basis: view.basis,
    survey: view.survey,
    from: view.from,
    to: view.to,
    channel: view.channel,
    locale: view.locale,
    attributes: view.attributes,
    answeredWithinDays: validDays(view.answeredWithinDays),
    notContactedDays: validDays(view.notContactedDays),
  };
}

/** A saved segment's filter as a view of the builder. */
export function fromFilter(filter: SegmentFilter): SegmentView {
  return {
    buckets: BUCKETS.filter((bucket) => filter.buckets.includes(bucket)),
    basis: filter.basis,
    survey: filter.survey,
    from: filter.from,
    to: filter.to,
    channel: filter.channel,
    locale: filter.locale,
    attributes: { ...filter.attributes },
    answeredWithinDays: filter.answeredWithinDays === undefined ? '' : String(filter.answeredWithinDays),
    notContactedDays: filter.notContactedDays === undefined ? '' : String(filter.notContactedDays),
  };
}

/** Two views ask for the same members (their API queries are equal). */
export function sameSegment(a: SegmentView, b: SegmentView): boolean {
  return segmentParams(a, true).toString() === segmentParams(b, true).toString();
}
