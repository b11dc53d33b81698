import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NEW_DETRACTOR_JOB } from '../../server/callbacks/job-names.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { ANSWER_SETTLE_JOB } from '../../server/responses/record-answer.js';
import { SCANNER_WINDOW_MS } from '../../server/responses/one-tap.js';
import { ManualClock } from '../helpers/clock.js';
import { drainJobs, eventually, startTestHami, type TestHami } from '../helpers/hami.js';

/*
 * Mail scanners fetch every link of an email (GET and HEAD, all eleven ?score= links) within seconds; a person
 * taps one. The scanner must leave no answer and the invitation open; the person's tap counts at once.
 */
describe('one-tap links and mail scanners', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let hami: TestHami;
  let serial = 0;

  beforeAll(async () => {
    hami = await startTestHami({ clock, env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' } });
  });
  afterAll(() => hami.stopAndClean());

  async function newLink() {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `scan-${serial}`,
      sendAt: 'now',
      customer: { id: `scan-c-${serial}`, email: `scan${serial}@example.com` },
    });
    const invitationId: string = body.invitations[0].id;
    return { invitationId, url: `${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}` };
  }
  const tap = (url: string, score: number | string, method = 'GET') => fetch(`${url}?score=${score}`, { method, redirect: 'manual' });
  const responseOf = (invitationId: string) =>
    hami.deps.db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirst();
  const invitationOf = (invitationId: string) =>
    hami.deps.db.selectFrom('invitations').select(['status', 'answered_at']).where('id', '=', invitationId).executeTakeFirstOrThrow();
  const rollupResponses = async () =>
    Number(
      (
        await hami.deps.db
          .selectFrom('metric_rollups')
          .select((eb) => eb.fn.sum<number>('responses').as('n'))
          .where('dimension', '=', '')
          .executeTakeFirst()
      )?.n ?? 0,
    );
  const queued = (name: string) =>
    hami.deps.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('name', '=', name)
      .where('status', 'in', ['queued', 'running'])
      .execute();
  /** Every job of `name` ever queued, whatever became of it. */
  const jobsEverQueued = (name: string) =>
    hami.deps.db.selectFrom('jobs').select(['id', 'status']).where('name', '=', name).orderBy('id').execute();

  test('a scanner that fetches all eleven links with GET and HEAD within seconds records nothing and leaves the invitation open', async () => {
    const link = await newLink();
    const rollupsBefore = await rollupResponses();
    const alertsBefore = await jobsEverQueued(NEW_DETRACTOR_JOB);
    const settlesBefore = await jobsEverQueued(ANSWER_SETTLE_JOB);
    for (let score = 0; score <= 10; score++) {
      await tap(link.url, score, 'HEAD');
      const res = await tap(link.url, score);
      // Only the first tap looks like a person's (303 to the saved page); the rest just show the page.
      expect(res.status).toBe(score === 0 ? 303 : 200);
      clock.advance(300);
    }
    expect(await responseOf(link.invitationId)).toBeUndefined();
    expect(await invitationOf(link.invitationId)).toEqual({ status: 'opened', answered_at: null });
    expect(await rollupResponses()).toBe(rollupsBefore);
    // The first tap looked like a person's and queued a settle job; the second tap showed it was a scanner and took
    // it back, so none is left to record the answer late.
    expect(
      (await jobsEverQueued(ANSWER_SETTLE_JOB)).filter((j) => j.status !== 'cancelled' && !settlesBefore.some((b) => b.id === j.id)),
    ).toEqual([]);

    // Past the window nothing shows up late: no case, no alert, no answer.
    clock.advance(SCANNER_WINDOW_MS + 1000);
    await drainJobs(hami);
    expect(await responseOf(link.invitationId)).toBeUndefined();
    expect(
      await hami.deps.db
        .selectFrom('callback_cases')
        .select('id')
        .where('customer_id', 'in', hami.deps.db.selectFrom('invitations').select('customer_id').where('id', '=', link.invitationId))
        .execute(),
    ).toEqual([]);
    // No detractor alert was ever queued (its payload names a case, so it is counted, not searched for the link).
    expect(await jobsEverQueued(NEW_DETRACTOR_JOB)).toEqual(alertsBefore);

    // The person reads the mail later and taps 4: it counts.
    const person = await tap(link.url, 4);
    expect(person.status).toBe(303);
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 4, bucket: 'detractor' });
  });

  test('a scanner fetching all eleven links at the same moment records nothing either', async () => {
    const link = await newLink();
    const statuses = await Promise.all(Array.from({ length: 11 }, (_, score) => tap(link.url, score).then((r) => r.status)));
    expect(statuses.filter((s) => s === 303).length).toBeLessThanOrEqual(1);
    expect(await responseOf(link.invitationId)).toBeUndefined();
    expect(await invitationOf(link.invitationId)).toEqual({ status: 'opened', answered_at: null });
    expect((await queued(ANSWER_SETTLE_JOB)).filter((j) => j.payload.includes(link.invitationId))).toEqual([]);
  });

  test('HEAD never records, not even one', async () => {
    const link = await newLink();
    const res = await tap(link.url, 9, 'HEAD');
    expect(res.status).toBe(200);
    expect(await responseOf(link.invitationId)).toBeUndefined();
  });

  test("a person's single tap records at once; the callback case and the alert follow once the scanner window has passed", async () => {
    const link = await newLink();
    const res = await tap(link.url, 2);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\?saved=1$/);
    const response = (await responseOf(link.invitationId))!;
    expect(response).toMatchObject({ score: 2, bucket: 'detractor', answered_at: clock.now().toISOString() });
    expect((await invitationOf(link.invitationId)).status).toBe('answered');
    const page = await (await fetch(new URL(res.headers.get('location')!, hami.url))).text();
    expect(page).toContain('Thanks — your 2 is saved.');

    // The same tap again (a double tap, a reload) is no scanner: still one answer.
    clock.advance(1000);
    expect((await tap(link.url, 2)).status).toBe(303);
    expect(await hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', link.invitationId).execute()).toHaveLength(
      1,
    );

    const answeredAt = clock.now().getTime() - 1000;
    clock.advance(SCANNER_WINDOW_MS);
    hami.deps.jobQueued();
    const opened = await eventually(() =>
      hami.deps.db.selectFrom('callback_cases').selectAll().where('response_id', '=', response.id).executeTakeFirst(),
    );
    expect(opened.status).toBe('open');
    // Due a day after the tap, not after the window.
    expect(new Date(opened.due_at).getTime()).toBe(answeredAt + 24 * 3_600_000);
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 2 });
  });

  test('one score written in other digits or with a leading zero (9, 09, ۹, ٩) within the window is one person: recorded once, the case follows', async () => {
    const link = await newLink();
    for (const written of ['9', '09', encodeURIComponent('۹'), encodeURIComponent('٩'), encodeURIComponent('۰۹')]) {
      const res = await tap(link.url, written);
      expect(res.status, `?score=${decodeURIComponent(written)} is the same tap`).toBe(303);
      clock.advance(500);
    }
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 9, bucket: 'promoter' });
    expect(await hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', link.invitationId).execute()).toHaveLength(
      1,
    );
    expect((await invitationOf(link.invitationId)).status).toBe('answered');

    // And a detractor's 2 written as ۲ then 02 still opens the case once the window has passed.
    const detractor = await newLink();
    expect((await tap(detractor.url, encodeURIComponent('۲'))).status).toBe(303);
    clock.advance(1000);
    expect((await tap(detractor.url, '02')).status).toBe(303);
    const response = (await responseOf(detractor.invitationId))!;
    expect(response).toMatchObject({ score: 2 });
    clock.advance(SCANNER_WINDOW_MS);
    hami.deps.jobQueued();
    expect(
      (
        await eventually(() =>
          hami.deps.db.selectFrom('callback_cases').selectAll().where('response_id', '=', response.id).executeTakeFirst(),
        )
      ).status,
    ).toBe('open');
  });

  test('a person who taps and then sends the form within the window keeps the answer; a later different tap does not undo it', async () => {
    const link = await newLink();
    await tap(link.url, 3);
    const form = await fetch(link.url, {
      method: 'POST',
      body: new URLSearchParams({ nps: '3', reason: 'late delivery' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    // The form settled the answer at once: the case is there without waiting for the window.
    const response = (await responseOf(link.invitationId))!;
    expect(
      await hami.deps.db.selectFrom('callback_cases').select('status').where('response_id', '=', response.id).executeTakeFirst(),
    ).toEqual({ status: 'open' });
    clock.advance(2000);
    expect((await tap(link.url, 9)).status).toBe(200);
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 3, comment: 'late delivery' });
  });

  test('a person correcting a mis-tap (3, then 9) loses no answer: the page shows 9 chosen, and one button confirms it as their answer', async () => {
    const link = await newLink();
    expect((await tap(link.url, 3)).status).toBe(303);
    clock.advance(2000);
    const second = await tap(link.url, 9);
    // Two different taps within the window: the automatic answer is discarded, as for a scanner…
    expect(second.status).toBe(200);
    expect(await responseOf(link.invitationId)).toBeUndefined();
    // …but the page offers the last tap for confirmation, never an empty form that says "one moment".
    const html = await second.text();
    expect(html).toContain('Please confirm your answer');
    expect(html).toMatch(/<button type="submit" name="nps" value="9">Confirm 9<\/button>/);
    expect(html).toMatch(/name="nps" value="9" aria-pressed="true"/);
    expect(html.match(/aria-pressed="true"/g)).toHaveLength(1);
    expect(html).not.toMatch(/one moment/i);

    const confirmed = await fetch(link.url, {
      method: 'POST',
      body: new URLSearchParams({ 'hami-step': 'confirm', nps: '9' }),
      redirect: 'manual',
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toMatch(/\?saved=1$/);
    const response = (await responseOf(link.invitationId))!;
    expect(response).toMatchObject({ score: 9, bucket: 'promoter' });
    // A person's answer: nothing waits for a scanner window, and a further tap in the window cannot take it back.
    expect((await queued(ANSWER_SETTLE_JOB)).filter((j) => j.payload.includes(response.id))).toEqual([]);
    clock.advance(1000);
    await tap(link.url, 4);
    expect(await responseOf(link.invitationId)).toMatchObject({ score: 9 });
    const saved = await (await fetch(new URL(confirmed.headers.get('location')!, link.url))).text();
    expect(saved).toContain('Thanks — your 9 is saved.');
    expect(saved).toContain('name="reason"');
  });

  test('a detractor confirming a corrected tap gets the callback case at once, and another score on the confirmation page counts instead', async () => {
    const link = await newLink();
    await tap(link.url, 8);
    clock.advance(1500);
    const page = await (await tap(link.url, 2)).text();
    expect(page).toMatch(/name="nps" value="2" aria-pressed="true"/);
    // The person meant 1 after all: a number on the confirmation page is itself a send button.
    expect(page).toMatch(/<button type="submit" name="nps" value="1" aria-pressed="false">1<\/button>/);
    const res = await fetch(link.url, {
      method: 'POST',
      body: new URLSearchParams({ 'hami-step': 'confirm', nps: '1' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const response = (await responseOf(link.invitationId))!;
    expect(response).toMatchObject({ score: 1, bucket: 'detractor' });
    expect(
      await hami.deps.db.selectFrom('callback_cases').select('status').where('response_id', '=', response.id).executeTakeFirst(),
    ).toEqual({ status: 'open' });
  });

  test('the Persian confirmation names the score in Persian digits', async () => {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `scan-${serial}`,
      sendAt: 'now',
      customer: { id: `scan-c-${serial}`, email: `scan${serial}@example.com`, locale: 'fa' },
    });
    const url = `${hami.url}/s/${invitationToken(hami.deps.secret, body.invitations[0].id)}`;
    await tap(url, 3);
    clock.advance(1000);
    const html = await (await tap(url, 9)).text();
    expect(html).toContain('>تأیید ۹</button>');
    expect(html).toContain('لطفاً پاسخ خود را تأیید کنید');
  });

  test('two form submissions of one link at the same moment leave exactly one response, and the database refuses a second', async () => {
    const link = await newLink();
    const send = (nps: string) =>
      fetch(link.url, { method: 'POST', body: new URLSearchParams({ nps }), redirect: 'manual' }).then((r) => r.status);
    expect(await Promise.all([send('8'), send('9'), send('8'), send('9')])).toEqual([303, 303, 303, 303]);
    const rows = await hami.deps.db.selectFrom('responses').selectAll().where('invitation_id', '=', link.invitationId).execute();
    expect(rows).toHaveLength(1);
    // The constraint itself, not only the code: a second row for the invitation is refused by the database.
    await expect(
      hami.deps.db
        .insertInto('responses')
        .values({ ...rows[0]!, id: 'a-second-response' })
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });

  test('survey pages send Referrer-Policy: no-referrer (the URL carries the token)', async () => {
    const link = await newLink();
    for (const res of [
      await fetch(link.url),
      await tap(link.url, 'abc'),
      await fetch(`${hami.url}/s/AAAAAAAAAAAAAAAAAAAAAA`),
      await fetch(`${hami.url}/u/AAAAAAAAAAAAAAAAAAAAAA`),
    ]) {
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
