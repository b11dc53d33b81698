import type { z } from 'zod';
import type { BucketCounts } from '../../shared/nps.js';
import type { AppDeps } from '../deps.js';
import { suppress } from '../delivery/store.js';
import { invalidInput } from './errors.js';
import { pageOf, rangeOf, type metricsQuery, type pageQuery, type responsesQuery } from './input.js';
import { metricsOf, personOf, unix, type MetricsBody, type SurveyResponseBody } from './shapes.js';
import { bucketCounts, emailSuppressions, personIdsOf, responsePage, type ResponseOrder, type SuppressionKind } from './store.js';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'publicUrl'>;

/** Delighted's `order`: asc / desc on the creation time, or `asc:updated_at` / `desc:updated_at`. */
export function orderOf(order: string | undefined): ResponseOrder {
  const [direction = 'asc', field = 'created_at'] = (order ?? 'asc').split(':');
  return { column: field === 'updated_at' ? 'updated_at' : 'answered_at', direction: direction === 'desc' ? 'desc' : 'asc' };
}

/**
 * One page of GET survey_responses.json: every scored NPS answer, native and imported from Delighted, oldest first
 * unless `order` says otherwise; `person` is the person id, or the person itself with expand[]=person.
 */
export async function listResponses(deps: Deps, query: z.output<typeof responsesQuery>): Promise<SurveyResponseBody[]> {
  const rows = await responsePage(
    deps.db,
    {
      created: rangeOf(query.since, query.until),
      updated: rangeOf(query.updated_since, query.updated_until),
      order: orderOf(query.order),
      ...(query.person_id ? { personId: query.person_id } : {}),
      ...(query.person_email ? { personEmail: query.person_email.trim().toLowerCase() } : {}),
    },
    pageOf(query),
  );
  const personIds = await personIdsOf(
    deps.db,
    rows.map((r) => r.customer_id),
    deps.clock.now(),
  );
  return rows.map((row) => {
    const personId = personIds.get(row.customer_id)!;
    const person =
      query['expand[]'] === 'person'
        ? personOf(personId, {
            email: row.email,
            name: row.name,
            phone: row.phone,
            created_at: row.customer_created_at,
            attributes: row.customer_attributes,
          })
        : personId;
    return {
      id: row.id,
      person,
      survey_type: 'nps',
      score: row.score!,
      comment: row.comment,
      permalink: row.case_id ? `${deps.publicUrl}/app/#/callbacks/${encodeURIComponent(row.case_id)}` : null,
      created_at: unix(row.answered_at),
      updated_at: unix(row.updated_at),
      person_properties: JSON.parse(row.attributes),
      notes: [],
      tags: [],
      additional_answers: [],
    };
  });
}

/** GET metrics.json: NPS and its buckets over the answers created in the range (shared/nps.ts does the sums). */
export async function metrics(deps: Pick<AppDeps, 'db'>, query: z.output<typeof metricsQuery>): Promise<MetricsBody> {
  const counts: BucketCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const { bucket, n } of await bucketCounts(deps.db, rangeOf(query.since, query.until))) {
    if (bucket === 'promoter') counts.promoters += n;
    else if (bucket === 'passive') counts.passives += n;
    else if (bucket === 'detractor') counts.detractors += n;
  }
  return metricsOf(counts);
}

/** GET unsubscribes.json / bounces.json: the email addresses Hami will not survey, with the person behind each. */
export async function listSuppressions(deps: Deps, kind: SuppressionKind, query: z.output<typeof pageQuery>) {
  const rows = await emailSuppressions(deps.db, kind, rangeOf(query.since, query.until), pageOf(query));
  const personIds = await personIdsOf(
    deps.db,
    rows.flatMap((r) => (r.customer_id ? [r.customer_id] : [])),
    deps.clock.now(),
  );
  return rows.map((row) => ({
    person_id: row.customer_id ? personIds.get(row.customer_id)! : null,
    email: row.address,
    name: row.name ?? null,
    at: unix(row.created_at),
  }));
}

/**
 * POST unsubscribes.json: the email is opted out of email surveys, as if its owner had used the opt-out link —
 * nothing is sent to it again (checked when an invitation is planned and again when it is sent).
 */
export async function unsubscribe(deps: Pick<AppDeps, 'db' | 'clock'>, fields: unknown): Promise<void> {
  const email = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>).person_email : undefined;
  if (typeof email !== 'string' || !email.trim()) throw invalidInput({ person_email: ["can't be blank"] });
  const address = email.trim().toLowerCase();
  if (address.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address))
    throw invalidInput({ person_email: ['is not an email address'] });
  await suppress(deps.db, 'email', address, 'opted_out', deps.clock.now());
}
