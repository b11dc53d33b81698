/**
 * The one rule for where webhooks may point, used when a subscription is saved and again before every attempt
 * (so a stricter rule applies to subscriptions saved before it). Today: an absolute http(s) URL without
 * credentials. Refusing loopback and private addresses (SSRF) belongs here too (issue 8).
 * Returns why the URL is refused, or null when it is allowed.
 */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL such as https://example.com/hooks/hami';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password (the signature authenticates Hami)';
  return null;
}
