import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { intervalSeconds } from '../../shared/autopilot.js';
import { autopilotSurvey, joinAutopilot, leaveAutopilot, type JoinRefusal } from '../autopilot/membership.js';
import { membershipPage, membershipTimes, type AutopilotChannel } from '../autopilot/store.js';
import type { AppDeps } from '../deps.js';
import { readMobile } from '../customers/phone.js';
import { DelightedError, invalidFromZod, invalidInput } from './errors.js';
import { bodyFields, formFields, pageQuery } from './input.js';
import { createPerson } from './people.js';
import { personIdsOf, customerOfPerson } from './store.js';
import { unix } from './shapes.js';
import { findCustomer, getCustomer } from '../customers/store.js';

/*
 * Delighted's Autopilot API (https://delighted.com/docs/api: getting-autopilot-configuration, listing-people-in-autopilot,
 * adding-people-to-autopilot, removing-people-from-autopilot) on Hami's autopilot (server/autopilot/). A platform is a
 * channel: /autopilot/email… and /autopilot/sms…. Delighted's `frequency` is the autopilot survey's `everyMonths`.
 */

export const PLATFORMS = ['email', 'sms'] as const;

const personFields = {
  person_id: z.string().trim().min(1).max(200).optional().describe('The Delighted person id (imported, or issued by people.json)'),
  person_email: z.email({ error: 'is not an email address' }).max(254).optional(),
  person_phone_number: z.string().max(64).optional().describe('E.164, as Delighted wants it (+17132746524)'),
};
const propertyValue = z.union([z.string().max(500, 'must be at most 500 characters'), z.number(), z.boolean(), z.null()], {
  error: 'must be text, a number or true/false',
});

export const membershipInput = z.object({
  ...personFields,
  properties: z
    .record(z.string().min(1).max(64), propertyValue)
    .refine((v) => Object.keys(v).length <= 50, 'at most 50 properties')
    .optional()
    .describe('Kept with the membership and as customer attributes; customer_id and locale are honoured as in people.json'),
});
export const membershipRemoval = z.object(personFields);
export const membershipsQuery = pageQuery.pick({ per_page: true, page: true }).extend(personFields);

const personBody = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  created_at: z.number().int(),
  phone_number: z.string().nullable(),
});
export const configurationBody = z.object({
  platform_id: z.enum(PLATFORMS),
  active: z.boolean().describe('True when a survey has "trigger": "autopilot" and is sent on this channel'),
  frequency: z.number().int().describe('Seconds between surveys: everyMonths × 30 days'),
  created_at: z.number().int().nullable().describe('When the first person joined on this platform (null: nobody yet)'),
  updated_at: z.number().int().nullable().describe('The last change of a membership on this platform'),
});
export const membershipBody = z.object({ person: personBody, properties: z.record(z.string(), z.unknown()) });
export const removedBody = z.object({ person: personBody });
export const membershipListItem = z.object({
  created_at: z.number().int(),
  updated_at: z.number().int(),
  person: personBody.extend({ last_sent_at: z.number().int().nullable() }),
  next_survey_request: z.object({
    id: z.string(),
    created_at: z.number().int(),
    survey_scheduled_at: z.number().int(),
    properties: z.record(z.string(), z.unknown()),
  }),
});

type Deps = AppDeps;
type Person = { personId?: string; email?: string; phone?: string };

/** Exactly one of person_id, person_email, person_phone_number (Delighted's rule for removal), read and checked. */
function personOfFields(
  fields: { person_id?: string; person_email?: string; person_phone_number?: string },
  deps: Deps,
  exactlyOne: boolean,
): Person {
  const given = (['person_id', 'person_email', 'person_phone_number'] as const).filter((key) => fields[key] !== undefined);
  if (!given.length) throw invalidInput({ person_email: ["can't be blank: give person_email, person_phone_number or person_id"] });
  if (exactlyOne && given.length > 1)
    throw invalidInput({ [given[1]!]: [`give only one of person_id, person_email, person_phone_number (${given[0]} is given)`] });
  let phone: string | undefined;
  if (fields.person_phone_number !== undefined) {
    const reading = readMobile(fields.person_phone_number, deps.config.defaultCountry);
    if (!reading.ok) throw invalidInput({ person_phone_number: [reading.message] });
    phone = reading.e164;
  }
  return { personId: fields.person_id, email: fields.person_email?.toLowerCase(), phone };
}

function refusal(refused: JoinRefusal, platform: AutopilotChannel): DelightedError {
  if (refused === 'autopilot_off')
    return new DelightedError(422, 'Autopilot is not active: this Hami has no survey with "trigger": "autopilot"', {
      base: ['autopilot is not active'],
    });
  if (refused === 'channel_not_in_survey')
    return new DelightedError(422, `Autopilot is not active for ${platform}: the autopilot survey is not sent by ${platform}`, {
      base: [`autopilot is not active for ${platform}`],
    });
  return platform === 'email'
    ? invalidInput({ person_email: ["can't be blank: the person has no email"] })
    : invalidInput({ person_phone_number: ["can't be blank: the person has no phone number"] });
}

async function personBodyOf(deps: Deps, customerId: string) {
  const customer = await getCustomer(deps.db, customerId);
  const personId = (await personIdsOf(deps.db, [customerId], deps.clock.now())).get(customerId)!;
  return { id: personId, name: customer.name, email: customer.email, created_at: unix(customer.created_at), phone_number: customer.phone };
}

/** The body of a DELETE as Delighted's clients send it (JSON or a form), or its query when the body is empty. */
async function removalFields(c: Context): Promise<unknown> {
  const body = c.req.header('content-type') ? await bodyFields(c) : {};
  const empty = typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
  return empty ? formFields(new URL(c.req.url).search.slice(1)) : body;
}

