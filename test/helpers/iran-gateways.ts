import { http, HttpResponse, type HttpHandler } from 'msw';
import { seeRequest, type SeenRequest } from './sms-gateways.js';

/**
 * Local stand-ins of the three Iranian panels, answering with the request and reply shapes of their public docs and
 * official SDKs (see the adapters' comments for the sources): what they were sent, an inbox of replies to hand out,
 * the delivery state of each message, and a refusal to give instead of the next success.
 */
export interface StandIn {
  handlers: HttpHandler[];
  /** Every send and template send, in order. */
  sends: SeenRequest[];
  /** How often the inbox was asked. */
  inboxAsked: number;
  /** A text arriving from `mobile` (as the panel writes it). */
  receive(mobile: string, text: string): void;
  /** The panel's delivery code for a message id. */
  deliveryCodes: Map<string, number>;
  /** The next send gets this reply (the panel's refusal) instead of a success. */
  refuseNext(reply: Response): void;
  /** Every send gets this refusal until called with null (an account out of credit until it is topped up). */
  refuseAll(reply: (() => Response) | null): void;
}

function standIn(build: (state: StandIn & { take: () => Response | undefined; nextId: () => number }) => HttpHandler[]): StandIn {
  let refusal: Response | undefined;
  let standing: (() => Response) | null = null;
  let id = 89545112;
  const state = {
    handlers: [] as HttpHandler[],
    sends: [] as SeenRequest[],
    inboxAsked: 0,
    inbox: [] as Array<{ id: number; mobile: string; text: string }>,
    receive(mobile: string, text: string) {
      this.inbox.push({ id: ++id, mobile, text });
    },
    deliveryCodes: new Map<string, number>(),
    refuseNext(reply: Response) {
      refusal = reply;
    },
    refuseAll(reply: (() => Response) | null) {
      standing = reply;
    },
    take() {
      const reply = refusal ?? standing?.();
      refusal = undefined;
      return reply;
    },
    nextId: () => ++id,
  };
  state.handlers = build(state);
  return state;
}

type Inbox = Array<{ id: number; mobile: string; text: string }>;
const inboxOf = (s: StandIn) => (s as unknown as { inbox: Inbox }).inbox;

/** SMS.ir v1: `{ status, message, data }`; X-API-KEY; receive/latest hands each text out once. */
export function smsIrStandIn(apiKey: string): StandIn {
  return standIn((s) => {
    const unauthorized = () => HttpResponse.json({ status: 10, message: 'کلید وب سرویس نامعتبر است', data: null }, { status: 401 });
    const keyOk = (request: Request) => request.headers.get('x-api-key') === apiKey;
    return [
      http.post('https://api.sms.ir/v1/send/bulk', async ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        s.sends.push(await seeRequest(request));
        return (
          s.take() ??
          HttpResponse.json({
            status: 1,
            message: 'موفق',
            data: { packId: '2b99e63c-9bf8-4a21-9bfe-3f72dc1b46f1', messageIds: [s.nextId()], cost: 1.0 },
          })
        );
      }),
      http.post('https://api.sms.ir/v1/send/verify', async ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        s.sends.push(await seeRequest(request));
        return s.take() ?? HttpResponse.json({ status: 1, message: 'موفق', data: { messageId: s.nextId(), cost: 1.0 } });
      }),
      http.get('https://api.sms.ir/v1/receive/latest', ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        s.inboxAsked += 1;
        const inbox = inboxOf(s);
        const data = inbox.splice(0).map((m) => ({
          receiveReturnId: m.id,
          messageText: m.text,
          number: 30004505000017,
          mobile: Number(m.mobile),
          receivedDateTime: 1628683625,
        }));
        return HttpResponse.json({ status: 1, message: 'موفق', data });
      }),
      http.get('https://api.sms.ir/v1/send/:messageId', ({ request, params }) => {
        if (!keyOk(request)) return unauthorized();
        const id = String(params.messageId);
        const code = s.deliveryCodes.get(id) ?? null;
        return HttpResponse.json({
          status: 1,
          message: 'موفق',
          data: {
            messageId: Number(id),
            mobile: 9121234567,
            messageText: '…',
            sendDateTime: 1628683626,
            lineNumber: 30004505000017,
            cost: 1.0,
            deliveryState: code,
            deliveryDateTime: code ? 1628683629 : null,
          },
        });
      }),
    ];
  });
}

