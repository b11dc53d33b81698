import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { CustomerInput } from '../../shared/api/events.js';
import type { Answers } from '../../shared/answers.js';
import type { ImportRowError } from '../../shared/api/imports.js';
import { isoInstant, UNKEEPABLE_NAME, UNKEEPABLE_NAME_RULE } from '../../shared/api/fields.js';
import { toLatinDigits } from '../../shared/digits.js';
import { bucketOf } from '../../shared/scoring.js';
import type { InvitationChannel } from '../../shared/survey-schema.js';
import { readSender, type CountryCode } from '../customers/phone.js';
import { inputSchemas } from '../events/input.js';
import { upsertCustomer } from '../customers/store.js';
import type { Database } from '../db/schema.js';
import { insertInvitation } from '../delivery/store.js';
import { updateRollups } from '../metrics/rollups.js';
import { appendHistory } from '../responses/store.js';
import { themesOfComment } from '../themes/tagging.js';
import { linkedCustomer, linkPerson } from './delighted-people.js';
import { handler, type RowHandler, type RowNotice } from './handler.js';
import { MappingError, normalizeHeader } from './mapping.js';
import { instantOf, problemOf, type Converted } from './rows.js';

/*
 * Migration from Delighted (shut down on 2026-06-30): its People and Responses CSV exports. Headers vary between
 * export versions ("Email" / "Person Email", "Created At" / "Response Timestamp", property columns plain or as
 * "Properties: Plan"), so columns are matched loosely; every column that is not a known Delighted field is a
 * property and becomes an attribute (customer attributes for people, response attributes for responses).
 *
 * Which Hami customer a Delighted person is: the one already imported for the same Delighted person id (from either
 * file: table delighted_people), else a "Customer ID" property when the export has one (what the shop passed to
 * Delighted), else the email, else the phone, else "delighted:" + Delighted's person id. A responses export often
 * names the person by the id alone, or lacks the properties the people export has: joining on the person id keeps
 * one customer per person whichever file comes first, and later Hami events find them by the same keys.
 *
 * Only NPS answers are brought over: rows of another survey type (CSAT, CES, eNPS…) are counted in the report's
 * notices and left out without failing the import (a clean export exits 0).
 *
 * A response becomes a real Hami response at its original time (day, answered_at) on the survey
 * 'delighted-import', with an answered invitation to hang on (a response needs one): the NPS trend runs on
 * across the switch. Nothing is sent and no callback case is opened — a detractor from 2024 is history, not a
 * task for today — and the per-day rollups are updated in the same transaction.
 */

const DELIGHTED_SURVEY_ID = 'delighted-import';

const HEADERS = {
  responseId: ['response id', 'id', 'survey response id'],
  personId: ['person id', 'person', 'delighted person id'],
  email: ['email', 'person email', 'email address', 'person e-mail'],
  name: ['name', 'person name'],
  phone: ['phone', 'phone number', 'person phone', 'sms number'],
  customerId: ['customer id', 'customer_id', 'properties: customer id', 'properties: customer_id', 'property: customer_id'],
  score: ['score', 'nps score', 'rating'],
  comment: ['comment', 'comments', 'feedback'],
  createdAt: ['created at', 'response timestamp', 'responded at', 'date', 'timestamp', 'created'],
  updatedAt: ['updated at', 'updated'],
  surveyType: ['survey type', 'type'],
  channel: ['channel', 'source', 'delighted source'],
  locale: ['locale', 'language', 'properties: locale'],
  // Known Delighted columns that are not properties and have no place in Hami.
  ignored: [
    'permalink',
    'notes',
    'last sent at',
    'last responded at',
    'next survey scheduled at',
    'unsubscribed at',
    'bounced at',
    'survey scheduled at',
  ],
} as const;
type Known = keyof typeof HEADERS;

interface Columns {
  known: Partial<Record<Known, number>>;
  /** Column index → property name (prefix such as "Properties: " removed). */
  properties: Map<number, string>;
}

