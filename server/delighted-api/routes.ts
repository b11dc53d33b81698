import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { registerOperations, type Operation } from '../openapi/registry.js';
import {
  addAutopilotRoutes,
  configurationBody,
  membershipBody,
  membershipInput,
  membershipListItem,
  membershipRemoval,
  membershipsQuery,
  PLATFORMS,
  removedBody,
} from './autopilot.js';
import { requireDelightedKey } from './auth.js';
import { delightedErrorResponse } from './errors.js';
import { bodyFields, metricsQuery, pageQuery, personInput, readPerson, readQuery, responsesQuery } from './input.js';
import { createPerson, surveyForPeople } from './people.js';
import { listResponses, listSuppressions, metrics, unsubscribe } from './reads.js';
import {
  bounceBody,
  delightedErrorBody,
  metricsBody,
  okBody,
  personBody,
  personOf,
  surveyResponseBody,
  unsubscribeBody,
} from './shapes.js';

/*
 * Delighted's v1 API (https://delighted.com/docs/api) on Hami, so an integration that spoke to Delighted (shut down
 * 2026-06-30) only changes its base URL from https://api.delighted.com/v1/ to {Hami}/api/delighted/v1/. The same
 * endpoints with and without ".json" are Delighted's (its clients call /v1/people, its docs /v1/people.json).
 */

export const DELIGHTED_BASE = '/api/delighted/v1';
const TAG = 'Delighted compatibility';
const AUTH_NOTE =
  'Authenticated as Delighted is: HTTP Basic with a Hami API key as the user name and an empty password (a Bearer key works too).';
const errors = {
  401: { description: "No API key, or an unknown or revoked one (Delighted's error body)", schema: delightedErrorBody },
  422: { description: 'Bad input: `errors` names each field at fault, and so does `message`', schema: delightedErrorBody },
};
const surveyQuery = z.object({
  survey: z.string().max(100).optional().describe('The Hami survey to plan (default: the one purchase events plan)'),
});

/** Each operation under both spellings of its path. */
function register(operation: Omit<Operation, 'path' | 'tag' | 'auth'> & { name: string }): void {
  const { name, ...rest } = operation;
  for (const path of [`${DELIGHTED_BASE}/${name}.json`, `${DELIGHTED_BASE}/${name}`]) {
    registerOperations({ ...rest, path, tag: TAG, auth: 'apiKey', description: `${rest.description ?? ''}\n\n${AUTH_NOTE}`.trim() });
  }
}

register({
  method: 'post',
  name: 'people',
  summary: 'Create or update a person and schedule a survey (Delighted: sending to people)',
  description:
    'JSON or a form (`properties[key]=value`). The person is a Hami customer, keyed by `properties[customer_id]`, else the customer who has this ' +
    'email (else phone), else the email. The survey (`?survey=`, default the post-purchase survey) is planned at now + `delay` seconds by ' +
    "Hami's delivery rules: consent, the throttle, opt-outs and quiet hours; `survey_scheduled_at` is present when it was planned. " +
    '`send=false` only creates or updates the person. `properties[locale]` (en, fa) sets the language; other properties are customer attributes.',
  query: surveyQuery,
  body: personInput,
  responses: {
    201: { description: 'A new person', schema: personBody },
    200: { description: 'An existing person, updated', schema: personBody },
    ...errors,
  },
});
register({
  method: 'get',
  name: 'survey_responses',
  summary: 'List survey responses (Delighted: listing survey responses)',
  description: 'Every NPS answer, native and imported from Delighted, oldest first, `per_page` (≤ 100) at a time; `page` counts from 1.',
  query: responsesQuery,
  responses: { 200: { description: 'One page of responses', schema: z.array(surveyResponseBody) }, ...errors },
});
register({
  method: 'get',
  name: 'metrics',
  summary: 'NPS and its breakdown (Delighted: getting metrics)',
  description: 'Over every NPS answer created in the range. `trend` and `groups` are accepted and ignored (only the core group).',
  query: metricsQuery,
  responses: { 200: { description: 'The figures', schema: metricsBody }, ...errors },
});
register({
  method: 'post',
  name: 'unsubscribes',
  summary: 'Unsubscribe an email (Delighted: unsubscribing people)',
  description: 'The address is opted out of email surveys, as by the opt-out link: Hami never surveys it by email again.',
  body: z.object({ person_email: z.email() }),
  responses: { 200: { description: 'Done', schema: okBody }, ...errors },
});
register({
  method: 'get',
  name: 'unsubscribes',
  summary: 'List unsubscribed people (Delighted: listing unsubscribed people)',
  description: 'Email opt-outs, oldest first.',
  query: pageQuery,
  responses: { 200: { description: 'One page', schema: z.array(unsubscribeBody) }, ...errors },
});
register({
  method: 'get',
  name: 'bounces',
  summary: 'List bounced people (Delighted: listing bounced people)',
  description: 'Email addresses whose survey failed permanently (the mail server refused the address), oldest first.',
  query: pageQuery,
  responses: { 200: { description: 'One page', schema: z.array(bounceBody) }, ...errors },
});

