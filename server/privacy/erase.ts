import path from 'node:path';
import { forgetThemes } from '../themes/forget.js';
import type { Transaction } from 'kysely';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { erasedExternalId, type EraseResult, type ErasureCounts } from '../../shared/api/privacy.js';
import type { CountryCode } from '../customers/phone.js';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { auditPrivacy, type PrivacyActor } from './audit.js';
import { findCustomer } from './find-customer.js';
import { scrubOutbox, type OutboxTraces } from './outbox.js';
import {
  anonymiseCustomer,
  cancelJobs,
  clearCaseNotes,
  clearConsentDetails,
  customerFootprint,
  deleteBaleChats,
  deleteDelightedPerson,
  leaveAutopilot,
  moveSuppression,
  rewriteWebhookDelivery,
  scrubInboundMessages,
  scrubInvitation,
  scrubJobPayloads,
  scrubResponse,
  scrubSegmentMessages,
  scrubWebhookAttempt,
  setEventAttributes,
  setHistoryAnswers,
  suppressionsOf,
  webhookAttemptErrors,
  webhookDeliveryBody,
} from './store.js';
import {
  freeTextOf,
  hashedAddress,
  idsMentioning,
  inTransactionWithoutTrace,
  redactKnown,
  sqliteFileOf,
  withoutFreeText,
  type SqliteFile,
} from './redact.js';

/** Where an erasure looks besides the database. */
interface EraseContext {
  /** The SQLite file, to leave no trace of old pages (null on PostgreSQL). */
  file: SqliteFile;
  /** The dev outbox folder (<data>/outbox), whose saved messages that name the customer are removed. */
  outboxDir: string | null;
  /** The attribute names every survey declares as a metrics dimension: the only attributes an erasure keeps. */
  dimensions: readonly string[];
  /** HAMI_DEFAULT_COUNTRY: a customer keyed by their phone is found however the number is written. */
  country: CountryCode;
}

/** The EraseContext of a configuration and its surveys. */
export function eraseContextOf(
  config: Parameters<typeof sqliteFileOf>[0] & { dataDir: string; defaultCountry: CountryCode },
  surveys: readonly SurveyDefinition[],
): EraseContext {
  return {
    file: sqliteFileOf(config),
    outboxDir: path.join(config.dataDir, 'outbox'),
    dimensions: [...new Set(surveys.flatMap((s) => s.dimensions))],
    country: config.defaultCountry,
  };
}

/**
 * Erases one customer (by Hami's id or external id) in one transaction; what happens to each place their data
 * lives is the table in export.ts. The customer row stays as an anonymous placeholder (erased_at set) with its
 * responses' scores, buckets, days, surveys and dimension attributes, so NPS and the rollups are unchanged; nothing
 * is sent to them afterwards (queued jobs cancelled, unsent invitations skipped, links closed). Erasing an erased
 * customer again clears whatever personal data came back into their rows (alreadyErased: true, with what it
 * changed). Null when there is no such customer.
 */
export async function eraseCustomer(
  db: Db,
  context: EraseContext,
  id: string,
  actor: PrivacyActor,
  now: Date,
): Promise<EraseResult | null> {
  const erased = await inTransactionWithoutTrace(db, context.file, async (trx) => {
    const customer = await findCustomer(trx, id, context.country);
    if (!customer) return null;
    const { counts: changed, traces } = await eraseInTransaction(trx, customer, context.dimensions, now);
    // A second erasure keeps the first one's date: that is when the customer was erased.
    const erasedAt = customer.erased_at ?? now.toISOString();
    await anonymiseCustomer(trx, customer.id, {
      attributes: keptAttributes(customer.attributes, context.dimensions),
      externalId: erasedExternalId(customer.id),
      erasedAt,
      now,
    });
    await auditPrivacy(trx, { action: 'erase', customerId: customer.id, actor, at: now, detail: changed });
    return { result: { customerId: customer.id, erasedAt, alreadyErased: customer.erased_at !== null, changed }, traces };
  });
  if (!erased) return null;
  // After the commit: a file removed for an erasure that then rolled back could not be brought back.
  if (context.outboxDir) erased.result.changed.outboxMessages = scrubOutbox(context.outboxDir, erased.traces);
  return erased.result;
}