/** POST …/memberships.json: the person (created or updated as people.json does, without a survey) joins autopilot. */
async function addMembership(deps: Deps, platform: AutopilotChannel, fields: unknown) {
  const parsed = membershipInput.safeParse(fields);
  if (!parsed.success)
    throw invalidFromZod(parsed.error, (path) => (path.length > 1 ? `${path[0]}[${path.slice(1).join('][')}]` : (path[0] ?? '')));
  const input = parsed.data;
  const survey = autopilotSurvey(deps.surveys);
  if (!survey) throw refusal('autopilot_off', platform);
  const person = personOfFields(input, deps, false);
  const given = input.properties;
  if (!person.email && !person.phone) {
    // Named by id: the customer's own email and id carry the update, so the properties land as they would by email.
    const known = await customerOfPerson(deps.db, person);
    const customer = known && (await findCustomer(deps.db, known));
    if (!customer) throw invalidInput({ person_id: ['is not a person of this Hami'] });
    if (!customer.email && !customer.phone) throw refusal('no_address', platform);
    Object.assign(person, { email: customer.email ?? undefined, phone: customer.phone ?? undefined });
    input.properties = { ...input.properties, customer_id: customer.external_id };
  }
  const created = await createPerson(
    deps,
    { email: person.email, phone_number: person.phone, properties: input.properties, send: false },
    survey,
  );
  const customerId = created.customer.id;
  const properties = Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== null));
  const now = deps.clock.now();
  const joined = await deps.db.transaction().execute(async (trx) => {
    const customer = await getCustomer(trx, customerId);
    return joinAutopilot(trx, deps, { customer, channel: platform, properties: given ? properties : undefined, now });
  });
  if ('refused' in joined) throw refusal(joined.refused, platform);
  return { person: await personBodyOf(deps, customerId), properties: JSON.parse(joined.membership.properties) as Record<string, unknown> };
}

/** DELETE …/memberships.json: the person leaves autopilot on the platform; their scheduled autopilot survey is cancelled. */
async function removeMembership(deps: Deps, platform: AutopilotChannel, fields: unknown) {
  const parsed = membershipRemoval.safeParse(fields);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  const customerId = await customerOfPerson(deps.db, personOfFields(parsed.data, deps, true));
  const left = customerId ? await deps.db.transaction().execute((trx) => leaveAutopilot(trx, customerId, platform)) : null;
  if (!customerId || !left) throw new DelightedError(404, `this person is not in autopilot on ${platform}`);
  return { person: await personBodyOf(deps, customerId) };
}

async function listMemberships(deps: Deps, platform: AutopilotChannel, query: Record<string, string>) {
  const parsed = membershipsQuery.safeParse(query);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  const { per_page: perPage = 20, page = 1 } = parsed.data;
  const named = parsed.data.person_id ?? parsed.data.person_email ?? parsed.data.person_phone_number;
  let customerIds: string[] | undefined;
  if (named !== undefined) {
    const one = await customerOfPerson(deps.db, personOfFields(parsed.data, deps, true));
    customerIds = one ? [one] : [];
  }
  const rows = await membershipPage(deps.db, platform, customerIds ? { customerIds } : {}, { perPage, page });
  const personIds = await personIdsOf(
    deps.db,
    rows.map((r) => r.customer_id),
    deps.clock.now(),
  );
  const items = rows.map((row) => ({
    created_at: unix(row.created_at),
    updated_at: unix(row.updated_at),
    person: {
      id: personIds.get(row.customer_id)!,
      name: row.name,
      email: row.email,
      created_at: unix(row.customer_created_at),
      phone_number: row.phone,
      last_sent_at: row.last_sent_at ? unix(row.last_sent_at) : null,
    },
    next_survey_request: {
      id: row.next_job_id,
      created_at: unix(row.updated_at),
      survey_scheduled_at: unix(row.next_send_at),
      properties: JSON.parse(row.properties) as Record<string, unknown>,
    },
  }));
  return { items, full: rows.length === perPage, perPage, page };
}

/** The autopilot routes, on the compatible API's app (its authentication and error handler already in place). */
export function addAutopilotRoutes(app: Hono, deps: Deps): void {
  for (const platform of PLATFORMS) {
    for (const suffix of ['.json', '']) {
      app.get(`/autopilot/${platform}${suffix}`, async (c) => {
        const survey = autopilotSurvey(deps.surveys);
        const times = await membershipTimes(deps.db, platform);
        return c.json({
          platform_id: platform,
          active: Boolean(survey?.channels.includes(platform)),
          frequency: survey ? intervalSeconds(survey.everyMonths) : 0,
          created_at: times.first ? unix(times.first) : null,
          updated_at: times.last ? unix(times.last) : null,
        });
      });
      const memberships = `/autopilot/${platform}/memberships${suffix}`;
      app.get(memberships, async (c) => {
        const { items, full, perPage, page } = await listMemberships(deps, platform, c.req.query());
        // Delighted's clients page by following the Link header's next URL.
        if (full) {
          const next = new URL(c.req.url);
          next.searchParams.set('page', String(page + 1));
          next.searchParams.set('per_page', String(perPage));
          c.header('Link', `<${deps.publicUrl}${next.pathname}${next.search}>; rel="next"`);
        }
        return c.json(items);
      });
      app.post(memberships, async (c) => c.json(await addMembership(deps, platform, await bodyFields(c))));
      app.delete(memberships, async (c) => c.json(await removeMembership(deps, platform, await removalFields(c))));
    }
  }
}
