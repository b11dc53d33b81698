import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WEBHOOK_EVENTS, webhookEventBodies, type WebhookEvent } from '../../shared/api/webhooks.js';
import { buildOpenApiDocument } from '../../server/openapi/document.js';
import '../../server/webhooks/openapi.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { WEBHOOK_DELIVER_JOB } from '../../server/webhooks/job-names.js';
import { webhookUrlProblem } from '../../server/webhooks/url-policy.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { drainJobs, eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { exampleResolver } from '../helpers/webhook-dns.js';
import { ADMIN, signIn, signInAgain, staffMember, type StaffClient } from '../helpers/staff.js';

/** The receivers: https://hooks.example.test/{name}; each call is recorded, and `answers` says what to reply. */
const RECEIVER = 'https://hooks.example.test';
interface Call {
  name: string;
  body: string;
  headers: Headers;
}
const calls: Call[] = [];
const answers = new Map<string, ('503' | '410' | 'network')[]>();
const msw = setupServer(
  http.post(`${RECEIVER}/:name`, async ({ request, params }) => {
    const name = String(params.name);
    const next = answers.get(name)?.shift();
    if (next === 'network') return HttpResponse.error();
    const body = await request.text();
    calls.push({ name, body, headers: request.headers });
    if (next) return new HttpResponse(`receiver says ${next}`, { status: Number(next) });
    return HttpResponse.json({ received: true });
  }),
);

const callsTo = (name: string) => calls.filter((c) => c.name === name);
const verify = (secret: string, call: Call) =>
  call.headers.get('x-hami-signature') ===
  `sha256=${createHmac('sha256', secret)
    .update(`${call.headers.get('x-hami-timestamp')}.${call.body}`)
    .digest('hex')}`;

