import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fillSmsTemplate, invitationSmsText, smsEncoding, smsSegments } from '../../shared/sms.js';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';

const PERSIAN_LETTER = 'س';

describe('GSM-7 texts', () => {
  test('160 plain characters fit one segment', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', characters: 160, segments: 1 });
  });

  test('161 plain characters need two segments of 153', () => {
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', characters: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  test('accented letters of the GSM basic set (é, Ä, ñ, Ç) stay GSM-7', () => {
    expect(smsEncoding('Café Ä ñ Ç ¿ § @ £ $ ¥ Δ\n')).toBe('gsm7');
  });

  test('extension characters count double', () => {
    for (const char of ['{', '}', '[', ']', '~', '\\', '^', '|', '€']) {
      expect(smsSegments(char)).toEqual({ encoding: 'gsm7', characters: 2, segments: 1 });
    }
    expect(smsSegments(`${'a'.repeat(158)}€`)).toMatchObject({ characters: 160, segments: 1 });
    expect(smsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ characters: 161, segments: 2 });
  });

  test('an extension character is not split across two parts', () => {
    // 152 + 2 + 152 = 306 septets: a plain division says 2 parts, but the € cannot start in part one's last septet.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ characters: 306, segments: 3 });
  });
});

describe('UCS-2 texts', () => {
  test('70 Persian characters fit one segment', () => {
    expect(smsSegments(PERSIAN_LETTER.repeat(70))).toEqual({ encoding: 'ucs2', characters: 70, segments: 1 });
  });

  test('71 Persian characters need two segments of 67', () => {
    expect(smsSegments(PERSIAN_LETTER.repeat(71))).toEqual({ encoding: 'ucs2', characters: 71, segments: 2 });
    expect(smsSegments(PERSIAN_LETTER.repeat(134)).segments).toBe(2);
    expect(smsSegments(PERSIAN_LETTER.repeat(135)).segments).toBe(3);
  });

  test('one character outside GSM (a Persian digit, a Turkish ı) makes the whole text UCS-2', () => {
    expect(smsEncoding(`${'a'.repeat(100)}۵`)).toBe('ucs2');
    expect(smsSegments(`${'a'.repeat(100)}ı`)).toEqual({ encoding: 'ucs2', characters: 101, segments: 2 });
  });

  test('an emoji takes two UTF-16 code units', () => {
    expect(smsSegments('😀')).toEqual({ encoding: 'ucs2', characters: 2, segments: 1 });
    expect(smsSegments(`${'a'.repeat(68)}😀`)).toMatchObject({ characters: 70, segments: 1 });
    expect(smsSegments(`${'a'.repeat(69)}😀`)).toMatchObject({ characters: 71, segments: 2 });
  });

  test('an emoji is not split across two parts', () => {
    // 66 + 2 + 66 = 134 units: the emoji cannot straddle the end of part one.
    expect(smsSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toMatchObject({ characters: 134, segments: 3 });
  });
});

describe('fillSmsTemplate', () => {
  test('replaces every {link}', () => {
    expect(fillSmsTemplate('tap {link} or {link}', 'https://x.test/s/1')).toBe('tap https://x.test/s/1 or https://x.test/s/1');
  });

  test('inserts the link literally, even with $ patterns in it', () => {
    expect(fillSmsTemplate('go {link}', 'https://x.test/$&$1')).toBe('go https://x.test/$&$1');
  });
});

describe('the survey SMS texts fit one segment', () => {
  const dir = path.join(import.meta.dirname, '../../surveys');
  const texts = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const survey = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { sms?: { en?: string; fa?: string } };
      return { file, en: survey.sms?.en, fa: survey.sms?.fa };
    })
    .filter((t) => t.en !== undefined || t.fa !== undefined);
  const persianLink = `https://hami.ir/s/${'A'.repeat(22)}`;
  const englishLink = `https://survey.example.com/s/${'A'.repeat(16)}`;

  test('the surveys have SMS texts to check, with the link lengths the rule is about', () => {
    expect(texts.length).toBeGreaterThanOrEqual(3);
    expect(persianLink).toHaveLength(40);
    expect(englishLink).toHaveLength(45);
  });

  test('every Persian text with a 40-character link is one UCS-2 segment', () => {
    for (const { file, fa } of texts) {
      expect(fa, file).toContain('{link}');
      const result = smsSegments(fillSmsTemplate(fa!, persianLink));
      expect({ file, ...result }).toMatchObject({ file, encoding: 'ucs2', segments: 1 });
    }
  });

  test('every Persian text behind the demo shop\'s name ("فروشگاه انار: ", 14 characters) with a 40-character link is one UCS-2 segment', () => {
    for (const { file, fa } of texts) {
      const text = invitationSmsText({ template: fa!, link: persianLink, brandName: DEMO_BRAND_ENV.HAMI_BRAND_NAME_FA });
      expect(text.startsWith('فروشگاه انار: ')).toBe(true);
      expect({ file, ...smsSegments(text) }).toMatchObject({ file, encoding: 'ucs2', segments: 1 });
    }
  });

  test("every English text behind the demo shop's name with a 45-character link is one GSM-7 segment", () => {
    for (const { file, en } of texts) {
      const text = invitationSmsText({ template: en!, link: englishLink, brandName: DEMO_BRAND_ENV.HAMI_BRAND_NAME });
      expect({ file, ...smsSegments(text) }).toMatchObject({ file, encoding: 'gsm7', segments: 1 });
    }
  });

  test('every English text with a 45-character link is one GSM-7 segment', () => {
    for (const { file, en } of texts) {
      expect(en, file).toContain('{link}');
      const result = smsSegments(fillSmsTemplate(en!, englishLink));
      expect({ file, ...result }).toMatchObject({ file, encoding: 'gsm7', segments: 1 });
    }
  });
});

describe('invitationSmsText', () => {
  test('puts the brand first, then the reminder word, then the text with its link', () => {
    expect(
      invitationSmsText({ template: 'Rate us: {link}', link: 'https://x.test/s/1', brandName: 'Anar Shop', reminderPrefix: 'Reminder: ' }),
    ).toBe('Anar Shop: Reminder: Rate us: https://x.test/s/1');
  });

  test("without a brand the text is the survey's own", () => {
    expect(invitationSmsText({ template: 'Rate us: {link}', link: 'https://x.test/s/1', brandName: null })).toBe(
      'Rate us: https://x.test/s/1',
    );
  });
});
