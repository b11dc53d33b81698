import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';

/*
 * Every page the server serves, in each of its states, with the headers that keep it safe: a CSP without
 * 'unsafe-inline' for scripts (none at all on customer pages but the kiosk's nonce'd reset), frame-ancestors 'none', Referrer-Policy
 * no-referrer, X-Content-Type-Options nosniff, and Strict-Transport-Security only over HTTPS.
 */

/** kiosk: a customer page that may run one script, only by the response's nonce (the kiosk's reset). */
type Page = { name: string; path: string; method?: string; body?: URLSearchParams; status: number; customer: boolean; kiosk?: true };

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!.toLowerCase(), values];
      }),
  );
}

describe('security headers on every page', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let hami: TestHami;
  const pages: Page[] = [];

  beforeAll(async () => {
    hami = await startTestHami({ clock, env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' } });
    const link = async (id: string) => {
      const { body } = await hami.postEvent({
        type: 'purchase',
        id,
        sendAt: 'now',
        customer: { id: `c-${id}`, email: `${id}@example.com` },
      });
      return { id: body.invitations[0].id as string, token: invitationToken(hami.deps.secret, body.invitations[0].id) };
    };
    const open = await link('open');
    const answered = await link('answered');
    await fetch(`${hami.url}/s/${answered.token}`, { method: 'POST', body: new URLSearchParams({ nps: '9' }), redirect: 'manual' });
    const expired = await link('expired');
    await hami.deps.db.updateTable('invitations').set({ expires_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', expired.id).execute();
    const optOut = await link('opt-out');
    const dashboard = await fetch(`${hami.url}/app/`);
    const script = /<script[^>]+src="([^"]+)"/.exec(await dashboard.text())?.[1];

    pages.push(
      { name: 'survey page, open', path: `/s/${open.token}`, status: 200, customer: true },
      { name: 'survey page, a bad one-tap value', path: `/s/${open.token}?score=abc`, status: 400, customer: true },
      { name: 'survey page, answered', path: `/s/${answered.token}?saved=1`, status: 200, customer: true },
      { name: 'survey page, expired', path: `/s/${expired.token}`, status: 410, customer: true },
      { name: 'survey page, unknown token', path: '/s/AAAAAAAAAAAAAAAAAAAAAA', status: 404, customer: true },
      {
        name: 'survey form answered with an error',
        path: `/s/${open.token}`,
        method: 'POST',
        body: new URLSearchParams({ nps: '11' }),
        status: 400,
        customer: true,
      },
      { name: 'opt-out question', path: `/u/${optOut.token}`, status: 200, customer: true },
      { name: 'opt-out done', path: `/u/${optOut.token}`, method: 'POST', body: new URLSearchParams(), status: 200, customer: true },
      { name: 'opt-out, unknown token', path: '/u/AAAAAAAAAAAAAAAAAAAAAA', status: 404, customer: true },
      { name: 'public link page', path: '/p/post-purchase/receipt', status: 200, customer: true },
      { name: 'kiosk page', path: '/p/post-purchase/store-tehran', status: 200, customer: true, kiosk: true },
      {
        name: 'kiosk thank-you',
        path: '/p/post-purchase/store-tehran',
        method: 'POST',
        body: new URLSearchParams({ nps: '9' }),
        status: 200,
        customer: true,
        kiosk: true,
      },
      {
        name: 'kiosk, a burst refused',
        path: '/p/post-purchase/store-tehran',
        method: 'POST',
        body: new URLSearchParams({ nps: '9' }),
        status: 429,
        customer: true,
        kiosk: true,
      },
      { name: 'public link QR code', path: '/p/post-purchase/receipt/qr.svg', status: 200, customer: true },
      { name: 'public link, unknown', path: '/p/post-purchase/nope', status: 404, customer: true },
      { name: 'segment message stop page, unknown token', path: '/r/AAAAAAAAAAAAAAAAAAAAAA/stop', status: 404, customer: true },
      { name: 'dashboard and its sign-in form', path: '/app/', status: 200, customer: false },
      ...(script ? [{ name: 'dashboard script', path: script, status: 200, customer: false }] : []),
      { name: 'API reference', path: '/api/docs', status: 200, customer: false },
      { name: 'OpenAPI document', path: '/api/openapi.json', status: 200, customer: false },
      { name: 'home', path: '/', status: 302, customer: false },
      { name: 'health check', path: '/healthz', status: 200, customer: false },
      { name: 'a page that does not exist', path: '/no/such/page', status: 404, customer: false },
      { name: 'an API route that does not exist', path: '/api/nope', status: 404, customer: false },
      { name: 'staff API without a session', path: '/api/callbacks', status: 401, customer: false },
    );
  });
  afterAll(() => hami.stopAndClean());

  const request = (page: Page, headers: Record<string, string> = {}) =>
    fetch(`${hami.url}${page.path}`, { method: page.method ?? 'GET', body: page.body, headers, redirect: 'manual' });

  test('every page has a CSP without inline script, cannot be framed, sends no Referer and no sniffing, and no HSTS over plain HTTP', async () => {
    expect(pages.length).toBeGreaterThanOrEqual(20);
    for (const page of pages) {
      const res = await request(page);
      const where = `${page.name} (${page.method ?? 'GET'} ${page.path})`;
      expect(res.status, where).toBe(page.status);
      const csp = res.headers.get('content-security-policy');
      expect(csp, where).toBeTruthy();
      const d = directives(csp!);
      const scripts = d.get('script-src') ?? d.get('default-src') ?? [];
      expect(scripts, where).not.toContain("'unsafe-inline'");
      expect(scripts, where).not.toContain("'unsafe-eval'");
      expect(d.get('frame-ancestors'), where).toEqual(["'none'"]);
      if (page.customer) {
        // Customer pages: no script at all (a kiosk: only by nonce), and nothing inline anywhere.
        expect(csp, where).not.toContain('unsafe-inline');
        if (page.kiosk) expect(d.get('script-src'), where).toEqual([expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]+'$/)]);
        else expect(d.get('script-src') ?? d.get('default-src'), where).toEqual(["'none'"]);
      }
      expect(res.headers.get('referrer-policy'), where).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), where).toBe('DENY');
      expect(res.headers.get('strict-transport-security'), where).toBeNull();
      await res.arrayBuffer();
    }
  });

  test('behind a proxy saying X-Forwarded-Proto: https, HSTS is still not sent when PUBLIC_URL is plain http', async () => {
    const res = await fetch(`${hami.url}/s/AAAAAAAAAAAAAAAAAAAAAA`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('HSTS when the site is served over HTTPS', () => {
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami({ env: { PUBLIC_URL: 'https://survey.example.com' } });
  });
  afterAll(() => hami.stopAndClean());

  test.each(['/s/AAAAAAAAAAAAAAAAAAAAAA', '/app/', '/api/docs', '/no/such/page', '/healthz'])(
    '%s: HSTS when the TLS proxy says the request came over https, none when it did not',
    async (path) => {
      const secure = await fetch(`${hami.url}${path}`, { headers: { 'x-forwarded-proto': 'https' }, redirect: 'manual' });
      expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const plain = await fetch(`${hami.url}${path}`, { redirect: 'manual' });
      expect(plain.headers.get('strict-transport-security')).toBeNull();
    },
  );
});
