import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { withSession } from '../../server/http/dashboard-index.js';
import { ensureDashboardBuilt } from '../e2e/browser.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';

/*
 * What a slow line gets: the dashboard's files precompressed (brotli or gzip, by Accept-Encoding), fingerprinted
 * files cached for a year, the page revalidated on every load, and JSON and exports gzip'd — with the security
 * headers on every one of them. Raw HTTP (node:http), so what is on the wire is seen before any decoding.
 */

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function decoded(res: Raw): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.body);
  if (encoding === 'gzip') return gunzipSync(res.body);
  return res.body;
}

const CHROME_ACCEPTS = 'gzip, deflate, br, zstd';

describe('compressed answers and cached dashboard files', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let hami: TestHami;
  let marketing: StaffClient;
  let admin: StaffClient;
  let script = '';
  let styles = '';

  beforeAll(async () => {
    ensureDashboardBuilt();
    hami = await startTestHami({ clock, env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' } });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    marketing = await staffMember(hami, admin, 'marketing');
    const page = (await rawGet(`${hami.url}/app/`)).body.toString();
    script = /<script[^>]+src="([^"]+\.js)"/.exec(page)![1]!;
    styles = /<link[^>]+href="([^"]+\.css)"/.exec(page)![1]!;
    // Promoters to export, one with a formula-looking and a Persian comment.
    for (const [i, comment] of ['=HYPERLINK("http://evil.example")', 'ارسال سریع بود، ممنون', 'fast'].entries()) {
      const { body } = await hami.postEvent({
        type: 'purchase',
        id: `order-${i}`,
        sendAt: 'now',
        customer: { id: `c-${i}`, email: `c${i}@example.com`, name: `Customer ${i}` },
      });
      const token = invitationToken(hami.deps.secret, body.invitations[0].id);
      const answered = await fetch(`${hami.url}/s/${token}`, {
        method: 'POST',
        body: new URLSearchParams({ nps: '10', reason: comment }),
        redirect: 'manual',
      });
      expect(answered.status).toBe(303);
    }
  });
  afterAll(() => hami.stopAndClean());

  test('the dashboard script goes brotli to a browser that takes it, gzip to one that takes only gzip, plain otherwise — the same bytes each way', async () => {
    const plain = await rawGet(`${hami.url}${script}`);
    const br = await rawGet(`${hami.url}${script}`, { 'accept-encoding': CHROME_ACCEPTS });
    const gzip = await rawGet(`${hami.url}${script}`, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    for (const res of [plain, br, gzip]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/javascript/);
      // A cache between browser and server keeps one copy per encoding, never a brotli one for a gzip-only client.
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(decoded(res).equals(plain.body)).toBe(true);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    // What a phone on a slow line saves: the brotli'd script is well under half the plain one.
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(br.body.length).toBeLessThanOrEqual(gzip.body.length);
  });

  test('fingerprinted files are kept a year without asking again; the page is asked for on every load', async () => {
    for (const file of [script, styles]) {
      expect(file).toMatch(/^\/app\/assets\/.+-[\w-]{8}\.(js|css)$/);
      const res = await rawGet(`${hami.url}${file}`, { 'accept-encoding': CHROME_ACCEPTS });
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    for (const path of ['/app/', '/app/index.html']) {
      const res = await rawGet(`${hami.url}${path}`, { 'accept-encoding': CHROME_ACCEPTS });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/\bno-cache\b/);
      expect(res.headers['cache-control']).toMatch(/\bprivate\b/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  test("the page carries the signed-in person's session, and null for a stranger, as data that cannot end its block", async () => {
    const block = (html: string) => JSON.parse(/<script type="application\/json" id="hami-session">(.*?)<\/script>/.exec(html)![1]!);
    expect(block((await rawGet(`${hami.url}/app/`)).body.toString())).toBeNull();
    const session = block((await rawGet(`${hami.url}/app/`, { cookie: marketing.cookie })).body.toString());
    expect(session).toMatchObject({ user: { id: marketing.userId, role: 'marketing' }, csrfToken: marketing.csrfToken });
    // A brand name (or any text) with a closing tag stays data: the block ends only where the server ends it.
    const sly = {
      user: { id: 'u', email: 'a@b.c', name: 'x', role: 'admin' as const },
      csrfToken: 't',
      brandName: { en: '</script><script>alert(1)</script>', fa: '' },
    };
    const html = withSession('<html><head></head><body></body></html>', sly);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(block(html)).toEqual(sly);
  });

  test("JSON answers over 1 KiB leave gzip'd for a client that takes it; small ones and clients that take none get them plain", async () => {
    const big = await rawGet(`${hami.url}/api/openapi.json`, { 'accept-encoding': CHROME_ACCEPTS });
    const bigPlain = await rawGet(`${hami.url}/api/openapi.json`);
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(big.headers.vary).toMatch(/accept-encoding/i);
    expect(bigPlain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(decoded(big).toString())).toEqual(JSON.parse(bigPlain.body.toString()));
    expect(big.body.length).toBeLessThan(bigPlain.body.length / 3);
    expect(big.headers['content-security-policy']).toBeTruthy();
    expect(big.headers['x-content-type-options']).toBe('nosniff');

    const members = await rawGet(`${hami.url}/api/segments/members?bucket=promoter`, {
      'accept-encoding': CHROME_ACCEPTS,
      cookie: marketing.cookie,
    });
    expect(members.status).toBe(200);
    expect(JSON.parse(decoded(members).toString()).members).toHaveLength(3);

    const small = await rawGet(`${hami.url}/healthz`, { 'accept-encoding': CHROME_ACCEPTS });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ ok: true });
    const error = await rawGet(`${hami.url}/api/nope`, { 'accept-encoding': CHROME_ACCEPTS });
    expect(error.status).toBe(404);
    expect(error.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(error.body.toString()).error.code).toBe('not_found');
  });

  test("a CSV export streams gzip'd and unzips to the very file a client without compression gets: BOM, formulas neutralised, Persian", async () => {
    const url = `${hami.url}/api/segments/members?bucket=promoter&format=csv`;
    const zipped = await rawGet(url, { 'accept-encoding': CHROME_ACCEPTS, cookie: marketing.cookie });
    const plain = await rawGet(url, { cookie: marketing.cookie });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zipped.headers['content-disposition']).toMatch(/^attachment; filename="members-2026-06-01\.csv"/);
    expect(zipped.headers['cache-control']).toBe('no-store');
    expect(zipped.headers['content-security-policy']).toBeTruthy();
    const csv = decoded(zipped);
    expect(csv.equals(plain.body)).toBe(true);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString();
    expect(text).toContain(`'=HYPERLINK(`);
    expect(text).toContain('ارسال سریع بود، ممنون');
    expect(text.trim().split('\r\n')).toHaveLength(4);
  });
});
