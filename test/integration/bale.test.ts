import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { loadBaleConfig } from '../../server/channels/bale/config.js';
import { baleWebhookUrl } from '../../server/channels/bale/webhook-routes.js';
import { smsWebhookUrls } from '../../server/channels/sms/webhook-routes.js';
import { ConfigError } from '../../server/config.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { ADMIN, signIn } from '../helpers/staff.js';

/*
 * The Bale channel end to end, against a stand-in of Safir (POST /api/v3/send_message, docs.bale.ai/safir) and of
 * the bot's Bot API (answerCallbackQuery, sendMessage) in their request and reply shapes.
 */

const SAFIR = 'https://safir.bale.ai/api/v3/send_message';
const BOT_TOKEN = '1234567890:test-bot-token_abc';
const BOT_API = `https://tapi.bale.ai/bot${BOT_TOKEN}`;

interface SafirRequest {
  headers: Headers;
  body: {
    request_id: string;
    bot_id: number;
    phone_number: string;
    message_data: { message: { text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } } };
  };
}

const server = setupServer();
const safirSeen: SafirRequest[] = [];
const botSeen: { method: string; body: Record<string, unknown> }[] = [];
/** What Safir answers next; a test changes it. Default: accepted. */
let safirReply: () => Response = () => HttpResponse.json({ message_id: crypto.randomUUID(), error_data: null });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => server.resetHandlers());
beforeEach(() => {
  safirSeen.length = 0;
  botSeen.length = 0;
  safirReply = () => HttpResponse.json({ message_id: crypto.randomUUID(), error_data: null });
  server.use(
    // The test talks to its own Hami over loopback.
    http.all(/^http:\/\/(localhost|127\.0\.0\.1)[:/]/, () => passthrough()),
    http.post(SAFIR, async ({ request }) => {
      safirSeen.push({ headers: request.headers, body: (await request.json()) as SafirRequest['body'] });
      return safirReply();
    }),
    http.post(`${BOT_API}/:method`, async ({ request, params }) => {
      botSeen.push({ method: String(params.method), body: (await request.json()) as Record<string, unknown> });
      return HttpResponse.json({ ok: true, result: true });
    }),
  );
});

let hami: TestHami;
let serial = 0;

beforeAll(async () => {
  hami = await startTestHami({
    env: {
      BALE_API_ACCESS_KEY: 'safir-access-key-123',
      BALE_BOT_ID: '1234567890',
      BALE_BOT_TOKEN: BOT_TOKEN,
      HAMI_BRAND_NAME: 'Anar Shop',
      HAMI_BRAND_NAME_FA: 'فروشگاه انار',
      // Several surveys to one customer within the test: the 90-day throttle would skip them.
      HAMI_THROTTLE_DAYS: '0',
    },
  });
  // The shop's survey lists Bale first, then SMS, then email.
  Object.assign(hami.deps.surveys.byId('post-purchase') as SurveyDefinition, { channels: ['bale', 'sms', 'email'] });
}, 60_000);
afterAll(() => hami?.stopAndClean());

/** A purchase by a new customer, sent now; returns the planned invitation. */
async function purchase(customer: { phone?: string; email?: string; locale?: 'en' | 'fa' }) {
  serial += 1;
  const { status, body } = await hami.postEvent({
    type: 'purchase',
    id: `bale-${serial}`,
    sendAt: 'now',
    customer: { id: `bale-c-${serial}`, ...customer },
  });
  expect(status).toBe(202);
  return body.invitations[0] as { id: string; channel: string; status: string; reason?: string };
}

