import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { smsTemplatesSchema } from '../../shared/sms-templates.js';
import { createGhasedakProvider } from '../../server/channels/sms/ghasedak.js';
import { createKavenegarProvider } from '../../server/channels/sms/kavenegar.js';
import { createMelipayamakProvider } from '../../server/channels/sms/melipayamak.js';
import { pollSmsGateway } from '../../server/channels/sms/poll.js';
import {
  SmsAccountError,
  SmsPermanentError,
  SmsTemporaryError,
  SmsWebhookError,
  type SmsMessage,
  type SmsProvider,
} from '../../server/channels/sms/provider.js';
import { createSmsIrProvider } from '../../server/channels/sms/smsir.js';
import { PROBE_INTERVAL_MS, SMS_HOLD_KEY } from '../../server/delivery/channel-hold.js';
import { ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ghasedakStandIn, melipayamakStandIn, smsIrStandIn, type StandIn } from '../helpers/iran-gateways.js';
import { rejection, thrown, webhook, type SeenRequest } from '../helpers/sms-gateways.js';
import { surveyLink } from '../../server/delivery/links.js';
import { invitationToken } from '../../server/delivery/tokens.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SMSIR_KEY = 'smsir-key-PN1TVeBeaAehFLJAKU4';
const GHASEDAK_KEY = 'ghasedak-key-b7ee4c0ffee';
const MELI_USER = 'anarshop';
const MELI_PASS = 'meli-pass-0123';

const message: SmsMessage = {
  to: '+989121234567',
  text: 'امتیاز ۰ تا ۱۰: https://hami.example/s/AAAAAAAAAAAAAAAAAAAAAA',
  reference: '3f0b8e6c-6a0e-4c39-9c1e-2f1d5c2a9b10',
};
const templated: SmsMessage = {
  ...message,
  template: {
    id: '123456',
    params: [
      { name: 'TOKEN', value: 'AAAAAAAAAAAAAAAAAAAAAA' },
      { name: 'NAME', value: 'سارا' },
    ],
  },
};

interface Gateway {
  name: 'smsir' | 'ghasedak' | 'melipayamak';
  standIn: () => StandIn;
  provider: (timeoutMs?: number) => SmsProvider;
  env: Record<string, string>;
  /** The survey file's template entry for this gateway. */
  template: unknown;
  /** How the stand-in writes the sender of a reply. */
  sender: string;
  /** The stand-in's delivery code for "reached the phone". */
  delivered: number;
}

const gateways: Gateway[] = [
  {
    name: 'smsir',
    standIn: () => smsIrStandIn(SMSIR_KEY),
    provider: (timeoutMs) => createSmsIrProvider({ apiKey: SMSIR_KEY, lineNumber: '30004505000017', fetch, timeoutMs }),
    env: { SMS_PROVIDER: 'smsir', SMS_SMSIR_API_KEY: SMSIR_KEY, SMS_SMSIR_LINE_NUMBER: '30004505000017' },
    template: { templateId: 123456, params: { TOKEN: 'token', NAME: 'name' } },
    sender: '9121234501',
    delivered: 1,
  },
  {
    name: 'ghasedak',
    standIn: () => ghasedakStandIn(GHASEDAK_KEY),
    provider: (timeoutMs) => createGhasedakProvider({ apiKey: GHASEDAK_KEY, lineNumber: '21000000', fetch, timeoutMs }),
    env: { SMS_PROVIDER: 'ghasedak', SMS_GHASEDAK_API_KEY: GHASEDAK_KEY, SMS_GHASEDAK_LINE_NUMBER: '21000000' },
    template: { templateName: 'hamiSurvey', params: { link: 'link', name: 'name' } },
    sender: '09121234501',
    delivered: 5,
  },
  {
    name: 'melipayamak',
    standIn: () => melipayamakStandIn(MELI_USER, MELI_PASS),
    provider: (timeoutMs) => createMelipayamakProvider({ username: MELI_USER, password: MELI_PASS, from: '50004001', fetch, timeoutMs }),
    env: {
      SMS_PROVIDER: 'melipayamak',
      SMS_MELIPAYAMAK_USERNAME: MELI_USER,
      SMS_MELIPAYAMAK_PASSWORD: MELI_PASS,
      SMS_MELIPAYAMAK_FROM: '50004001',
    },
    template: { bodyId: 98765, params: ['name', 'link'] },
    sender: '09121234501',
    delivered: 1,
  },
];

