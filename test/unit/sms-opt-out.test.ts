import { describe, expect, test } from 'vitest';
import { isOptOutReply } from '../../shared/sms-opt-out.js';

describe('isOptOutReply', () => {
  test.each([
    'STOP',
    'stop',
    'Stop!',
    'STOP ALL',
    'stopall',
    'UNSUBSCRIBE',
    'Cancel',
    'END',
    'quit.',
    'REVOKE',
    'OPT OUT',
    'optout',
    'لغو',
    'لغو عضویت',
    'لغو‌عضویت',
    'لغو عضويت',
    'لغو اشتراک',
    'لغو اشتراك',
    'انصراف',
    ' انصراف. ',
    '11',
    '۱۱',
    '١١',
  ])('%j is an opt-out', (reply) => {
    expect(isOptOutReply(reply)).toBe(true);
  });

  test.each(['', '10', '9', 'yes', 'please stop sending me these', 'لغو سفارش شد ولی پول برنگشت', 'the end', 'ok'])(
    '%j is not (an answer or a comment that merely contains a word)',
    (reply) => {
      expect(isOptOutReply(reply)).toBe(false);
    },
  );
});
