import QRCode from 'qrcode';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { NEW_DETRACTOR_JOB } from '../../server/callbacks/job-names.js';
import { tokenHash } from '../../server/delivery/tokens.js';
import { clientKey } from '../../server/limits/client-address.js';
import { SlidingWindowLimiter } from '../../server/limits/sliding-window.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';

describe('public links and kiosks /p/{survey}/{link}', () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-07-01T09:00:00Z');
  const RECEIPT = '/p/post-purchase/receipt';
  const KIOSK = '/p/post-purchase/store-tehran';

  beforeAll(async () => {
    hami = await startTestHami({ clock });
  });
  afterAll(() => hami.stopAndClean());
  // Every test starts with fresh rate limits: an hour is past every window.
  beforeEach(() => clock.advance(HOUR));

  const get = (path: string, init: RequestInit = {}) => fetch(`${hami.url}${path}`, { redirect: 'manual', ...init });
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${hami.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  const db = () => hami.deps.db;
  const countResponses = async () =>
    (
      await db()
        .selectFrom('responses')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const invitationByToken = (token: string) =>
    db().selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirstOrThrow();
  const responseOf = (invitationId: string) =>
    db().selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirstOrThrow();
  /** The invitation of the latest answer through `linkId` (kiosk answers have no token to find them by). */
  const latestOfLink = (linkId: string) =>
    db().selectFrom('invitations').selectAll().where('public_link_id', '=', linkId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  /** What a person reads in the page's body: no tags, no script, no title. */
  const visibleText = (html: string) =>
    html
      .slice(html.indexOf('<body'))
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ');
  const tokenFrom = (res: Response) => /^\/s\/([A-Za-z0-9_-]{22})\?saved=1$/.exec(res.headers.get('location') ?? '')?.[1];

  test('the public link page shows the survey in English by default, with a switch to Persian', async () => {
    const res = await get(RECEIPT);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<html lang="en" dir="ltr">/);
    expect(html).toContain('How likely are you to recommend us');
    expect(html).toContain(`action="${RECEIPT}?lang=en"`);
    expect(html).toContain(`href="${RECEIPT}?lang=fa"`);
    expect(html).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('the page is Persian and right-to-left with ?lang=fa or for a browser that prefers Persian', async () => {
    for (const res of [
      await get(`${RECEIPT}?lang=fa`),
      await get(RECEIPT, { headers: { 'accept-language': 'fa-IR,fa;q=0.9,en;q=0.5' } }),
    ]) {
      const html = await res.text();
      expect(html).toMatch(/<html lang="fa" dir="rtl">/);
      expect(html).toContain('چقدر احتمال دارد ما را به یک دوست یا همکار پیشنهاد کنید؟');
      expect(html).toContain(`action="${RECEIPT}?lang=fa"`);
      expect(html).toContain(`href="${RECEIPT}?lang=en"`);
    }
    // ?lang wins over the browser.
    const english = await (await get(`${RECEIPT}?lang=en`, { headers: { 'accept-language': 'fa' } })).text();
    expect(english).toMatch(/<html lang="en" dir="ltr">/);
  });

  test("an answer through a public link is anonymous, carries the link's location, and opens on /s/ where it can be changed", async () => {
    const res = await post(`${RECEIPT}?lang=en`, { nps: '9', reason: 'quick delivery' });
    expect(res.status).toBe(303);
    const token = tokenFrom(res);
    expect(token).toBeDefined();

    const invitation = await invitationByToken(token!);
    expect(invitation).toMatchObject({
      survey_id: 'post-purchase',
      channel: 'link',
      status: 'answered',
      public_link_id: 'receipt',
      event_id: null,
      address: null,
      locale: 'en',
      answered_at: clock.now().toISOString(),
      expires_at: new Date(clock.now().getTime() + 14 * DAY).toISOString(),
    });
    const customer = await db().selectFrom('customers').selectAll().where('id', '=', invitation.customer_id).executeTakeFirstOrThrow();
    expect(customer.external_id).toMatch(/^anon:[0-9a-f-]{36}$/);
    expect(customer).toMatchObject({ email: null, phone: null, name: null, locale: 'en' });

    const response = await responseOf(invitation.id);
    expect(response).toMatchObject({ channel: 'link', score: 9, bucket: 'promoter', comment: 'quick delivery' });
    expect(JSON.parse(response.attributes)).toEqual({ location: 'receipt' });
    const history = await db().selectFrom('response_history').select('source').where('response_id', '=', response.id).execute();
    expect(history).toEqual([{ source: 'form' }]);

    // The survey is complete there; its change link opens the form with the answer chosen.
    const page = await get(res.headers.get('location')!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Thank you — the survey is complete');
    expect(await (await get(`/s/${token}?change=1`)).text()).toMatch(/value="9" checked=""/);

    clock.advance(60_000);
    expect((await post(`/s/${token}`, { nps: '6', reason: 'changed my mind' })).status).toBe(303);
    const changed = await responseOf(invitation.id);
    expect(changed).toMatchObject({ score: 6, comment: 'changed my mind' });
    expect(JSON.parse(changed.attributes)).toEqual({ location: 'receipt' });
  });

  test('an answer on the Persian page makes a Persian-speaking anonymous customer', async () => {
    const res = await post(`${RECEIPT}?lang=fa`, { nps: '۸' });
    expect(res.status).toBe(303);
    const invitation = await invitationByToken(tokenFrom(res)!);
    expect(invitation.locale).toBe('fa');
    expect((await responseOf(invitation.id)).score).toBe(8);
    const html = await (await get(res.headers.get('location')!)).text();
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
  });

  test('every public answer gets its own anonymous customer and its own token', async () => {
    const first = await post(RECEIPT, { nps: '10' });
    const second = await post(RECEIPT, { nps: '10' });
    expect(tokenFrom(first)).not.toBe(tokenFrom(second));
    const [a, b] = await Promise.all([invitationByToken(tokenFrom(first)!), invitationByToken(tokenFrom(second)!)]);
    expect(a.customer_id).not.toBe(b.customer_id);
  });

  test('an anonymous detractor through a public link is counted, but opens no callback case nobody could call', async () => {
    const res = await post(RECEIPT, { nps: '2', reason: 'broken on arrival' });
    const invitation = await invitationByToken(tokenFrom(res)!);
    const response = await responseOf(invitation.id);
    expect(response).toMatchObject({ bucket: 'detractor', comment: 'broken on arrival' });
    expect(await db().selectFrom('callback_cases').selectAll().where('response_id', '=', response.id).executeTakeFirst()).toBeUndefined();
    // No case, so no alert job either.
    const alerts = await db().selectFrom('jobs').select('payload').where('name', '=', NEW_DETRACTOR_JOB).execute();
    expect(alerts).toEqual([]);
  });

  test('a comment with HTML sent through a public link is shown escaped on the /s/ page', async () => {
    const comment = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const res = await post(RECEIPT, { nps: '3', reason: comment });
    const invitation = await invitationByToken(tokenFrom(res)!);
    expect((await responseOf(invitation.id)).comment).toBe(comment);
    const html = await (await get(`/s/${tokenFrom(res)}?change=1`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  test('a required question left empty is asked again in the page language, and nothing is stored', async () => {
    const before = await countResponses();
    const res = await post(`${RECEIPT}?lang=fa`, { reason: 'no score' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('لطفاً به این پرسش پاسخ دهید.');
    expect(html).toContain('no score');
    const bad = await post(RECEIPT, { nps: '11' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Please choose one of the options.');
    expect(await countResponses()).toBe(before);
  });

  test('the kiosk page has its own title and intro that never mention an order, and a language switch', async () => {
    for (const lang of ['en', 'fa'] as const) {
      const res = await get(`${KIOSK}?lang=${lang}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/<body class="kiosk">/);
      expect(visibleText(html)).not.toMatch(/\border|سفارش|خرید/i);
      expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).not.toMatch(/\border|سفارش/i);
      expect(html).toContain(lang === 'en' ? 'How did we do today?' : 'امروز چطور بودیم؟');
      expect(html).toContain(lang === 'en' ? 'Your answer is anonymous.' : 'پاسخ شما بی‌نام است.');
      expect(html).toContain(`href="${KIOSK}?lang=${lang === 'en' ? 'fa' : 'en'}"`);
    }
    // A poster or receipt is read by someone who bought: it keeps the survey's own words.
    expect(await (await get(RECEIPT)).text()).toContain('How was your order?');
  });

  test('a kiosk answer thanks once, counts down to the empty survey by a nonce script (no meta refresh, no Refresh header), and never links to the answer', async () => {
    const res = await post(`${KIOSK}?lang=en`, { nps: '10', reason: 'friendly staff' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(visibleText(html).match(/thank/gi)).toEqual(['Thank']);
    expect(visibleText(html)).toContain('Thank you! Your answer helps us do better.');
    expect(html).not.toMatch(/http-equiv/i);
    expect(res.headers.get('refresh')).toBeNull();
    expect(html).toContain('data-next="/p/post-purchase/store-tehran?lang=en"');
    expect(html).toMatch(/starts over for the next customer in <span id="kiosk-left">5<\/span> seconds/);
    expect(html).toMatch(/<a class="btn" href="\/p\/post-purchase\/store-tehran\?lang=en">Next customer<\/a>/);
    expect(html).not.toContain('/s/');
    // The one script runs under the page's nonce; nothing inline is allowed otherwise.
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toContain(`script-src 'nonce-${nonce}'`);
    expect(html.match(/<script/g)).toHaveLength(1);

    const invitation = await latestOfLink('store-tehran');
    expect(invitation).toMatchObject({ channel: 'kiosk', status: 'answered', public_link_id: 'store-tehran' });
    const response = await responseOf(invitation.id);
    expect(response).toMatchObject({ channel: 'kiosk', score: 10 });
    expect(JSON.parse(response.attributes)).toEqual({ location: 'Tehran store' });
    const history = await db().selectFrom('response_history').select('source').where('response_id', '=', response.id).execute();
    expect(history).toEqual([{ source: 'kiosk' }]);
  });

  test('the Persian kiosk thanks in Persian, counts down in Persian digits and starts over in Persian', async () => {
    const res = await post(`${KIOSK}?lang=fa`, { nps: '9' });
    const html = await res.text();
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(visibleText(html).match(/سپاس/g)).toHaveLength(1);
    expect(html).toContain('<span id="kiosk-left">۵</span>');
    expect(html).toContain('data-next="/p/post-purchase/store-tehran?lang=fa"');
    expect(html).toContain('مشتری بعدی');
  });

  test('two customers answering the kiosk one after the other, 6 s and then 3 s apart, are both recorded', async () => {
    const stored = await countResponses();
    expect((await post(KIOSK, { nps: '9', reason: 'first customer' })).status).toBe(200);
    clock.advance(6_000);
    expect((await post(KIOSK, { nps: '4', reason: 'second customer' })).status).toBe(200);
    clock.advance(3_000);
    expect((await post(`${KIOSK}?lang=fa`, { nps: '10' })).status).toBe(200);
    expect(await countResponses()).toBe(stored + 3);
    const comments = await db()
      .selectFrom('responses')
      .select('comment')
      .where('comment', 'in', ['first customer', 'second customer'])
      .execute();
    expect(comments).toHaveLength(2);
  });

  test('a burst on the kiosk (a second answer within 2 s) is refused with 429 and the form comes back with the choices kept', async () => {
    expect((await post(KIOSK, { nps: '7' })).status).toBe(200);
    const stored = await countResponses();

    clock.advance(1_000);
    const refused = await post(KIOSK, { nps: '3', reason: 'second <tap>' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    const html = await refused.text();
    expect(html).toMatch(/<p class="note" role="alert">One moment: an answer was just sent from this screen/);
    expect(html).toMatch(/value="3" checked=""/);
    expect(html).toContain('second &lt;tap&gt;</textarea>');
    // Nothing was saved: the button still says Send, as the note does.
    expect(html).toContain('<button type="submit">Send</button>');
    expect(html).toContain(`action="${KIOSK}?lang=en"`);
    expect(await countResponses()).toBe(stored);

    clock.advance(1_000);
    expect((await post(KIOSK, { nps: '3', reason: 'second <tap>' })).status).toBe(200);
    expect(await countResponses()).toBe(stored + 1);
  });

  test('a double tap on Send posts one kiosk form twice: one answer is recorded and both posts are thanked', async () => {
    const page = await (await get(KIOSK)).text();
    const formId = /<input type="hidden" name="kiosk-form" value="([A-Za-z0-9_-]{16})"\/>/.exec(page)?.[1];
    expect(formId).toBeDefined();
    // Every showing of the form has its own id.
    expect(await (await get(KIOSK)).text()).not.toContain(formId);
    const stored = await countResponses();
    const [first, second] = await Promise.all([
      post(KIOSK, { 'kiosk-form': formId!, nps: '8' }),
      post(KIOSK, { 'kiosk-form': formId!, nps: '8' }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    for (const html of [await first.text(), await second.text()]) expect(html).toContain('Thank you!');
    expect(await countResponses()).toBe(stored + 1);
    // Another form within the burst window is still a burst.
    expect((await post(KIOSK, { 'kiosk-form': 'another-form-id1', nps: '8' })).status).toBe(429);
    expect(await countResponses()).toBe(stored + 1);
  });

  test('the kiosk refuses more than 20 answers a minute, a pace no queue of people keeps up', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await post(KIOSK, { nps: '9' })).status).toBe(200);
      clock.advance(2_500);
    }
    expect((await post(KIOSK, { nps: '9' })).status).toBe(429);
    clock.advance(10_000);
    expect((await post(KIOSK, { nps: '9' })).status).toBe(200);
  });

  test('the burst note speaks the page language and keeps the Persian choices', async () => {
    expect((await post(`${KIOSK}?lang=fa`, { nps: '7' })).status).toBe(200);
    const refused = await post(`${KIOSK}?lang=fa`, { nps: '۸' });
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toContain('یک لحظه: همین الان پاسخی از این صفحه فرستاده شد.');
    expect(html).toMatch(/value="8" checked=""/);
  });

  test("a form sent back with errors does not use up the kiosk's limit", async () => {
    expect((await post(KIOSK, { reason: 'forgot the score' })).status).toBe(400);
    expect((await post(KIOSK, { nps: '8', reason: 'forgot the score' })).status).toBe(200);
  });

  test('a public link takes at most 30 answers an hour from one address, then says to come back later and keeps the choices', async () => {
    for (let i = 0; i < 30; i++) {
      clock.advance(1_000);
      expect((await post(RECEIPT, { nps: '9' })).status).toBe(303);
    }
    const stored = await countResponses();
    const refused = await post(RECEIPT, { nps: '6', reason: 'slow checkout' });
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(html).toContain('many answers from your network');
    expect(html).toMatch(/value="6" checked=""/);
    expect(html).toContain('slow checkout</textarea>');
    // Nothing was saved: the button says Send, not "Update my answer".
    expect(html).toContain('<button type="submit">Send</button>');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(await countResponses()).toBe(stored);
    // The kiosk is limited on its own: the link's busy hour does not block it.
    expect((await post(KIOSK, { nps: '9' })).status).toBe(200);

    clock.advance(HOUR);
    expect((await post(RECEIPT, { nps: '9' })).status).toBe(303);
  });

  test('an unknown survey or link gets the friendly not-found page, in Persian for a Persian browser', async () => {
    const paths = ['/p/no-such-survey/receipt', '/p/post-purchase/no-such-link', '/p/post-purchase/Receipt', '/p/follow-up/receipt'];
    for (const path of paths) {
      for (const res of [await get(path), await post(path, { nps: '9' }), await get(`${path}/qr.svg`), await get(`${path}/qr.png`)]) {
        expect(res.status).toBe(404);
        const html = await res.text();
        expect(html).toContain('This survey link does not work');
        expect(html).not.toMatch(/Error|at .*\.ts/);
      }
    }
    const persian = await get('/p/post-purchase/nope', { headers: { 'accept-language': 'fa-IR' } });
    expect(await persian.text()).toMatch(/<html lang="fa" dir="rtl">/);
    expect(await db().selectFrom('invitations').select('id').where('public_link_id', '=', 'no-such-link').execute()).toEqual([]);
  });

  /** Reads the module grid back out of the SVG's path (rows of horizontal runs drawn from a 4-module margin). */
  function modulesOfSvg(svg: string): { size: number; dark: Set<string> } {
    const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!;
    const size = Number(viewBox[1]) - 8;
    const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
    const dark = new Set<string>();
    let x = 0;
    let y = 0;
    for (const [, op, args] of d.matchAll(/([MmHh])([^MmHh]*)/g)) {
      const n = args!
        .trim()
        .split(/[\s,]+/)
        .map(Number);
      if (op === 'M') [x, y] = [n[0]!, n[1]!];
      else if (op === 'm') [x, y] = [x + n[0]!, y + n[1]!];
      else if (op === 'h') {
        for (let i = 0; i < n[0]!; i++) dark.add(`${Math.floor(y) - 4},${x + i - 4}`);
        x += n[0]!;
      }
    }
    return { size, dark };
  }

  function modulesOf(text: string): { size: number; dark: Set<string> } {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const dark = new Set<string>();
    for (let r = 0; r < qr.modules.size; r++) for (let c = 0; c < qr.modules.size; c++) if (qr.modules.get(r, c)) dark.add(`${r},${c}`);
    return { size: qr.modules.size, dark };
  }

  test('the QR code downloads as an SVG that encodes the public address, in Persian when asked', async () => {
    const res = await get(`${RECEIPT}/qr.svg?lang=fa`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="hami-post-purchase-receipt.svg"');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');

    const address = `${hami.deps.publicUrl}/p/post-purchase/receipt`;
    expect(modulesOfSvg(svg)).toEqual(modulesOf(`${address}?lang=fa`));
    expect(modulesOfSvg(svg)).not.toEqual(modulesOf(address));
    const english = await (await get(`${RECEIPT}/qr.svg`)).text();
    expect(modulesOfSvg(english)).toEqual(modulesOf(address));
  });

  test('the QR code downloads as a 1024-pixel square PNG for print', async () => {
    const res = await get(`${KIOSK}/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="hami-post-purchase-store-tehran.png"');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(1024);
    expect(png.readUInt32BE(20)).toBe(1024);
  });
});

describe('the public-link rate limiter', () => {
  test('forgets idle clients so a flood of addresses cannot grow memory without bound', () => {
    const clock = new ManualClock();
    const limiter = new SlidingWindowLimiter(clock, [{ max: 1, windowMs: 10_000 }], 100);
    for (let i = 0; i < 100; i++) expect(limiter.take(`a${i}`).allowed).toBe(true);
    clock.advance(11_000);
    expect(limiter.take('late').allowed).toBe(true);
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 500; i++) limiter.take(`b${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  test('applies every rule: a burst limit and an hourly limit together', () => {
    const clock = new ManualClock();
    const limiter = new SlidingWindowLimiter(clock, [
      { max: 2, windowMs: 1_000 },
      { max: 3, windowMs: HOUR },
    ]);
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1_000);
    expect(limiter.take('k').allowed).toBe(true);
    clock.advance(1_000);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: HOUR / 1000 - 2 });
    expect(limiter.take('other').allowed).toBe(true);
  });

  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    [undefined, 'unknown'],
  ])('counts %s as the client %s (an IPv6 client owns its whole /64)', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
