import { NONCE, secureHeaders, type ContentSecurityPolicyOptionHandler } from 'hono/secure-headers';

type Directives = { [name: string]: (string | ContentSecurityPolicyOptionHandler)[] };

/** Every page: no framing, no Referer (URLs carry survey tokens and customer ids), and only the sources named. */
function strictPage(contentSecurityPolicy: Directives) {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], ...contentSecurityPolicy },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    strictTransportSecurity: false,
  });
}

/** Customer pages run no script at all: only our nonce'd style and our images. */
export function customerPageHeaders() {
  return strictPage({ styleSrc: [NONCE], imgSrc: ["'self'", 'data:'] });
}

/** The dashboard runs only its own bundled script and styles and talks only to this server. */
export function dashboardHeaders() {
  return strictPage({ scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"], connectSrc: ["'self'"] });
}