function columnsOf(headers: readonly string[]): Columns {
  const known: Partial<Record<Known, number>> = {};
  const properties = new Map<number, string>();
  headers.forEach((header, index) => {
    const key = normalizeHeader(header);
    const match = (Object.keys(HEADERS) as Known[]).find(
      (k) => known[k] === undefined && HEADERS[k].some((alias) => normalizeHeader(alias) === key),
    );
    if (match === 'ignored') return;
    if (match) known[match] = index;
    else if (header.trim()) {
      const name = header
        .trim()
        .replace(/^propert(y|ies)\s*[:.]\s*/i, '')
        .slice(0, 64);
      // Refused by name, not dropped from every row unseen (see UNKEEPABLE_NAME).
      if (name === UNKEEPABLE_NAME)
        throw new MappingError(`column "${header.trim()}": the property name ${UNKEEPABLE_NAME_RULE}`, header.trim());
      properties.set(index, name);
    }
  });
  return { known, properties };
}

const cell = (cells: readonly string[], index: number | undefined): string | undefined => {
  const value = index === undefined ? undefined : cells[index]?.trim();
  return value ? value : undefined;
};

/** Delighted writes times as ISO-8601, as "2024-03-05 14:22:10 UTC" or "… -0800", or (API) as Unix seconds. */
export function delightedTime(text: string): Date | null {
  const value = toLatinDigits(text.trim());
  if (/^\d{9,11}$/.test(value)) return new Date(Number(value) * 1000);
  const offset = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(UTC|Z|[+-]\d{2}:?\d{2})$/i.exec(value);
  const iso = offset
    ? `${offset[1]}T${offset[2]}${/^(utc|z)$/i.test(offset[3]!) ? 'Z' : offset[3]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`
    : instantOf(value);
  // The API's own check, not Date.parse alone: that rolls 2024-02-30 over to 1 March and reads years past 9999.
  return isoInstant.safeParse(iso).success ? new Date(iso) : null;
}

function properties(cells: readonly string[], columns: Columns): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [index, name] of columns.properties) {
    const value = cells[index]?.trim();
    if (value && name && Object.keys(result).length < 50) result[name] = value.slice(0, 500);
  }
  return result;
}

/**
 * The Hami customer of a Delighted person (see the rule above). An address Hami would refuse (a phone that cannot be
 * a mobile, a malformed email) is left out rather than failing the row: the history matters more than the address.
 * The phone is read as the events API reads it (0912…, +98 912…, Persian digits → E.164).
 */
function customerOf(
  row: number,
  cells: readonly string[],
  columns: Columns,
  attributes: Record<string, string>,
  country: CountryCode,
): Converted<CustomerInput> {
  const { known } = columns;
  const email = cell(cells, known.email)?.toLowerCase();
  const phone = cell(cells, known.phone);
  const personId = cell(cells, known.personId);
  // A person known only by a phone is keyed by it in E.164 (a landline too), so any way it is written is one customer.
  const phoneId = phone ? (readSender(phone, country) ?? phone) : undefined;
  const id = cell(cells, known.customerId) ?? email ?? phoneId ?? (personId ? `delighted:${personId}` : undefined);
  if (!id)
    return {
      ok: false,
      errors: [{ row, field: 'customer.id', reason: 'the row has no customer id, email, phone or person id', code: 'no_customer' }],
    };
  const locale = cell(cells, known.locale)?.toLowerCase().slice(0, 2);
  const candidate: Record<string, unknown> = { id, email, phone, name: cell(cells, known.name), locale, attributes };
  for (;;) {
    const parsed = inputSchemas(country).customerInput.safeParse(candidate);
    if (parsed.success) return { ok: true, value: parsed.data };
    const field = String(parsed.error.issues[0]!.path[0] ?? '');
    if (field === 'id' || !(field in candidate) || candidate[field] === undefined) {
      return {
        ok: false,
        errors: parsed.error.issues.map((i) => ({
          row,
          field: `customer.${i.path.map(String).join('.')}`,
          reason: i.message,
          code: problemOf(i),
        })),
      };
    }
    delete candidate[field];
  }
}