for (const platform of PLATFORMS) {
  const on = `Delighted platform ${platform}: Hami's autopilot on the ${platform} channel (the survey with "trigger": "autopilot", every \`everyMonths\`, on work-day mornings in the customer's time zone).`;
  register({
    method: 'get',
    name: `autopilot/${platform}`,
    summary: `Autopilot configuration for ${platform} (Delighted: getting Autopilot configuration)`,
    description: on,
    responses: { 200: { description: 'The configuration', schema: configurationBody }, ...errors },
  });
  register({
    method: 'get',
    name: `autopilot/${platform}/memberships`,
    summary: `List people in autopilot by ${platform} (Delighted: listing people in Autopilot)`,
    description: `${on} Oldest member first; a full page carries a \`Link: <…>; rel="next"\` header to the next one.`,
    query: membershipsQuery,
    responses: { 200: { description: 'One page of memberships', schema: z.array(membershipListItem) }, ...errors },
  });
  register({
    method: 'post',
    name: `autopilot/${platform}/memberships`,
    summary: `Add a person to autopilot by ${platform} (Delighted: adding people to Autopilot)`,
    description: `${on} A new member's first survey is on a work day spread over the first interval; a member added again keeps their schedule and gets the new properties.`,
    body: membershipInput,
    responses: { 200: { description: 'The person and their autopilot properties', schema: membershipBody }, ...errors },
  });
  register({
    method: 'delete',
    name: `autopilot/${platform}/memberships`,
    summary: `Remove a person from autopilot by ${platform} (Delighted: removing people from Autopilot)`,
    description: `${on} Exactly one of person_id, person_email, person_phone_number, in a JSON or form body (or the query). A scheduled autopilot survey not yet sent is cancelled.`,
    body: membershipRemoval,
    responses: {
      200: { description: 'The person removed', schema: removedBody },
      404: { description: 'The person is not in autopilot on this platform', schema: delightedErrorBody },
      ...errors,
    },
  });
}

export function delightedRoutes(deps: AppDeps) {
  const app = new Hono();
  app.onError((error, c) => delightedErrorResponse(error, c, deps.log));
  app.use(requireDelightedKey(deps));
  addAutopilotRoutes(app, deps);
  for (const suffix of ['.json', '']) {
    app.post(`/people${suffix}`, async (c) => {
      const survey = surveyForPeople(deps.surveys, c.req.query('survey'));
      const person = readPerson(await bodyFields(c));
      const result = await createPerson(deps, person, survey);
      if (result.scheduledAt && result.scheduledAt <= deps.clock.now()) deps.jobQueued();
      return c.json(personOf(result.personId, result.customer, result.scheduledAt), result.created ? 201 : 200);
    });
    app.get(`/survey_responses${suffix}`, async (c) => c.json(await listResponses(deps, readQuery(c, responsesQuery))));
    app.get(`/metrics${suffix}`, async (c) => c.json(await metrics(deps, readQuery(c, metricsQuery))));
    app.post(`/unsubscribes${suffix}`, async (c) => {
      await unsubscribe(deps, await bodyFields(c));
      return c.json({ ok: true as const });
    });
    app.get(`/unsubscribes${suffix}`, async (c) => {
      const rows = await listSuppressions(deps, 'unsubscribe', readQuery(c, pageQuery));
      return c.json(rows.map(({ at, ...row }) => ({ ...row, unsubscribed_at: at })));
    });
    app.get(`/bounces${suffix}`, async (c) => {
      const rows = await listSuppressions(deps, 'bounce', readQuery(c, pageQuery));
      return c.json(rows.map(({ at, ...row }) => ({ ...row, bounced_at: at })));
    });
  }
  return app;
}
