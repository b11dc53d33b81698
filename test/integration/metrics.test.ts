import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureRollupsCurrent, rebuildRollups } from '../../server/metrics/rollups.js';
import { rollupDays, scanDays } from '../../server/metrics/store.js';
import { npsTrend } from '../../server/metrics/trends.js';
import { recordAnswer } from '../../server/responses/record-answer.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import type { Answers } from '../../shared/answers.js';
import type { MetricsFilter, NpsTrendBody } from '../../shared/api/metrics.js';
import { HOUR, MINUTE, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { prng } from '../helpers/prng.js';
import { ADMIN, signIn, signInAgain, type StaffClient } from '../helpers/staff.js';

/** Numbers rounded as the hand computations in the comments are. */
const round = (value: number | null, places = 2) => (value === null ? null : Number(value.toFixed(places)));

describe('metrics API on hand-built data', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-11-03T09:00:00Z');
  const responseIds: Record<string, string> = {};
  let serial = 0;

  /** An event through the API, sent by the worker, answered at `at` through recordAnswer (the one path of every answer). */
  async function answered(
    label: string,
    at: string,
    event: { type?: 'purchase' | 'resolution'; locale: 'en' | 'fa'; sms?: boolean; attributes: Record<string, string>; name?: string },
    answers: Answers,
  ) {
    serial++;
    clock.set(at);
    const customer = {
      id: `m-${serial}`,
      name: event.name ?? `Customer ${serial}`,
      locale: event.locale,
      ...(event.sms ? { phone: `+98912000${String(serial).padStart(4, '0')}` } : { email: `m${serial}@example.com` }),
    };
    const { body } = await hami.postEvent({
      type: event.type ?? 'purchase',
      id: `mo-${serial}`,
      sendAt: 'now',
      customer,
      attributes: event.attributes,
    });
    const invitationId: string = body.invitations[0].id;
    const invitation = await eventually(() =>
      hami.deps.db.selectFrom('invitations').selectAll().where('id', '=', invitationId).where('sent_at', 'is not', null).executeTakeFirst(),
    );
    clock.advance(HOUR);
    const survey = hami.deps.surveys.byId(invitation.survey_id)!;
    const recorded = await recordAnswer(hami.deps.db, { invitation, survey, answers, source: 'form', now: clock.now() });
    responseIds[label] = recorded.responseId;
    return invitation;
  }

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    // Week of Monday 2026-11-02, answered on 11-03
    await answered(
      '1',
      '2026-11-03T09:00:00Z',
      { locale: 'en', attributes: { product: 'phone', region: 'north', coupon: 'yes' } },
      { nps: 10 },
    );
    await answered(
      '2',
      '2026-11-03T10:00:00Z',
      { locale: 'en', attributes: { product: 'phone', region: 'south', coupon: 'yes' } },
      { nps: 9 },
    );
    await answered(
      '3',
      '2026-11-03T11:00:00Z',
      { locale: 'fa', attributes: { product: 'laptop', region: 'north' } },
      { nps: 3, reason: 'ارسال خیلی دیر بود' },
    );
    await answered('4', '2026-11-03T12:00:00Z', { locale: 'fa', attributes: { product: 'laptop', region: 'north' } }, { nps: 8 });
    // Week of Monday 2026-11-09, answered on 11-10
    await answered(
      '5',
      '2026-11-10T09:00:00Z',
      { locale: 'en', attributes: { product: 'phone', region: 'north' }, name: 'Ali Rezaei' },
      { nps: 6, reason: 'Delivery was late' },
    );
    await answered(
      '6',
      '2026-11-10T10:00:00Z',
      { locale: 'fa', sms: true, attributes: { product: 'phone', region: 'south' } },
      { nps: 10 },
    );
    await answered(
      '7',
      '2026-11-10T11:00:00Z',
      { type: 'resolution', locale: 'en', attributes: { agent: 'Sara', product: 'phone', region: 'north' } },
      { csat: 5, solved: true, nps: 7 },
    );
    await answered(
      '8',
      '2026-11-10T12:00:00Z',
      { type: 'resolution', locale: 'fa', attributes: { agent: 'Reza', product: 'laptop', region: 'south' } },
      { csat: 2, solved: false, nps: 2, reason: 'The delivery was late and support slow' },
    );
    // Planned and sent but never answered; the customer opens the page.
    clock.set('2026-11-10T13:00:00Z');
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: 'mo-unanswered',
      sendAt: 'now',
      customer: { id: 'm-unanswered', email: 'u@example.com', locale: 'en' },
    });
    await eventually(() =>
      hami.deps.db
        .selectFrom('invitations')
        .select('id')
        .where('id', '=', body.invitations[0].id)
        .where('sent_at', 'is not', null)
        .executeTakeFirst(),
    );
    await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, body.invitations[0].id)}`);
    // Skipped (no address): never meant to go, not in the funnel.
    const skipped = await hami.postEvent({
      type: 'purchase',
      id: 'mo-skipped',
      sendAt: 'now',
      customer: { id: 'm-skipped', locale: 'en' },
    });
    expect(skipped.body.invitations[0].status).toBe('skipped');
    // Customer 3 changes their mind on 11-12: 3 → 9 (the response stays on its first day, 11-03).
    clock.set('2026-11-12T09:00:00Z');
    const three = await hami.deps.db
      .selectFrom('responses')
      .select('invitation_id')
      .where('id', '=', responseIds['3']!)
      .executeTakeFirstOrThrow();
    const invitation = await hami.deps.db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', three.invitation_id)
      .executeTakeFirstOrThrow();
    await recordAnswer(hami.deps.db, {
      invitation,
      survey: hami.deps.surveys.byId('post-purchase')!,
      answers: { nps: 9 },
      source: 'form',
      now: clock.now(),
    });
    // Care recorded root causes on the detractors' cases.
    for (const [label, reason] of [
      ['5', 'shipping_delay'],
      ['8', 'support_response'],
    ] as const) {
      await hami.deps.db.updateTable('callback_cases').set({ reason }).where('response_id', '=', responseIds[label]!).execute();
    }
    admin = await signInAgain(hami, admin);
  });
  afterAll(async () => {
    await hami.stopAndClean();
  });

  const RANGE = 'from=2026-11-02&to=2026-11-15';
  const get = (path: string) => admin.call('GET', path);

  test('weekly NPS: hand-computed counts, NPS and margin per week, no significance below 30 answers', async () => {
    const res = await get(`/api/metrics/nps?${RANGE}&interval=week`);
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('rollup');
    // Margins are adjusted-Wald: n′ = n + 3, p′ = (count + ¾)/n′ for promoters and detractors.
    // week 11-02: 10, 9, 9 (changed from 3), 8 → 3P 1Pa 0D, NPS 75; p′P = 3.75/7, p′D = 0.75/7
    //   MoE = 1.96 × sqrt((0.642857 − 0.428571²)/7) × 100 = 1.96 × sqrt(0.065598) × 100 = 50.20
    // week 11-09: 6, 10, 7, 2 → 1P 1Pa 2D, NPS −25; p′P = 1.75/7, p′D = 2.75/7
    //   MoE = 1.96 × sqrt((0.642857 − 0.142857²)/7) × 100 = 1.96 × sqrt(0.088921) × 100 = 58.45
    expect(
      res.body.points.map((p: NpsTrendBody['points'][number]) => [
        p.start,
        p.n,
        p.promoters,
        p.passives,
        p.detractors,
        round(p.nps),
        round(p.marginOfError),
        p.significant,
      ]),
    ).toEqual([
      ['2026-11-02', 4, 3, 1, 0, 75, 50.2, false],
      ['2026-11-09', 4, 1, 1, 2, -25, 58.45, false],
    ]);
    // total: 4P 2Pa 2D of 8 → NPS 25; n′ = 11, p′P = 4.75/11, p′D = 2.75/11
    //   MoE = 1.96 × sqrt((0.681818 − 0.181818²)/11) × 100 = 1.96 × sqrt(0.058978) × 100 = 47.60
    expect(res.body.total).toMatchObject({ n: 8, promoters: 4, passives: 2, detractors: 2, nps: 25 });
    expect(round(res.body.total.marginOfError)).toBe(47.6);
  });

  test('daily points include the empty days with n 0; months by the Jalali calendar', async () => {
    const daily = await get(`/api/metrics/nps?${RANGE}&interval=day`);
    expect(daily.body.points).toHaveLength(14);
    expect(daily.body.points.filter((p: { n: number }) => p.n > 0).map((p: { start: string }) => p.start)).toEqual([
      '2026-11-03',
      '2026-11-10',
    ]);
    expect(daily.body.points[0]).toMatchObject({ start: '2026-11-02', n: 0, nps: null, marginOfError: null, significant: false });
    // Aban 1405 runs 2026-10-23 … 2026-11-21: the whole range is one Jalali month
    const jalali = await get(`/api/metrics/nps?${RANGE}&interval=month&calendar=jalali`);
    expect(jalali.body.points.map((p: { start: string; n: number }) => [p.start, p.n])).toEqual([['2026-10-23', 8]]);
  });

  test.each([
    ['survey=post-purchase', 'rollup', 6, 50], // 10, 9, 9, 8, 6, 10 → 4P 1Pa 1D → (4 − 1)/6 = 50
    ['channel=sms', 'rollup', 1, 100], // 10
    ['locale=fa', 'rollup', 4, 25], // 9, 8, 10, 2 → 2P 1Pa 1D → 25
    ['attr.region=north', 'rollup', 5, 20], // every survey rolls region up: 10, 9, 8, 6, 7 → 2P 2Pa 1D → 20
    ['survey=post-purchase&attr.product=phone', 'rollup', 4, 50], // 10, 9, 6, 10 → 3P 1D → 50
    ['attr.product=phone', 'scan', 5, 40], // follow-up does not roll product up: 10, 9, 6, 10, 7 → 3P 1Pa 1D → 40
    ['attr.agent=Sara', 'scan', 1, 0], // 7
    ['attr.coupon=yes', 'scan', 2, 100], // not a dimension anywhere: 10, 9
    ['attr.product=laptop&attr.region=south', 'scan', 1, -100], // two attributes: 2
    ['survey=post-purchase&attr.region=east', 'rollup', 0, null],
  ])('filter %s answers from the %s: n %i, NPS %s', async (query, source, n, nps) => {
    const res = await get(`/api/metrics/nps?${RANGE}&${query}`);
    expect(res.status).toBe(200);
    expect(res.body.source).toBe(source);
    expect(res.body.total.n).toBe(n);
    expect(round(res.body.total.nps)).toBe(nps);
  });

  test('satisfaction: CSAT share of 4–5, solved rate, and CES null without CES answers', async () => {
    const res = await get(`/api/metrics/satisfaction?${RANGE}&interval=week`);
    expect(res.status).toBe(200);
    // CSAT 5 and 2 → 1 of 2 satisfied = 50%; solved yes and no → 50%
    // each with its 95% Wilson interval: 1 of 2 is 9.45–90.55%, never "50% ± 0"
    expect(res.body.total).toMatchObject({ csatN: 2, csat: 50, cesN: 0, ces: null, solvedN: 2, solvedRate: 50 });
    expect([round(res.body.total.csatInterval.low), round(res.body.total.csatInterval.high)]).toEqual([9.45, 90.55]);
    expect([round(res.body.total.solvedInterval.low), round(res.body.total.solvedInterval.high)]).toEqual([9.45, 90.55]);
    expect(res.body.points[0]).toEqual({
      start: '2026-11-02',
      csatN: 0,
      csat: null,
      csatInterval: null,
      cesN: 0,
      ces: null,
      solvedN: 0,
      solvedRate: null,
      solvedInterval: null,
    });
    const sara = await get(`/api/metrics/satisfaction?${RANGE}&attr.agent=Sara`);
    expect(sara.body).toMatchObject({ source: 'scan', total: { csatN: 1, csat: 100, solvedN: 1, solvedRate: 100 } });
  });

  test('summary: distribution, responses and the invitation funnel', async () => {
    const res = await get(`/api/metrics/summary?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body.distribution).toEqual([0, 0, 1, 0, 0, 0, 1, 1, 1, 2, 2]);
    expect(res.body.responses).toBe(8);
    expect(res.body.nps).toMatchObject({ n: 8, nps: 25 });
    expect(res.body.satisfaction).toMatchObject({ csat: 50 });
    // 9 planned (skipped one left out), all sent, 8 answered + 1 opened, 8 / 9 answered = 88.89%
    expect(res.body.funnel).toMatchObject({ planned: 9, sent: 9, opened: 9, answered: 8 });
    expect(round(res.body.funnel.responseRate)).toBe(88.89);
    // attribute filters apply to the funnel too (event attributes): coupon=yes → the first two
    const coupon = await get(`/api/metrics/summary?${RANGE}&attr.coupon=yes`);
    expect(coupon.body.funnel).toEqual({ planned: 2, sent: 2, opened: 2, answered: 2, responseRate: 100 });
    const lastWeek = await get('/api/metrics/summary?from=2026-11-09&to=2026-11-15&survey=post-resolution');
    expect(lastWeek.body.funnel).toMatchObject({ planned: 2, answered: 2 });
  });

  test("reasons: a Pareto of detractor case causes and their comments' keywords, a changed answer no longer counted", async () => {
    const res = await get(`/api/metrics/reasons?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body.categories).toEqual([
      { reason: 'shipping_delay', count: 1, cumulativeShare: 0.5 },
      { reason: 'support_response', count: 1, cumulativeShare: 1 },
    ]);
    // customer 3's Persian comment left with their detractor score
    expect(res.body.keywords).toEqual([
      { word: 'delivery', count: 2 },
      { word: 'late', count: 2 },
      { word: 'slow', count: 1 },
      { word: 'support', count: 1 },
    ]);
    expect(res.body.source).toBe('scan');
  });

  test('comments: newest first with the customer name, substring search, limit', async () => {
    const res = await get(`/api/metrics/comments?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { comment: string }) => i.comment)).toEqual([
      'The delivery was late and support slow',
      'Delivery was late',
      'ارسال خیلی دیر بود',
    ]);
    expect(res.body.items[1]).toMatchObject({
      responseId: responseIds['5'],
      customerName: 'Ali Rezaei',
      surveyId: 'post-purchase',
      channel: 'email',
      locale: 'en',
      score: 6,
      bucket: 'detractor',
      answeredAt: '2026-11-10T10:00:00.000Z',
    });
    const late = await get(`/api/metrics/comments?${RANGE}&q=LATE&limit=1`);
    expect(late.body.items.map((i: { responseId: string }) => i.responseId)).toEqual([responseIds['8']]);
    expect((await get(`/api/metrics/comments?${RANGE}&q=${encodeURIComponent('%')}`)).body.items).toEqual([]);
    expect((await get(`/api/metrics/comments?${RANGE}&q=${encodeURIComponent('دیر')}`)).body.items).toHaveLength(1);
    expect(
      (await get(`/api/metrics/comments?${RANGE}&attr.region=south`)).body.items.map((i: { responseId: string }) => i.responseId),
    ).toEqual([responseIds['8']]);
  });

  test('filters: surveys, channels, locales and each dimension with the values seen', async () => {
    const res = await get('/api/metrics/filters');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      surveys: ['follow-up', 'post-purchase', 'post-resolution', 'relationship'],
      channels: ['email', 'sms', 'bale'],
      locales: ['en', 'fa'],
      dimensions: { agent: ['Reza', 'Sara'], product: ['laptop', 'phone'], region: ['north', 'south'] },
    });
  });

  test.each([
    ['/api/metrics/nps?to=2026-11-15', 'from'],
    ['/api/metrics/nps?from=2026-11-02', 'to'],
    ['/api/metrics/summary?from=2026-13-01&to=2026-11-15', 'from'],
    ['/api/metrics/nps?from=2026-11-02&to=2026-02-30', 'to'],
    ['/api/metrics/nps?from=2026-11-15&to=2026-11-02', 'to'],
    ['/api/metrics/nps?from=2020-01-01&to=2026-11-02', 'from'],
    [`/api/metrics/nps?${RANGE}&interval=year`, 'interval'],
    [`/api/metrics/satisfaction?${RANGE}&calendar=lunar`, 'calendar'],
    [`/api/metrics/nps?${RANGE}&channel=fax`, 'channel'],
    [`/api/metrics/nps?${RANGE}&locale=de`, 'locale'],
    [`/api/metrics/nps?${RANGE}&survey=Bad_Id`, 'survey'],
    [`/api/metrics/comments?${RANGE}&limit=101`, 'limit'],
    [`/api/metrics/comments?${RANGE}&limit=ten`, 'limit'],
    [`/api/metrics/reasons`, 'from'],
  ])('%s → 400 naming %s', async (path, field) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', field });
    expect(res.body.error.message).toContain(field);
  });

  test('rebuilding from the responses gives the rows the incremental updates wrote', async () => {
    const before = await hami.deps.db.selectFrom('metric_rollups').selectAll().execute();
    await rebuildRollups(hami.deps.db, hami.deps.surveys.all);
    const after = await hami.deps.db.selectFrom('metric_rollups').selectAll().execute();
    expect(sortRows(after)).toEqual(sortRows(before));
  });
});

