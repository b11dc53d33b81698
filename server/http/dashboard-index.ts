import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Handler } from 'hono';
import { SESSION_ELEMENT_ID } from '../../shared/api/embedded-session.js';
import type { SessionBody } from '../../shared/api/staff.js';
import { loginInput } from '../../shared/api/staff.js';
import { signIn } from '../auth/sign-in.js';
import { currentSession, sessionBodyOf } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import { readForm } from './form-body.js';
import { fromOwnPage } from './same-origin.js';
import { signInLocale, withSignInForm, type SignInView } from './sign-in-page.js';

/*
 * The dashboard's page (dist/web/index.html) carries the session — who is signed in and the CSRF token, what
 * GET /api/session answers — as a JSON data block, which no CSP blocks (it never runs). On a slow line every round
 * trip costs seconds (2 s each on Chrome's "Slow 3G"): a later load, with the fingerprinted script cached for a year,
 * needs only the page. When nobody is signed in, the page also carries a working sign-in form (sign-in-page.tsx),
 * so even a first visit is usable after that one round trip; the form posts back here. It differs per person, so it
 * is `private`, and `no-cache` so a new build (or a new sign-in) is seen on the next load.
 */

/** The page with the session (or null: nobody signed in) before </head>; `<` escaped so no text can end the block. */
export function withSession(html: string, session: SessionBody | null): string {
  const json = JSON.stringify(session).replace(/</g, '\\u003c');
  // A function as the replacement: a `$&` in a name is not a replacement pattern.
  return html.replace('</head>', () => `<script type="application/json" id="${SESSION_ELEMENT_ID}">${json}</script></head>`);
}

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

/** The built page, read again only when a new build replaced it: a rebuild is served without a restart. */
function builtPage(distDir: string): () => Promise<string> {
  const file = path.join(distDir, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;
  return async function builtPage() {
    const { mtimeMs } = await stat(file);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: await readFile(file, 'utf8') };
    return cached.html;
  };
}

/** The signed-out page: the session block (null) and the sign-in form. */
function signedOutPage(c: Context, html: string, view: SignInView, status: 200 | 400 | 401 | 429 = 200) {
  c.header('Cache-Control', 'private, no-cache');
  return c.html(withSignInForm(withSession(html, null), view), status);
}

export function dashboardIndex(deps: Deps, distDir: string): Handler {
  const page = builtPage(distDir);
  return async function dashboardIndex(c) {
    const html = await page();
    const session = await currentSession(deps, c);
    if (!session) return signedOutPage(c, html, { locale: signInLocale(c) });
    c.header('Cache-Control', 'private, no-cache');
    return c.html(withSession(html, sessionBodyOf(deps, session.user, session.csrfToken)));
  };
}

/**
 * The page's sign-in form, posted before the dashboard's script has loaded: the same sign-in as POST /api/session
 * (server/auth/sign-in.ts), then 303 to the dashboard, or the form again with the reason (and the email kept).
 * Refused (403) when another site's page posts it: that would sign the visitor in as someone else.
 */
export function dashboardSignIn(deps: AppDeps, distDir: string): Handler {
  const page = builtPage(distDir);
  return async function dashboardSignIn(c) {
    const ownPage = fromOwnPage(
      { secFetchSite: c.req.header('sec-fetch-site'), origin: c.req.header('origin'), host: c.req.header('host') },
      deps.publicUrl,
    );
    if (!ownPage) return c.text('Refused: this sign-in was not sent from Hami’s own page.', 403);
    const locale = signInLocale(c);
    const form = await readForm(c);
    const email = form.fields?.email ?? '';
    const login = form.fields && loginInput.safeParse({ email: form.fields.email ?? '', password: form.fields.password ?? '' });
    if (!login?.success) return signedOutPage(c, await page(), { locale, email, refusal: 'signInIncomplete' }, 400);
    const result = await signIn(deps, c, login.data);
    if (result.status === 'signed_in') return c.redirect(c.req.path, 303);
    if (result.status === 'wait') c.header('Retry-After', String(result.seconds));
    const refused =
      result.status === 'wait'
        ? ({ refusal: 'tooManyAttempts', status: 429 } as const)
        : ({ refusal: 'wrongCredentials', status: 401 } as const);
    return signedOutPage(c, await page(), { locale, email, refusal: refused.refusal }, refused.status);
  };
}
