/**
 * Whether a form post comes from one of this server's own pages, so another site cannot post it in a visitor's
 * browser (for the sign-in form: "login CSRF", which would sign the visitor in as the attacker). Browsers say where a
 * post comes from: Sec-Fetch-Site (every current one) must be same-origin; failing that, Origin must name this server
 * — the host the request was sent to, or PUBLIC_URL's origin when a proxy in front changes the scheme. A browser sends
 * Origin with every form post, so a post with neither header is no browser's, and no visitor's cookie is at stake.
 */
export function fromOwnPage(headers: { secFetchSite?: string; origin?: string; host?: string }, publicUrl: string): boolean {
  if (headers.secFetchSite !== undefined) return headers.secFetchSite === 'same-origin';
  if (headers.origin === undefined) return true;
  // "null": a sandboxed or privacy-sensitive context, never one of our pages.
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return false;
  }
  return origin.host === headers.host || origin.origin === new URL(publicUrl).origin;
}