/** Ghasedak WebService: `{ isSuccess, statusCode, message, data }`; ApiKey header; the inbox keeps its texts. */
export function ghasedakStandIn(apiKey: string): StandIn {
  const base = 'https://gateway.ghasedak.me/rest/api/v1/WebService';
  return standIn((s) => {
    const unauthorized = () =>
      HttpResponse.json({ isSuccess: false, statusCode: 401, message: 'ApiKey نامعتبر است', data: null }, { status: 401 });
    const keyOk = (request: Request) => request.headers.get('apikey') === apiKey;
    return [
      http.post(`${base}/SendSingleSMS`, async ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        const seen = await seeRequest(request);
        s.sends.push(seen);
        const body = seen.json as { receptor: string; lineNumber: string; message: string };
        return (
          s.take() ??
          HttpResponse.json({
            isSuccess: true,
            statusCode: 200,
            message: '',
            data: {
              receptor: body.receptor,
              lineNumber: body.lineNumber,
              cost: 3537,
              messageId: String(s.nextId()),
              message: body.message,
              sendDate: '2024-07-09T14:01:36.6632614+03:30',
            },
          })
        );
      }),
      http.post(`${base}/SendOtpSMS`, async ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        const seen = await seeRequest(request);
        s.sends.push(seen);
        const body = seen.json as { receptors: Array<{ mobile: string }> };
        return (
          s.take() ??
          HttpResponse.json({
            isSuccess: true,
            statusCode: 200,
            message: '',
            data: {
              lineNumber: '21000000',
              messageBody: '…',
              items: [
                { receptor: body.receptors[0]!.mobile, cost: 940, messageId: String(s.nextId()), sendDate: '2024-07-09T14:01:02.193563' },
              ],
              totalCost: 940,
            },
          })
        );
      }),
      http.get(`${base}/CheckSmsStatus`, ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        const url = new URL(request.url);
        const ids = (url.searchParams.get('Ids') ?? '').split(',').filter(Boolean);
        const data = ids.map((id) => ({
          messageId: id,
          clientReferenceId: null,
          message: '…',
          lineNumber: '21000000',
          receptor: '09121234567',
          status: s.deliveryCodes.get(id) ?? 0,
          price: 940,
          sendDate: '2024-07-09T14:01:02.193563',
        }));
        return HttpResponse.json({ isSuccess: true, statusCode: 200, message: '', data });
      }),
      http.get(`${base}/GetReceivedSmses`, ({ request }) => {
        if (!keyOk(request)) return unauthorized();
        s.inboxAsked += 1;
        const line = new URL(request.url).searchParams.get('LineNumber');
        const items = inboxOf(s).map((m) => ({
          id: m.id,
          message: m.text,
          sender: m.mobile,
          lineNumber: line,
          receiveDate: '2024-07-09T14:05:00',
        }));
        return HttpResponse.json({ isSuccess: true, statusCode: 200, message: '', data: { items } });
      }),
    ];
  });
}

/** Melipayamak REST: form posts with username/password; `{ Value, RetStatus, StrRetStatus }`; inbox paged, not marked read. */
export function melipayamakStandIn(username: string, password: string): StandIn {
  const base = 'https://rest.payamak-panel.com/api/SendSMS';
  return standIn((s) => {
    const wrongLogin = () => HttpResponse.json({ Value: '0', RetStatus: 0, StrRetStatus: 'InvalidUserPass' });
    const loginOk = (form: URLSearchParams) => form.get('username') === username && form.get('password') === password;
    const recId = () => `20413948${s.nextId()}`;
    return [
      http.post(`${base}/SendSMS`, async ({ request }) => {
        const seen = await seeRequest(request);
        if (!loginOk(seen.form)) return wrongLogin();
        s.sends.push(seen);
        return s.take() ?? HttpResponse.json({ Value: recId(), RetStatus: 1, StrRetStatus: 'Ok' });
      }),
      http.post(`${base}/BaseServiceNumber`, async ({ request }) => {
        const seen = await seeRequest(request);
        if (!loginOk(seen.form)) return wrongLogin();
        s.sends.push(seen);
        return s.take() ?? HttpResponse.json({ Value: recId(), RetStatus: 1, StrRetStatus: 'Ok' });
      }),
      http.post(`${base}/GetDeliveries2`, async ({ request }) => {
        const seen = await seeRequest(request);
        if (!loginOk(seen.form)) return wrongLogin();
        return HttpResponse.json({
          Value: String(s.deliveryCodes.get(seen.form.get('recId') ?? '') ?? 0),
          RetStatus: 1,
          StrRetStatus: 'Ok',
        });
      }),
      http.post(`${base}/GetMessages`, async ({ request }) => {
        const seen = await seeRequest(request);
        if (!loginOk(seen.form))
          return HttpResponse.json({ MyBase: { Value: '0', RetStatus: 0, StrRetStatus: 'InvalidUserPass' }, Data: null });
        s.inboxAsked += 1;
        const data = [...inboxOf(s)].reverse().map((m) => ({
          MsgID: m.id,
          Body: m.text,
          SenderNumber: m.mobile,
          RecipientNumber: '50004001',
          SendDate: '/Date(1715000000000+0430)/',
        }));
        return HttpResponse.json({ MyBase: { Value: '', RetStatus: 1, StrRetStatus: 'Ok' }, Data: data });
      }),
    ];
  });
}
