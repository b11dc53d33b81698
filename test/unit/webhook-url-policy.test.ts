import { describe, expect, test } from 'vitest';
import { literalHostProblem } from '../../server/webhooks/url-policy.js';

describe('a webhook URL set at start-up is checked without a lookup when its host is an address', () => {
  test.each([
    ['http://127.0.0.1:8080/hook', 'a loopback address (127.0.0.1)'],
    ['http://2130706433/hook', 'a loopback address (127.0.0.1)'],
    ['http://localhost/hook', 'a loopback name (localhost)'],
    ['http://chat.localhost./hook', 'a loopback name (chat.localhost.)'],
    ['http://[::1]/hook', 'a loopback address (::1)'],
    ['http://[::ffff:0:a00:1]/hook', 'a private address (::ffff:0:a00:1)'],
    ['http://[64:ff9b::7f00:1]/hook', 'a loopback address (64:ff9b::7f00:1)'],
    ['http://[2002:c0a8:101::1]/hook', 'a private address (2002:c0a8:101::1)'],
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook', 'a loopback address (2001:0:4136:e378:8000:63bf:80ff:fffe)'],
  ])('%s: %s', (url, problem) => expect(literalHostProblem(url)).toBe(problem));

  test.each([
    'https://hooks.slack.com/services/T0/B0/x',
    'https://8.8.8.8/hook',
    'http://[2606:4700:4700::1111]/hook',
    'http://internal.example.com/hook',
  ])('%s is left to the connection-time check', (url) => expect(literalHostProblem(url)).toBeNull());
});
