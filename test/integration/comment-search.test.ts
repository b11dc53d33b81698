import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineOf } from '../../server/db/connect.js';
import { normalisedSql } from '../../server/db/normal-text.js';
import { recordAnswer } from '../../server/responses/record-answer.js';
import { normaliseText } from '../../shared/text-normal.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, signInAgain, type StaffClient } from '../helpers/staff.js';

// The same words typed on an Arabic keyboard (ك, ي, a shadda) and on a Persian one (ZWNJ, Persian digits).
const ARABIC_LETTERS = 'كيفيّت محصول بد بود';
const PERSIAN_ZWNJ = 'کیفیت کتاب‌ها پایین بود';
const PERSIAN_DIGITS = 'ارسال ۲ روزه عالی بود';
const ENGLISH = 'Quality was POOR';

describe('comment search and keywords on normalised text', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-11-03T09:00:00Z');
  const ids: Record<string, string> = {};
  let serial = 0;

  async function answered(comment: string, nps: number) {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `cs-${serial}`,
      sendAt: 'now',
      customer: { id: `cs-${serial}`, email: `cs${serial}@example.com`, locale: 'fa' },
    });
    const invitationId: string = body.invitations[0].id;
    const invitation = await eventually(() =>
      hami.deps.db.selectFrom('invitations').selectAll().where('id', '=', invitationId).where('sent_at', 'is not', null).executeTakeFirst(),
    );
    clock.advance(HOUR);
    const recorded = await recordAnswer(hami.deps.db, {
      invitation,
      survey: hami.deps.surveys.byId(invitation.survey_id)!,
      answers: { nps, reason: comment },
      source: 'form',
      now: clock.now(),
    });
    ids[comment] = recorded.responseId;
  }

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    await answered(ARABIC_LETTERS, 2);
    await answered(PERSIAN_ZWNJ, 4);
    await answered(PERSIAN_DIGITS, 10);
    await answered(ENGLISH, 3);
    admin = await signInAgain(hami, admin);
  });
  afterAll(async () => {
    await hami.stopAndClean();
  });

  const RANGE = 'from=2026-11-02&to=2026-11-08';
  async function found(q: string): Promise<string[]> {
    const res = await admin.call('GET', `/api/metrics/comments?${RANGE}&q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return res.body.items.map((i: { comment: string }) => i.comment).sort();
  }

  test('a Persian-letter query finds the comment typed with Arabic letters and diacritics, and the Persian one', async () => {
    expect(await found('کیفیت')).toEqual([ARABIC_LETTERS, PERSIAN_ZWNJ].sort());
  });

  test('an Arabic-letter query finds the Persian comment too', async () => {
    expect(await found('كيفيت')).toEqual([ARABIC_LETTERS, PERSIAN_ZWNJ].sort());
    expect(await found('پایين')).toEqual([PERSIAN_ZWNJ]);
  });

  test('a word with or without its zero-width non-joiner finds the same comment', async () => {
    expect(await found('کتابها')).toEqual([PERSIAN_ZWNJ]);
    expect(await found('کتاب‌ها')).toEqual([PERSIAN_ZWNJ]);
  });

  test('digits match in any script, English case-blind, and the comment is shown as typed', async () => {
    expect(await found('2 روزه')).toEqual([PERSIAN_DIGITS]);
    expect(await found('٢')).toEqual([PERSIAN_DIGITS]);
    expect(await found('quality  WAS')).toEqual([ENGLISH]);
  });

  test('keyword statistics count one word however it was typed', async () => {
    const res = await admin.call('GET', `/api/metrics/reasons?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body.keywords).toContainEqual({ word: 'کیفیت', count: 2 });
    expect(res.body.keywords.map((k: { word: string }) => k.word)).not.toContain('كيفيت');
  });

  test('the database computes the same normal form as normaliseText, on either engine', async () => {
    const samples = [
      'كيفيّت',
      'کتاب‌ها',
      'خانۀ علاقة',
      'سلـــام',
      '\uFEFF\u200Fسفارش\u200D ۱۲ ٣\u2069',
      '\uFEDB\uFEF4',
      'ＬＡＴＥ  Don’t\n deli\u00ADvery',
      'مصطفى رحمٰن',
    ];
    for (const sample of samples) {
      const row = await sql<{
        normal: string;
      }>`select ${normalisedSql(engineOf(hami.deps.db), sql`cast(${sample} as text)`)} as normal`.execute(hami.deps.db);
      expect(row.rows[0]!.normal, sample).toBe(normaliseText(sample));
    }
  });
});
