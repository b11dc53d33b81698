import type { z } from 'zod';
import type { WebhookEvent, WebhookEventBody, webhookCase, webhookCustomer, webhookResponse } from '../../shared/api/webhooks.js';
import type { Db } from '../db/connect.js';

/*
 * The data of each event body (shapes in shared/api/webhooks.ts), read when the fan-out job runs, right after
 * the change commits. Built once per event: every subscription, attempt and resend gets the same bytes.
 */

type ResponseData = { response: z.infer<typeof webhookResponse>; customer: z.infer<typeof webhookCustomer> };

async function responseData(db: Db, responseId: string): Promise<ResponseData | null> {
  const row = await db
    .selectFrom('responses as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select([
      'r.id',
      'r.survey_id',
      'r.score',
      'r.bucket',
      'r.comment',
      'r.answers',
      'r.channel',
      'r.locale',
      'r.answered_at',
      'c.id as customer_id',
      'c.external_id',
      'c.name',
      'c.email',
      'c.phone',
      'c.locale as customer_locale',
      'c.attributes',
    ])
    .where('r.id', '=', responseId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    response: {
      id: row.id,
      surveyId: row.survey_id,
      score: row.score,
      bucket: row.bucket as ResponseData['response']['bucket'],
      comment: row.comment,
      answers: JSON.parse(row.answers) as Record<string, unknown>,
      channel: row.channel,
      locale: row.locale,
      answeredAt: row.answered_at,
    },
    customer: {
      id: row.customer_id,
      externalId: row.external_id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      locale: row.customer_locale,
      attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    },
  };
}

async function caseData(db: Db, caseId: string, publicUrl: string): Promise<(ResponseData & { case: z.infer<typeof webhookCase> }) | null> {
  const row = await db.selectFrom('callback_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  const answer = row ? await responseData(db, row.response_id) : null;
  if (!row || !answer) return null;
  return {
    case: {
      id: row.id,
      status: row.status,
      reason: row.reason,
      ownerId: row.owner_id,
      dueAt: row.due_at,
      openedAt: row.opened_at,
      closedAt: row.closed_at,
      url: `${publicUrl}/app/#/callbacks/${row.id}`,
    },
    ...answer,
  };
}

/** The body of one event, or null when what it was about is gone. */
export async function buildEventBody(
  deps: { db: Db; publicUrl: string },
  event: { event: WebhookEvent; eventId: string; at: string; responseId?: string | undefined; caseId?: string | undefined },
): Promise<WebhookEventBody | null> {
  const head = { id: event.eventId, occurredAt: event.at };
  switch (event.event) {
    case 'response.created':
    case 'segment.entered': {
      const data = event.responseId ? await responseData(deps.db, event.responseId) : null;
      if (!data) return null;
      return event.event === 'response.created'
        ? { ...head, event: event.event, data }
        : { ...head, event: event.event, data: { segment: 'promoters', ...data } };
    }
    case 'callback.opened':
    case 'callback.overdue':
    case 'callback.closed': {
      const data = event.caseId ? await caseData(deps.db, event.caseId, deps.publicUrl) : null;
      return data ? { ...head, event: event.event, data } : null;
    }
  }
}
