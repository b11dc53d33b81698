import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadSurveys, SURVEYS_DIR } from '../../server/surveys.js';
import { smsTemplateFor, smsTemplatesSchema, type SmsTemplateValues } from '../../shared/sms-templates.js';

const values: SmsTemplateValues = {
  link: 'https://anar.ir/s/BB2KTW8Mm-CyX98p4kfTVg',
  name: 'سارا احمدی',
  brand: 'فروشگاه انار',
  locale: 'fa',
};

describe('smsTemplateFor', () => {
  test("fills each gateway's parameters with the link, its token, the name and the brand, in the file's order", () => {
    const templates = smsTemplatesSchema.parse({
      kavenegar: { template: 'hami-survey', params: { token: 'token', token10: 'name', token20: 'brand' } },
      smsir: { templateId: 123456, params: { TOKEN: 'token', NAME: 'name' } },
      ghasedak: { templateName: 'hamiSurvey', params: { link: 'link' } },
      melipayamak: { bodyId: 98765, params: ['brand', 'link'] },
    });
    expect(smsTemplateFor(templates, 'kavenegar', values)).toEqual({
      id: 'hami-survey',
      params: [
        { name: 'token', value: 'BB2KTW8Mm-CyX98p4kfTVg' },
        { name: 'token10', value: 'سارا احمدی' },
        { name: 'token20', value: 'فروشگاه انار' },
      ],
    });
    expect(smsTemplateFor(templates, 'smsir', values)).toEqual({
      id: '123456',
      params: [
        { name: 'TOKEN', value: 'BB2KTW8Mm-CyX98p4kfTVg' },
        { name: 'NAME', value: 'سارا احمدی' },
      ],
    });
    expect(smsTemplateFor(templates, 'ghasedak', values)).toEqual({ id: 'hamiSurvey', params: [{ name: 'link', value: values.link }] });
    expect(smsTemplateFor(templates, 'melipayamak', values)).toEqual({
      id: '98765',
      params: [
        { name: '0', value: 'فروشگاه انار' },
        { name: '1', value: values.link },
      ],
    });
  });

  test('no template for the active gateway (or none at all) means the free text', () => {
    const templates = smsTemplatesSchema.parse({ smsir: { templateId: 1, params: { T: 'token' } } });
    expect(smsTemplateFor(templates, 'kavenegar', values)).toBeNull();
    expect(smsTemplateFor(templates, 'twilio', values)).toBeNull();
    expect(smsTemplateFor(undefined, 'smsir', values)).toBeNull();
  });

  test('an unknown name becomes a neutral word and a missing brand the link\'s host; SMS.ir values stop at 25 characters; ";" cannot split a Melipayamak value', () => {
    const templates = smsTemplatesSchema.parse({
      smsir: { templateId: 1, params: { T: 'token', N: 'name' } },
      melipayamak: { bodyId: 2, params: ['name', 'brand', 'token'] },
    });
    const unknown = { ...values, name: null, brand: null };
    expect(smsTemplateFor(templates, 'melipayamak', unknown)!.params.map((p) => p.value)).toEqual([
      'مشتری',
      'anar.ir',
      'BB2KTW8Mm-CyX98p4kfTVg',
    ]);
    expect(
      smsTemplateFor(templates, 'smsir', { ...values, name: 'نام بسیار بلندی که از بیست و پنج نویسه بیشتر است' })!.params[1]!.value,
    ).toHaveLength(25);
    expect(smsTemplateFor(templates, 'melipayamak', { ...values, name: 'A;B' })!.params[0]!.value).toBe('A،B');
  });
});

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Start-up's survey loading with `smsTemplates` set on post-purchase.json. */
function loadWith(smsTemplates: unknown) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-sms-templates-'));
  tempDirs.push(dir);
  for (const file of ['follow-up.json', 'post-purchase.json', 'post-resolution.json']) {
    const json = JSON.parse(readFileSync(path.join(SURVEYS_DIR, file), 'utf8')) as Record<string, unknown>;
    if (file === 'post-purchase.json') json.smsTemplates = smsTemplates;
    writeFileSync(path.join(dir, file), JSON.stringify(json));
  }
  return () => loadSurveys(dir);
}

describe('smsTemplates in a survey file, checked at start-up', () => {
  test('a valid entry per gateway loads', () => {
    const surveys = loadWith({ smsir: { templateId: 123456, params: { TOKEN: 'token' } }, melipayamak: { bodyId: 5, params: ['link'] } })();
    expect(surveys.byId('post-purchase')!.smsTemplates?.smsir?.templateId).toBe(123456);
  });

  test.each([
    [
      { smsir: { templateId: 1, params: { LINK: 'link' } } },
      'smsTemplates.smsir.params.LINK: SMS.ir takes at most 25 characters per value',
    ],
    [
      { kavenegar: { template: 'x', params: { token: 'name', token2: 'token' } } },
      'smsTemplates.kavenegar.params.token: "name" may hold spaces',
    ],
    [{ kavenegar: { template: 'x', params: { token4: 'link' } } }, 'smsTemplates.kavenegar.params: unknown field "token4"'],
    [
      { ghasedak: { templateName: 'otp', params: { Name: 'name' } } },
      'smsTemplates.ghasedak.params: the template must carry the survey link',
    ],
    [{ melipayamak: { bodyId: 'abc', params: ['link'] } }, 'smsTemplates.melipayamak.bodyId:'],
    [{ smsir: { templateId: 1, params: { T: 'phone' } } }, 'smsTemplates.smsir.params.T: use one of link, token, name, brand'],
    [{ farazsms: { pattern: 'x' } }, 'smsTemplates: unknown field "farazsms"'],
  ])('a mistake stops start-up with the file, the field and what to do (%#)', (smsTemplates, message) => {
    expect(loadWith(smsTemplates)).toThrow(message);
  });
});
