import { describe, expect, test } from 'vitest';
import { fromOwnPage } from '../../server/http/same-origin.js';

describe('a form post from one of our own pages (no login CSRF)', () => {
  const PUBLIC = 'https://survey.example.com';
  test.each([
    ['Sec-Fetch-Site same-origin', { secFetchSite: 'same-origin', origin: 'https://survey.example.com', host: 'survey.example.com' }, true],
    [
      'Sec-Fetch-Site cross-site, whatever Origin says',
      { secFetchSite: 'cross-site', origin: 'https://survey.example.com', host: 'survey.example.com' },
      false,
    ],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { secFetchSite: 'same-site', host: 'survey.example.com' }, false],
    ['no Sec-Fetch-Site, Origin the host posted to', { origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' }, true],
    ['no Sec-Fetch-Site, Origin the PUBLIC_URL behind a TLS proxy', { origin: 'https://survey.example.com', host: '127.0.0.1:3000' }, true],
    ['no Sec-Fetch-Site, another site as Origin', { origin: 'https://evil.example', host: 'survey.example.com' }, false],
    ['Origin null (a sandboxed page)', { origin: 'null', host: 'survey.example.com' }, false],
    ['neither header (no browser: no visitor to trick)', { host: 'survey.example.com' }, true],
  ])('%s', (_name, headers, expected) => {
    expect(fromOwnPage(headers, PUBLIC)).toBe(expected);
  });
});
