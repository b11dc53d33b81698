import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';

/** The hrefs of every link in an HTML mail, in document order. */
function links(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

describe('the survey loop, end to end over real SMTP', () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    hami = await startTestHami({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
  });

  test('a purchase event brings an email whose one-tap link records a detractor and opens a callback case', async () => {
    const posted = await hami.postEvent({
      type: 'purchase',
      id: 'order-5001',
      sendAt: 'now',
      customer: { id: 'cust-1', email: 'ana@example.com', name: 'Ana', locale: 'en' },
      attributes: { product: 'Laptop Pro', region: 'Shiraz' },
    });
    expect(posted.status).toBe(202);
    expect(posted.body.invitations).toEqual([expect.objectContaining({ channel: 'email', status: 'scheduled' })]);

    // The worker sends a due invitation within 2 seconds.
    const [mail] = await smtp.waitForMessages(1, 2000);
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toContain('ana@example.com');
    expect(mail!.subject).toBe('How was your order?');
    expect(mail!.text).toContain('How likely are you to recommend us');
    const html = String(mail!.html);
    const scoreLinks = links(html).filter((href) => href.includes('?score='));
    expect(scoreLinks.map((href) => new URL(href).searchParams.get('score'))).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    for (const href of scoreLinks) expect(mail!.text).toContain(href);
    const optOut = links(html).find((href) => href.includes('/u/'))!;
    const header = (name: string) => mail!.headerLines.find((h) => h.key === name)?.line;
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${optOut}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    // The customer taps 3.
    const tap = await fetch(scoreLinks[3]!, { redirect: 'manual' });
    expect(tap.status).toBe(303);
    const page = await fetch(new URL(tap.headers.get('location')!, hami.url));
    const pageHtml = await page.text();
    expect(page.status).toBe(200);
    expect(pageHtml).toContain('Thanks — your 3 is saved.');
    expect(pageHtml).toMatch(/<input type="radio" name="nps" value="3" checked/);

    // Then adds a reason on the page.
    const form = new URLSearchParams({ nps: '3', reason: 'The laptop arrived with a cracked screen.' });
    const submit = await fetch(scoreLinks[0]!.split('?')[0]!, { method: 'POST', body: form, redirect: 'manual' });
    expect(submit.status).toBe(303);

    const { db } = hami.deps;
    const response = await db.selectFrom('responses').selectAll().executeTakeFirstOrThrow();
    expect(response).toMatchObject({
      score: 3,
      bucket: 'detractor',
      survey_id: 'post-purchase',
      channel: 'email',
      locale: 'en',
      comment: 'The laptop arrived with a cracked screen.',
    });
    expect(JSON.parse(response.attributes)).toEqual({ product: 'Laptop Pro', region: 'Shiraz' });
    const history = await db
      .selectFrom('response_history')
      .select(['source', 'score'])
      .where('response_id', '=', response.id)
      .orderBy('recorded_at')
      .execute();
    expect(history).toEqual([
      { source: 'link', score: 3 },
      { source: 'form', score: 3 },
    ]);

    const callback = await db.selectFrom('callback_cases').selectAll().where('response_id', '=', response.id).executeTakeFirstOrThrow();
    expect(callback.status).toBe('open');
    expect(callback.owner_id).toBeNull();
    expect(new Date(callback.due_at).getTime() - new Date(response.answered_at).getTime()).toBe(24 * 3_600_000);

    const invitation = await db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
    expect(invitation.status).toBe('answered');
    expect(invitation.sent_at).not.toBeNull();
  });

  test('a Persian customer gets a right-to-left email with Persian digits, 0 written first so it sits at the right', async () => {
    const before = smtp.messages.length;
    await hami.postEvent({
      type: 'resolution',
      id: 'ticket-77',
      sendAt: 'now',
      customer: { id: 'cust-fa', email: 'sara@example.com', name: 'سارا', locale: 'fa' },
    });
    const to = (m: (typeof smtp.messages)[number]) => (m.to && 'text' in m.to ? m.to.text : '');
    await smtp.waitForMessages(before + 1, 2000);
    const mail = await eventually(() => smtp.messages.find((m) => to(m).includes('sara@example.com')));
    expect(mail.subject).toBe('رسیدگی ما به درخواست شما چطور بود؟');
    const html = String(mail.html);
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toMatch(/<table role="presentation" dir="rtl"/);
    const labels = [...html.matchAll(/\?score=(\d+)"[^>]*>\s*([^<\s]+)\s*</g)].map((m) => [m[1], m[2]]);
    expect(labels.slice(0, 3)).toEqual([
      ['0', '۰'],
      ['1', '۱'],
      ['2', '۲'],
    ]);
    expect(labels.at(-1)).toEqual(['10', '۱۰']);
    expect(mail.text).toContain('سارا عزیز');
  });
});
