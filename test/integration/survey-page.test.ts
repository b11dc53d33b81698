import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { DAY, ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';

describe('the survey page /s/{token}', () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    hami = await startTestHami({ clock });
  });
  afterAll(() => hami.stopAndClean());

  /** Posts an event for a new customer and returns its survey link. */
  async function newLink(options: { type?: 'purchase' | 'resolution'; locale?: 'en' | 'fa'; email?: string } = {}) {
    serial++;
    const { body } = await hami.postEvent({
      type: options.type ?? 'purchase',
      id: `order-${serial}`,
      sendAt: 'now',
      customer: { id: `cust-${serial}`, email: options.email ?? `c${serial}@example.com`, locale: options.locale ?? 'en' },
    });
    const invitationId: string = body.invitations[0].id;
    const token = invitationToken(hami.deps.secret, invitationId);
    return { invitationId, token, url: `${hami.url}/s/${token}` };
  }

  const get = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init });
  const post = (url: string, fields: Record<string, string>) =>
    fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  const responseOf = (invitationId: string) =>
    hami.deps.db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirst();
  const caseOf = (responseId: string) =>
    hami.deps.db.selectFrom('callback_cases').selectAll().where('response_id', '=', responseId).executeTakeFirst();

  test('an unknown or malformed token gets a friendly page, not a stack trace', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'not-a-token', '..%2F..%2Fetc']) {
      const res = await get(`${hami.url}/s/${token}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('This survey link does not work');
      expect(html).not.toMatch(/Error|at .*\.ts/);
    }
    const persian = await get(`${hami.url}/s/AAAAAAAAAAAAAAAAAAAAAA`, { headers: { 'accept-language': 'fa-IR,fa;q=0.9' } });
    expect(await persian.text()).toContain('dir="rtl"');
  });

  test('an expired link says the survey has closed and records nothing', async () => {
    const link = await newLink();
    clock.advance(15 * DAY); // post-purchase links live 14 days
    const res = await get(`${link.url}?score=9`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This survey has closed');
    expect(await responseOf(link.invitationId)).toBeUndefined();
    const form = await post(link.url, { nps: '9' });
    expect(form.status).toBe(410);
  });

  test('HEAD on a one-tap link records nothing (mail scanners and link checkers send it)', async () => {
    const link = await newLink();
    const res = await get(`${link.url}?score=2`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await responseOf(link.invitationId)).toBeUndefined();
    const invitation = await hami.deps.db
      .selectFrom('invitations')
      .select('status')
      .where('id', '=', link.invitationId)
      .executeTakeFirstOrThrow();
    expect(invitation.status).not.toBe('opened');
  });

  test.each([
    ['Persian', '۳', 3],
    ['Arabic-Indic', '٧', 7],
    ['Latin', '10', 10],
  ])('a score typed with %s digits is the same number', async (_name, typed, expected) => {
    const link = await newLink();
    const res = await get(`${link.url}?score=${encodeURIComponent(typed)}`);
    expect(res.status).toBe(303);
    expect((await responseOf(link.invitationId))?.score).toBe(expected);
  });

  test.each(['11', '-1', '7.5', 'abc', ''])('a one-tap score of "%s" is refused and records nothing', async (value) => {
    const link = await newLink();
    const res = await get(`${link.url}?score=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Please choose one of the options.');
    expect(await responseOf(link.invitationId)).toBeUndefined();
  });

  test('a comment with HTML is stored as typed and shown escaped', async () => {
    const link = await newLink();
    const comment = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"';
    expect((await post(link.url, { nps: '4', reason: comment })).status).toBe(303);
    expect((await responseOf(link.invitationId))?.comment).toBe(comment);
    // The form to change the answer shows the comment again.
    const html = await (await get(`${link.url}?change=1`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('<button type="submit">Update my answer</button>');
  });

  test('a required question left empty is asked again, and nothing is stored', async () => {
    const link = await newLink();
    const res = await post(link.url, { reason: 'no score given' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Please answer this question.');
    expect(html).toContain('no score given');
    // Nothing is saved yet: the button says Send, not "Update my answer".
    expect(html).toContain('<button type="submit">Send</button>');
    expect(await responseOf(link.invitationId)).toBeUndefined();
  });

  test('changing a detractor score to a promoter withdraws the untouched callback case; going back reopens it', async () => {
    const link = await newLink();
    await get(`${link.url}?score=2`);
    await settleOneTapAnswers(hami);
    const first = (await responseOf(link.invitationId))!;
    expect((await caseOf(first.id))?.status).toBe('open');

    clock.advance(60_000);
    await post(link.url, { nps: '9' });
    const changed = (await responseOf(link.invitationId))!;
    expect(changed).toMatchObject({ score: 9, bucket: 'promoter', answered_at: first.answered_at });
    expect((await caseOf(first.id))?.status).toBe('withdrawn');

    clock.advance(60_000);
    await post(link.url, { nps: '5' });
    const reopened = (await caseOf(first.id))!;
    expect(reopened.status).toBe('open');
    expect(reopened.due_at).toBe(new Date(clock.now().getTime() + DAY).toISOString());

    const history = await hami.deps.db
      .selectFrom('response_history')
      .select('score')
      .where('response_id', '=', first.id)
      .orderBy('recorded_at')
      .execute();
    expect(history.map((h) => h.score)).toEqual([2, 9, 5]);
    const trail = await hami.deps.db
      .selectFrom('case_entries')
      .select('kind')
      .where('case_id', '=', reopened.id)
      .orderBy('at')
      .orderBy('seq')
      .execute();
    expect(trail.map((e) => e.kind)).toEqual(['opened', 'withdrawn', 'reopened']);
  });

  test('a case someone is already working keeps its status when the score changes, with a note for the owner', async () => {
    const link = await newLink();
    await get(`${link.url}?score=1`);
    await settleOneTapAnswers(hami);
    const response = (await responseOf(link.invitationId))!;
    const admin = await hami.deps.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await hami.deps.db.updateTable('callback_cases').set({ owner_id: admin.id }).where('response_id', '=', response.id).execute();
    await post(link.url, { nps: '8' });
    const kept = (await caseOf(response.id))!;
    expect(kept.status).toBe('open');
    const notes = await hami.deps.db
      .selectFrom('case_entries')
      .select('note')
      .where('case_id', '=', kept.id)
      .where('kind', '=', 'answer_changed')
      .execute();
    expect(notes).toEqual([{ note: 'the customer changed the score from 1 to 8' }]);
  });

  test('a passive answer opens no case', async () => {
    const link = await newLink();
    await get(`${link.url}?score=7`);
    const response = (await responseOf(link.invitationId))!;
    expect(response.bucket).toBe('passive');
    expect(await caseOf(response.id)).toBeUndefined();
  });

  test('the post-resolution page asks CSAT, solved and NPS, and records them together', async () => {
    const link = await newLink({ type: 'resolution' });
    const html = await (await get(link.url)).text();
    expect(html).toContain('How satisfied are you');
    expect(html).toContain('Was your problem solved?');
    await post(link.url, { csat: '۴', solved: 'yes', nps: '9', reason: 'quick fix' });
    const response = (await responseOf(link.invitationId))!;
    expect(JSON.parse(response.answers)).toEqual({ csat: 4, solved: true, nps: 9, reason: 'quick fix' });
  });

  test('the Persian page is right-to-left with the scale written from 0, which the browser lays out from the right', async () => {
    const link = await newLink({ locale: 'fa' });
    const html = await (await get(link.url)).text();
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    const values = [...html.matchAll(/name="nps" value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(html).toContain('<span>۱۰<span class="vh">, بسیار زیاد</span></span>');
  });

  test('the page stays under 8 KB gzip, runs no script and sends strict headers', async () => {
    const link = await newLink({ type: 'resolution', locale: 'fa' });
    const res = await get(link.url);
    const html = await res.text();
    expect(gzipSync(html).length).toBeLessThan(8 * 1024);
    expect(html).not.toMatch(/<script/i);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1];
    expect(html).toContain(`<style nonce="${nonce}">`);
    // The stylesheet arrives intact (escaping would turn quotes into entities and void the rules).
    const css = html.slice(html.indexOf('<style'), html.indexOf('</style>'));
    expect(css).not.toMatch(/&[a-z#0-9]+;/);
  });

  /** The page's HTML at `url` (following no redirect). */
  const page = async (url: string) => (await get(url)).text();
  const indexOfField = (html: string, name: string) => html.indexOf(`name="${name}"`);

  test('after a one-tap: "your 3 is saved" and only the reason asked; Send ends on the thank-you view, whose change link opens the whole form', async () => {
    const link = await newLink();
    const tapped = await get(`${link.url}?score=3`);
    expect(tapped.status).toBe(303);
    const saved = await page(new URL(tapped.headers.get('location')!, hami.url).toString());
    expect(saved).toContain('<h1>Thanks — your 3 is saved.</h1>');
    expect(saved).toMatch(/<textarea id="reason" name="reason"/);
    expect(saved).toContain('<button type="submit">Send</button>');
    // The score is not asked again as the main thing: it sits folded under "Change score", after the reason.
    expect(saved).toContain('<details><summary>Change score</summary>');
    expect(indexOfField(saved, 'nps')).toBeGreaterThan(saved.indexOf('<details>'));
    expect(indexOfField(saved, 'reason')).toBeLessThan(saved.indexOf('<details>'));
    expect(saved).toMatch(/name="nps" value="3" checked=""/);

    const sent = await post(link.url, { reason: 'slow courier' });
    expect(sent.status).toBe(303);
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 3, comment: 'slow courier' });
    const thanks = await page(new URL(sent.headers.get('location')!, hami.url).toString());
    expect(thanks).toContain('<h1>Thank you — the survey is complete</h1>');
    expect(thanks).toContain('Thank you! Your answer helps us do better.');
    // Changing is a secondary link, not the main button; the view has no form to send again.
    expect(thanks).toContain(`<a class="sec" href="/s/${link.token}?change=1">Change my answer</a>`);
    expect(thanks).not.toMatch(/<button|<form/);
    // Coming back to the link later shows the same end.
    expect(await page(link.url)).toContain('Thank you — the survey is complete');

    const change = await page(`${link.url}?change=1`);
    expect(change).toMatch(/name="nps" value="3" checked=""/);
    expect(change).toContain('slow courier</textarea>');
    expect(change).not.toContain('<details>');
    expect((await post(link.url, { nps: '6', reason: 'slow courier, but polite' })).status).toBe(303);
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 6, comment: 'slow courier, but polite' });
    expect(await page(link.url)).toContain('Thank you — the survey is complete');
  });

  test('the Persian saved view names the score in Persian digits, and the thank-you view is Persian', async () => {
    const link = await newLink({ locale: 'fa' });
    await get(`${link.url}?score=7`);
    expect(await page(`${link.url}?saved=1`)).toContain('<h1>سپاس — امتیاز ۷ شما ثبت شد.</h1>');
    await post(link.url, { reason: 'خوب بود' });
    const thanks = await page(link.url);
    expect(thanks).toContain('سپاس — نظرسنجی کامل شد');
    expect(thanks).toContain('>تغییر پاسخ</a>');
  });

  test('a link opened without a score shows the whole form; Send ends on the thank-you view', async () => {
    const link = await newLink();
    const form = await page(link.url);
    expect(form).toContain('<button type="submit">Send</button>');
    expect(form).not.toContain('<details>');
    expect((await post(link.url, { nps: '10' })).status).toBe(303);
    expect(await page(link.url)).toContain('Thank you — the survey is complete');
  });

  test('on the support survey the score comes first, then the other questions, in the form and after a tap', async () => {
    const link = await newLink({ type: 'resolution' });
    const form = await page(link.url);
    const order = ['nps', 'csat', 'effort', 'solved', 'reason'].map((name) => indexOfField(form, name));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    await get(`${link.url}?score=9`);
    const saved = await page(link.url);
    expect(saved).toContain('<h1>Thanks — your 9 is saved.</h1>');
    const rest = ['csat', 'effort', 'solved', 'reason'].map((name) => indexOfField(saved, name));
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(rest.at(-1)).toBeLessThan(indexOfField(saved, 'nps'));
  });

  test('no page text says "one tap" where a tap does not send anything', async () => {
    for (const type of ['purchase', 'resolution'] as const) {
      for (const locale of ['en', 'fa'] as const) {
        const link = await newLink({ type, locale });
        const fresh = await page(link.url);
        await get(`${link.url}?score=8`);
        const saved = await page(link.url);
        for (const html of [fresh, saved]) expect(html).not.toMatch(/one tap|یک لمس|با یک ضربه/i);
      }
    }
  });

  test('a confirmation without a valid score is refused next to the scale, and nothing is stored', async () => {
    const link = await newLink();
    for (const nps of ['', '11']) {
      const res = await post(link.url, { 'hami-step': 'confirm', nps });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('id="nps-error"');
    }
    expect(await responseOf(link.invitationId)).toBeUndefined();
  });

  test('screen readers hear the end labels with the first and last score ("0, not at all likely")', async () => {
    const html = await page((await newLink()).url);
    expect(html).toContain('<span>0<span class="vh">, Not at all likely</span></span>');
    expect(html).toContain('<span>10<span class="vh">, Extremely likely</span></span>');
    expect(html).toContain('<span>5</span>');
  });

  test('every question has a label, and radio groups a legend', async () => {
    const link = await newLink({ type: 'resolution' });
    const html = await (await get(link.url)).text();
    // CSAT, effort (CES), solved and NPS: four radio groups.
    expect(html.match(/<fieldset/g)).toHaveLength(4);
    expect(html.match(/<legend>/g)).toHaveLength(4);
    expect(html).toMatch(/<label for="reason">/);
    expect(html).toMatch(/<textarea id="reason" name="reason"/);
  });
});

describe('the front page', () => {
  test('the server address leads a person to a page, not to JSON or a 404', async () => {
    const hami = await startTestHami();
    try {
      const root = await fetch(hami.url, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/app/');
      const app = await fetch(`${hami.url}/app/`);
      expect(app.status).toBe(200);
      expect(app.headers.get('content-type')).toMatch(/text\/html/);
      // Signed out, the built dashboard is its server-drawn sign-in form; without a dashboard build (this test does
      // not make one), the short page saying Hami runs.
      expect(await app.text()).toMatch(/<title>(Sign in to )?Hami<\/title>/);
    } finally {
      await hami.stopAndClean();
    }
  });
});

describe('opting out /u/{token}', () => {
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami();
  });
  afterAll(() => hami.stopAndClean());

  test('GET only asks; the one-click POST suppresses the address, and the next event is skipped as opted out', async () => {
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', customer: { id: 'c-1', email: 'Quiet@Example.com' } });
    const token = invitationToken(hami.deps.secret, body.invitations[0].id);
    const ask = await fetch(`${hami.url}/u/${token}`);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Stop sending surveys to quiet@example.com?');
    expect(await hami.deps.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);

    const oneClick = await fetch(`${hami.url}/u/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await hami.deps.db.selectFrom('suppressions').select(['channel', 'address', 'reason']).execute()).toEqual([
      { channel: 'email', address: 'quiet@example.com', reason: 'opted_out' },
    ]);

    // Another customer record with the same address (a throttle would otherwise hide the reason).
    const next = await hami.postEvent({ type: 'purchase', id: 'o-2', customer: { id: 'c-2', email: 'quiet@example.com' } });
    expect(next.body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'opted_out' })]);
  });
});
