import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../server/cli.js';
import { recordAnswer } from '../../server/responses/record-answer.js';
import type { Answers } from '../../shared/answers.js';
import type { ThemeDictionaryBody, ThemeImpactBody } from '../../shared/api/themes.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { runHamiCommand } from '../helpers/run-cli.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';

/*
 * Comment themes end to end: comments recorded through the answer path are tagged in its transaction, the views read
 * the counts (rollups, or a scan with an attribute filter), and a dictionary change reaches history only by a re-tag.
 * Uses the built-in themes 'delivery' and 'price' and a theme of the admin's own.
 */

describe('comment themes', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-11-03T09:00:00Z');
  let serial = 0;
  const range = 'from=2026-11-01&to=2026-11-30';

  async function answered(at: string, locale: 'en' | 'fa', answers: Answers) {
    serial++;
    clock.set(at);
    const customer = { id: `t-${serial}`, name: `Customer ${serial}`, locale, email: `t${serial}@example.com` };
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `to-${serial}`,
      sendAt: 'now',
      customer,
      attributes: { product: 'phone' },
    });
    const invitation = await eventually(() =>
      hami.deps.db
        .selectFrom('invitations')
        .selectAll()
        .where('id', '=', body.invitations[0].id)
        .where('sent_at', 'is not', null)
        .executeTakeFirst(),
    );
    clock.advance(HOUR);
    return recordAnswer(hami.deps.db, {
      invitation,
      survey: hami.deps.surveys.byId(invitation.survey_id)!,
      answers,
      source: 'form',
      now: clock.now(),
    });
  }

  const impact = async (query = '') => (await admin.call('GET', `/api/metrics/themes?${range}${query}`)).body as ThemeImpactBody;
  const themeOf = (body: ThemeImpactBody, id: string) => body.themes.find((t) => t.id === id);
  const dictionary = async () => (await admin.call('GET', '/api/themes')).body as ThemeDictionaryBody;

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    // Week of 2026-11-02
    await answered('2026-11-03T09:00:00Z', 'en', { nps: 2, reason: 'Delivery was late' });
    // Typed with Arabic letters (ي in خيلي and دير): tagged as if typed in Persian.
    await answered('2026-11-03T11:00:00Z', 'fa', { nps: 3, reason: 'ارسال خيلي دير بود' });
    await answered('2026-11-03T13:00:00Z', 'fa', { nps: 9, reason: 'قيمت مناسب بود' });
    // Week of 2026-11-09
    await answered('2026-11-10T09:00:00Z', 'en', { nps: 10, reason: 'Great price' });
    await answered('2026-11-10T10:00:00Z', 'en', { nps: 8 });
    await answered('2026-11-10T11:00:00Z', 'en', { nps: 6, reason: 'The box came open' });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await hami?.stopAndClean();
  });

  test('each theme: its comments, share of each bucket and its effect on NPS', async () => {
    const body = await impact();
    expect(body.source).toBe('rollup');
    // 6 answers: promoters 9, 10; passive 8; detractors 2, 3, 6 → NPS (2 − 3) / 6 = −16.67. Five commented.
    expect(body.overall).toMatchObject({ n: 6, promoters: 2, passives: 1, detractors: 3 });
    expect(body.commenters).toMatchObject({ n: 5, promoters: 2, passives: 0, detractors: 3 });
    const delivery = themeOf(body, 'delivery')!;
    expect(delivery.label.en).toBeTruthy();
    expect(delivery.count).toBe(2);
    expect(delivery.shareOf).toEqual({ detractors: 2 / 3, passives: 0, promoters: 0 });
    expect(delivery.withTheme).toMatchObject({ n: 2, nps: -100 });
    // Everyone else: 9, 10, 8, 6 → (2 − 1) / 4 = 25; effect −16.67 − 25 = −41.67.
    expect(delivery.effect!.points).toBeCloseTo(-100 / 6 - 25, 6);
    expect(delivery.effect!.significant).toBe(false);
    const price = themeOf(body, 'price')!;
    expect(price.count).toBe(2);
    expect(price.withTheme).toMatchObject({ n: 2, nps: 100 });
    // Biggest |effect| first.
    const effects = body.themes.filter((t) => t.effect).map((t) => Math.abs(t.effect!.points));
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
  });

  test('a filter on an attribute counts by scanning the responses, with the same numbers', async () => {
    const rollup = await impact();
    const scan = await impact('&attr.product=phone');
    expect(scan.source).toBe('scan');
    expect({ ...scan, source: 'rollup' }).toEqual(rollup);
    const none = await impact('&attr.product=laptop');
    expect(none.overall.n).toBe(0);
    expect(themeOf(none, 'delivery')!.count).toBe(0);
  });

  test('the trend counts mentions per week, and as a share of the week’s commenters', async () => {
    const { body } = await admin.call('GET', `/api/metrics/themes/trend?${range}&interval=week&theme=delivery&theme=price`);
    expect(body.periods.slice(0, 2)).toEqual(['2026-10-26', '2026-11-02']);
    const week = (start: string) => body.periods.indexOf(start);
    expect(body.commenters[week('2026-11-02')]).toBe(3);
    expect(body.commenters[week('2026-11-09')]).toBe(2);
    expect(body.themes.map((t: { id: string }) => t.id)).toEqual(['delivery', 'price']);
    const [delivery, price] = body.themes;
    expect(delivery.counts[week('2026-11-02')]).toBe(2);
    expect(delivery.shares[week('2026-11-02')]).toBeCloseTo(2 / 3, 10);
    expect(price.counts[week('2026-11-09')]).toBe(1);
    expect(price.shares[week('2026-11-09')]).toBe(0.5);
    expect(delivery.shares[week('2026-10-26')]).toBeNull();
    const scan = await admin.call('GET', `/api/metrics/themes/trend?${range}&interval=week&theme=delivery&theme=price&attr.product=phone`);
    expect({ ...scan.body, source: 'rollup' }).toEqual(body);
  });

  test('comments?theme= lists the comments tagged with it (with their cases), and combines with q', async () => {
    const { body } = await admin.call('GET', `/api/metrics/comments?${range}&theme=delivery`);
    expect(body.items.map((i: { comment: string }) => i.comment).sort()).toEqual(['Delivery was late', 'ارسال خيلي دير بود'].sort());
    // Detractors' answers opened callback cases: the comment links to its case.
    for (const item of body.items) expect(item.caseId).toEqual(expect.any(String));
    const late = await admin.call('GET', `/api/metrics/comments?${range}&theme=delivery&q=late`);
    expect(late.body.items.map((i: { comment: string }) => i.comment)).toEqual(['Delivery was late']);
  });

  test('bad input is refused naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', `/api/metrics/comments?${range}&theme=Not%20an%20id`, undefined, 'theme'],
      ['GET', `/api/metrics/themes/trend?${range}&theme=BAD`, undefined, 'theme'],
      ['GET', '/api/metrics/themes?from=2026-11-01', undefined, 'to'],
      ['PUT', '/api/themes/price', { label: { en: 'Price', fa: '' }, terms: { en: ['price'], fa: [] }, enabled: true }, 'label.fa'],
      [
        'PUT',
        '/api/themes/price',
        { label: { en: 'Price', fa: 'قیمت' }, terms: { en: Array.from({ length: 51 }, (_, i) => `w${i}`), fa: [] } },
        'terms.en',
      ],
      ['PUT', '/api/themes/price', { label: { en: 'Price', fa: 'قیمت' }, terms: { en: ['x'.repeat(61)], fa: [] } }, 'terms.en.0'],
      ['POST', '/api/themes', { id: 'Bad Id', label: { en: 'A', fa: 'ب' }, terms: { en: ['a'], fa: [] } }, 'id'],
    ];
    for (const [method, path, payload, field] of cases) {
      const res = await admin.call(method, path, payload);
      expect(res.status, path).toBe(400);
      expect(res.body.error.field, path).toBe(field);
    }
    expect(
      (await admin.call('POST', '/api/themes', { id: 'price', label: { en: 'A', fa: 'ب' }, terms: { en: ['a'], fa: [] } })).status,
    ).toBe(409);
    expect(
      (await admin.call('PUT', '/api/themes/no-such-theme', { label: { en: 'A', fa: 'ب' }, terms: { en: ['a'], fa: [] } })).status,
    ).toBe(404);
  });

  test('marketing and care read the themes; only an admin edits the dictionary', async () => {
    const edit = { label: { en: 'Price', fa: 'قیمت' }, terms: { en: ['price'], fa: ['قیمت'] }, enabled: true };
    for (const role of ['marketing', 'care'] as const) {
      const member = await staffMember(hami, admin, role);
      expect((await member.call('GET', `/api/metrics/themes?${range}`)).status).toBe(200);
      expect((await member.call('GET', '/api/themes')).status).toBe(200);
      expect((await member.call('PUT', '/api/themes/price', edit)).status).toBe(403);
      expect((await member.call('POST', '/api/themes/retag')).status).toBe(403);
    }
    // A change without the CSRF token is refused like every staff write.
    expect((await admin.call('PUT', '/api/themes/price', edit, { csrf: null })).status).toBe(403);
  });

  test('a dictionary change tags nothing until history is re-tagged; then the counts follow it', async () => {
    expect((await dictionary()).stale).toBe(false);
    const created = await admin.call('POST', '/api/themes', {
      id: 'box-issue',
      label: { en: 'Box', fa: 'جعبه' },
      terms: { en: ['box'], fa: ['جعبه'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.stale).toBe(true);
    expect(created.body.themes.find((t: { id: string }) => t.id === 'box-issue')).toMatchObject({ builtIn: false, enabled: true });
    const off = await admin.call('PUT', '/api/themes/price', {
      label: { en: 'Price', fa: 'قیمت' },
      terms: { en: ['price'], fa: ['قیمت'] },
      enabled: false,
    });
    expect(off.status).toBe(200);

    // Recorded after the change but before a re-tag: tagged with the dictionary history has, so counts do not mix.
    clock.advance(HOUR);
    await answered('2026-11-10T15:00:00Z', 'fa', { nps: 4, reason: 'جعبه پاره بود و قيمت بالا' });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    let body = await impact();
    expect(themeOf(body, 'box-issue')!.count).toBe(0);
    expect(themeOf(body, 'price')).toBeUndefined();

    const started = await admin.call('POST', '/api/themes/retag');
    expect(started.status).toBe(202);
    expect(started.body.retag.total).toBe(7);
    const done = await eventually(async () => {
      const d = await dictionary();
      return d.stale === false && d.retag === null && d;
    });
    expect(done.retaggedAt).toBe(clock.now().toISOString());
    body = await impact();
    expect(themeOf(body, 'box-issue')!.count).toBe(2);
    expect(themeOf(body, 'delivery')!.count).toBe(2);
    expect({ ...(await impact('&attr.product=phone')), source: 'rollup' }).toEqual(body);
    const comments = await admin.call('GET', `/api/metrics/comments?${range}&theme=box-issue`);
    expect(comments.body.items).toHaveLength(2);
    // Price is off: its comments are no longer tagged with it.
    expect((await admin.call('GET', `/api/metrics/comments?${range}&theme=price`)).body.items).toEqual([]);

    // A built-in cannot be deleted: DELETE resets it to what Hami ships (on again), an own theme goes.
    expect((await admin.call('DELETE', '/api/themes/price')).body.themes.find((t: { id: string }) => t.id === 'price')).toMatchObject({
      enabled: true,
      builtIn: true,
    });
    const removed = await admin.call('DELETE', '/api/themes/box-issue');
    expect(removed.body.themes.some((t: { id: string }) => t.id === 'box-issue')).toBe(false);
    expect((await admin.call('DELETE', '/api/themes/box-issue')).status).toBe(404);
  });

  test('`hami themes retag` re-tags history with progress lines while the server runs', { timeout: 60_000 }, async () => {
    const off = await admin.call('PUT', '/api/themes/delivery', {
      label: { en: 'Delivery', fa: 'ارسال' },
      terms: { en: ['late'], fa: ['دیر'] },
      enabled: false,
    });
    expect(off.body.stale).toBe(true);
    // Its own process, as `npx hami` runs beside the server (in this one, SQLite's busy wait would block the server).
    const run = await runHamiCommand(['themes', 'retag'], { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: hami.databaseUrl }, 30_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout.trimEnd().split('\n');
    expect(out[0]).toBe('re-tagging 7 responses with the theme dictionary in force…');
    expect(out).toContain('  7 of 7 (100%)');
    // Since the last re-tag: delivery off (2 comments), price back on (3), box-issue deleted (2, one of them also price).
    expect(out[out.length - 1]).toMatch(/^re-tagged 7 responses in [\d.]+ s: 6 changed themes; the dashboard counts them now$/);
    // The server sees the new tags at once: delivery is off and no comment carries it any more.
    expect((await dictionary()).stale).toBe(false);
    expect(themeOf(await impact(), 'delivery')).toBeUndefined();
    expect((await admin.call('GET', `/api/metrics/comments?${range}&theme=delivery`)).body.items).toEqual([]);
  });

  test('`hami themes` without a command names the one it has', async () => {
    const err: string[] = [];
    expect(await runCli(['themes'], { env: {}, out: () => {}, err: (l) => err.push(l) })).toBe(1);
    expect(err).toEqual(['hami: themes needs a command: retag (see hami --help)']);
  });

  test("erasing a customer takes their comment's themes out of the counts too", async () => {
    // Customer 3 wrote 'قيمت مناسب بود' (price), a promoter's comment.
    const before = themeOf(await impact(), 'price')!;
    expect((await admin.call('POST', '/api/customers/t-3/erase')).status).toBe(200);
    const after = await impact();
    expect(themeOf(after, 'price')!.count).toBe(before.count - 1);
    expect(themeOf(after, 'price')!.withTheme.promoters).toBe(before.withTheme.promoters - 1);
    // The score stays for the statistics; the rollups and a scan still agree.
    expect(after.overall.n).toBe(7);
    expect({ ...(await impact('&attr.product=phone')), source: 'rollup' }).toEqual(after);
  });

  test('candidates: a phrase several comments use that no theme covers, with its detractors and examples (admin only)', async () => {
    clock.set('2026-11-11T09:00:00Z');
    for (const [i, reason] of ['my loyalty points vanished', 'loyalty points were never added', 'where are my loyalty points'].entries()) {
      await answered(`2026-11-11T0${i + 1}:00:00Z`, 'en', { nps: i === 2 ? 8 : 3, reason });
    }
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const { status, body } = await admin.call('GET', `/api/themes/candidates?${range}`);
    expect(status).toBe(200);
    const loyalty = body.candidates.find((c: { phrase: string }) => c.phrase === 'loyalty points');
    expect(loyalty).toMatchObject({ locale: 'en', count: 3, detractors: 2 });
    expect(loyalty.examples.length).toBeGreaterThan(0);
    expect((await admin.call('GET', '/api/themes/candidates?from=2026-11-01')).body.error.field).toBe('to');
    const marketing = await staffMember(hami, admin, 'marketing');
    expect((await marketing.call('GET', `/api/themes/candidates?${range}`)).status).toBe(403);
  });
});