export function delightedPeopleHandler(headers: readonly string[], country: CountryCode): RowHandler {
  const columns = columnsOf(headers);
  if (
    columns.known.email === undefined &&
    columns.known.phone === undefined &&
    columns.known.personId === undefined &&
    columns.known.customerId === undefined
  ) {
    throw new MappingError('this does not look like a Delighted people export: no Email, Phone or Person ID column', 'email');
  }
  return handler(
    (row, cells): Converted<DelightedPerson> => {
      const customer = customerOf(row, cells, columns, properties(cells, columns), country);
      return customer.ok ? { ok: true, value: { personId: cell(cells, columns.known.personId), customer: customer.value } } : customer;
    },
    async (trx, person, now) => {
      const linked = person.personId === undefined ? undefined : await linkedCustomer(trx, person.personId);
      const input = linked ? { ...person.customer, id: linked.external_id } : person.customer;
      const existing = linked ?? (await trx.selectFrom('customers').select('id').where('external_id', '=', input.id).executeTakeFirst());
      const customer = await upsertCustomer(trx, input, now);
      if (person.personId !== undefined && !linked) await linkPerson(trx, person.personId, customer.id, now);
      return existing ? 'updated' : 'imported';
    },
  );
}

/** A row of the people export: Delighted's id for the person, and the customer they are. */
interface DelightedPerson {
  personId: string | undefined;
  customer: CustomerInput;
}

/**
 * Upserts the customer a response belongs to: the one linked to its Delighted person id when there is one (the row's
 * email, phone and name then update it), else by the row's own keys, linking the person id to it for later files.
 */
async function responseCustomer(trx: Transaction<Database>, personId: string | undefined, input: CustomerInput, now: Date) {
  const linked = personId === undefined ? undefined : await linkedCustomer(trx, personId);
  const customer = await upsertCustomer(trx, linked ? { ...input, id: linked.external_id } : input, now);
  if (personId !== undefined && !linked) await linkPerson(trx, personId, customer.id, now);
  return customer;
}

interface DelightedResponse {
  responseId: string;
  personId: string | undefined;
  customer: CustomerInput;
  score: number;
  comment: string | null;
  channel: InvitationChannel;
  answeredAt: Date;
  updatedAt: Date;
  attributes: Record<string, string>;
}

/**
 * Delighted's source of a response → the channel Hami records for the same thing: its web survey and shared links are
 * Hami's public links ('link'), its kiosk mode is the kiosk, email and SMS are themselves. Anything else (or nothing)
 * was an email survey, Delighted's default.
 */
const DELIGHTED_CHANNELS: ReadonlyMap<string, InvitationChannel> = new Map([
  ['email', 'email'],
  ['sms', 'sms'],
  ['web', 'link'],
  ['link', 'link'],
  ['kiosk', 'kiosk'],
]);

