import type { CustomerInput } from '../../shared/api/events.js';
import { isLocale } from '../../shared/locale.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { upsertCustomer } from '../customers/store.js';
import type { Customer } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { planInvitation } from '../delivery/plan-invitation.js';
import { inputSchemas } from '../events/input.js';
import { invalidFromZod, invalidInput } from './errors.js';
import type { PersonInput } from './input.js';
import { customerWithAddress, customerWithExternalId, personIdsOf } from './store.js';
import { isUniqueViolation } from '../http/errors.js';

/*
 * POST people.json (https://delighted.com/docs/api/sending-to-people): create or update a person and schedule a
 * survey. In Hami the person is a customer and the survey an invitation planned by the very rules an event's is
 * (server/delivery/plan-invitation.ts): consent, the throttle, opt-outs, quiet hours in the customer's time zone;
 * Delighted's `delay` takes the place of the survey's own delay.
 */

/** Properties that mean something to Hami rather than being kept as attributes. */
const SPECIAL_PROPERTIES = ['customer_id', 'locale'] as const;

interface PersonResult {
  created: boolean;
  customer: Customer;
  personId: string;
  /** When the survey is due, if one was planned and not skipped. */
  scheduledAt: Date | null;
  /** Why no survey is coming, when one was asked for and the rules said no ('throttled', 'opted_out'…). */
  skipped: string | null;
}

/** The Hami survey people.json plans: `?survey=` when given, else the one purchase events plan (post-purchase). */
export function surveyForPeople(surveys: AppDeps['surveys'], requested: string | undefined): SurveyDefinition {
  const survey = requested === undefined ? surveys.forTrigger('purchase') : surveys.byId(requested);
  if (!survey) throw invalidInput({ survey: [`is not a survey of this Hami (one of ${surveys.all.map((s) => s.id).join(', ')})`] });
  return survey;
}

/**
 * The customer a person is, as events name them: properties[customer_id] when given, else the customer who already
 * has this email (else phone), else the email (else the phone) itself — the same keys a Delighted import uses.
 */
async function customerInputOf(deps: Pick<AppDeps, 'db' | 'config'>, person: PersonInput): Promise<CustomerInput> {
  const properties = person.properties ?? {};
  const attributes: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value !== null && !(SPECIAL_PROPERTIES as readonly string[]).includes(key)) attributes[key] = value;
  }
  const locale = typeof properties.locale === 'string' ? properties.locale.toLowerCase().slice(0, 2) : undefined;
  const candidate = {
    email: person.email?.toLowerCase(),
    phone: person.phone_number,
    name: person.name,
    locale,
    attributes,
  };
  const { customerInput } = inputSchemas(deps.config.defaultCountry);
  // Checked before the id is chosen: the phone as E.164 is the key an existing customer is found by.
  const checked = customerInput.safeParse({ id: 'checking', ...candidate });
  if (!checked.success) {
    throw invalidFromZod(checked.error, (path) => {
      if (path[0] === 'phone') return 'phone_number';
      if (path[0] === 'attributes') return `properties[${path.slice(1).join('][')}]`;
      if (path[0] === 'locale') return 'properties[locale]';
      return path.join('.');
    });
  }
  if (locale !== undefined && !isLocale(locale)) throw invalidInput({ 'properties[locale]': ['must be en or fa'] });
  const { email, phone } = checked.data;
  const given = properties.customer_id;
  const id =
    given !== undefined && given !== null && String(given).trim()
      ? String(given).trim()
      : ((await customerWithAddress(deps.db, { email, phone }))?.external_id ?? email ?? phone!);
  const parsed = customerInput.safeParse({ ...candidate, id });
  if (!parsed.success) throw invalidFromZod(parsed.error, (path) => (path[0] === 'id' ? 'properties[customer_id]' : path.join('.')));
  return parsed.data;
}

/**
 * Creates or updates the person's customer and (unless `send` is false) plans their survey at now + delay, in one
 * transaction; the person id is the Delighted one they were imported with, or one issued now and kept.
 */
export async function createPerson(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'secret'>,
  person: PersonInput,
  survey: SurveyDefinition,
): Promise<PersonResult> {
  const now = deps.clock.now();
  const input = await customerInputOf(deps, person);
  const channels = person.channel ? [person.channel] : survey.channels;
  // Two first calls for one new person at the same moment: the loser of the unique key runs again and finds the winner's.
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction().execute(async (trx) => {
        const existed = await customerWithExternalId(trx, input.id);
        const customer = await upsertCustomer(trx, input, now);
        const personId = (await personIdsOf(trx, [customer.id], now)).get(customer.id)!;
        if (person.send === false) return { created: !existed, customer, personId, scheduledAt: null, skipped: null };
        const planned = await planInvitation(trx, {
          // Delighted's delay replaces the survey's: the rest of the survey (expiry, throttle) is its own.
          survey: { ...survey, delayMinutes: (person.delay ?? 0) / 60, channels },
          customer,
          eventId: null,
          occurredAt: now,
          now,
          secret: deps.secret,
          rules: deps.config.delivery,
        });
        const scheduled = planned.status === 'scheduled';
        return {
          created: !existed,
          customer,
          personId,
          scheduledAt: scheduled ? new Date(planned.sendAt) : null,
          skipped: scheduled ? null : (planned.reason ?? planned.status),
        };
      });
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}
