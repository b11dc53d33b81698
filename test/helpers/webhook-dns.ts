import type { HostResolver } from '../../server/webhooks/url-policy.js';

/** A public address (documentation ranges are refused by the SSRF rule, so this is one outside them). */
export const PUBLIC_TEST_ADDRESS = '93.184.215.14';

/**
 * The resolver tests give the app: this sandbox has no public DNS, and webhook receivers in tests are msw handlers
 * on example host names. Names under example.com/.org/.net and the .test/.example TLDs resolve to a public
 * address (msw answers before any connection); every other name does not exist.
 */
export const exampleResolver: HostResolver = async (hostname) => {
  if (/(^|\.)(example\.(com|org|net)|test|example)$/i.test(hostname)) return [{ address: PUBLIC_TEST_ADDRESS, family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
