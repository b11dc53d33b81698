import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDashboardBuilt } from '../e2e/browser.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, type StaffClient } from '../helpers/staff.js';

/*
 * The sign-in form the signed-out dashboard page carries in its HTML (server/http/sign-in-page.tsx), posted as a
 * browser posts it before the dashboard's script has come: form-encoded, to the page's own address, with the headers
 * a browser adds (Sec-Fetch-Site, Origin). It must sign in exactly as POST /api/session does.
 */
describe("the sign-in form in the dashboard's page, without its script", () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    ensureDashboardBuilt();
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  /** A care account of its own, so one test's failures do not make another's account wait. */
  async function newAccount() {
    const email = `form-${++serial}@example.com`;
    const created = await admin.call('POST', '/api/users', { email, name: 'Form', role: 'care', password: 'the right password' });
    expect(created.status).toBe(201);
    return email;
  }

  /** The form as a browser posts it from the page itself; `headers` adds or replaces (e.g. another site's Origin). */
  async function postForm(
    fields: Record<string, string>,
    headers: Record<string, string> = { 'sec-fetch-site': 'same-origin', origin: hami.url },
    path = '/app/',
  ) {
    const res = await fetch(`${hami.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    return { status: res.status, headers: res.headers, html: await res.text() };
  }

  const jsonSignIn = async (email: string, password: string) =>
    (
      await fetch(`${hami.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
    ).status;

  const sessionCookie = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith('hami_session='));
  const refusal = (html: string) =>
    /<p class="error" role="alert" id="login-error" tabindex="-1" autofocus="" data-refusal="(\w+)">([^<]*)<\/p>/.exec(html)?.slice(1, 3);

  test('the signed-out page carries the form itself: labelled fields, posted to the page, styled by its one hashed inline style', async () => {
    const res = await fetch(`${hami.url}/app/`);
    const html = await res.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain('<label for="login-email">Email</label>');
    expect(html).toContain('<label for="login-password">Password</label>');
    expect(html).toMatch(/<input id="login-email" type="email" name="email"[^>]* required="" autofocus=""/);
    // The style sheet comes after the form, so it does not hold back the form's first paint.
    expect(html.indexOf('rel="stylesheet"')).toBeGreaterThan(html.indexOf('</form>'));
    const inlineStyle = /<style>([^<]+)<\/style>/.exec(html)![1]!;
    const csp = res.headers.get('content-security-policy')!;
    const { createHash } = await import('node:crypto');
    expect(csp).toContain(`style-src 'self' 'sha256-${createHash('sha256').update(inlineStyle).digest('base64')}'`);
    expect(csp).not.toContain('unsafe-inline');
    // Signed in, the page is the dashboard's alone.
    const signedIn = await (await fetch(`${hami.url}/app/`, { headers: { cookie: admin.cookie } })).text();
    expect(signedIn).not.toContain('login-email');
    expect(signedIn).toContain('<div id="app"></div>');
  });

  test('the right email and password set the session cookie and lead (303) back to the dashboard, signed in', async () => {
    const email = await newAccount();
    const res = await postForm({ email, password: 'the right password' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/');
    const cookie = sessionCookie(res.headers)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const page = await (await fetch(`${hami.url}/app/`, { headers: { cookie: cookie.split(';')[0]! } })).text();
    expect(page).toContain(`"email":"${email}"`);
    // The page's other address posts to itself as well.
    expect((await postForm({ email, password: 'the right password' }, undefined, '/app/index.html')).headers.get('location')).toBe(
      '/app/index.html',
    );
  });

  test('a wrong password gives the form again: 401, the reason focused, the email kept and the password not', async () => {
    const email = await newAccount();
    const res = await postForm({ email, password: 'not the password' });
    expect(res.status).toBe(401);
    expect(sessionCookie(res.headers)).toBeUndefined();
    expect(refusal(res.html)).toEqual(['wrongCredentials', 'Wrong email or password.']);
    expect(res.html).toContain(`value="${email}"`);
    expect(res.html).toMatch(/<input id="login-password" type="password"[^>]*required=""\/?>/);
    expect(res.html).not.toContain('not the password');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    // A typed email is given back as text, never as markup.
    const odd = await postForm({ email: '"><script>alert(1)</script>$&@example.com', password: 'x' });
    expect(odd.html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;$&amp;@example.com"');
  });

  test('in Persian when the browser prefers it or the dashboard was switched to it', async () => {
    const email = await newAccount();
    const persian = await postForm(
      { email, password: 'wrong' },
      { 'sec-fetch-site': 'same-origin', 'accept-language': 'fa-IR,fa;q=0.9,en;q=0.5' },
    );
    expect(persian.html).toContain('<html lang="fa" dir="rtl">');
    expect(refusal(persian.html)).toEqual(['wrongCredentials', 'ایمیل یا گذرواژه درست نیست.']);
    const chosen = await (await fetch(`${hami.url}/app/`, { headers: { 'accept-language': 'en-US', cookie: 'hami_locale=fa' } })).text();
    expect(chosen).toContain('<label for="login-email">ایمیل</label>');
    const english = await (await fetch(`${hami.url}/app/`, { headers: { 'accept-language': 'fa-IR', cookie: 'hami_locale=en' } })).text();
    expect(english).toContain('<html lang="en" dir="ltr">');
  });

  test.each([
    ['another site (Sec-Fetch-Site: cross-site)', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['a sibling site (Sec-Fetch-Site: same-site)', { 'sec-fetch-site': 'same-site', origin: 'https://evil.localhost' }],
    ["another site's Origin, from a browser without Sec-Fetch-Site", { origin: 'https://evil.example' }],
    ['a sandboxed page (Origin: null)', { origin: 'null' }],
  ])('a post from %s is refused (403) and signs nobody in, even with the right password', async (_name, headers) => {
    const res = await postForm(ADMIN, headers);
    expect(res.status).toBe(403);
    expect(sessionCookie(res.headers)).toBeUndefined();
  });

  test("failures through the form and through the API count together: after five, both wait, as POST /api/session's rules say", async () => {
    const email = await newAccount();
    for (let i = 0; i < 3; i++) expect((await postForm({ email, password: 'wrong' })).status).toBe(401);
    for (let i = 0; i < 2; i++) expect(await jsonSignIn(email, 'wrong')).toBe(401);
    const waiting = await postForm({ email, password: 'the right password' });
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get('retry-after')).toBe('1');
    expect(sessionCookie(waiting.headers)).toBeUndefined();
    expect(refusal(waiting.html)?.[0]).toBe('tooManyAttempts');
    expect(await jsonSignIn(email, 'the right password')).toBe(429);
    clock.advance(1000);
    expect((await postForm({ email, password: 'the right password' })).status).toBe(303);
  });

  test('a post without a password is answered 400 with the form saying what is missing', async () => {
    const res = await postForm({ email: 'someone@example.com' });
    expect(res.status).toBe(400);
    expect(refusal(res.html)).toEqual(['signInIncomplete', 'Enter your email and your password.']);
    expect(res.html).toContain('value="someone@example.com"');
  });
});
