import { z } from 'zod';
import { npsSummary, type BucketCounts } from '../../shared/nps.js';

/*
 * Delighted's answer shapes, field for field (https://delighted.com/docs/api: sending-to-people,
 * listing-survey-responses, getting-metrics, listing-unsubscribed-people, listing-bounced-people; the fixtures in
 * delighted-ruby test/delighted_test.rb): ids are strings, times Unix seconds.
 */

export const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const properties = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const personBody = z.object({
  id: z.string().describe('The Delighted person id the customer was imported with, else one Hami issued (stable)'),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone_number: z.string().nullable(),
  created_at: z.number().int(),
  properties,
  survey_scheduled_at: z.number().int().optional().describe('When the survey is due (Unix seconds), present when one was planned'),
});
type PersonBody = z.infer<typeof personBody>;

interface PersonRow {
  email: string | null;
  name: string | null;
  phone: string | null;
  created_at: string;
  attributes: string;
}

export function personOf(personId: string, customer: PersonRow, scheduledAt?: Date | null): PersonBody {
  return {
    id: personId,
    email: customer.email,
    name: customer.name,
    phone_number: customer.phone,
    created_at: unix(customer.created_at),
    properties: JSON.parse(customer.attributes),
    ...(scheduledAt ? { survey_scheduled_at: Math.floor(scheduledAt.getTime() / 1000) } : {}),
  };
}

export const surveyResponseBody = z.object({
  id: z.string(),
  person: z.union([z.string(), personBody]).describe('The person id, or the person with expand[]=person'),
  survey_type: z.literal('nps'),
  score: z.number().int(),
  comment: z.string().nullable(),
  permalink: z.string().nullable().describe('The callback case in the dashboard when the answer opened one, else null'),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  person_properties: properties.nullable().describe('The attributes the answer carries (customer and event)'),
  notes: z.array(z.never()).describe('Always empty: Hami keeps notes on the callback case'),
  tags: z.array(z.never()).describe('Always empty'),
  additional_answers: z.array(z.never()).describe('Always empty: only the NPS question and its comment are given'),
});
export type SurveyResponseBody = z.infer<typeof surveyResponseBody>;

export const metricsBody = z.object({
  nps: z.number().int().nullable().describe('Rounded; null when nobody answered (a missing answer is not a zero)'),
  promoter_count: z.number().int(),
  promoter_percent: z.number().int(),
  passive_count: z.number().int(),
  passive_percent: z.number().int(),
  detractor_count: z.number().int(),
  detractor_percent: z.number().int(),
  response_count: z.number().int(),
});
export type MetricsBody = z.infer<typeof metricsBody>;

/** Delighted's metrics from the bucket counts, with the NPS of shared/nps.ts; percentages rounded as Delighted shows them. */
export function metricsOf(counts: BucketCounts): MetricsBody {
  const summary = npsSummary(counts);
  const percent = (count: number) => (summary.n === 0 ? 0 : Math.round((count / summary.n) * 100));
  return {
    nps: summary.nps === null ? null : Math.round(summary.nps),
    promoter_count: counts.promoters,
    promoter_percent: percent(counts.promoters),
    passive_count: counts.passives,
    passive_percent: percent(counts.passives),
    detractor_count: counts.detractors,
    detractor_percent: percent(counts.detractors),
    response_count: summary.n,
  };
}

export const unsubscribeBody = z.object({
  person_id: z.string().nullable().describe('Null when no customer has this email'),
  email: z.string(),
  name: z.string().nullable(),
  unsubscribed_at: z.number().int(),
});

export const bounceBody = z.object({
  person_id: z.string().nullable().describe('Null when no customer has this email'),
  email: z.string(),
  name: z.string().nullable(),
  bounced_at: z.number().int(),
});

export const okBody = z.object({ ok: z.literal(true) });

export const delightedErrorBody = z.object({
  status: z.number().int(),
  message: z.string().describe('Names the field at fault'),
  errors: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('Per field (as sent: email, phone_number, properties[locale], per_page…), its problems'),
});