function zeroCounts(): ErasureCounts {
  return {
    responses: 0,
    answerVersions: 0,
    caseEntries: 0,
    invitations: 0,
    messagesReceived: 0,
    segmentMessages: 0,
    webhookDeliveries: 0,
    jobsCancelled: 0,
    jobsScrubbed: 0,
    optOutsHashed: 0,
    events: 0,
    consents: 0,
    outboxMessages: 0,
  };
}

/**
 * Attributes (JSON text) with only the declared metrics dimensions left (product line, region, agent: few values,
 * business data, what the rollups group by). Every other value the shop sent about the customer or their order goes.
 */
function keptAttributes(attributesJson: string, dimensions: readonly string[]): string {
  const attributes = JSON.parse(attributesJson) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.entries(attributes).filter(([name]) => dimensions.includes(name))));
}

/** The attribute values an erasure removes, to look for in texts it does not own (webhook bodies, job payloads). */
function removedAttributeValues(attributesJson: string, dimensions: readonly string[]): string[] {
  const attributes = JSON.parse(attributesJson) as Record<string, unknown>;
  return Object.entries(attributes).flatMap(([name, value]) => (!dimensions.includes(name) && typeof value === 'string' ? [value] : []));
}

type CustomerRow = { id: string; email: string | null; phone: string | null; name: string | null; external_id: string; attributes: string };

async function eraseInTransaction(
  trx: Transaction<Database>,
  customer: CustomerRow,
  dimensions: readonly string[],
  now: Date,
): Promise<{ counts: ErasureCounts; traces: OutboxTraces }> {
  const counts = zeroCounts();
  const at = now.toISOString();
  const cid = customer.id;
  const { invitations, responses, cases, segmentMessages, events, history, entries, inbound } = await customerFootprint(trx, customer);
  const invitationIds = invitations.map((i) => i.id);
  const responseIds = responses.map((r) => r.id);
  const caseIds = cases.map((c) => c.id);
  const addresses = [
    ...new Set(
      [customer.email, customer.phone, ...invitations.map((i) => i.address), ...segmentMessages.map((m) => m.address)].filter(
        (a): a is string => !!a,
      ),
    ),
  ];
  // Every personal text we hold, to take out of texts whose shape we do not own (webhook bodies, job payloads, errors).
  const known = [
    ...addresses,
    customer.name,
    customer.external_id,
    ...responses.flatMap((r) => [r.comment, ...freeTextOf(r.answers)]),
    ...history.flatMap((h) => freeTextOf(h.answers)),
    ...entries.map((e) => e.note),
    ...inbound.map((m) => m.text),
    ...[customer.attributes, ...events.map((e) => e.attributes), ...responses.map((r) => r.attributes)].flatMap((a) =>
      removedAttributeValues(a, dimensions),
    ),
  ].filter((t): t is string => !!t);

  // Delighted's person id would tie the erased customer back to a Delighted export the shop may still hold.
  await deleteDelightedPerson(trx, cid);
  // An erased customer is never surveyed again: off autopilot (its queued job then finds no membership and ends).
  await leaveAutopilot(trx, cid);
  await forgetThemes(
    trx,
    responses.filter((r) => r.comment !== null).map((r) => r.id),
  );
  for (const r of responses) {
    await scrubResponse(trx, r.id, { answers: withoutFreeText(r.answers), attributes: keptAttributes(r.attributes, dimensions) });
    counts.responses++;
  }
  for (const e of events) {
    const kept = keptAttributes(e.attributes, dimensions);
    if (kept === e.attributes) continue;
    await setEventAttributes(trx, e.id, kept);
    counts.events++;
  }
  // The consents stay as the proof of what was agreed and when; how it was asked is free text and goes.
  counts.consents = await clearConsentDetails(trx, cid);
  for (const h of history) {
    await setHistoryAnswers(trx, h.id, withoutFreeText(h.answers));
    counts.answerVersions++;
  }
  if (caseIds.length) counts.caseEntries = await clearCaseNotes(trx, caseIds);
  for (const invitation of invitations) {
    const unsent = invitation.status === 'scheduled';
    await scrubInvitation(trx, invitation.id, {
      reason: unsent ? 'erased' : invitation.reason === null ? null : redactKnown(invitation.reason, known),
      status: unsent ? 'skipped' : invitation.status,
      // The link stops taking answers: nothing new about them comes in.
      // biome-ignore lint/complexity/useMathMinMax: ISO timestamps compare as strings; Math.min would give NaN.
      expiresAt: invitation.expires_at < at ? invitation.expires_at : at,
    });
    counts.invitations++;
  }
  if (inbound.length) {
    await scrubInboundMessages(
      trx,
      inbound.map((m) => m.id),
    );
    counts.messagesReceived = inbound.length;
  }
  if (segmentMessages.length) {
    await scrubSegmentMessages(trx, cid);
    counts.segmentMessages = segmentMessages.length;
  }
  counts.optOutsHashed = await hashSuppressions(trx, addresses);
  // Which Bale chat was theirs: only a way to reach them, so it goes (a Bale opt-out stays, hashed, with the others).
  if (addresses.length) await deleteBaleChats(trx, addresses);

  const deliveryIds = await idsMentioning(trx, 'webhook_deliveries', 'body', [cid]);
  for (const deliveryId of deliveryIds) {
    const delivery = await webhookDeliveryBody(trx, deliveryId);
    // Nothing more about them goes out: a pending delivery is given up.
    await rewriteWebhookDelivery(trx, deliveryId, {
      body: redactKnown(JSON.stringify(scrubBody(JSON.parse(delivery.body), cid)), known),
      giveUp: delivery.status === 'pending',
      at,
    });
    for (const attempt of await webhookAttemptErrors(trx, deliveryId)) {
      await scrubWebhookAttempt(trx, attempt.id, attempt.error === null ? null : redactKnown(attempt.error, known));
    }
    counts.webhookDeliveries++;
  }

  const jobIds = await idsMentioning(trx, 'jobs', 'payload', [
    cid,
    ...invitationIds,
    ...responseIds,
    ...caseIds,
    ...segmentMessages.map((m) => m.id),
    ...deliveryIds,
  ]);
  if (jobIds.length) {
    // A running job whose worker is mid-send may still finish (at most that one message); it cannot be claimed again.
    counts.jobsCancelled = await cancelJobs(trx, jobIds, at);
    await scrubJobPayloads(trx, jobIds);
    counts.jobsScrubbed = jobIds.length;
  }
  // Ids (in file names, Message-IDs, SMS references and case links) and addresses find their messages; other texts
  // (a short external id, a common attribute value) could also match other customers' messages, so they are not used.
  const traces = {
    ids: [cid, ...invitationIds, ...responseIds, ...caseIds, ...segmentMessages.map((m) => m.id)],
    texts: [...addresses, ...(customer.name ? [customer.name] : [])],
  };
  return { counts, traces };
}

