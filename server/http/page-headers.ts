import type { MiddlewareHandler } from 'hono';
import { logoOrigin } from '../branding/page-brand.js';
import { CRITICAL_STYLE_SOURCE } from './sign-in-page.js';
import { NONCE, secureHeaders, type ContentSecurityPolicyOptionHandler } from 'hono/secure-headers';

type Directives = { [name: string]: (string | ContentSecurityPolicyOptionHandler)[] };

/*
 * Security headers of every response (test/integration/security-headers.test.ts requests every page):
 * - a Content-Security-Policy without 'unsafe-inline' for scripts; customer pages run no script at all, except the
 *   kiosk's one nonce'd reset script;
 * - frame-ancestors 'none' (and X-Frame-Options: DENY for old browsers): no page of Hami is framed, so a survey
 *   or the dashboard cannot be clickjacked;
 * - Referrer-Policy: no-referrer: survey, opt-out and dashboard URLs carry tokens and customer ids;
 * - X-Content-Type-Options: nosniff;
 * - Strict-Transport-Security only on a request that reached the client over HTTPS (strictTransportSecurity).
 */

/** Every page: no framing, no Referer (URLs carry survey tokens and customer ids), and only the sources named. */
function strictPage(contentSecurityPolicy: Directives) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      ...contentSecurityPolicy,
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    // Decided per request by strictTransportSecurity(), which knows whether the request came over HTTPS.
    strictTransportSecurity: false,
  });
}

/** Customer pages run no script at all: only our nonce'd style, our images and the brand's logo (an https URL). */
export function customerPageHeaders() {
  return strictPage({ styleSrc: [NONCE], imgSrc: ["'self'", 'data:', logoOrigin] });
}

/**
 * A kiosk page: a customer page plus one small nonce'd inline script, the thank-you page's return to the empty
 * survey (server/public-links/kiosk-views.tsx) — a meta refresh would do it without script, but screen readers
 * warn about one and axe flags it.
 */
export function kioskPageHeaders() {
  return strictPage({ scriptSrc: [NONCE], styleSrc: [NONCE], imgSrc: ["'self'", 'data:'] });
}

/**
 * The dashboard runs only its own bundled script and styles and talks only to this server (Settings previews an https
 * logo). One inline style is allowed by its hash: the few rules the signed-out page's own sign-in form needs before
 * the style sheet has come (server/http/sign-in-page.tsx).
 */
export function dashboardHeaders() {
  return strictPage({
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", CRITICAL_STYLE_SOURCE],
    imgSrc: ["'self'", 'data:', logoOrigin],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
  });
}

/** What a response without a page policy of its own gets (redirects, the 404, API JSON, errors): nothing may load or frame it. */
const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS for one year; not includeSubDomains, since other hosts of the operator's domain may not be on HTTPS. */
const HSTS_VALUE = 'max-age=31536000';

/**
 * Whether the client reached us over HTTPS: the request itself is https (TLS ends here), or a proxy in front says
 * so with X-Forwarded-Proto: https — believed only when PUBLIC_URL is https, i.e. the operator has said a TLS
 * proxy is in front. (A client forging the header could only pin HTTPS for itself.) Plain HTTP never gets HSTS: a
 * browser would refuse the site over HTTP for a year.
 */
function cameOverHttps(requestUrl: string, forwardedProto: string | undefined, publicUrl: string): boolean {
  if (requestUrl.startsWith('https://')) return true;
  const proto = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https' && publicUrl.startsWith('https://');
}

/**
 * The app-wide baseline, registered once on the main app before every route: the page policies above stay as
 * they are; any response without one gets FALLBACK_CSP and the other headers; HSTS when the request came over HTTPS.
 */
export function baselineHeaders(publicUrl: () => string): MiddlewareHandler {
  return async function baselineHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    if (!headers.has('content-security-policy')) headers.set('Content-Security-Policy', FALLBACK_CSP);
    if (!headers.has('referrer-policy')) headers.set('Referrer-Policy', 'no-referrer');
    if (!headers.has('x-content-type-options')) headers.set('X-Content-Type-Options', 'nosniff');
    if (!headers.has('x-frame-options')) headers.set('X-Frame-Options', 'DENY');
    if (cameOverHttps(c.req.url, c.req.header('x-forwarded-proto'), publicUrl())) headers.set('Strict-Transport-Security', HSTS_VALUE);
    else headers.delete('Strict-Transport-Security');
  };
}
