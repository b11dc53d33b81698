import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadSmsConfig } from '../../server/channels/sms/config.js';
import { createSmsProvider } from '../../server/channels/sms/create.js';
import { createHttpSmsProvider } from '../../server/channels/sms/http.js';
import { createKavenegarProvider, kavenegarLocalId, toKavenegarReceptor } from '../../server/channels/sms/kavenegar.js';
import { createSmsOutbox } from '../../server/channels/sms/outbox.js';
import {
  SmsAccountError,
  SmsPermanentError,
  SmsTemporaryError,
  SmsWebhookError,
  type SmsMessage,
  type SmsProvider,
} from '../../server/channels/sms/provider.js';
import { withRateLimit } from '../../server/channels/sms/rate-limit.js';
import { createTwilioProvider, twilioSignature } from '../../server/channels/sms/twilio.js';
import { ConfigError } from '../../server/config.js';
import { smsWebhookUrls } from '../../server/channels/sms/webhook-routes.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { rejection, seeRequest, signLikeTwilio, thrown, webhook, type SeenRequest } from '../helpers/sms-gateways.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const message: SmsMessage = {
  to: '+989121234567',
  text: 'امتیاز ۰ تا ۱۰ بدهید: https://hami.ir/s/AAAAAAAAAAAAAAAAAAAAAA',
  reference: '3f0b8e6c-6a0e-4c39-9c1e-2f1d5c2a9b10',
};

/** Records each request a handler sees, in order. */
function recorder() {
  const seen: SeenRequest[] = [];
  return { seen, record: async (request: Request) => void seen.push(await seeRequest(request)) };
}

