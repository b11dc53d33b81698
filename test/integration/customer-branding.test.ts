import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';

const LOGO = path.resolve('server/demo/anar-logo.svg');
const BRAND_ENV = { HAMI_BRAND_NAME: 'Anar Shop', HAMI_BRAND_NAME_FA: 'فروشگاه انار', HAMI_BRAND_LOGO: LOGO, HAMI_BRAND_COLOR: '#9b1c31' };

/** A new invitation's survey link on `hami`. */
async function surveyLink(hami: TestHami, id: string, locale: 'en' | 'fa' = 'en') {
  const { body } = await hami.postEvent({
    type: 'purchase',
    id,
    sendAt: 'now',
    customer: { id: `c-${id}`, email: `${id}@example.com`, locale },
  });
  return invitationToken(hami.deps.secret, body.invitations[0].id);
}

const text = async (url: string, init?: RequestInit) => (await fetch(url, init)).text();

describe('a branded company on the customer pages', () => {
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami({ env: { HAMI_THROTTLE_DAYS: '0', ...BRAND_ENV } });
  });
  afterAll(() => hami.stopAndClean());

  test('every customer page shows the logo and the name in its language, and uses the brand colour', async () => {
    const en = await surveyLink(hami, 'b1');
    const fa = await surveyLink(hami, 'b2', 'fa');
    const pages = {
      survey: await text(`${hami.url}/s/${en}`),
      thanks: (await fetch(`${hami.url}/s/${en}`, { method: 'POST', body: new URLSearchParams({ nps: '9' }) })).text(),
      optOut: await text(`${hami.url}/u/${en}`),
      notFound: await text(`${hami.url}/s/AAAAAAAAAAAAAAAAAAAAAA`),
      publicLink: await text(`${hami.url}/p/post-purchase/receipt`),
    };
    for (const [name, html] of Object.entries(pages)) {
      const page = await html;
      expect(page, name).toMatch(
        /<header><img src="\/brand\/logo\?v=[\w-]{16}" alt="Anar Shop" width="40" height="40"\/?><span aria-hidden="true">Anar Shop<\/span><\/header>/,
      );
      expect(page, name).toContain(':root{--a:#9b1c31}');
    }
    const persian = await text(`${hami.url}/s/${fa}`);
    expect(persian).toContain('alt="فروشگاه انار"');
    expect(persian).toContain('>فروشگاه انار</span>');
  });

  test('GET /brand/logo serves the SVG for a year under its versioned address, revalidated by ETag otherwise, and runs nothing in it', async () => {
    const html = await text(`${hami.url}/s/${await surveyLink(hami, 'b3')}`);
    const src = /<img src="([^"]+)"/.exec(html)![1]!;
    const res = await fetch(`${hami.url}${src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Anar</title>');
    const etag = res.headers.get('etag')!;
    const plain = await fetch(`${hami.url}/brand/logo`);
    expect(plain.headers.get('cache-control')).toBe('public, no-cache');
    expect(plain.headers.get('etag')).toBe(etag);
    expect((await fetch(`${hami.url}/brand/logo`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('customer pages without a brand', () => {
  test('stay neutral: no header, Hami blue, and /brand/logo is 404', async () => {
    const hami = await startTestHami();
    try {
      const html = await text(`${hami.url}/s/${await surveyLink(hami, 'n1')}`);
      expect(html).not.toContain('<header');
      expect(html).toContain(':root{--a:#0b3d91}');
      expect((await fetch(`${hami.url}/brand/logo`)).status).toBe(404);
    } finally {
      await hami.stopAndClean();
    }
  });

  test('a logo at an https URL is shown from there, allowed by the page policy, and /brand/logo is 404', async () => {
    const hami = await startTestHami({ env: { HAMI_BRAND_NAME: 'Anar Shop', HAMI_BRAND_LOGO: 'https://cdn.anar.example/logo.png' } });
    try {
      const res = await fetch(`${hami.url}/s/${await surveyLink(hami, 'u1')}`);
      expect(await res.text()).toContain('<img src="https://cdn.anar.example/logo.png" alt="Anar Shop" width="40" height="40"');
      expect(res.headers.get('content-security-policy')).toMatch(/img-src 'self' data: https:\/\/cdn\.anar\.example(;|$)/);
      expect((await fetch(`${hami.url}/brand/logo`)).status).toBe(404);
    } finally {
      await hami.stopAndClean();
    }
  });
});
