/** @jsxImportSource hono/jsx */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { directionOf, isLocale, type Locale } from '../../shared/locale.js';
import { SIGN_IN_TEXTS, type SignInRefusal } from '../../shared/sign-in-texts.js';
import { localeFromHeader } from '../survey-page/load-invitation.js';

/*
 * The sign-in form the server writes into the dashboard's page when nobody is signed in: on a slow line (2 s a round
 * trip on Chrome's "Slow 3G") the page alone is one round trip, its script and style sheet a second. So the page
 * carries a plain HTML form that works without any script (it posts to the page's own address,
 * server/http/dashboard-index.ts) and the few styles it needs, inline; the style sheet moves below the form, where it
 * no longer holds back the first paint. When the script arrives, the dashboard draws the same form over it and keeps
 * what was typed and where the focus was (web/static-sign-in.ts). Its markup is the dashboard's (web/app.tsx,
 * web/components/header.tsx, web/pages/login.tsx), ids and classes included, so nothing moves when it does.
 */

/** The cookie the dashboard keeps the chosen language in (web/i18n/messages.ts keepLocale), so this page speaks it too. */
const LOCALE_COOKIE = 'hami_locale';

/** The chosen language (the dashboard's toggle), else the browser's first one. */
export function signInLocale(c: Context): Locale {
  const kept = getCookie(c, LOCALE_COOKIE);
  return isLocale(kept) ? kept : localeFromHeader(c.req.header('accept-language'));
}

/** The part of web/styles.css the sign-in page needs, same values, so the style sheet changes nothing when it comes. */
const CRITICAL_STYLE =
  ':root{--ink:#1d2433;--line:#d9dee7;--paper:#fff;--wash:#f4f6f9;--accent:#1f5fbf;--danger:#b42318;--danger-wash:#fdecea;--focus:#0f3f8c;' +
  "color-scheme:light;font-family:system-ui,'Segoe UI',Vazirmatn,Tahoma,'DejaVu Sans',sans-serif;font-size:15px;line-height:1.5;color:var(--ink);background:var(--wash)}" +
  '*,*::before,*::after{box-sizing:border-box}body{margin:0}h1{line-height:1.25;margin:0 0 .5rem;font-size:1.5rem}a{color:var(--accent)}' +
  ':focus-visible{outline:3px solid var(--focus);outline-offset:2px}' +
  '.skip{position:absolute;inset-inline-start:.5rem;inset-block-start:-4rem;background:var(--paper);padding:.75rem 1.25rem;z-index:10}.skip:focus{inset-block-start:.5rem}.skip:focus-visible{outline-offset:-6px}' +
  '.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1.5rem;background:var(--ink);color:#fff;min-height:2.9rem}.top a{color:#fff}' +
  '.brand{font-weight:700;font-size:1.15rem;text-decoration:none}' +
  'main{max-width:78rem;margin:0 auto;padding:1.5rem;overflow-wrap:break-word}main:focus{outline:none}' +
  'button,input{font:inherit;color:inherit}button{border:1px solid var(--line);border-radius:6px;padding:.4rem .9rem}' +
  'button.primary{background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}' +
  'input{border:1px solid #aab2c0;border-radius:6px;padding:.4rem .55rem;background:var(--paper);max-width:100%}label{font-weight:600}' +
  '.error{color:var(--danger);font-weight:600;background:var(--danger-wash);border-inline-start:4px solid var(--danger);padding:.5rem .75rem}' +
  '.card{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin-block-end:1rem}' +
  '.login{max-width:24rem;margin:3rem auto}.login form{display:grid;gap:.4rem}.login input{margin-block-end:.6rem}.login button{margin-block-start:.4rem}' +
  '@media (max-width:56rem){.top{padding:.5rem 1rem}}@media (max-width:40rem){main{padding:1rem .75rem}.card{padding:.85rem .9rem}}';

/** The CSP source that lets exactly this inline style apply, and no other (server/http/page-headers.ts dashboardHeaders). */
export const CRITICAL_STYLE_SOURCE = `'sha256-${createHash('sha256').update(CRITICAL_STYLE).digest('base64')}'`;

/** What the form shows: the email given back after a refused post, and why it was refused. */
export interface SignInView {
  locale: Locale;
  email?: string;
  refusal?: SignInRefusal;
}

/** The body of the signed-out page: the dashboard's skip link, bar and sign-in form, without a script. */
function SignInForm(props: SignInView) {
  const t = SIGN_IN_TEXTS[props.locale];
  const refusal = props.refusal;
  return (
    <>
      <a class="skip" href="#main">
        {t.skipToContent}
      </a>
      <header class="top">
        <a class="brand" href="#/login">
          {t.title}
        </a>
      </header>
      <main id="main" tabindex={-1}>
        <section class="login card" aria-labelledby="login-title">
          <h1 id="login-title">{t.loginTitle}</h1>
          {/* No action: the form posts to the page's own address, so a deep link (#/callbacks/…) survives signing in. */}
          <form method="post">
            {refusal && (
              // The focus starts on the reason, as after a failed sign-in in the dashboard; data-refusal lets it say the same.
              <p class="error" role="alert" id="login-error" tabindex={-1} autofocus data-refusal={refusal}>
                {t[refusal]}
              </p>
            )}
            <label for="login-email">{t.email}</label>
            <input
              id="login-email"
              type="email"
              name="email"
              autocomplete="username"
              dir="ltr"
              required
              autofocus={!refusal}
              value={props.email ?? ''}
              aria-describedby={refusal ? 'login-error' : undefined}
            />
            <label for="login-password">{t.password}</label>
            <input id="login-password" type="password" name="password" autocomplete="current-password" dir="ltr" required />
            <button type="submit" class="primary">
              {t.signIn}
            </button>
          </form>
        </section>
      </main>
    </>
  );
}

/** The built page with the form in #app, its language, its title and the inline style; the style sheet after the form. */
export function withSignInForm(html: string, view: SignInView): string {
  const t = SIGN_IN_TEXTS[view.locale];
  let sheets = '';
  const page = html
    .replace(/<html lang="[^"]*" dir="[^"]*">/, `<html lang="${view.locale}" dir="${directionOf(view.locale)}">`)
    .replace(/<title>[^<]*<\/title>/, `<title>${t.loginTitle}</title>`)
    // A style sheet in <head> holds back the first paint until it has come; below the form it holds back nothing above it.
    .replace(/<link rel="stylesheet"[^>]*>\s*/g, (link) => {
      sheets += link.trim();
      return '';
    })
    .replace('</head>', () => `<style>${CRITICAL_STYLE}</style></head>`)
    // A function, not a string, as the replacement: `$&` or `$'` in a typed email stays as typed.
    .replace('<div id="app"></div>', () => `<div id="app">${(<SignInForm {...view} />).toString()}</div>${sheets}`);
  return page;
}
