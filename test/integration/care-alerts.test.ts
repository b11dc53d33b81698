import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, signInAgain, staffMember, type StaffClient } from '../helpers/staff.js';

/*
 * Staff alerts for a Persian-speaking team in Tehran (HAMI_TEAM_LOCALE=fa, HAMI_TIME_ZONE=Asia/Tehran): the mails
 * arrive over real SMTP on loopback, in Persian, right-to-left, with the deadline in Tehran time on the Jalali
 * calendar, the survey by its name and a link to the case.
 */
describe('alert emails speak the team’s language and time', () => {
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let admin: StaffClient;
  let care: StaffClient;
  // 10:00 UTC is 13:30 in Tehran; the 24 h deadline falls on 2 June (12 Khordad 1405), 13:30 Tehran time.
  const clock = new ManualClock('2026-06-01T10:00:00Z');

  beforeAll(async () => {
    smtp = await startSmtpServer();
    hami = await startTestHami({ clock, smtpUrl: smtp.url, env: { HAMI_TEAM_LOCALE: 'fa', HAMI_TIME_ZONE: 'Asia/Tehran' } });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    care = await staffMember(hami, admin, 'care', 'Neda Care');
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
  });

  async function detractor(name: string) {
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `o-${name}`,
      sendAt: 'now',
      customer: { id: `c-${name}`, email: `${name}@example.com`, name, locale: 'en' },
    });
    const token = invitationToken(hami.deps.secret, body.invitations[0].id);
    await fetch(`${hami.url}/s/${token}?score=2`, { redirect: 'manual' });
    await settleOneTapAnswers(hami);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', body.invitations[0].id)
      .executeTakeFirstOrThrow();
    return (await hami.deps.db.selectFrom('callback_cases').select('id').where('response_id', '=', response.id).executeTakeFirstOrThrow())
      .id;
  }

  test('a new detractor: Persian subject and text, the survey’s Persian name, the deadline in Tehran time (Jalali), a link to the case', async () => {
    const caseId = await detractor('Ali');
    const mail = await eventually(() => smtp.messages.find((m) => m.subject?.includes('Ali')));
    expect(mail.subject).toBe('مشتری ناراضی جدید: Ali (۲)');
    expect(mail.text).toContain('Ali در نظرسنجی «پس از خرید» امتیاز ۲ داد.');
    // 2026-06-02T10:00Z is 13:30 in Tehran on 12 Khordad 1405, written with Persian digits.
    expect(mail.text).toContain('تا ۱۲ خرداد ۱۴۰۵، ۱۳:۳۰ (وقت عادی ایران)');
    expect(mail.text).not.toContain('2026-06-02T10:00');
    expect(mail.text).toContain(`${hami.url}/app/#/callbacks/${caseId}`);
    const html = String(mail.html);
    expect(html).toContain('dir="rtl"');
    expect(html).toContain(`<a href="${hami.url}/app/#/callbacks/${caseId}"`);
  });

  test('an overdue callback: the owner hears in Persian when it was due (Tehran time) and on which survey, with the link', async () => {
    const caseId = await detractor('Sara');
    await care.call('PATCH', `/api/callbacks/${caseId}`, { ownerId: care.userId });
    clock.advance(24 * HOUR + 60_000);
    care = await signInAgain(hami, care);
    const overdue = await eventually(() =>
      smtp.messages.find((m) => m.subject === 'تماس عقب‌افتاده: Sara' && (m.to && 'text' in m.to ? m.to.text : '').includes('care-')),
    );
    expect(overdue.text).toContain('«پس از خرید»');
    expect(overdue.text).toContain('۱۳:۳۰');
    expect(overdue.text).toContain(`${hami.url}/app/#/callbacks/${caseId}`);
  });
});
