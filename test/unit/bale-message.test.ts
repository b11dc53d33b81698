import { describe, expect, test } from 'vitest';
import { BalePermanentError } from '../../server/channels/bale/channel.js';
import { toSafirPhone } from '../../server/channels/bale/safir.js';
import { loadSurveys } from '../../server/surveys.js';
import { baleInvitationText, baleKeyboard, callbackData, parseCallbackData } from '../../shared/bale.js';

const surveys = loadSurveys();
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUv';

describe('the Bale message', () => {
  test("the follow-up question is answered by Yes and No buttons, in the customer's language and reading order", () => {
    const followUp = surveys.byId('follow-up')!;
    const texts = (locale: 'en' | 'fa') => baleKeyboard(followUp, locale, TOKEN).inline_keyboard.map((row) => row.map((b) => b.text));
    expect(texts('en')[0]).toEqual(['Yes', 'No']);
    // Right to left: "Yes" first from the right, as on the page.
    expect(texts('fa')[0]).toEqual(['خیر', 'بله']);
  });

  test('the reminder says so after the brand, and the link is in the text for clients without buttons', () => {
    const survey = surveys.byId('post-purchase')!;
    const text = baleInvitationText({
      survey,
      locale: 'fa',
      link: `https://hami.example/s/${TOKEN}`,
      brandName: 'فروشگاه انار',
      reminder: true,
    });
    expect(text.startsWith('فروشگاه انار: یادآوری: ')).toBe(true);
    expect(text).toContain(`https://hami.example/s/${TOKEN}`);
  });

  test.each([
    ['a:AbCdEfGhIjKlMnOpQrStUv:9', { kind: 'answer', token: TOKEN, value: '9' }],
    ['a:AbCdEfGhIjKlMnOpQrStUv:yes', { kind: 'answer', token: TOKEN, value: 'yes' }],
    ['u:AbCdEfGhIjKlMnOpQrStUv', { kind: 'opt_out', token: TOKEN }],
    ['a:short:9', null],
    ['a:AbCdEfGhIjKlMnOpQrStUv:-1', null],
    ['python-bale-bot:help', null],
  ])('callback data %s reads as %o', (data, expected) => {
    expect(parseCallbackData(data)).toEqual(expected);
  });

  test("every button's data fits the Bot API's 64 bytes and reads back as written", () => {
    const data = callbackData({ kind: 'answer', token: TOKEN, value: '10' });
    expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
    expect(parseCallbackData(data)).toEqual({ kind: 'answer', token: TOKEN, value: '10' });
  });
});

describe('Safir phone numbers', () => {
  test('an Iranian mobile goes as 98 and the national number', () => {
    expect(toSafirPhone('+989121234567')).toBe('989121234567');
  });

  test.each(['+447700900123', '+98912'])('%s is refused for Bale (the next channel is tried) without suppressing it', (phone) => {
    let error: unknown;
    try {
      toSafirPhone(phone);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BalePermanentError);
    expect((error as BalePermanentError).suppressNumber).toBe(false);
  });
});