type Row = Record<string, string | number>;
const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('rollups stay exact', () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-09-01T08:00:00Z');
  beforeAll(async () => {
    hami = await startTestHami({ clock });
  });
  afterAll(async () => {
    await hami.stopAndClean();
  });

  test('rollups equal a full recomputation after random inserts and changes', { timeout: 60_000 }, async () => {
    const random = prng(20261123);
    const db = hami.deps.db;
    const surveys = hami.deps.surveys;
    const surveyIds = ['post-purchase', 'post-resolution', 'follow-up'] as const;

    function randomAnswers(surveyId: string): Answers {
      const answers: Answers = {};
      if (surveyId !== 'follow-up' && random.chance(0.9)) answers.nps = random.int(0, 10);
      if (surveyId === 'post-resolution' && random.chance(0.7)) answers.csat = random.int(1, 5);
      if (surveyId !== 'post-purchase' && random.chance(0.7)) answers.solved = random.chance(0.6);
      if (surveyId !== 'follow-up' && random.chance(0.3)) answers.reason = random.pick(['late', 'broken', 'great', 'دیر رسید']);
      if (surveyId === 'follow-up' && random.chance(0.3)) answers.comment = 'ok';
      return answers;
    }

    const invitations = [];
    for (let i = 0; i < 300; i++) {
      const now = new Date(Date.parse('2026-09-01T08:00:00Z') + random.int(0, 60 * 48) * 30 * MINUTE);
      const customerAttributes: Record<string, string | number | boolean> = {};
      if (random.chance(0.8)) customerAttributes.region = random.pick(['north', 'south', 'east']);
      if (random.chance(0.3)) customerAttributes.tier = random.pick([1, 2, true]);
      const customerId = randomUUID();
      await db
        .insertInto('customers')
        .values({
          id: customerId,
          external_id: `r-${i}`,
          email: `r${i}@example.com`,
          locale: random.pick(['en', 'fa']),
          attributes: JSON.stringify(customerAttributes),
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      const eventId = randomUUID();
      const eventAttributes: Record<string, string | number> = {};
      if (random.chance(0.8)) eventAttributes.product = random.pick(['p1', 'p2', 'p3']);
      if (random.chance(0.5)) eventAttributes.agent = random.pick(['Sara', 'Reza']);
      if (random.chance(0.2)) eventAttributes.region = random.pick(['north', 'west']); // the event's own wins
      await db
        .insertInto('events')
        .values({
          id: eventId,
          type: 'purchase',
          external_id: `re-${i}`,
          customer_id: customerId,
          occurred_at: now.toISOString(),
          requested_send_at: null,
          attributes: JSON.stringify(eventAttributes),
          received_at: now.toISOString(),
        })
        .execute();
      const invitation = {
        id: randomUUID(),
        event_id: eventId,
        customer_id: customerId,
        survey_id: random.pick(surveyIds),
        channel: random.pick(['email', 'sms'] as const),
        status: 'sent' as const,
        locale: random.pick(['en', 'fa']),
        token_hash: randomUUID(),
        send_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 30 * 24 * HOUR).toISOString(),
        sent_at: now.toISOString(),
        created_at: now.toISOString(),
      };
      await db.insertInto('invitations').values(invitation).execute();
      const row = await db.selectFrom('invitations').selectAll().where('id', '=', invitation.id).executeTakeFirstOrThrow();
      await recordAnswer(db, {
        invitation: row,
        survey: surveys.byId(row.survey_id)!,
        answers: randomAnswers(row.survey_id),
        source: 'form',
        now: new Date(now.getTime() + HOUR),
      });
      invitations.push({ row, answeredAt: now.getTime() + HOUR });
    }
    // Changes: new scores (3 → 9 and back), CSAT and solved flipped, questions answered later, several times over.
    for (let i = 0; i < 250; i++) {
      const { row, answeredAt } = random.pick(invitations);
      await recordAnswer(db, {
        invitation: row,
        survey: surveys.byId(row.survey_id)!,
        answers: randomAnswers(row.survey_id),
        source: 'form',
        now: new Date(answeredAt + random.int(1, 72) * HOUR),
      });
    }

    const incremental = await db.selectFrom('metric_rollups').selectAll().execute();
    expect(incremental.length).toBeGreaterThan(300);
    expect(incremental.every((r) => r.responses > 0 && Object.values(r).every((v) => typeof v !== 'number' || v >= 0))).toBe(true);

    // The rollup-sourced answers equal the scan-sourced ones for every filter the rollups serve.
    const base: MetricsFilter = { from: '2026-09-01', to: '2026-10-31', attributes: {} };
    const filters: { filter: MetricsFilter; dimension: string; value: string }[] = [
      { filter: base, dimension: '', value: '' },
      { filter: { ...base, channel: 'sms', locale: 'fa' }, dimension: '', value: '' },
      { filter: { ...base, survey: 'post-resolution', from: '2026-09-10', to: '2026-09-20' }, dimension: '', value: '' },
      { filter: { ...base, attributes: { region: 'north' } }, dimension: 'region', value: 'north' },
      { filter: { ...base, attributes: { region: 'west' }, survey: 'follow-up' }, dimension: 'region', value: 'west' },
      { filter: { ...base, attributes: { product: 'p2' }, survey: 'post-purchase' }, dimension: 'product', value: 'p2' },
      {
        filter: { ...base, attributes: { agent: 'Sara' }, survey: 'post-resolution', channel: 'email' },
        dimension: 'agent',
        value: 'Sara',
      },
    ];
    for (const { filter, dimension, value } of filters) {
      const fromRollups = await rollupDays(db, filter, dimension, value);
      const fromScan = await scanDays(db, surveys, filter);
      expect(fromRollups).toEqual(fromScan);
      expect(fromScan.length).toBeGreaterThan(0);
      const range = { from: filter.from, to: filter.to, interval: 'week', calendar: 'jalali' } as const;
      expect(npsTrend(fromRollups, range)).toEqual(npsTrend(fromScan, range));
    }
    // …and through the API: a rolled-up filter and the same numbers by a scan
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const api = await admin.call('GET', '/api/metrics/nps?from=2026-09-01&to=2026-10-31&interval=month&attr.region=north');
    expect(api.body.source).toBe('rollup');
    expect(api.body).toEqual({
      ...npsTrend(await scanDays(db, surveys, { ...base, attributes: { region: 'north' } }), {
        from: base.from,
        to: base.to,
        interval: 'month',
        calendar: 'gregorian',
      }),
      source: 'rollup',
    });
    expect(api.body.total.n).toBeGreaterThan(0);

    await rebuildRollups(db, surveys.all);
    const rebuilt = await db.selectFrom('metric_rollups').selectAll().execute();
    expect(sortRows(rebuilt)).toEqual(sortRows(incremental));
  });

  test('start-up recomputes the rollups when they were made for other survey definitions, and only then', async () => {
    const db = hami.deps.db;
    const before = sortRows(await db.selectFrom('metric_rollups').selectAll().execute());
    expect(await ensureRollupsCurrent(db, hami.deps.surveys.all)).toBe(false);
    // As after upgrading a database from before rollups: rows missing, no definition stored.
    await db.deleteFrom('metric_rollups').execute();
    await db.deleteFrom('metric_rollup_state').execute();
    expect(await ensureRollupsCurrent(db, hami.deps.surveys.all)).toBe(true);
    expect(sortRows(await db.selectFrom('metric_rollups').selectAll().execute())).toEqual(before);
    // A survey file that rolls up one more attribute gets its rows for the old responses too.
    const wider = hami.deps.surveys.all.map((s) => (s.id === 'post-purchase' ? { ...s, dimensions: [...s.dimensions, 'agent'] } : s));
    expect(await ensureRollupsCurrent(db, wider)).toBe(true);
    const agentRows = await db
      .selectFrom('metric_rollups')
      .select('dimension')
      .where('survey_id', '=', 'post-purchase')
      .where('dimension', '=', 'agent')
      .execute();
    expect(agentRows.length).toBeGreaterThan(0);
    expect(await ensureRollupsCurrent(db, hami.deps.surveys.all)).toBe(true);
  });
});