// -------------------------------------------------------------------------------------------------------------
describe('Kavenegar', () => {
  const API_KEY = '4A6B7C-TEST-KEY';
  const SEND_URL = 'https://api.kavenegar.com/v1/:key/sms/send.json';
  const provider = (timeoutMs?: number) => createKavenegarProvider({ apiKey: API_KEY, sender: '10004346', fetch, timeoutMs });

  /** A Kavenegar reply in its documented shape. */
  const reply = (status: number, text: string, entries: unknown = null) => ({ return: { status, message: text }, entries });

  test('sends a form-encoded POST to /v1/{API_KEY}/sms/send.json and returns the messageid', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(SEND_URL, async ({ request }) => {
        await record(request);
        return HttpResponse.json(
          reply(200, 'تایید شد', [
            {
              messageid: 8792343,
              message: message.text,
              status: 1,
              statustext: 'در صف ارسال',
              sender: '10004346',
              receptor: '09121234567',
              date: 1356619709,
              cost: 120,
            },
          ]),
        );
      }),
    );
    await expect(provider().send(message)).resolves.toEqual({ providerMessageId: '8792343' });
    expect(seen).toHaveLength(1);
    const [sent] = seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe(`https://api.kavenegar.com/v1/${API_KEY}/sms/send.json`);
    expect(sent!.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sent!.form.get('receptor')).toBe('09121234567');
    expect(sent!.form.get('sender')).toBe('10004346');
    expect(sent!.form.get('message')).toBe(message.text);
    expect(sent!.form.get('localid')).toMatch(/^\d+$/);
    expect(sent!.form.get('localid')).toBe(kavenegarLocalId(message.reference));
  });

  test('without a configured sender, no sender field is sent (the account default line is used)', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(SEND_URL, async ({ request }) => (await record(request), HttpResponse.json(reply(200, 'تایید شد', [{ messageid: 1 }])))),
    );
    await createKavenegarProvider({ apiKey: API_KEY, sender: null, fetch }).send(message);
    expect(seen[0]!.form.has('sender')).toBe(false);
  });

  test('converts E.164 to the receptor forms Kavenegar documents', () => {
    expect(toKavenegarReceptor('+989121234567')).toBe('09121234567');
    expect(toKavenegarReceptor('+447700900123')).toBe('00447700900123');
    const error = thrown(() => toKavenegarReceptor('09121234567'));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(true);
  });

  test('the localid is a stable number per reference, and all-digit references pass through', () => {
    expect(kavenegarLocalId(message.reference)).toBe(kavenegarLocalId(message.reference));
    expect(kavenegarLocalId(message.reference)).not.toBe(kavenegarLocalId('another-reference'));
    expect(Number(kavenegarLocalId(message.reference))).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(kavenegarLocalId('12345')).toBe('12345');
  });

  test('411 invalid receptor is permanent and suppresses the number', async () => {
    server.use(http.post(SEND_URL, () => HttpResponse.json(reply(411, 'دریافت کننده نامعتبر است'), { status: 411 })));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(true);
    expect(error.message).toContain('411');
  });

  test('an error code inside an HTTP 200 reply is read too', async () => {
    server.use(http.post(SEND_URL, () => HttpResponse.json(reply(411, 'دریافت کننده نامعتبر است'))));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(true);
  });

  test.each([
    [418, 'اعتبار شما کافی نمیباشد', 'credit'],
    [412, 'ارسال کننده نامعتبر است', 'sender'],
    [403, 'کد شناسائی API-Key معتبر نمیباشد', 'credentials'],
    [401, 'حساب کاربری غیرفعال شده است', 'account'],
    [501, 'فقط امکان ارسال پیامک تست به شماره صاحب حساب کاربری وجود دارد', 'account'],
  ])('%i is an account problem (%s): it holds the queue, fails nothing for good, suppresses no number', async (code, text, problem) => {
    server.use(http.post(SEND_URL, () => HttpResponse.json(reply(code, text), { status: code })));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsAccountError);
    expect(error).not.toBeInstanceOf(SmsPermanentError);
    expect((error as SmsAccountError).problem).toBe(problem);
    expect((error as SmsAccountError).code).toBe(String(code));
    expect(error.message).not.toContain(API_KEY);
  });

  test('413 (an empty or too long text) is about the message: permanent, without suppressing the number', async () => {
    server.use(http.post(SEND_URL, () => HttpResponse.json(reply(413, 'پیام خالی است و یا طول پیام بیش از حد مجاز است'))));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(false);
  });

  test('409 server busy is temporary', async () => {
    server.use(http.post(SEND_URL, () => HttpResponse.json(reply(409, 'سرور قادر به پاسخگوئی نیست بعدا تلاش کنید'), { status: 409 })));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test('an HTTP 500 without a Kavenegar body is temporary', async () => {
    server.use(http.post(SEND_URL, () => new HttpResponse('<html>Internal Server Error</html>', { status: 500 })));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test('a 503 with Retry-After is temporary and carries the delay', async () => {
    server.use(http.post(SEND_URL, () => new HttpResponse('busy', { status: 503, headers: { 'Retry-After': '30' } })));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect((error as SmsTemporaryError).retryAfterMs).toBe(30_000);
  });

  test('a network error is temporary, and the message does not leak the API key in the URL', async () => {
    server.use(http.post(SEND_URL, () => HttpResponse.error()));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect(error.message).not.toContain(API_KEY);
  });

  test('no answer within the timeout is temporary', async () => {
    server.use(http.post(SEND_URL, async () => (await delay(2_000), HttpResponse.json(reply(200, 'تایید شد', [{ messageid: 1 }])))));
    const error = await rejection(provider(50).send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect(error.message).toContain('50 ms');
  });

  test.each([
    ['10', 'delivered'],
    ['4', 'sent'],
    ['5', 'sent'],
    ['11', 'failed'],
    ['6', 'failed'],
    ['13', 'failed'],
    ['14', 'failed'],
  ])('delivery report status %s reads as %s', (status, state) => {
    expect(provider().parseDeliveryReports(webhook({ messageid: '8792343', status }))).toEqual([
      { providerMessageId: '8792343', state, detail: status },
    ]);
  });

  test('queued and scheduled reports (1, 2) say nothing new and yield no report', () => {
    expect(provider().parseDeliveryReports(webhook({ messageid: '1', status: '1' }))).toEqual([]);
    expect(provider().parseDeliveryReports(webhook({ messageid: '1', status: '2' }))).toEqual([]);
  });

  test('a delivery report without messageid, or with a status it does not know, is refused with 400', () => {
    for (const fields of [{ status: '10' }, { messageid: '1', status: 'ok' }, { messageid: '1', status: '77' }] as Record<
      string,
      string
    >[]) {
      const error = thrown(() => provider().parseDeliveryReports(webhook(fields)));
      expect(error).toBeInstanceOf(SmsWebhookError);
      expect((error as SmsWebhookError).status).toBe(400);
    }
  });

  test('an inbound text gives the sender as Kavenegar wrote it and the message (handleInboundSms reads it as E.164)', () => {
    expect(provider().parseInbound(webhook({ messageid: '55', from: '09121234567', to: '10004346', message: '۹' }))).toEqual({
      from: '09121234567',
      text: '۹',
    });
  });

  test('an inbound text without from or message is refused with 400', () => {
    const error = thrown(() => provider().parseInbound(webhook({ message: 'hi' })));
    expect(error).toBeInstanceOf(SmsWebhookError);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('Twilio', () => {
  const SID = `AC${'a1'.repeat(16)}`;
  const TOKEN = '0123456789abcdef0123456789abcdef';
  const FROM = '+15017122661';
  const SERVICE = `MG${'b2'.repeat(16)}`;
  const MESSAGES_URL = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
  const CALLBACK = 'https://hami.example/hooks/sms/secret/status';
  const provider = (more: Partial<Parameters<typeof createTwilioProvider>[0]> = {}) =>
    createTwilioProvider({ accountSid: SID, authToken: TOKEN, from: FROM, messagingServiceSid: null, fetch, ...more });

  /** Twilio's documented error body. */
  const twilioError = (code: number, text: string, status: number) =>
    HttpResponse.json({ code, message: text, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });

  test('POSTs To, From, Body and StatusCallback with Basic auth and returns the sid', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(MESSAGES_URL, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ sid: 'SM1234567890abcdef1234567890abcdef', status: 'queued', to: message.to }, { status: 201 });
      }),
    );
    await expect(provider({ statusCallbackUrl: CALLBACK }).send(message)).resolves.toEqual({
      providerMessageId: 'SM1234567890abcdef1234567890abcdef',
    });
    const [sent] = seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe(MESSAGES_URL);
    expect(sent!.headers.get('authorization')).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(sent!.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(sent!.form)).toEqual({ To: message.to, From: FROM, Body: message.text, StatusCallback: CALLBACK });
  });

  test('with a Messaging Service, sends MessagingServiceSid instead of From', async () => {
    const { seen, record } = recorder();
    server.use(http.post(MESSAGES_URL, async ({ request }) => (await record(request), HttpResponse.json({ sid: 'SM1' }, { status: 201 }))));
    await provider({ from: null, messagingServiceSid: SERVICE }).send(message);
    expect(seen[0]!.form.get('MessagingServiceSid')).toBe(SERVICE);
    expect(seen[0]!.form.has('From')).toBe(false);
    expect(seen[0]!.form.has('StatusCallback')).toBe(false);
  });

  test('429 is temporary and honours Retry-After', async () => {
    server.use(
      http.post(MESSAGES_URL, () =>
        HttpResponse.json({ code: 20429, message: 'Too Many Requests', status: 429 }, { status: 429, headers: { 'Retry-After': '7' } }),
      ),
    );
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect((error as SmsTemporaryError).retryAfterMs).toBe(7_000);
  });

  test('a 503 with an HTTP-date Retry-After gives the time until then', async () => {
    const now = new Date('2026-03-01T09:00:00Z');
    server.use(
      http.post(MESSAGES_URL, () => new HttpResponse('down', { status: 503, headers: { 'Retry-After': 'Sun, 01 Mar 2026 09:02:00 GMT' } })),
    );
    const error = await rejection(provider({ now: () => now }).send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect((error as SmsTemporaryError).retryAfterMs).toBe(120_000);
  });

  test('500 is temporary', async () => {
    server.use(http.post(MESSAGES_URL, () => twilioError(20500, 'Internal Server Error', 500)));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test.each([
    [21211, "The 'To' number +98912 is not a valid phone number."],
    [21614, "'To' number is not a valid mobile number"],
  ])('400 with error %i is permanent and suppresses the number', async (code, text) => {
    server.use(http.post(MESSAGES_URL, () => twilioError(code, text, 400)));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(true);
    expect(error.message).toContain(String(code));
  });

  test('another 400 (21408 region not enabled) is permanent without suppressing', async () => {
    server.use(http.post(MESSAGES_URL, () => twilioError(21408, 'Permission to send an SMS has not been enabled for the region', 400)));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(false);
  });

  test.each([
    [401, 20003, 'Authenticate', 'credentials'],
    [403, 20003, 'Authenticate', 'credentials'],
    [401, 20005, 'Account not active', 'credentials'],
    [403, 20005, 'Account not active', 'account'],
    [400, 21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number", 'sender'],
  ])(
    'HTTP %i with error %i is an account problem, held like an SMTP login failure (not failed for good), without leaking the token',
    async (status, code, text, problem) => {
      server.use(http.post(MESSAGES_URL, () => twilioError(code, text, status)));
      const error = await rejection(provider().send(message));
      expect(error).toBeInstanceOf(SmsAccountError);
      expect(error).toBeInstanceOf(SmsTemporaryError);
      expect((error as SmsAccountError).problem).toBe(problem);
      expect(error.message).not.toContain(TOKEN);
    },
  );

  test('a network error is temporary', async () => {
    server.use(http.post(MESSAGES_URL, () => HttpResponse.error()));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test('no answer within the timeout is temporary', async () => {
    server.use(http.post(MESSAGES_URL, async () => (await delay(2_000), HttpResponse.json({ sid: 'SM1' }, { status: 201 }))));
    expect(await rejection(provider({ timeoutMs: 50 }).send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test("the adapter's signature matches the example in Twilio's security docs", () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(signLikeTwilio('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  const status = {
    MessageSid: 'SM1234567890abcdef1234567890abcdef',
    MessageStatus: 'delivered',
    AccountSid: SID,
    From: FROM,
    To: message.to,
    ApiVersion: '2010-04-01',
  };
  const signed = (fields: Record<string, string>, url = CALLBACK) =>
    webhook(fields, { 'x-twilio-signature': signLikeTwilio(TOKEN, url, fields) }, url);

  test('a signed status callback reads as a delivery report', () => {
    expect(provider().parseDeliveryReports(signed(status))).toEqual([
      { providerMessageId: status.MessageSid, state: 'delivered', detail: 'delivered' },
    ]);
  });

  test('undelivered and failed callbacks read as failed, keeping the error code', () => {
    expect(provider().parseDeliveryReports(signed({ ...status, MessageStatus: 'undelivered', ErrorCode: '30003' }))).toEqual([
      { providerMessageId: status.MessageSid, state: 'failed', detail: 'undelivered (error 30003)' },
    ]);
    expect(provider().parseDeliveryReports(signed({ ...status, MessageStatus: 'failed', ErrorCode: '30008' }))[0]?.state).toBe('failed');
    expect(provider().parseDeliveryReports(signed({ ...status, MessageStatus: 'sent' }))[0]?.state).toBe('sent');
  });

  test('partially_delivered (some segments of a long text reached the handset) reads as sent, not as unknown', () => {
    expect(provider().parseDeliveryReports(signed({ ...status, MessageStatus: 'partially_delivered' }))).toEqual([
      { providerMessageId: status.MessageSid, state: 'sent', detail: 'partially_delivered' },
    ]);
  });

  test('queued and sending callbacks yield no report', () => {
    expect(provider().parseDeliveryReports(signed({ ...status, MessageStatus: 'queued' }))).toEqual([]);
    expect(provider().parseDeliveryReports(signed({ ...status, MessageStatus: 'sending' }))).toEqual([]);
  });

  test('a callback without X-Twilio-Signature is refused with 403', () => {
    const error = thrown(() => provider().parseDeliveryReports(webhook(status)));
    expect(error).toBeInstanceOf(SmsWebhookError);
    expect((error as SmsWebhookError).status).toBe(403);
  });

  test('a callback signed with another token, or changed after signing, is refused with 403', () => {
    const otherToken = webhook(status, { 'X-Twilio-Signature': signLikeTwilio('f'.repeat(32), CALLBACK, status) }, CALLBACK);
    const changed = { ...signed(status), fields: { ...status, MessageStatus: 'failed' } };
    const otherUrl = { ...signed(status), url: 'https://evil.example/hooks/sms/secret/status' };
    for (const request of [otherToken, changed, otherUrl]) {
      const error = thrown(() => provider().parseDeliveryReports(request));
      expect(error).toBeInstanceOf(SmsWebhookError);
      expect((error as SmsWebhookError).status).toBe(403);
    }
  });

  test('the signature header is found whatever its case', () => {
    const request = webhook(status, { 'X-Twilio-Signature': signLikeTwilio(TOKEN, CALLBACK, status) }, CALLBACK);
    expect(provider().parseDeliveryReports(request)).toHaveLength(1);
  });

  test('query parameters merged into the fields are not counted twice (Twilio signs them as part of the URL)', () => {
    const url = `${CALLBACK}?tenant=7`;
    const request = webhook({ ...status, tenant: '7' }, { 'x-twilio-signature': signLikeTwilio(TOKEN, url, status) }, url);
    expect(provider().parseDeliveryReports(request)).toHaveLength(1);
  });

  test('a form with a repeated name is verified as twilio-node does: every value, sorted by name then value', () => {
    const url = `${CALLBACK}?tenant=7&tenant=8&b=1`;
    const pairs: Array<[string, string]> = [
      ...Object.entries(status),
      ['MediaUrl', 'https://m.example/2'],
      ['MediaUrl', 'https://m.example/1'],
    ];
    const request = {
      ...webhook(
        { ...status, MediaUrl: 'https://m.example/1', tenant: '8', b: '1' },
        { 'x-twilio-signature': signLikeTwilio(TOKEN, url, pairs) },
        url,
      ),
      formPairs: pairs,
    };
    expect(provider().parseDeliveryReports(request)).toHaveLength(1);
    // The same form with one of the repeated values changed no longer matches.
    const tampered = {
      ...request,
      formPairs: [...Object.entries(status), ['MediaUrl', 'https://m.example/2'], ['MediaUrl', 'https://evil.example/1']] as Array<
        [string, string]
      >,
    };
    expect((thrown(() => provider().parseDeliveryReports(tampered)) as SmsWebhookError).status).toBe(403);
    // Signed over the last value only (what reading the form into a plain object would give) does not match either.
    const lastOnly = {
      ...request,
      headers: { 'x-twilio-signature': signLikeTwilio(TOKEN, url, { ...status, MediaUrl: 'https://m.example/1' }) },
    };
    expect((thrown(() => provider().parseDeliveryReports(lastOnly)) as SmsWebhookError).status).toBe(403);
  });

  test.each([
    [
      'configured without a port, called with :443',
      'https://hami.example/hooks/sms/secret/status?x=1',
      'https://hami.example:443/hooks/sms/secret/status?x=1',
    ],
    [
      'configured with :443, called without',
      'https://hami.example:443/hooks/sms/secret/status?x=1',
      'https://hami.example/hooks/sms/secret/status?x=1',
    ],
    [
      'a non-standard port signed with it',
      'https://hami.example:8443/hooks/sms/secret/status?x=1',
      'https://hami.example:8443/hooks/sms/secret/status?x=1',
    ],
  ])('the port is handled as twilio-node does: %s', (_label, signedUrl, requestUrl) => {
    const request = webhook(status, { 'x-twilio-signature': signLikeTwilio(TOKEN, signedUrl, status) }, requestUrl);
    expect(provider().parseDeliveryReports(request)).toHaveLength(1);
  });

  test('a signed incoming message gives From and Body', () => {
    const inbound = { MessageSid: 'SM9', AccountSid: SID, From: '+989121234567', To: FROM, Body: '9', NumMedia: '0' };
    expect(provider().parseInbound(signed(inbound, 'https://hami.example/hooks/sms/secret/inbound'))).toEqual({
      from: '+989121234567',
      text: '9',
    });
  });

  test('an unsigned incoming message is refused with 403', () => {
    const error = thrown(() => provider().parseInbound(webhook({ From: '+989121234567', Body: 'STOP' })));
    expect(error).toBeInstanceOf(SmsWebhookError);
    expect((error as SmsWebhookError).status).toBe(403);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('generic HTTP gateway (SMS_PROVIDER=http)', () => {
  const URL_ = 'https://sms-gateway.example/v1/messages';
  const TOKEN = 'gateway-token-0123456789';
  const provider = (timeoutMs?: number) => createHttpSmsProvider({ url: URL_, token: TOKEN, fetch, timeoutMs });

  test('POSTs { to, text, reference } as JSON with the bearer token and takes the id from the reply', async () => {
    const { seen, record } = recorder();
    server.use(http.post(URL_, async ({ request }) => (await record(request), HttpResponse.json({ id: 'gw-42' }, { status: 202 }))));
    await expect(provider().send(message)).resolves.toEqual({ providerMessageId: 'gw-42' });
    const [sent] = seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe(URL_);
    expect(sent!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent!.headers.get('content-type')).toMatch(/^application\/json/);
    expect(sent!.json).toEqual({ to: message.to, text: message.text, reference: message.reference });
  });

  test('a 2xx without an id is accepted with a null providerMessageId', async () => {
    server.use(http.post(URL_, () => new HttpResponse(null, { status: 204 })));
    await expect(provider().send(message)).resolves.toEqual({ providerMessageId: null });
  });

  test.each([400, 401, 403, 404, 422])('%i is permanent', async (status) => {
    server.use(http.post(URL_, () => HttpResponse.json({ error: 'no' }, { status })));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect(error.message).not.toContain(TOKEN);
  });

  test.each([500, 502, 503])('%i is temporary', async (status) => {
    server.use(http.post(URL_, () => new HttpResponse('oops', { status })));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test('429 is temporary and honours Retry-After', async () => {
    server.use(http.post(URL_, () => new HttpResponse('slow down', { status: 429, headers: { 'Retry-After': '3' } })));
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect((error as SmsTemporaryError).retryAfterMs).toBe(3_000);
  });

  test('a network error is temporary', async () => {
    server.use(http.post(URL_, () => HttpResponse.error()));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test('no answer within the timeout is temporary', async () => {
    server.use(http.post(URL_, async () => (await delay(2_000), HttpResponse.json({ id: 'late' }))));
    expect(await rejection(provider(50).send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  const auth = { authorization: `Bearer ${TOKEN}` };

  test('a delivery report with the bearer token reads by reference', () => {
    expect(provider().parseDeliveryReports(webhook({ reference: message.reference, status: 'delivered' }, auth))).toEqual([
      { reference: message.reference, state: 'delivered', detail: 'delivered' },
    ]);
    expect(provider().parseDeliveryReports(webhook({ reference: 'r', status: 'failed', detail: 'absent subscriber' }, auth))).toEqual([
      { reference: 'r', state: 'failed', detail: 'failed: absent subscriber' },
    ]);
  });

  test('webhooks without the token, or with another, are refused with 401', () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }] as Record<string, string>[]) {
      for (const parse of [
        () => provider().parseDeliveryReports(webhook({ reference: 'r', status: 'sent' }, headers)),
        () => provider().parseInbound(webhook({ from: '+1', text: 'x' }, headers)),
      ]) {
        const error = thrown(parse);
        expect(error).toBeInstanceOf(SmsWebhookError);
        expect((error as SmsWebhookError).status).toBe(401);
      }
    }
  });

  test('a delivery report with an unknown status is refused with 400', () => {
    const error = thrown(() => provider().parseDeliveryReports(webhook({ reference: 'r', status: 'lost' }, auth)));
    expect(error).toBeInstanceOf(SmsWebhookError);
    expect((error as SmsWebhookError).status).toBe(400);
  });

  test('an inbound message with the bearer token gives from and text', () => {
    expect(provider().parseInbound(webhook({ from: '+989121234567', text: '10' }, { Authorization: `Bearer ${TOKEN}` }))).toEqual({
      from: '+989121234567',
      text: '10',
    });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('dev outbox', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hami-sms-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('appends one JSON line per message to sms.jsonl and returns outbox-<reference>', async () => {
    const outbox = createSmsOutbox({ outboxDir: path.join(dir, 'a'), clock: new ManualClock('2026-03-01T09:00:00Z') });
    await expect(outbox.send(message)).resolves.toEqual({ providerMessageId: `outbox-${message.reference}` });
    await outbox.send({ to: '+15017122661', text: 'line one\nline two', reference: 'r2' });
    const lines = readFileSync(path.join(dir, 'a', 'sms.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      at: '2026-03-01T09:00:00.000Z',
      to: message.to,
      text: message.text,
      reference: message.reference,
      providerMessageId: `outbox-${message.reference}`,
      encoding: 'ucs2',
      segments: 1,
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({ text: 'line one\nline two', reference: 'r2' });
  });

  test('reads the generic webhook shapes without authentication', () => {
    const outbox = createSmsOutbox({ outboxDir: dir });
    expect(outbox.parseDeliveryReports(webhook({ reference: 'r', status: 'delivered' }))).toEqual([
      { reference: 'r', state: 'delivered', detail: 'delivered' },
    ]);
    expect(outbox.parseInbound(webhook({ from: '+989121234567', text: 'hi' }))).toEqual({ from: '+989121234567', text: 'hi' });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('rate limit', () => {
  function counting(): SmsProvider & { sent: number } {
    const inner = {
      name: 'http' as const,
      sent: 0,
      async send() {
        inner.sent += 1;
        return { providerMessageId: String(inner.sent) };
      },
      parseDeliveryReports: () => [{ reference: 'r', state: 'sent' as const, detail: 'x' }],
      parseInbound: () => ({ from: '+1', text: 'x' }),
    };
    return inner;
  }

  test('allows a burst of perSecond sends, then refuses without calling the gateway', async () => {
    const clock = new ManualClock();
    const inner = counting();
    const limited = withRateLimit(inner, { perSecond: 2, clock });
    await limited.send(message);
    await limited.send(message);
    const error = await rejection(limited.send(message));
    expect(error).toBeInstanceOf(SmsTemporaryError);
    expect((error as SmsTemporaryError).retryAfterMs).toBe(500);
    expect(inner.sent).toBe(2);
  });

  test('refills at perSecond as time passes', async () => {
    const clock = new ManualClock();
    const inner = counting();
    const limited = withRateLimit(inner, { perSecond: 2, clock });
    await limited.send(message);
    await limited.send(message);
    clock.advance(499);
    expect(await rejection(limited.send(message))).toBeInstanceOf(SmsTemporaryError);
    clock.advance(1);
    await limited.send(message);
    expect(inner.sent).toBe(3);
  });

  test('a rate below one per second spaces sends out', async () => {
    const clock = new ManualClock();
    const limited = withRateLimit(counting(), { perSecond: 0.5, clock });
    await limited.send(message);
    expect(((await rejection(limited.send(message))) as SmsTemporaryError).retryAfterMs).toBe(2_000);
    clock.advance(2_000);
    await expect(limited.send(message)).resolves.toBeDefined();
  });

  test('keeps the name and passes webhooks through', () => {
    const limited = withRateLimit(counting(), { perSecond: 1 });
    expect(limited.name).toBe('http');
    expect(limited.parseDeliveryReports(webhook({}))).toHaveLength(1);
    expect(limited.parseInbound(webhook({}))).toEqual({ from: '+1', text: 'x' });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('loadSmsConfig', () => {
  function configError(env: Record<string, string>): ConfigError {
    const error = thrown(() => loadSmsConfig(env));
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  const twilioEnv = {
    SMS_PROVIDER: 'twilio',
    SMS_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    SMS_TWILIO_AUTH_TOKEN: 'twilio-secret-token-value',
    SMS_TWILIO_FROM: '+15017122661',
  };

  test('nothing set: the dev outbox at 5 per second', () => {
    expect(loadSmsConfig({})).toEqual({ provider: null, ratePerSecond: 5 });
  });

  test('kavenegar with its key and sender', () => {
    expect(
      loadSmsConfig({
        SMS_PROVIDER: 'kavenegar',
        SMS_KAVENEGAR_API_KEY: 'abc123',
        SMS_KAVENEGAR_SENDER: '10004346',
        SMS_RATE_PER_SECOND: '10',
      }),
    ).toEqual({
      provider: 'kavenegar',
      ratePerSecond: 10,
      kavenegar: { apiKey: 'abc123', sender: '10004346' },
    });
  });

  test('twilio with From, or with a Messaging Service instead', () => {
    expect(loadSmsConfig(twilioEnv)).toMatchObject({ provider: 'twilio', twilio: { from: '+15017122661', messagingServiceSid: null } });
    const service = `MG${'1'.repeat(32)}`;
    expect(loadSmsConfig({ ...twilioEnv, SMS_TWILIO_FROM: '', SMS_TWILIO_MESSAGING_SERVICE_SID: service })).toMatchObject({
      twilio: { from: null, messagingServiceSid: service },
    });
  });

  test('http with its URL and token', () => {
    expect(loadSmsConfig({ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://gw.example/send', SMS_HTTP_TOKEN: 't0ken' })).toEqual({
      provider: 'http',
      ratePerSecond: 5,
      http: { url: 'https://gw.example/send', token: 't0ken' },
    });
  });

  test('an unknown SMS_PROVIDER names the choices', () => {
    expect(configError({ SMS_PROVIDER: 'nexmo' }).message).toBe(
      'SMS_PROVIDER must be kavenegar, twilio, http, smsir, ghasedak or melipayamak (or unset for the dev outbox) (got "nexmo")',
    );
  });

  test.each([
    [{ SMS_PROVIDER: 'kavenegar' }, 'SMS_KAVENEGAR_API_KEY'],
    [{ ...twilioEnv, SMS_TWILIO_ACCOUNT_SID: '' }, 'SMS_TWILIO_ACCOUNT_SID'],
    [{ ...twilioEnv, SMS_TWILIO_AUTH_TOKEN: '' }, 'SMS_TWILIO_AUTH_TOKEN'],
    [{ ...twilioEnv, SMS_TWILIO_FROM: '' }, 'SMS_TWILIO_FROM'],
    [{ SMS_PROVIDER: 'http', SMS_HTTP_TOKEN: 'x' }, 'SMS_HTTP_URL'],
    [{ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://gw.example' }, 'SMS_HTTP_TOKEN'],
  ])('a provider without its credentials names the missing variable (%#)', (env, variable) => {
    const { message: text } = configError(env);
    expect(text.startsWith(`${variable} must be set when SMS_PROVIDER=`)).toBe(true);
    expect(text).not.toContain('\n');
  });

  test('bad values name the variable; secrets are never echoed', () => {
    expect(configError({ ...twilioEnv, SMS_TWILIO_FROM: '5017122661' }).message).toMatch(/^SMS_TWILIO_FROM must be an E\.164/);
    expect(configError({ ...twilioEnv, SMS_TWILIO_ACCOUNT_SID: 'SK123' }).message).toMatch(/^SMS_TWILIO_ACCOUNT_SID must be/);
    const token = configError({ ...twilioEnv, SMS_TWILIO_AUTH_TOKEN: 'secret with spaces' }).message;
    expect(token).toMatch(/^SMS_TWILIO_AUTH_TOKEN must be/);
    expect(token).not.toContain('secret with spaces');
    const key = configError({ SMS_PROVIDER: 'kavenegar', SMS_KAVENEGAR_API_KEY: 'key with space' }).message;
    expect(key).not.toContain('key with space');
    expect(configError({ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'ftp://gw.example', SMS_HTTP_TOKEN: 'x' }).message).toMatch(
      /^SMS_HTTP_URL must be/,
    );
  });

  test.each(['0', '-1', 'fast', '1001'])('SMS_RATE_PER_SECOND=%s is refused', (value) => {
    expect(configError({ SMS_RATE_PER_SECOND: value }).message).toMatch(/^SMS_RATE_PER_SECOND must be/);
  });

  test('a fractional rate is accepted', () => {
    expect(loadSmsConfig({ SMS_RATE_PER_SECOND: '0.5' }).ratePerSecond).toBe(0.5);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('createSmsProvider', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hami-sms-create-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('without a provider: the dev outbox', async () => {
    const sms = createSmsProvider(loadSmsConfig({}), { fetch, outboxDir: dir });
    expect(sms.name).toBe('outbox');
    await sms.send(message);
    expect(readFileSync(path.join(dir, 'sms.jsonl'), 'utf8')).toContain(message.reference);
  });

  test('the configured gateway, behind the rate limit', async () => {
    let calls = 0;
    server.use(
      http.post('https://api.kavenegar.com/v1/:key/sms/send.json', () => {
        calls += 1;
        return HttpResponse.json({ return: { status: 200, message: 'تایید شد' }, entries: [{ messageid: 77 }] });
      }),
    );
    const config = loadSmsConfig({ SMS_PROVIDER: 'kavenegar', SMS_KAVENEGAR_API_KEY: 'k', SMS_RATE_PER_SECOND: '1' });
    const sms = createSmsProvider(config, { fetch, outboxDir: dir, clock: new ManualClock() });
    expect(sms.name).toBe('kavenegar');
    await expect(sms.send(message)).resolves.toEqual({ providerMessageId: '77' });
    expect(await rejection(sms.send(message))).toBeInstanceOf(SmsTemporaryError);
    expect(calls).toBe(1);
  });

  test('Twilio gets the delivery-report URL as StatusCallback', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(
        'https://api.twilio.com/2010-04-01/Accounts/:sid/Messages.json',
        async ({ request }) => (await record(request), HttpResponse.json({ sid: 'SM1' }, { status: 201 })),
      ),
    );
    const config = loadSmsConfig({
      SMS_PROVIDER: 'twilio',
      SMS_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      SMS_TWILIO_AUTH_TOKEN: 'tok',
      SMS_TWILIO_FROM: '+15017122661',
    });
    const sms = createSmsProvider(config, { fetch, outboxDir: dir, deliveryReportUrl: 'https://hami.example/hooks/sms/k/status' });
    await sms.send(message);
    expect(seen[0]!.form.get('StatusCallback')).toBe('https://hami.example/hooks/sms/k/status');
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('an opt-out reply holds whatever form the gateway writes the sender in', { timeout: 30_000 }, () => {
  const TWILIO_SID = `AC${'c3'.repeat(16)}`;
  const TWILIO_TOKEN = 'fedcba9876543210fedcba9876543210';
  const HTTP_TOKEN = 'gateway-token-0123456789';
  /** Each provider's receive webhook, with the fields and encoding its gateway really sends. */
  const providers = {
    kavenegar: {
      env: { SMS_PROVIDER: 'kavenegar', SMS_KAVENEGAR_API_KEY: 'kavenegar-key-0123' },
      request: (_url: string, from: string, text: string): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ messageid: '8812', from, to: '10004346', message: text }).toString(),
      }),
    },
    twilio: {
      env: {
        SMS_PROVIDER: 'twilio',
        SMS_TWILIO_ACCOUNT_SID: TWILIO_SID,
        SMS_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        SMS_TWILIO_FROM: '+15017122661',
      },
      request: (url: string, from: string, text: string): RequestInit => {
        const fields = {
          MessageSid: `SM${'d4'.repeat(16)}`,
          AccountSid: TWILIO_SID,
          From: from,
          To: '+15017122661',
          Body: text,
          NumMedia: '0',
        };
        return {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signLikeTwilio(TWILIO_TOKEN, url, fields) },
          body: new URLSearchParams(fields).toString(),
        };
      },
    },
    http: {
      env: { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms-gateway.example/v1/messages', SMS_HTTP_TOKEN: HTTP_TOKEN },
      request: (_url: string, from: string, text: string): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${HTTP_TOKEN}` },
        body: JSON.stringify({ from, text }),
      }),
    },
  } as const;

  /** The sender forms gateways use for +98912123450N, and the forms a person's phone may show. */
  const forms: Array<[string, (n: string) => string]> = [
    ['09…', (n) => `0${n}`],
    ['98…', (n) => `98${n}`],
    ['0098…', (n) => `0098${n}`],
    ['+98…', (n) => `+98${n}`],
    ['Persian digits with spaces', (n) => `۰${n}`.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!).replace(/^(.{4})(.{3})/, '$1 $2 ')],
    ['Arabic-Indic digits with dashes', (n) => `٠${n}`.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!).replace(/^(.{4})(.{3})/, '$1-$2-')],
  ];

  describe.each(Object.keys(providers) as Array<keyof typeof providers>)('%s', (name) => {
    let hami: TestHami;
    beforeAll(async () => {
      hami = await startTestHami({ env: { ...providers[name].env } });
    });
    afterAll(() => hami.stopAndClean());
    // The test talks to its own Hami over loopback; msw lets that through.
    beforeEach(() => server.use(http.all(/^http:\/\/(localhost|127\.0\.0\.1)[:/]/, () => passthrough())));

    test.each(forms.map(([label, write], i) => [label, write, `91212345${String(i).padStart(2, '0')}`] as const))(
      'STOP from the %s form suppresses the E.164 number, so no later survey SMS goes to it',
      async (_label, write, national) => {
        const url = smsWebhookUrls(hami.deps.publicUrl, hami.deps.secret).inbound;
        const res = await fetch(url.replace(hami.deps.publicUrl, hami.url), providers[name].request(url, write(national), 'STOP'));
        expect(res.status).toBe(200);
        const e164 = `+98${national}`;
        const suppressed = await hami.deps.db.selectFrom('suppressions').select('address').where('channel', '=', 'sms').execute();
        expect(suppressed.map((row) => row.address)).toContain(e164);
        const next = await hami.postEvent({
          type: 'purchase',
          id: `after-${name}-${national}`,
          sendAt: 'now',
          customer: { id: `c-${name}-${national}`, phone: e164 },
        });
        expect(next.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'opted_out' });
      },
    );

    test('STOP ALL, UNSUBSCRIBE, QUIT and Persian لغو عضویت / لغو اشتراک / انصراف (Arabic ي and ك too) each opt the sender out', async () => {
      const url = smsWebhookUrls(hami.deps.publicUrl, hami.deps.secret).inbound;
      const replies = ['STOP ALL', 'unsubscribe', 'Quit.', 'لغو عضویت', 'لغو عضويت', 'لغو‌اشتراك', 'انصراف'];
      for (const [i, reply] of replies.entries()) {
        const national = `91298765${String(i).padStart(2, '0')}`;
        const res = await fetch(url.replace(hami.deps.publicUrl, hami.url), providers[name].request(url, `0${national}`, reply));
        expect(res.status).toBe(200);
        const next = await hami.postEvent({
          type: 'purchase',
          id: `word-${name}-${i}`,
          sendAt: 'now',
          customer: { id: `w-${name}-${i}`, phone: `+98${national}` },
        });
        expect(next.body.invitations[0], reply).toMatchObject({ status: 'skipped', reason: 'opted_out' });
      }
    });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('Twilio status callbacks through the server', () => {
  const SID = `AC${'f6'.repeat(16)}`;
  const TOKEN = '00112233445566778899aabbccddeeff';
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami({
      env: { SMS_PROVIDER: 'twilio', SMS_TWILIO_ACCOUNT_SID: SID, SMS_TWILIO_AUTH_TOKEN: TOKEN, SMS_TWILIO_FROM: '+15017122661' },
    });
  });
  afterAll(() => hami.stopAndClean());
  beforeEach(() => server.use(http.all(/^http:\/\/(localhost|127\.0\.0\.1)[:/]/, () => passthrough())));

  test('a form with a repeated name, sent to the webhook URL with query parameters, is accepted when signed as Twilio signs it, and refused otherwise', async () => {
    const url = `${smsWebhookUrls(hami.deps.publicUrl, hami.deps.secret).status}?tenant=a&tenant=b`;
    const pairs: Array<[string, string]> = [
      ['MessageSid', `SM${'0'.repeat(32)}`],
      ['MessageStatus', 'partially_delivered'],
      ['AccountSid', SID],
      ['MediaUrl', 'https://m.example/2'],
      ['MediaUrl', 'https://m.example/1'],
    ];
    const post = (signature: string) =>
      fetch(url.replace(hami.deps.publicUrl, hami.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(pairs).toString(),
      });
    const accepted = await post(signLikeTwilio(TOKEN, url, pairs));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ ok: true, received: 1 });
    // Signed without the query string, or over the last MediaUrl only: not what Twilio signs.
    expect((await post(signLikeTwilio(TOKEN, url.split('?')[0]!, pairs))).status).toBe(403);
    expect((await post(signLikeTwilio(TOKEN, url, Object.fromEntries(pairs)))).status).toBe(403);
  });
});
