import { describe, expect, test } from 'vitest';
import { REVIEW_GATING_NOTICE, segmentFilterInput } from '../../shared/api/segments.js';
import { audienceOf, countsOf } from '../../server/segments/actions.js';
import { downloadHeaders } from '../../server/segments/export.js';
import { encodeCursor, parseFilterQuery, parsePage } from '../../server/segments/query.js';
import { loadBrand, NEUTRAL_BRAND } from '../../server/branding/brand.js';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';
import { loadMessageTemplates, renderActionEmail } from '../../server/segments/templates.js';

describe('segment rules', () => {
  test('a review request drops the bucket filter and says why; a referral keeps the segment', () => {
    const filter = segmentFilterInput.parse({ buckets: ['promoter'], survey: 'post-purchase' });
    expect(audienceOf('review_request', filter)).toEqual({
      audience: 'all_answered',
      filter: { ...filter, buckets: [] },
      notice: REVIEW_GATING_NOTICE,
    });
    expect(audienceOf('referral', filter)).toEqual({ audience: 'segment', filter, notice: null });
  });

  test('action counts add up statuses, skip reasons and clicks', () => {
    expect(
      countsOf([
        { status: 'sent', reason: null, n: 3, clicked: 2 },
        { status: 'skipped', reason: 'opted_out', n: 1, clicked: 0 },
        { status: 'skipped', reason: 'throttled', n: 2, clicked: 0 },
        { status: 'queued', reason: null, n: 1, clicked: 0 },
      ]),
    ).toEqual({ planned: 7, skipped: 3, skippedByReason: { opted_out: 1, throttled: 2 }, queued: 1, sent: 3, failed: 0, clicked: 2 });
  });

  test('query parameters: bucket lists, repeated buckets and attributes', () => {
    expect(parseFilterQuery({ bucket: ['promoter,passive', 'promoter'], 'attr.product': ['phone'] })).toMatchObject({
      buckets: ['promoter', 'passive'],
      basis: 'latest',
      attributes: { product: 'phone' },
    });
    expect(() => parseFilterQuery({ survey: ['a', 'b'] })).toThrow(/survey may be given once/);
  });

  test('a cursor the API gave out reads back; anything else is refused', () => {
    const cursor = encodeCursor({ answeredAt: '2026-06-01T10:00:00.000Z', responseId: '0b0e1f8e-3c1a-4b8e-9d3e-2f1a4b5c6d7e' });
    expect(parsePage({ cursor, limit: '10' })).toEqual({
      limit: 10,
      after: { answeredAt: '2026-06-01T10:00:00.000Z', responseId: '0b0e1f8e-3c1a-4b8e-9d3e-2f1a4b5c6d7e' },
    });
    expect(() => parsePage({ cursor: Buffer.from('x|y').toString('base64url') })).toThrow(/cursor/);
  });

  test.each([
    ['Phone promoters', 'phone-promoters-2026-06-12.csv'],
    ['مروجان', 'segment-2026-06-12.csv'],
    ['a"b\r\nc', 'a-b-c-2026-06-12.csv'],
  ])('download name of %j is %s, with the UTF-8 name alongside', (name, ascii) => {
    const disposition = downloadHeaders('csv', name, '2026-06-12')['content-disposition']!;
    expect(disposition.startsWith(`attachment; filename="${ascii}"; filename*=UTF-8''`)).toBe(true);
    expect(disposition).not.toMatch(/[\r\n]/);
  });

  test('the message templates load, and customer names are escaped in the HTML mail', () => {
    const templates = loadMessageTemplates();
    const mail = renderActionEmail(
      templates.referral,
      'en',
      '<img src=x onerror=alert(1)>',
      'https://h.example/r/abc',
      'https://h.example/r/abc/stop',
      NEUTRAL_BRAND,
    );
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&#60;img');
    expect(mail.text).toContain('Hi <img src=x onerror=alert(1)>,');
    expect(mail.text).toContain('Stop receiving messages from us: https://h.example/r/abc/stop');
    expect(mail.html).toContain('href="https://h.example/r/abc/stop"');
    expect(
      renderActionEmail(templates.review_request, 'fa', null, 'https://h.example/r/abc', 'https://h.example/r/abc/stop', NEUTRAL_BRAND)
        .text,
    ).toContain('مشتری عزیز، سلام');
  });

  test("a branded shop's name leads a referral's subject in each language, its colour on the link; neutral keeps the template's subject", () => {
    const templates = loadMessageTemplates();
    const brand = loadBrand(DEMO_BRAND_ENV);
    const fa = renderActionEmail(templates.referral, 'fa', null, 'https://h.example/r/abc', 'https://h.example/r/abc/stop', brand);
    expect(fa.subject).toBe(`فروشگاه انار: ${templates.referral.subject.fa}`);
    expect(fa.html).toContain('style="color:#9b1c31');
    expect(
      renderActionEmail(templates.referral, 'en', null, 'https://h.example/r/abc', 'https://h.example/r/abc/stop', brand).subject,
    ).toBe(`Anar Shop: ${templates.referral.subject.en}`);
    expect(
      renderActionEmail(templates.referral, 'en', null, 'https://h.example/r/abc', 'https://h.example/r/abc/stop', NEUTRAL_BRAND).subject,
    ).toBe(templates.referral.subject.en);
  });
});