// -------------------------------------------------------------------------------------------------------------
describe('SMS.ir', () => {
  const provider = () => gateways[0]!.provider();

  test('free text goes to /v1/send/bulk with X-API-KEY, the line and the mobile as 09…; the message id comes back', async () => {
    const panel = smsIrStandIn(SMSIR_KEY);
    server.use(...panel.handlers);
    const sent = await provider().send(message);
    expect(sent.providerMessageId).toMatch(/^\d+$/);
    const [request] = panel.sends;
    expect(request!.url).toBe('https://api.sms.ir/v1/send/bulk');
    expect(request!.headers.get('content-type')).toMatch(/^application\/json/);
    expect(request!.json).toEqual({ lineNumber: 30004505000017, messageText: message.text, mobiles: ['09121234567'] });
  });

  test('a template goes to /v1/send/verify with templateId and its named parameters', async () => {
    const panel = smsIrStandIn(SMSIR_KEY);
    server.use(...panel.handlers);
    await provider().send(templated);
    expect(panel.sends[0]!.url).toBe('https://api.sms.ir/v1/send/verify');
    expect(panel.sends[0]!.json).toEqual({
      mobile: '09121234567',
      templateId: 123456,
      parameters: [
        { name: 'TOKEN', value: 'AAAAAAAAAAAAAAAAAAAAAA' },
        { name: 'NAME', value: 'سارا' },
      ],
    });
  });

  test.each([
    [102, 'اعتبار کافی نمیباشد', 'credit'],
    [14, 'حساب کاربری در حالت تعلیق قرار دارد', 'account'],
    [101, 'شماره خط نامعتبر میباشد', 'sender'],
    [113, 'قالب یافت نشد', 'account'],
  ])('status %i is an account problem (%s… %s): it holds the queue, never fails an invitation', async (status, text, problem) => {
    server.use(
      http.post('https://api.sms.ir/v1/send/bulk', () => HttpResponse.json({ status, message: text, data: null }, { status: 400 })),
    );
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsAccountError);
    expect(error).toMatchObject({ problem, code: String(status) });
    expect(error.message).toContain('account problem');
  });

  test('a wrong key (HTTP 401, status 10) is retried, and the key is never in the message', async () => {
    server.use(...smsIrStandIn('another-key').handlers);
    const error = await rejection(provider().send(message));
    expect(error).toMatchObject({ name: 'SmsAccountError', problem: 'credentials', code: '10' });
    expect(error.message).toContain('status 10');
    expect(error.message).not.toContain(SMSIR_KEY);
  });

  test('status 104 (invalid mobile) is permanent and suppresses the number', async () => {
    server.use(
      http.post('https://api.sms.ir/v1/send/bulk', () =>
        HttpResponse.json({ status: 104, message: 'درخواست شما دارای موبایل (های) نادرست است', data: null }, { status: 400 }),
      ),
    );
    const error = await rejection(provider().send(message));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(true);
  });

  test('a blacklisted number (status 115, or message id 0 in an accepted pack) is refused without suppressing it', async () => {
    server.use(
      http.post('https://api.sms.ir/v1/send/bulk', () =>
        HttpResponse.json({ status: 115, message: 'شماره موبایل(ها) در لیست سیاه سامانه میباشند', data: null }, { status: 400 }),
      ),
    );
    const listed = await rejection(provider().send(message));
    expect(listed).toBeInstanceOf(SmsPermanentError);
    expect((listed as SmsPermanentError).suppressNumber).toBe(false);
    expect(listed.message).toContain('template send reaches it');
    server.use(
      http.post('https://api.sms.ir/v1/send/bulk', () =>
        HttpResponse.json({ status: 1, message: 'موفق', data: { packId: 'p', messageIds: [0], cost: 0 } }),
      ),
    );
    const zero = await rejection(provider().send(message));
    expect(zero).toBeInstanceOf(SmsPermanentError);
    expect((zero as SmsPermanentError).suppressNumber).toBe(false);
  });

  test('HTTP 500 and a timeout are temporary; 429 carries its Retry-After', async () => {
    server.use(http.post('https://api.sms.ir/v1/send/bulk', () => new HttpResponse('oops', { status: 500 })));
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
    server.use(
      http.post('https://api.sms.ir/v1/send/bulk', () =>
        HttpResponse.json(
          { status: 20, message: 'تعداد درخواست بیشتر از حد مجاز است', data: null },
          { status: 429, headers: { 'Retry-After': '9' } },
        ),
      ),
    );
    expect(((await rejection(provider().send(message))) as SmsTemporaryError).retryAfterMs).toBe(9_000);
    server.use(
      http.post(
        'https://api.sms.ir/v1/send/bulk',
        async () => (await delay(2_000), HttpResponse.json({ status: 1, data: { messageIds: [1] } })),
      ),
    );
    expect(await rejection(gateways[0]!.provider(50).send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test.each([
    [1, 'delivered'],
    [2, 'failed'],
    [3, 'sent'],
    [4, 'failed'],
    [5, 'sent'],
    [7, 'failed'],
  ])('deliveryState %i reads as %s', async (code, state) => {
    const panel = smsIrStandIn(SMSIR_KEY);
    panel.deliveryCodes.set('777', code);
    server.use(...panel.handlers);
    expect(await provider().fetchDeliveryReports!(['777'])).toEqual([{ providerMessageId: '777', state, detail: `deliveryState ${code}` }]);
  });

  test('no delivery state yet (null) or 8 unknown gives no report', async () => {
    const panel = smsIrStandIn(SMSIR_KEY);
    panel.deliveryCodes.set('8', 8);
    server.use(...panel.handlers);
    expect(await provider().fetchDeliveryReports!(['7', '8'])).toEqual([]);
  });

  test('webhooks are refused with a message saying replies are fetched', () => {
    const error = thrown(() => provider().parseInbound(webhook({ from: '0912', text: '9' })));
    expect(error).toBeInstanceOf(SmsWebhookError);
    expect(error.message).toContain('fetches');
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('Ghasedak', () => {
  const provider = () => gateways[1]!.provider();

  test('free text goes to SendSingleSMS with the ApiKey header, the line and our reference', async () => {
    const panel = ghasedakStandIn(GHASEDAK_KEY);
    server.use(...panel.handlers);
    expect((await provider().send(message)).providerMessageId).toMatch(/^\d+$/);
    expect(panel.sends[0]!.url).toBe('https://gateway.ghasedak.me/rest/api/v1/WebService/SendSingleSMS');
    expect(panel.sends[0]!.json).toEqual({
      message: message.text,
      receptor: '09121234567',
      lineNumber: '21000000',
      clientReferenceId: message.reference,
    });
  });

  test("a template goes to SendOtpSMS with templateName and inputs [{param, value}]; the item's messageId comes back", async () => {
    const panel = ghasedakStandIn(GHASEDAK_KEY);
    server.use(...panel.handlers);
    const sent = await provider().send(templated);
    expect(sent.providerMessageId).toMatch(/^\d+$/);
    expect(panel.sends[0]!.url).toBe('https://gateway.ghasedak.me/rest/api/v1/WebService/SendOtpSMS');
    expect(panel.sends[0]!.json).toEqual({
      receptors: [{ mobile: '09121234567', clientReferenceId: message.reference }],
      templateName: '123456',
      inputs: [
        { param: 'TOKEN', value: 'AAAAAAAAAAAAAAAAAAAAAA' },
        { param: 'NAME', value: 'سارا' },
      ],
      udh: false,
    });
  });

  test('a wrong key (401) and too little credit (418, or a message naming the credit) are retried', async () => {
    server.use(...ghasedakStandIn('other').handlers);
    const key = await rejection(provider().send(message));
    expect(key).toMatchObject({ name: 'SmsAccountError', problem: 'credentials' });
    expect(key.message).not.toContain(GHASEDAK_KEY);
    for (const [statusCode, text] of [
      [418, 'اعتبار شما کافی نیست'],
      [400, 'موجودی کیف پول کافی نیست'],
    ] as const) {
      server.use(
        http.post('https://gateway.ghasedak.me/rest/api/v1/WebService/SendSingleSMS', () =>
          HttpResponse.json({ IsSuccess: false, StatusCode: statusCode, Message: text, Data: null }),
        ),
      );
      const credit = await rejection(provider().send(message));
      expect(credit, text).toMatchObject({ name: 'SmsAccountError', problem: 'credit' });
      expect(credit.message).toContain('account problem');
    }
  });

  test('a refused receptor is permanent and suppresses the number; a 5xx is temporary', async () => {
    server.use(
      http.post('https://gateway.ghasedak.me/rest/api/v1/WebService/SendSingleSMS', () =>
        HttpResponse.json({ isSuccess: false, statusCode: 400, message: 'شماره گیرنده نامعتبر است', data: null }, { status: 400 }),
      ),
    );
    const bad = await rejection(provider().send(message));
    expect(bad).toBeInstanceOf(SmsPermanentError);
    expect((bad as SmsPermanentError).suppressNumber).toBe(true);
    server.use(
      http.post('https://gateway.ghasedak.me/rest/api/v1/WebService/SendSingleSMS', () => new HttpResponse('Bad Gateway', { status: 502 })),
    );
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test.each([
    [5, 'delivered'],
    [3, 'sent'],
    [2, 'failed'],
    [4, 'failed'],
    [6, 'failed'],
  ])('CheckSmsStatus status %i reads as %s; 0 and 8 say nothing', async (code, state) => {
    const panel = ghasedakStandIn(GHASEDAK_KEY);
    panel.deliveryCodes.set('4248', code);
    panel.deliveryCodes.set('4249', 8);
    server.use(...panel.handlers);
    expect(await provider().fetchDeliveryReports!(['4248', '4249', '4250'])).toEqual([
      { providerMessageId: '4248', state, detail: `status ${code}` },
    ]);
  });

  test('the first inbox fetch only sets the mark; later ones hand out the texts after it, oldest first', async () => {
    const panel = ghasedakStandIn(GHASEDAK_KEY);
    server.use(...panel.handlers);
    panel.receive('09120000001', 'old text from before Hami');
    const first = await provider().fetchInbound!(null);
    expect(first.replies).toEqual([]);
    panel.receive('09121234567', '۹');
    panel.receive('09121234567', 'عالی بود');
    const next = await provider().fetchInbound!(first.cursor);
    expect(next.replies).toEqual([
      { from: '09121234567', text: '۹' },
      { from: '09121234567', text: 'عالی بود' },
    ]);
    expect((await provider().fetchInbound!(next.cursor)).replies).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('Melipayamak', () => {
  const provider = () => gateways[2]!.provider();

  test('free text posts the form username, password, to, from, text to SendSMS; the recId comes back', async () => {
    const panel = melipayamakStandIn(MELI_USER, MELI_PASS);
    server.use(...panel.handlers);
    expect((await provider().send(message)).providerMessageId).toMatch(/^20413948\d+$/);
    expect(panel.sends[0]!.url).toBe('https://rest.payamak-panel.com/api/SendSMS/SendSMS');
    expect(panel.sends[0]!.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(panel.sends[0]!.form)).toEqual({
      username: MELI_USER,
      password: MELI_PASS,
      to: '09121234567',
      from: '50004001',
      text: message.text,
      isFlash: 'false',
    });
  });

  test('a template posts bodyId and the values joined by ";" to BaseServiceNumber', async () => {
    const panel = melipayamakStandIn(MELI_USER, MELI_PASS);
    server.use(...panel.handlers);
    await provider().send({
      ...message,
      template: {
        id: '98765',
        params: [
          { name: '0', value: 'سارا' },
          { name: '1', value: 'https://hami.example/s/AAAA' },
        ],
      },
    });
    expect(panel.sends[0]!.url).toBe('https://rest.payamak-panel.com/api/SendSMS/BaseServiceNumber');
    expect(Object.fromEntries(panel.sends[0]!.form)).toEqual({
      username: MELI_USER,
      password: MELI_PASS,
      to: '09121234567',
      bodyId: '98765',
      text: 'سارا;https://hami.example/s/AAAA',
    });
  });

  test.each([
    ['0', 'a wrong username or password', 'credentials'],
    ['2', 'too little credit', 'credit'],
    ['5', 'a sender line not valid', 'sender'],
  ])('return code %s (%s) is an account problem: it holds the queue', async (code, _what, problem) => {
    server.use(
      http.post('https://rest.payamak-panel.com/api/SendSMS/SendSMS', () =>
        HttpResponse.json({ Value: code, RetStatus: 0, StrRetStatus: 'Failed' }),
      ),
    );
    const error = await rejection(provider().send(message));
    expect(error).toMatchObject({ name: 'SmsAccountError', problem, code });
    expect(error.message).toContain(`refused with ${code}`);
    expect(error.message).not.toContain(MELI_PASS);
  });

  test('35 (telecom blacklist) and 14 (a link on this line) are permanent without suppressing the number', async () => {
    for (const code of ['35', '14']) {
      server.use(
        http.post('https://rest.payamak-panel.com/api/SendSMS/SendSMS', () =>
          HttpResponse.json({ Value: code, RetStatus: 0, StrRetStatus: 'Failed' }),
        ),
      );
      const error = await rejection(provider().send(message));
      expect(error, code).toBeInstanceOf(SmsPermanentError);
      expect((error as SmsPermanentError).suppressNumber).toBe(false);
    }
  });

  test('a template not approved (-4) is an account problem; HTTP 503 is temporary', async () => {
    server.use(
      http.post('https://rest.payamak-panel.com/api/SendSMS/BaseServiceNumber', () =>
        HttpResponse.json({ Value: '-4', RetStatus: 0, StrRetStatus: 'Failed' }),
      ),
    );
    expect(await rejection(provider().send(templated))).toMatchObject({ name: 'SmsAccountError', problem: 'account', code: '-4' });
    server.use(
      http.post('https://rest.payamak-panel.com/api/SendSMS/SendSMS', () => new HttpResponse('Service Unavailable', { status: 503 })),
    );
    expect(await rejection(provider().send(message))).toBeInstanceOf(SmsTemporaryError);
  });

  test.each([
    [1, 'delivered'],
    [8, 'sent'],
    [2, 'failed'],
    [16, 'failed'],
  ])('GetDeliveries2 code %i reads as %s', async (code, state) => {
    const panel = melipayamakStandIn(MELI_USER, MELI_PASS);
    panel.deliveryCodes.set('2041394812345', code);
    server.use(...panel.handlers);
    expect(await provider().fetchDeliveryReports!(['2041394812345'])).toEqual([
      { providerMessageId: '2041394812345', state, detail: `delivery ${code}` },
    ]);
  });

  test('a number outside Iran is refused for this gateway without suppressing it', async () => {
    const error = await rejection(provider().send({ ...message, to: '+447700900123' }));
    expect(error).toBeInstanceOf(SmsPermanentError);
    expect((error as SmsPermanentError).suppressNumber).toBe(false);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('Kavenegar templates', () => {
  test('a template goes to verify/lookup.json with template and token… values instead of sms/send.json', async () => {
    const seen: URLSearchParams[] = [];
    let url = '';
    server.use(
      http.post('https://api.kavenegar.com/v1/:key/verify/lookup.json', async ({ request }) => {
        url = request.url;
        seen.push(new URLSearchParams(await request.text()));
        return HttpResponse.json({ return: { status: 200, message: 'تایید شد' }, entries: [{ messageid: 8792343, status: 5 }] });
      }),
    );
    const kavenegar = createKavenegarProvider({ apiKey: 'kv-key', sender: '10004346', fetch });
    const sent = await kavenegar.send({
      ...message,
      template: {
        id: 'hami-survey',
        params: [
          { name: 'token', value: 'AAAA' },
          { name: 'token10', value: 'سارا احمدی' },
        ],
      },
    });
    expect(sent).toEqual({ providerMessageId: '8792343' });
    expect(url).toBe('https://api.kavenegar.com/v1/kv-key/verify/lookup.json');
    expect(Object.fromEntries(seen[0]!)).toEqual({
      receptor: '09121234567',
      template: 'hami-survey',
      token: 'AAAA',
      token10: 'سارا احمدی',
    });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe.each(gateways)('$name, end to end through Hami', { timeout: 60_000 }, (gateway) => {
  let hami: TestHami;
  let panel: StandIn;
  /** The inbox mark, carried from round to round as the poll job carries it. */
  let mark: string | null = null;

  beforeAll(async () => {
    panel = gateway.standIn();
    server.use(
      ...panel.handlers,
      http.all(/^http:\/\/(localhost|127\.0\.0\.1)[:/]/, () => passthrough()),
    );
    hami = await startTestHami({ env: gateway.env });
    // The first poll at start-up only sets the inbox mark (and queues the next round with it); replies come after it.
    mark = await eventually(async () => {
      const row = await hami.deps.db
        .selectFrom('jobs')
        .select('payload')
        .where('name', '=', 'sms.poll')
        .where('status', '=', 'queued')
        .executeTakeFirst();
      return (row && (JSON.parse(row.payload) as { cursor: string | null }).cursor) ?? undefined;
    }, 10_000);
  });
  afterAll(() => hami?.stopAndClean());
  beforeEach(() =>
    server.use(
      ...panel.handlers,
      http.all(/^http:\/\/(localhost|127\.0\.0\.1)[:/]/, () => passthrough()),
    ),
  );

  /** One poll round, as the job runs it every minute. */
  async function pollRound(): Promise<void> {
    mark = await pollSmsGateway(hami.deps, mark);
  }

  /** The values the gateway was asked to fill its template with, read from the request as each panel takes them. */
  function templateValues(request: SeenRequest): string[] {
    if (gateway.name === 'melipayamak') return (request.form.get('text') ?? '').split(';');
    const body = request.json as { parameters?: Array<{ value: string }>; inputs?: Array<{ value: string }> };
    return (body.parameters ?? body.inputs ?? []).map((p) => p.value);
  }

  async function sendSurvey(id: string, phone: string) {
    const event = await hami.postEvent({
      type: 'purchase',
      id,
      sendAt: 'now',
      customer: { id: `c-${id}`, phone, name: 'سارا', locale: 'fa' },
    });
    expect(event.status).toBe(202);
    const invitationId = event.body.invitations[0].id as string;
    return eventually(async () => {
      const row = await hami.deps.db.selectFrom('invitations').selectAll().where('id', '=', invitationId).executeTakeFirst();
      return row?.status === 'sent' ? row : undefined;
    }, 10_000);
  }

  test('with a template named for this gateway the survey goes as a template send; the delivery report lands on the invitation', async () => {
    const survey = hami.deps.surveys.byId('post-purchase')!;
    // The survey file as an operator writes it for this gateway (validated by the same schema as at start-up).
    survey.smsTemplates = smsTemplatesSchema.parse({ [gateway.name]: gateway.template });
    try {
      const invitation = await sendSurvey(`tpl-${gateway.name}`, '+989121234511');
      const request = panel.sends.at(-1)!;
      expect(request.url).toMatch(/send\/verify$|SendOtpSMS$|BaseServiceNumber$/);
      const link = surveyLink(hami.deps.publicUrl, invitationToken(hami.deps.secret, invitation.id));
      const values = templateValues(request);
      expect(values).toContain('سارا');
      expect(
        values.some((v) => v === link || link.endsWith(`/s/${v}`)),
        `the link or its token among ${values.join(' | ')}`,
      ).toBe(true);
      panel.deliveryCodes.set(invitation.provider_message_id!, gateway.delivered);
      await pollRound();
      const after = await hami.deps.db
        .selectFrom('invitations')
        .select(['delivery_status'])
        .where('id', '=', invitation.id)
        .executeTakeFirstOrThrow();
      expect(after.delivery_status).toBe('delivered');
    } finally {
      delete survey.smsTemplates;
    }
  });

  test('without a template the free text goes out; a reply "۹" in Persian digits answers the survey', async () => {
    const invitation = await sendSurvey(`reply-${gateway.name}`, '+989121234501');
    expect(panel.sends.at(-1)!.url).toMatch(/send\/bulk$|SendSingleSMS$|SendSMS\/SendSMS$/);
    const sendsBefore = panel.sends.length;
    panel.receive(gateway.sender, '۹');
    await pollRound();
    const response = await hami.deps.db
      .selectFrom('responses')
      .select(['score', 'channel'])
      .where('invitation_id', '=', invitation.id)
      .executeTakeFirst();
    expect(response).toMatchObject({ score: 9, channel: 'sms' });
    // The thank-you text with the comment link follows on the same gateway.
    await eventually(() => panel.sends.length > sendsBefore, 10_000);
  });

  test.each(['لغو', '۱۱'])('an opt-out reply "%s" suppresses the number: the next survey is skipped', async (word) => {
    const national = `91212345${word === 'لغو' ? '71' : '72'}`;
    const written = gateway.name === 'smsir' ? national : `0${national}`;
    panel.receive(written, word);
    await pollRound();
    const next = await hami.postEvent({
      type: 'purchase',
      id: `optout-${gateway.name}-${national}`,
      sendAt: 'now',
      customer: { id: `o-${national}`, phone: `+98${national}` },
    });
    expect(next.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'opted_out' });
  });
});

// -------------------------------------------------------------------------------------------------------------
/** Each panel's "not enough credit", in its own shape. */
const outOfCredit = {
  smsir: () => HttpResponse.json({ status: 102, message: 'اعتبار کافی نمیباشد', data: null }, { status: 400 }),
  ghasedak: () => HttpResponse.json({ isSuccess: false, statusCode: 418, message: 'اعتبار حساب شما کافی نیست', data: null }),
  melipayamak: () => HttpResponse.json({ Value: '2', RetStatus: 0, StrRetStatus: 'Failed' }),
} as const;

describe.each(gateways)('$name out of credit', { timeout: 60_000 }, (gateway) => {
  test('holds the SMS queue without failing or suppressing anything, and after the top-up the held survey goes out', async () => {
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    const panel = gateway.standIn();
    panel.refuseAll(outOfCredit[gateway.name]);
    server.use(
      ...panel.handlers,
      http.all(/^http:\/\/(localhost|127\.0\.0\.1)[:/]/, () => passthrough()),
    );
    const hami = await startTestHami({ clock, env: gateway.env });
    try {
      const drain = async () => {
        while ((await hami.worker.runDue()) > 0);
      };
      const event = await hami.postEvent({
        type: 'purchase',
        id: `credit-${gateway.name}`,
        sendAt: 'now',
        customer: { id: 'c-credit', phone: '+989121110001' },
      });
      const invitationId = event.body.invitations[0].id as string;
      const status = async () =>
        (await hami.deps.db.selectFrom('invitations').select('status').where('id', '=', invitationId).executeTakeFirstOrThrow()).status;
      await eventually(
        async () =>
          (await hami.deps.db.selectFrom('jobs').select('id').where('key', '=', SMS_HOLD_KEY).where('status', '=', 'queued').execute())
            .length === 1,
        10_000,
      );
      await drain();
      expect(await status()).toBe('scheduled');
      expect(await hami.deps.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);

      panel.refuseAll(null);
      clock.advance(PROBE_INTERVAL_MS);
      await eventually(async () => (await status()) === 'sent', 10_000);
    } finally {
      await hami.stopAndClean();
    }
  });
});

describe('delivery reports after a switch of gateway', () => {
  test('an id the panel does not know is skipped; the others still get their report', async () => {
    const panel = smsIrStandIn(SMSIR_KEY);
    panel.deliveryCodes.set('778', 1);
    server.use(
      http.get('https://api.sms.ir/v1/send/9001', () =>
        HttpResponse.json({ status: 111, message: 'با این شناسه ارسالی ثبت نشده است', data: null }, { status: 400 }),
      ),
      ...panel.handlers,
    );
    expect(await gateways[0]!.provider().fetchDeliveryReports!(['9001', '778'])).toEqual([
      { providerMessageId: '778', state: 'delivered', detail: 'deliveryState 1' },
    ]);
  });
});