/** The invitation a response hangs on: its id derived from Delighted's response id, which makes re-runs idempotent. */
export function invitationIdOf(responseId: string): string {
  const hex = createHash('sha256').update(`delighted-response:${responseId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function checkResponse(
  row: number,
  cells: readonly string[],
  columns: Columns,
  country: CountryCode,
): Converted<DelightedResponse> | RowNotice {
  const { known } = columns;
  const type = cell(cells, known.surveyType)?.toLowerCase();
  // Not an error: the export is fine, Hami just brings over its NPS answers (reported, the import still succeeds).
  if (type && type !== 'nps') return { ok: 'notice', code: 'not_nps', detail: type.slice(0, 40) };
  const errors: ImportRowError[] = [];
  const responseId = cell(cells, known.responseId);
  if (!responseId) errors.push({ row, field: 'Response ID', reason: 'is required', code: 'required' });
  const scoreText = toLatinDigits(cell(cells, known.score) ?? '');
  const score = /^\d{1,2}$/.test(scoreText) ? Number(scoreText) : NaN;
  if (!(score >= 0 && score <= 10))
    errors.push({
      row,
      field: 'Score',
      reason: scoreText ? 'must be a whole number from 0 to 10' : 'is required',
      code: scoreText ? 'invalid_score' : 'required',
    });
  const createdText = cell(cells, known.createdAt);
  const answeredAt = createdText ? delightedTime(createdText) : null;
  if (!answeredAt)
    errors.push({
      row,
      field: 'Created At',
      reason: createdText ? 'is not a date-time Hami can read, e.g. 2024-03-05T14:22:10Z' : 'is required',
      code: createdText ? 'invalid_date' : 'required',
    });
  const attributes = properties(cells, columns);
  const customer = customerOf(row, cells, columns, {}, country);
  if (!customer.ok) errors.push(...customer.errors);
  if (errors.length || !customer.ok || !answeredAt || !responseId) return { ok: false, errors };
  const updatedText = cell(cells, known.updatedAt);
  const updatedAt = (updatedText && delightedTime(updatedText)) || answeredAt;
  const channel = DELIGHTED_CHANNELS.get(cell(cells, known.channel)?.toLowerCase() ?? '') ?? 'email';
  // Comments are kept exactly as written (only the surrounding blanks of the cell go).
  const comment = cell(cells, known.comment) ?? null;
  return {
    ok: true,
    value: {
      responseId,
      personId: cell(cells, known.personId),
      customer: customer.value,
      score,
      comment,
      channel,
      answeredAt,
      updatedAt,
      attributes,
    },
  };
}

async function writeResponse(trx: Transaction<Database>, input: DelightedResponse, now: Date): Promise<'imported' | 'skipped'> {
  const invitationId = invitationIdOf(input.responseId);
  const existing = await trx.selectFrom('invitations').select('id').where('id', '=', invitationId).executeTakeFirst();
  if (existing) return 'skipped';
  const customer = await responseCustomer(trx, input.personId, input.customer, now);
  const at = input.answeredAt.toISOString();
  await insertInvitation(trx, {
    id: invitationId,
    event_id: null,
    customer_id: customer.id,
    survey_id: DELIGHTED_SURVEY_ID,
    channel: input.channel,
    status: 'answered',
    reason: 'imported',
    address: null,
    locale: customer.locale,
    // No link exists for an imported answer: a random hash no token can match.
    token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    send_at: at,
    expires_at: at,
    sent_at: at,
    opened_at: null,
    answered_at: at,
    created_at: now.toISOString(),
    provider_message_id: null,
    delivery_status: null,
    delivery_detail: null,
    delivery_updated_at: null,
    reminder_sent_at: null,
    public_link_id: null,
    case_id: null,
  });
  const answers: Answers = { nps: input.score };
  if (input.comment !== null) answers.reason = input.comment;
  const response = {
    id: invitationId,
    invitation_id: invitationId,
    customer_id: customer.id,
    survey_id: DELIGHTED_SURVEY_ID,
    channel: input.channel,
    locale: customer.locale,
    score: input.score,
    bucket: bucketOf(input.score),
    answers: JSON.stringify(answers),
    comment: input.comment,
    themes: await themesOfComment(trx, input.comment),
    attributes: JSON.stringify({ ...JSON.parse(customer.attributes), ...input.attributes }),
    day: at.slice(0, 10),
    answered_at: at,
    updated_at: input.updatedAt.toISOString(),
  };
  await trx.insertInto('responses').values(response).execute();
  await appendHistory(trx, { responseId: response.id, answers, score: input.score, source: 'import', at: input.answeredAt });
  // The rollups move with the answer; an unknown survey counts its responses and scores (see contributionOf).
  await updateRollups(trx, undefined, null, response);
  return 'imported';
}

export function delightedResponsesHandler(headers: readonly string[], country: CountryCode): RowHandler {
  const columns = columnsOf(headers);
  for (const [key, name] of [
    ['responseId', 'Response ID'],
    ['score', 'Score'],
    ['createdAt', 'Created At'],
  ] as const) {
    if (columns.known[key] === undefined)
      throw new MappingError(`this does not look like a Delighted responses export: no "${name}" column`, name);
  }
  return handler((row, cells) => checkResponse(row, cells, columns, country), writeResponse);
}