function invitationRow(id: string) {
  return hami.deps.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function sentInvitation(id: string) {
  return eventually(async () => {
    const row = await invitationRow(id);
    return row.status === 'sent' && row;
  }, 10_000);
}

/** Posts a Bot API update to Hami's Bale webhook (the URL start-up prints). */
function postUpdate(update: unknown, url = baleWebhookUrl(hami.deps.publicUrl, hami.deps.secret)) {
  return fetch(url.replace(hami.deps.publicUrl, hami.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(update),
  });
}

let updateId = 1000;
function tap(data: string, chatId: number) {
  updateId += 1;
  return postUpdate({
    update_id: updateId,
    callback_query: {
      id: `cq-${updateId}`,
      from: { id: chatId, is_bot: false, first_name: 'Sara' },
      message: { message_id: 7, date: 1764800000, chat: { id: chatId, type: 'private' } },
      data,
    },
  });
}
function text(value: string, chatId: number) {
  updateId += 1;
  return postUpdate({
    update_id: updateId,
    message: {
      message_id: 8,
      date: 1764800000,
      from: { id: chatId, is_bot: false, first_name: 'Sara' },
      chat: { id: chatId, type: 'private' },
      text: value,
    },
  });
}

function smsOutbox(): { to: string; text: string; reference: string }[] {
  const file = path.join(hami.dataDir, 'outbox', 'sms.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
    : [];
}

describe('Bale channel (Safir)', () => {
  test('a Persian customer gets the survey in Bale with the link and 0–10 buttons running from the right', async () => {
    const planned = await purchase({ phone: '+989121230001', email: 'sara@example.com', locale: 'fa' });
    expect(planned).toMatchObject({ channel: 'bale', status: 'scheduled' });
    await sentInvitation(planned.id);

    expect(safirSeen).toHaveLength(1);
    const [sent] = safirSeen;
    expect(sent!.headers.get('api-access-key')).toBe('safir-access-key-123');
    expect(sent!.body).toMatchObject({ request_id: planned.id, bot_id: 1234567890, phone_number: '989121230001' });
    const message = sent!.body.message_data.message;
    const token = invitationToken(hami.deps.secret, planned.id);
    expect(message.text.startsWith('فروشگاه انار: ')).toBe(true);
    expect(message.text).toContain(`${hami.deps.publicUrl}/s/${token}`);
    const rows = message.reply_markup!.inline_keyboard.map((row) => row.map((button) => button.text));
    // Persian digits, 0 at the right of the first row and 10 at the left of the second, as on the page and in the email.
    expect(rows.slice(0, 2)).toEqual([
      ['۵', '۴', '۳', '۲', '۱', '۰'],
      ['۱۰', '۹', '۸', '۷', '۶'],
    ]);
    expect(rows[2]).toEqual(['دیگر این نظرسنجی‌ها را نفرستید']);
    expect((await invitationRow(planned.id)).channel).toBe('bale');
  });

  test("a Persian customer's tap on ۹ records a 9, thanks them in Persian, and counts in the metrics under Bale", async () => {
    const planned = await purchase({ phone: '+989121230002', locale: 'fa' });
    await sentInvitation(planned.id);
    const nine = safirSeen[0]!.body.message_data.message.reply_markup!.inline_keyboard.flat().find((b) => b.text === '۹')!;

    const res = await tap(nine.callback_data, 501);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: 'answer' });

    const response = await hami.deps.db
      .selectFrom('responses')
      .selectAll()
      .where('invitation_id', '=', planned.id)
      .executeTakeFirstOrThrow();
    expect(response).toMatchObject({ score: 9, bucket: 'promoter', channel: 'bale' });
    const history = await hami.deps.db.selectFrom('response_history').select('source').where('response_id', '=', response.id).execute();
    expect(history.map((h) => h.source)).toEqual(['bale']);
    expect(botSeen).toEqual([
      { method: 'answerCallbackQuery', body: { callback_query_id: `cq-${updateId}`, text: expect.stringContaining('۹') } },
    ]);

    await settleOneTapAnswers(hami);
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const day = hami.deps.clock.now().toISOString().slice(0, 10);
    const bale = await admin.call('GET', `/api/metrics/nps?from=${day}&to=${day}&interval=day&channel=bale`);
    expect(bale.status).toBe(200);
    expect(bale.body.total).toMatchObject({ n: 1, promoters: 1, detractors: 0 });
    const filters = await admin.call('GET', '/api/metrics/filters');
    expect(filters.body.channels).toContain('bale');
  });

  test('a mis-tap corrected at once keeps the latest answer and opens no callback case', async () => {
    const planned = await purchase({ phone: '+989121230003', locale: 'en' });
    await sentInvitation(planned.id);
    const buttons = safirSeen[0]!.body.message_data.message.reply_markup!.inline_keyboard.flat();
    // In English the buttons read 0 → 10 from the left.
    expect(buttons.slice(0, 6).map((b) => b.text)).toEqual(['0', '1', '2', '3', '4', '5']);
    await tap(buttons.find((b) => b.text === '2')!.callback_data, 502);
    await tap(buttons.find((b) => b.text === '10')!.callback_data, 502);
    await settleOneTapAnswers(hami);

    const response = await hami.deps.db
      .selectFrom('responses')
      .selectAll()
      .where('invitation_id', '=', planned.id)
      .executeTakeFirstOrThrow();
    expect(response.score).toBe(10);
    const cases = await hami.deps.db.selectFrom('callback_cases').select('id').where('customer_id', '=', response.customer_id).execute();
    expect(cases).toHaveLength(0);
  });

  test('the stop button and a typed «لغو» stop surveys by Bale only: the next survey goes by SMS', async () => {
    const phone = '+989121230004';
    const first = await purchase({ phone, locale: 'fa' });
    await sentInvitation(first.id);
    const stop = safirSeen[0]!.body.message_data.message.reply_markup!.inline_keyboard.at(-1)![0]!;
    expect(await (await tap(stop.callback_data, 504)).json()).toEqual({ ok: true, outcome: 'opt_out' });
    expect(botSeen.at(-1)).toMatchObject({
      method: 'answerCallbackQuery',
      body: { text: 'انجام شد. دیگر در بله برای شما نظرسنجی نمی‌فرستیم.' },
    });

    const next = await purchase({ phone, locale: 'fa' });
    expect(next).toMatchObject({ channel: 'sms', status: 'scheduled' });
    await sentInvitation(next.id);
    expect(smsOutbox().filter((m) => m.to === phone)).toHaveLength(1);

    // «لغو» typed to the bot, from a chat that has tapped a survey button before.
    const other = '+989121230005';
    const invitation = await purchase({ phone: other, locale: 'fa' });
    await sentInvitation(invitation.id);
    const eight = safirSeen
      .at(-1)!
      .body.message_data.message.reply_markup!.inline_keyboard.flat()
      .find((b) => b.text === '۸')!;
    await tap(eight.callback_data, 505);
    expect(await (await text('لغو', 505)).json()).toEqual({ ok: true, outcome: 'opt_out' });
    expect(botSeen.at(-1)).toEqual({
      method: 'sendMessage',
      body: { chat_id: 505, text: 'انجام شد. دیگر در بله برای شما نظرسنجی نمی‌فرستیم.' },
    });
    expect(await purchase({ phone: other, locale: 'fa' })).toMatchObject({ channel: 'sms' });
    const suppressed = await hami.deps.db
      .selectFrom('suppressions')
      .select(['channel', 'address'])
      .where('address', 'in', [phone, other])
      .execute();
    expect(suppressed.map((s) => s.channel)).toEqual(['bale', 'bale']);
  });

  test('«stop» from a chat that never tapped a button opts nobody out and says how to', async () => {
    expect(await (await text('STOP', 999)).json()).toEqual({ ok: true, outcome: 'unmatched' });
    expect(botSeen).toEqual([
      { method: 'sendMessage', body: { chat_id: 999, text: 'To stop these surveys, tap the last button under our survey message.' } },
    ]);
  });

  test('an SMS opt-out does not stop Bale', async () => {
    const phone = '+989121230006';
    const url = smsWebhookUrls(hami.deps.publicUrl, hami.deps.secret).inbound;
    // The SMS dev outbox takes the generic inbound shape.
    const res = await fetch(url.replace(hami.deps.publicUrl, hami.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: phone, text: 'لغو' }),
    });
    expect(res.status).toBe(200);
    const planned = await purchase({ phone, locale: 'fa' });
    expect(planned).toMatchObject({ channel: 'bale', status: 'scheduled' });
    await sentInvitation(planned.id);
    expect(safirSeen.map((s) => s.body.phone_number)).toEqual(['989121230006']);
  });

  test('a number that is not on Bale (Safir code 17) falls back to SMS', async () => {
    safirReply = () =>
      HttpResponse.json({ message_id: null, error_data: [{ phone_number: '989121230007', code: 17, description: 'user not found' }] });
    const planned = await purchase({ phone: '+989121230007', email: 'nobale@example.com', locale: 'fa' });
    const row = await sentInvitation(planned.id);
    expect(row.channel).toBe('sms');
    expect(smsOutbox().filter((m) => m.to === '+989121230007')).toHaveLength(1);
    // Not held against the number on Bale: if they join later, Bale is tried first again.
    const suppressed = await hami.deps.db.selectFrom('suppressions').select('channel').where('address', '=', '+989121230007').execute();
    expect(suppressed).toEqual([]);
  });

  test.each([
    [
      'a refused API access key (401)',
      () => HttpResponse.json({ message: 'invalid api access key' }, { status: 401 }),
      'BALE_API_ACCESS_KEY',
    ],
    [
      'no Safir credit (code 20)',
      () => HttpResponse.json({ message_id: null, error_data: [{ phone_number: '98', code: 20, description: 'insufficient balance' }] }),
      'top up',
    ],
    ['Safir down (503)', () => new HttpResponse('upstream unavailable', { status: 503 }), '503'],
    [
      'too many requests (429)',
      () => HttpResponse.json({ error: 'rate limited' }, { status: 429, headers: { 'retry-after': '1' } }),
      '429',
    ],
  ])('%s holds the invitation for a retry on Bale, without falling back; once fixed it goes', async (_label, reply, hint) => {
    safirReply = reply;
    const planned = await purchase({ phone: `+98912124${String(serial).padStart(4, '0')}`, email: 'held@example.com', locale: 'fa' });
    const job = await eventually(async () => {
      const row = await hami.deps.db.selectFrom('jobs').selectAll().where('payload', 'like', `%${planned.id}%`).executeTakeFirst();
      return row && row.attempts >= 1 && row.status === 'queued' && row;
    }, 10_000);
    expect(job.last_error).toContain(hint);
    expect(await invitationRow(planned.id)).toMatchObject({ status: 'scheduled', channel: 'bale' });
    expect(smsOutbox().filter((m) => m.reference === planned.id)).toEqual([]);

    // Fixed (key corrected, credit topped up, Safir back): the retry goes out by Bale.
    safirReply = () => HttpResponse.json({ message_id: 'm-after-fix', error_data: null });
    await hami.deps.db.updateTable('jobs').set({ run_at: hami.deps.clock.now().toISOString() }).where('id', '=', job.id).execute();
    hami.deps.jobQueued();
    const row = await sentInvitation(planned.id);
    expect(row).toMatchObject({ channel: 'bale', provider_message_id: 'm-after-fix' });
  });

  test('updates without the secret webhook URL are refused and record nothing', async () => {
    const planned = await purchase({ phone: '+989121230009', locale: 'fa' });
    await sentInvitation(planned.id);
    const zero = safirSeen[0]!.body.message_data.message.reply_markup!.inline_keyboard.flat().find((b) => b.text === '۰')!;
    const update = { update_id: 1, callback_query: { id: 'cq-x', from: { id: 666 }, data: zero.callback_data } };
    for (const key of ['wrong-key', baleWebhookUrl(hami.deps.publicUrl, 'another secret entirely, 32+ chars').split('/').at(-1)!]) {
      const res = await fetch(`${hami.url}/hooks/bale/${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(404);
    }
    expect(await hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', planned.id).execute()).toEqual([]);
    expect(botSeen).toEqual([]);

    const garbage = await postUpdate({ hello: 'world' });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toContain('update_id');
  });
});

describe('Bale settings', () => {
  test('none set: the dev outbox', () => {
    expect(loadBaleConfig({})).toEqual({ enabled: false });
  });

  test.each([
    [{ BALE_BOT_ID: '1234567890', BALE_BOT_TOKEN: BOT_TOKEN }, 'BALE_API_ACCESS_KEY must be set'],
    [{ BALE_API_ACCESS_KEY: 'k', BALE_BOT_TOKEN: BOT_TOKEN }, 'BALE_BOT_ID must be set'],
    [{ BALE_API_ACCESS_KEY: 'k', BALE_BOT_ID: 'my-bot', BALE_BOT_TOKEN: BOT_TOKEN }, 'BALE_BOT_ID must be'],
    [{ BALE_API_ACCESS_KEY: 'k', BALE_BOT_ID: '1', BALE_BOT_TOKEN: 'no colon' }, 'BALE_BOT_TOKEN must be'],
  ])('a missing or malformed value names its variable (%o)', (env, start) => {
    let error: unknown;
    try {
      loadBaleConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.startsWith(start)).toBe(true);
    // A credential is never echoed.
    expect((error as Error).message).not.toContain('no colon');
  });
});
