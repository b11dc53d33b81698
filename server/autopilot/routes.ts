import { Hono } from 'hono';
import { z } from 'zod';
import { AUTOPILOT_MEMBER_CHANNELS, autopilotMemberBody, autopilotMembersBody, type AutopilotMember } from '../../shared/api/autopilot.js';
import { requireApiKey } from '../auth/api-keys.js';
import { checkConsentAt } from '../customers/consent.js';
import { DEFAULT_COUNTRY } from '../customers/phone.js';
import { findCustomerByExternalId, upsertCustomer } from '../customers/store.js';
import type { AutopilotMembership } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { inputSchemas } from '../events/input.js';
import { ApiError, isUniqueViolation, validationError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { registerOperations } from '../openapi/registry.js';
import { autopilotSurvey, joinAutopilot, leaveAutopilot, type JoinRefusal } from './membership.js';
import { AUTOPILOT_CHANNELS, membershipsOfCustomer, type AutopilotChannel } from './store.js';

/*
 * Autopilot in the events API (DESIGN.md's public contract style: Bearer API key, JSON, 400 naming the field):
 * an integrator adds a customer to the recurring relationship survey, looks their membership up, or removes them.
 */

const channel = z.enum(AUTOPILOT_MEMBER_CHANNELS, { error: `must be one of ${AUTOPILOT_MEMBER_CHANNELS.join(', ')}` });
const memberInput = (country: Parameters<typeof inputSchemas>[0]) =>
  z
    .object({
      customer: inputSchemas(country).customerInput,
      channel: channel.optional().describe('email or sms; default email when the customer has an email, else sms'),
    })
    .strict();
const memberParams = z.object({ customerId: z.string().describe('The customer id, as events name the customer') });
const channelQuery = z.object({ channel: channel.optional().describe('Only this channel (default: every channel they are on)') });

registerOperations({
  method: 'post',
  path: '/api/v1/autopilot/members',
  tag: 'Autopilot',
  summary: 'Add a customer to autopilot (the recurring relationship survey)',
  description:
    'The customer is created or updated as an event does it, then asked the autopilot survey (surveys/*.json with "trigger": "autopilot") every ' +
    '`everyMonths` on a work-day morning in their time zone, the first time on a day spread over the first interval. Delivery rules apply to ' +
    'each send: consent, the throttle, opt-outs, quiet hours. Adding a member again changes nothing in their schedule.',
  auth: 'apiKey',
  body: memberInput(DEFAULT_COUNTRY),
  responses: {
    201: { description: 'Added', schema: autopilotMemberBody },
    200: { description: 'Already a member on this channel: their membership', schema: autopilotMemberBody },
    409: { description: 'Autopilot is off: no survey has "trigger": "autopilot"' },
  },
});
registerOperations({
  method: 'get',
  path: '/api/v1/autopilot/members/{customerId}',
  tag: 'Autopilot',
  summary: "A customer's autopilot memberships and their next send",
  auth: 'apiKey',
  params: memberParams,
  responses: { 200: { description: 'Their memberships (empty when none)', schema: autopilotMembersBody } },
});
registerOperations({
  method: 'delete',
  path: '/api/v1/autopilot/members/{customerId}',
  tag: 'Autopilot',
  summary: 'Remove a customer from autopilot',
  description: 'Their queued autopilot survey is cancelled; surveys already sent can still be answered. Nothing else of theirs changes.',
  auth: 'apiKey',
  params: memberParams,
  query: channelQuery,
  responses: {
    200: { description: 'The memberships removed', schema: autopilotMembersBody },
    404: { description: 'Not on autopilot (on that channel)' },
  },
});

/** A membership as the API shows it. */
function memberOf(externalId: string, membership: AutopilotMembership, everyMonths: number): AutopilotMember {
  return {
    customerId: externalId,
    channel: membership.channel as AutopilotChannel,
    nextSendAt: membership.next_send_at,
    lastSentAt: membership.last_sent_at,
    joinedAt: membership.created_at,
    everyMonths,
  };
}

function refusalError(refusal: JoinRefusal, joining: AutopilotChannel): ApiError {
  if (refusal === 'autopilot_off')
    return new ApiError(409, 'autopilot_off', 'autopilot is off: add a survey with "trigger": "autopilot" and "everyMonths" to surveys/');
  if (refusal === 'channel_not_in_survey')
    return new ApiError(400, 'invalid_input', `channel ${joining}: the autopilot survey is not sent by ${joining}`, 'channel');
  const field = joining === 'email' ? 'customer.email' : 'customer.phone';
  return new ApiError(400, 'invalid_input', `${field} is required to be on autopilot by ${joining}`, field);
}

export function autopilotRoutes(deps: AppDeps) {
  const input = memberInput(deps.config.defaultCountry);
  const everyMonths = () => autopilotSurvey(deps.surveys)?.everyMonths ?? 0;
  const customerOf = (externalId: string) => findCustomerByExternalId(deps.db, externalId);
  return new Hono()
    .use(requireApiKey(deps))
    .post('/members', async (c) => {
      const body = await jsonBody(c, input);
      const now = deps.clock.now();
      checkConsentAt(body.customer.consent, now);
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await deps.db.transaction().execute(async (trx) => {
            const customer = await upsertCustomer(trx, body.customer, now);
            const joining = body.channel ?? (customer.email ? 'email' : 'sms');
            const joined = await joinAutopilot(trx, deps, { customer, channel: joining, now });
            // Refused: the customer's update rolls back with it, as a refused event leaves nothing behind.
            if ('refused' in joined) throw refusalError(joined.refused, joining);
            return joined;
          });
          return c.json(memberOf(body.customer.id, result.membership, everyMonths()), result.created ? 201 : 200);
        } catch (error) {
          if (attempt >= 3 || !isUniqueViolation(error)) throw error;
        }
      }
    })
    .get('/members/:customerId', async (c) => {
      const customer = await customerOf(c.req.param('customerId'));
      const memberships = customer ? await membershipsOfCustomer(deps.db, customer.id) : [];
      return c.json({ memberships: memberships.map((m) => memberOf(customer!.external_id, m, everyMonths())) });
    })
    .delete('/members/:customerId', async (c) => {
      const query = channelQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const customer = await customerOf(c.req.param('customerId'));
      const channels = query.data.channel ? [query.data.channel] : AUTOPILOT_CHANNELS;
      const removed = customer
        ? await deps.db.transaction().execute(async (trx) => {
            const left: AutopilotMembership[] = [];
            for (const one of channels) {
              const membership = await leaveAutopilot(trx, customer.id, one);
              if (membership) left.push(membership);
            }
            return left;
          })
        : [];
      if (!removed.length)
        throw new ApiError(
          404,
          'not_found',
          `customer ${c.req.param('customerId')} is not on autopilot${query.data.channel ? ` by ${query.data.channel}` : ''}`,
        );
      return c.json({ memberships: removed.map((m) => memberOf(customer!.external_id, m, everyMonths())) });
    });
}