/** Opt-outs and bounces of these addresses keep holding, under the address's hash instead of the address. */
export async function hashSuppressions(trx: Transaction<Database>, addresses: readonly string[]): Promise<number> {
  if (addresses.length === 0) return 0;
  const rows = await suppressionsOf(trx, addresses);
  for (const row of rows) await moveSuppression(trx, row, hashedAddress(row.address));
  return rows.length;
}

/** A webhook body without the customer's contact details and free text (shapes in shared/api/webhooks.ts). */
function scrubBody(body: unknown, customerId: string): unknown {
  if (Array.isArray(body)) return body.map((item) => scrubBody(item, customerId));
  if (body === null || typeof body !== 'object') return body;
  const object = { ...(body as Record<string, unknown>) };
  const customer = object.customer as Record<string, unknown> | undefined;
  if (customer && customer.id === customerId) {
    object.customer = { ...customer, name: null, email: null, phone: null, externalId: erasedExternalId(customerId) };
    const response = object.response as Record<string, unknown> | undefined;
    if (response && typeof response === 'object') {
      object.response = {
        ...response,
        comment: null,
        answers: JSON.parse(withoutFreeText(JSON.stringify(response.answers ?? {}))) as unknown,
      };
    }
  }
  for (const [key, value] of Object.entries(object))
    if (key !== 'customer' && key !== 'response') object[key] = scrubBody(value, customerId);
  return object;
}