describe('outbound webhooks', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    msw.listen({ onUnhandledRequest: 'bypass' });
    hami = await startTestHami({ clock });
    hami.deps.resolveHost = exampleResolver; // example host names get a public address: msw answers them
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await hami.stopAndClean();
    msw.close();
  });

  async function addHook(name: string, events: WebhookEvent[], extra: Record<string, unknown> = {}) {
    const created = await admin.call('POST', '/api/webhooks', { url: `${RECEIVER}/${name}`, events, description: name, ...extra });
    expect(created.status).toBe(201);
    return created.body as { webhook: { id: string }; secret: string };
  }

  /** A customer answers `score` by one tap in their email; returns the response and case ids. */
  async function answer(score: number) {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `o-${serial}`,
      sendAt: 'now',
      customer: { id: `c-${serial}`, email: `c${serial}@example.com`, name: `Customer ${serial}`, attributes: { tier: 'gold' } },
    });
    const invitationId = body.invitations[0].id as string;
    await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}?score=${score}`, { redirect: 'manual' });
    await settleOneTapAnswers(hami);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    const found = await hami.deps.db.selectFrom('callback_cases').select('id').where('response_id', '=', response.id).executeTakeFirst();
    return { responseId: response.id, caseId: found?.id, customerId: `c-${serial}` };
  }

  const deliveries = async (hookId: string) =>
    (await admin.call('GET', `/api/webhooks/${hookId}/deliveries`)).body.items as {
      id: string;
      event: string;
      eventId: string;
      status: string;
      body: string;
      resendOf: string | null;
      nextAttemptAt: string | null;
      attempts: { at: string; statusCode: number | null; durationMs: number; error: string | null; responseExcerpt: string | null }[];
    }[];

  /** Waits until the delivery job has recorded a failure and is queued again, then moves the clock past its backoff. */
  async function afterBackoff(failures: number) {
    await eventually(() =>
      hami.deps.db
        .selectFrom('jobs')
        .select('id')
        .where('name', '=', WEBHOOK_DELIVER_JOB)
        .where('status', '=', 'queued')
        .where('attempts', '>=', failures)
        .executeTakeFirst(),
    );
    clock.advance(15_000 * 2 ** (failures - 1) * 1.2 + 1000);
  }

  test('response.created reaches the receiver signed with a timestamp, with the documented body and a delivery id in the log', async () => {
    const hook = await addHook('responses', ['response.created']);
    expect(hook.secret).toMatch(/^whsec_/);
    const { responseId, customerId } = await answer(7);
    const call = await eventually(() => callsTo('responses').find((c) => c.body.includes(responseId)));
    expect(verify(hook.secret, call)).toBe(true);
    const timestamp = Number(call.headers.get('x-hami-timestamp'));
    expect(timestamp).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(call.headers.get('x-hami-event')).toBe('response.created');
    const body = webhookEventBodies['response.created'].parse(JSON.parse(call.body));
    expect(body).toMatchObject({
      event: 'response.created',
      occurredAt: clock.now().toISOString(),
      data: {
        response: { id: responseId, surveyId: 'post-purchase', score: 7, bucket: 'passive', answers: { nps: 7 }, channel: 'email' },
        customer: { externalId: customerId, name: expect.stringContaining('Customer'), attributes: { tier: 'gold' } },
      },
    });
    const log = await eventually(async () => (await deliveries(hook.webhook.id)).find((d) => d.status === 'delivered'));
    expect(log).toMatchObject({ event: 'response.created', eventId: body.id, body: call.body, resendOf: null, nextAttemptAt: null });
    expect(call.headers.get('x-hami-delivery')).toBe(log.id);
    expect(log.attempts).toEqual([
      { at: expect.any(String), statusCode: 200, durationMs: expect.any(Number), error: null, responseExcerpt: '{"received":true}' },
    ]);
    const list = await admin.call('GET', '/api/webhooks');
    expect(list.body.items.find((w: { id: string }) => w.id === hook.webhook.id)).toMatchObject({
      active: true,
      events: ['response.created'],
      secretHint: hook.secret.slice(-4),
      lastDelivery: { status: 'delivered' },
    });
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
  });

  test('a 5xx and a network error are retried with backoff, each attempt logged; a final 4xx stops at once', async () => {
    const hook = await addHook('flaky', ['response.created']);
    answers.set('flaky', ['503', 'network']);
    const { responseId } = await answer(9);
    await eventually(() => callsTo('flaky').length === 1);
    await afterBackoff(1);
    await afterBackoff(2);
    const call = await eventually(() => callsTo('flaky')[1]);
    expect(call.body).toContain(responseId);
    expect(verify(hook.secret, call)).toBe(true);
    const [log] = await eventually(async () => {
      const items = await deliveries(hook.webhook.id);
      return items[0]?.status === 'delivered' && items;
    });
    expect(log!.attempts.map((a) => [a.statusCode, a.error === null])).toEqual([
      [503, false],
      [null, false],
      [200, true],
    ]);
    expect(log!.attempts[0]).toMatchObject({ error: 'receiver answered 503', responseExcerpt: 'receiver says 503' });
    // Later attempts are later, and the signature's timestamp is the attempt's own.
    expect(log!.attempts[2]!.at > log!.attempts[0]!.at).toBe(true);
    expect(Number(call.headers.get('x-hami-timestamp'))).toBe(Math.floor(Date.parse(log!.attempts[2]!.at) / 1000));

    const gone = await addHook('gone', ['response.created']);
    answers.set('gone', ['410']);
    await answer(8);
    const failed = await eventually(async () => (await deliveries(gone.webhook.id)).find((d) => d.status === 'failed'));
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]).toMatchObject({ statusCode: 410, error: 'receiver refused with 410' });
    await hami.deps.db.updateTable('webhooks').set({ active: 0 }).where('id', '=', gone.webhook.id).execute();
  });

  test('resend queues the same body as a new delivery, signed afresh, with the same event id', async () => {
    const hook = await addHook('resend', ['response.created']);
    await answer(10);
    const [first] = await eventually(async () => {
      const items = await deliveries(hook.webhook.id);
      return items[0]?.status === 'delivered' && items;
    });
    clock.advance(HOUR);
    const resent = await admin.call('POST', `/api/webhooks/deliveries/${first!.id}/resend`);
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ status: 'pending', resendOf: first!.id, eventId: first!.eventId, body: first!.body });
    expect(resent.body.id).not.toBe(first!.id);
    const again = await eventually(() => callsTo('resend').find((c) => c.headers.get('x-hami-delivery') === resent.body.id));
    expect(again.body).toBe(first!.body);
    expect(Number(again.headers.get('x-hami-timestamp'))).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(verify(hook.secret, again)).toBe(true);
    const log = await eventually(async () => {
      const items = await deliveries(hook.webhook.id);
      return items.length === 2 && items[0]!.status === 'delivered' && items;
    });
    expect(log.map((d) => d.id)).toEqual([resent.body.id, first!.id]);
    expect((await admin.call('POST', '/api/webhooks/deliveries/none/resend')).status).toBe(404);
  });

  test('callback.opened, callback.overdue, callback.closed and segment.entered fire with their documented bodies', async () => {
    const hook = await addHook('everything', ['callback.opened', 'callback.overdue', 'callback.closed', 'segment.entered'], {
      secret: 'my-own-secret-0123456789',
    });
    expect(hook.secret).toBe('my-own-secret-0123456789');
    const detractor = await answer(2);
    const promoter = await answer(10);
    const bodyOf = async (event: WebhookEvent, id: string) => {
      const call = await eventually(() =>
        callsTo('everything').find((c) => c.headers.get('x-hami-event') === event && c.body.includes(id)),
      );
      expect(verify('my-own-secret-0123456789', call)).toBe(true);
      return webhookEventBodies[event].parse(JSON.parse(call.body));
    };
    const opened = await bodyOf('callback.opened', detractor.caseId!);
    expect(opened.data).toMatchObject({
      case: {
        id: detractor.caseId,
        status: 'open',
        reason: null,
        closedAt: null,
        url: `${hami.deps.publicUrl}/app/#/callbacks/${detractor.caseId}`,
      },
      response: { id: detractor.responseId, score: 2, bucket: 'detractor' },
      customer: { externalId: detractor.customerId },
    });
    const entered = await bodyOf('segment.entered', promoter.responseId);
    expect(entered.data).toMatchObject({
      segment: 'promoters',
      response: { id: promoter.responseId, score: 10, bucket: 'promoter' },
      customer: { externalId: promoter.customerId },
    });
    // Nothing it did not subscribe to.
    expect(callsTo('everything').some((c) => c.headers.get('x-hami-event') === 'response.created')).toBe(false);

    clock.advance(24 * HOUR + 60_000);
    const overdue = await bodyOf('callback.overdue', detractor.caseId!);
    expect(overdue.data).toMatchObject({ case: { id: detractor.caseId, status: 'open' } });

    admin = await signInAgain(hami, admin);
    const closing = await admin.call('PATCH', `/api/callbacks/${detractor.caseId}`, {
      status: 'resolved',
      reason: 'product_defect',
      outcome: 'We sent a new one.',
    });
    expect(closing.status).toBe(200);
    const closed = await bodyOf('callback.closed', detractor.caseId!);
    expect(closed).toMatchObject({
      event: 'callback.closed',
      occurredAt: clock.now().toISOString(),
      data: { case: { status: 'resolved', reason: 'product_defect', closedAt: clock.now().toISOString() } },
    });
  });

  test('an inactive hook and a hook not subscribed to the event get nothing; a deleted hook is gone with its log', async () => {
    const off = await addHook('off', ['response.created'], { active: false });
    const other = await addHook('other', ['callback.closed']);
    const on = await addHook('on', ['response.created']);
    const { responseId } = await answer(6);
    await eventually(() => callsTo('on').some((c) => c.body.includes(responseId)));
    await drainJobs(hami);
    expect(callsTo('off')).toHaveLength(0);
    expect(callsTo('other').filter((c) => c.body.includes(responseId))).toHaveLength(0);
    expect(await deliveries(off.webhook.id)).toEqual([]);

    // Deactivated later: nothing more, and no resend until it is active again.
    const paused = await admin.call('PATCH', `/api/webhooks/${on.webhook.id}`, { active: false });
    expect(paused.body).toMatchObject({ webhook: { active: false } });
    expect(paused.body.secret).toBeUndefined();
    const second = await answer(5);
    await drainJobs(hami);
    expect(callsTo('on').some((c) => c.body.includes(second.responseId))).toBe(false);
    const [logged] = await deliveries(on.webhook.id);
    expect((await admin.call('POST', `/api/webhooks/deliveries/${logged!.id}/resend`)).status).toBe(409);

    const rotated = await admin.call('PATCH', `/api/webhooks/${on.webhook.id}`, { rotateSecret: true });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(on.secret);

    expect((await admin.call('DELETE', `/api/webhooks/${on.webhook.id}`)).status).toBe(204);
    expect((await admin.call('GET', `/api/webhooks/${on.webhook.id}/deliveries`)).status).toBe(404);
    expect((await admin.call('DELETE', `/api/webhooks/${on.webhook.id}`)).status).toBe(404);
    expect(await hami.deps.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', on.webhook.id).execute()).toEqual([]);
    await admin.call('PATCH', `/api/webhooks/${other.webhook.id}`, { active: false });
  });

  test.each([
    ['POST', { url: 'ftp://hooks.example.test/x', events: ['response.created'] }, 'url'],
    ['POST', { url: 'not a url', events: ['response.created'] }, 'url'],
    ['POST', { url: 'https://user:pw@hooks.example.test/x', events: ['response.created'] }, 'url'],
    ['POST', { events: ['response.created'] }, 'url'],
    ['POST', { url: `${RECEIVER}/x`, events: [] }, 'events'],
    ['POST', { url: `${RECEIVER}/x`, events: ['response.deleted'] }, 'events.0'],
    ['POST', { url: `${RECEIVER}/x`, events: ['response.created'], secret: 'short' }, 'secret'],
    ['POST', { url: `${RECEIVER}/x`, events: ['response.created'], colour: 'red' }, 'colour'],
    ['PATCH', { active: 'yes' }, 'active'],
    ['PATCH', { url: 'javascript:alert(1)' }, 'url'],
    ['PATCH', { rotateSecret: true, secret: 'a-secret-of-my-own-123' }, 'rotateSecret'],
  ])('%s %j is refused with a 400 naming %s', async (method, body, field) => {
    const target =
      method === 'POST' ? '/api/webhooks' : `/api/webhooks/${(await addHook('target', ['callback.closed'], { active: false })).webhook.id}`;
    const result = await admin.call(method, target, body);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'invalid_input', field });
  });

  test('a bad limit is refused, and unknown hooks are 404', async () => {
    const hook = await addHook('limits', ['callback.closed'], { active: false });
    expect((await admin.call('GET', `/api/webhooks/${hook.webhook.id}/deliveries?limit=0`)).body.error).toMatchObject({ field: 'limit' });
    expect((await admin.call('PATCH', '/api/webhooks/none', { active: true })).status).toBe(404);
  });

  test('only admins manage webhooks', async () => {
    for (const role of ['care', 'marketing'] as const) {
      const member = await staffMember(hami, admin, role);
      expect((await member.call('GET', '/api/webhooks')).status).toBe(403);
      expect((await member.call('POST', '/api/webhooks', { url: `${RECEIVER}/x`, events: ['response.created'] })).status).toBe(403);
    }
    expect((await admin.call('POST', '/api/webhooks', { url: `${RECEIVER}/x`, events: ['response.created'] }, { csrf: null })).status).toBe(
      403,
    );
  });
});

test.each([
  ['https://hooks.example.com/hami', null],
  ['http://hooks.example.com:8080/hami?x=1', null],
  ['ftp://hooks.example.com/hami', 'must be an http or https URL'],
  ['file:///etc/passwd', 'must be an http or https URL'],
  ['/relative', 'must be an absolute URL such as https://example.com/hooks/hami'],
])('the webhook URL policy: %s', (url, problem) => {
  expect(webhookUrlProblem(url)).toBe(problem);
});

test('the OpenAPI document describes every event body Hami sends and every webhooks route', () => {
  const document = buildOpenApiDocument({ version: '0.0.0' }) as {
    paths: Record<string, unknown>;
    webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: { required?: string[] } } } } } }>;
  };
  for (const event of WEBHOOK_EVENTS) {
    expect(document.webhooks[event]?.post.requestBody.content['application/json'].schema.required).toEqual([
      'id',
      'event',
      'occurredAt',
      'data',
    ]);
  }
  expect(
    Object.keys(document.paths)
      .filter((p) => p.startsWith('/api/webhooks'))
      .sort(),
  ).toEqual(['/api/webhooks', '/api/webhooks/deliveries/{id}/resend', '/api/webhooks/{id}', '/api/webhooks/{id}/deliveries']);
});
