import { describe, expect, test } from 'vitest';
import { loadBrand, NEUTRAL_BRAND } from '../../server/branding/brand.js';
import { senderOf } from '../../server/channels/email/transport.js';
import { renderInvitationEmail } from '../../server/channels/email/invitation-email.js';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';
import { loadSurveys } from '../../server/surveys.js';
import { outcomeMessage } from '../../shared/outcome-message.js';

const survey = loadSurveys().byId('post-purchase')!;
const BRANDED = loadBrand(DEMO_BRAND_ENV);
const render = (options: { locale?: 'en' | 'fa'; brand?: typeof BRANDED; reminder?: boolean } = {}) =>
  renderInvitationEmail({
    survey,
    locale: options.locale ?? 'en',
    customerName: 'Ana',
    publicUrl: 'https://h.example',
    token: 'T'.repeat(22),
    brand: options.brand ?? NEUTRAL_BRAND,
    reminder: options.reminder,
  });

describe('the invitation email', () => {
  test.each([
    { locale: 'en', brand: NEUTRAL_BRAND, reminder: false, subject: 'How was your order?' },
    { locale: 'en', brand: BRANDED, reminder: false, subject: 'Anar Shop: How was your order?' },
    { locale: 'en', brand: BRANDED, reminder: true, subject: 'Anar Shop: Reminder: How was your order?' },
    { locale: 'fa', brand: BRANDED, reminder: true, subject: 'فروشگاه انار: یادآوری: سفارش شما چطور بود؟' },
    { locale: 'fa', brand: NEUTRAL_BRAND, reminder: true, subject: 'یادآوری: سفارش شما چطور بود؟' },
  ] as const)('subject, $locale, reminder $reminder: $subject', ({ locale, brand, reminder, subject }) => {
    expect(render({ locale, brand, reminder }).subject).toBe(subject);
  });

  test('uses nothing mail apps drop for its layout: no flex, no grid, no <style> block, no script', () => {
    for (const brand of [NEUTRAL_BRAND, BRANDED]) {
      const { html } = render({ brand });
      expect(html).not.toMatch(/display:\s*(flex|grid)|<style|<script/i);
    }
  });

  test('the plain-text part has the scale ends, every one-tap link, the survey link and the way out', () => {
    const { text } = render({ brand: BRANDED });
    expect(text).toContain('(0 = Not at all likely · 10 = Extremely likely)');
    for (let score = 0; score <= 10; score++) expect(text).toContain(`https://h.example/s/${'T'.repeat(22)}?score=${score}`);
    expect(text).toContain(`Open the survey: https://h.example/s/${'T'.repeat(22)}\n`);
    expect(text).toContain(`Stop receiving these surveys: https://h.example/u/${'T'.repeat(22)}`);
  });

  test("the accent colour is on every score link; the neutral email uses Hami's blue", () => {
    const branded = render({ brand: BRANDED }).html.match(/\?score=\d+" style="[^"]*"/g)!;
    expect(branded).toHaveLength(11);
    for (const link of branded) expect(link).toContain('color:#9b1c31');
    expect(render().html).toContain('color:#0b3d91');
  });
});

describe('the sender', () => {
  test.each([
    ['Hami <surveys@localhost>', null, 'Hami <surveys@localhost>'],
    ['Hami <surveys@localhost>', 'Anar Shop', { name: 'Anar Shop', address: 'surveys@localhost' }],
    ['surveys@anar.example', 'فروشگاه انار', { name: 'فروشگاه انار', address: 'surveys@anar.example' }],
  ] as const)('MAIL_FROM %s with sender name %s sends as %j', (mailFrom, name, expected) => {
    expect(senderOf(mailFrom, name)).toEqual(expected);
  });
});

describe('the outcome message', () => {
  test('signs with the care team of the shop in each language, and with "the care team" without one', () => {
    expect(outcomeMessage('en', 'Ana', 'Sent again.', 'Anar Shop')).toEqual({
      subject: 'Anar Shop: About your feedback',
      text: 'Hello Ana,\n\nSent again.\n\nThank you for telling us. — The Anar Shop care team',
    });
    expect(outcomeMessage('fa', null, 'ارسال شد.', 'فروشگاه انار').text.endsWith('— تیم پشتیبانی فروشگاه انار')).toBe(true);
    expect(outcomeMessage('en', null, 'x', null)).toEqual({
      subject: 'About your feedback',
      text: 'Hello,\n\nx\n\nThank you for telling us. — The care team',
    });
  });
});
