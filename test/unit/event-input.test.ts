import { describe, expect, test } from 'vitest';
import { inputSchemas } from '../../server/events/input.js';

const { eventInput } = inputSchemas('IR');

const minimal = { type: 'purchase', id: 'order-1001', customer: { id: 'cust-7' } };

const full = {
  type: 'resolution',
  id: 'ticket-42',
  occurredAt: '2026-05-01T10:00:00+03:30',
  sendAt: '2026-05-01T12:00:00Z',
  customer: {
    id: 'cust-7',
    email: 'sara@example.com',
    phone: '+989121234567',
    name: 'سارا',
    locale: 'fa',
    timeZone: 'Asia/Tehran',
    attributes: { tier: 'gold', orders: 12, vip: true },
  },
  attributes: { channel: 'phone', amount: 1_250_000, refunded: false },
};

/** The paths of the issues of a failed parse, joined with dots. */
function issuePaths(input: unknown): string[] {
  const result = eventInput.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

function issueMessage(input: unknown, path: string): string | undefined {
  const result = eventInput.safeParse(input);
  return result.success ? undefined : result.error.issues.find((i) => i.path.join('.') === path)?.message;
}

describe('eventInput accepts', () => {
  test('a full valid event, unchanged', () => {
    const result = eventInput.safeParse(full);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(full);
  });

  test('a minimal event: type, id and customer id', () => {
    expect(eventInput.safeParse(minimal).success).toBe(true);
  });

  test('sendAt "now"', () => {
    expect(eventInput.parse({ ...minimal, sendAt: 'now' }).sendAt).toBe('now');
  });

  test.each(['2026-05-01T10:00:00Z', '2026-05-01T10:00:00.123Z', '2026-05-01T13:30:00+03:30', '2026-05-01T05:00:00-05:00'])(
    'sendAt %s (a date-time with an offset)',
    (sendAt) => {
      expect(eventInput.safeParse({ ...minimal, sendAt }).success).toBe(true);
    },
  );

  test.each(['Asia/Tehran', 'Europe/Berlin', 'UTC'])('customer time zone %s', (timeZone) => {
    expect(eventInput.safeParse({ ...minimal, customer: { id: 'c', timeZone } }).success).toBe(true);
  });

  test.each(['en', 'fa'])('customer locale %s', (locale) => {
    expect(eventInput.safeParse({ ...minimal, customer: { id: 'c', locale } }).success).toBe(true);
  });

  test('ids are trimmed', () => {
    const parsed = eventInput.parse({ ...minimal, id: '  order-1001 ', customer: { id: ' cust-7 ' } });
    expect(parsed.id).toBe('order-1001');
    expect(parsed.customer.id).toBe('cust-7');
  });
});

describe('eventInput rejects, naming the field', () => {
  test('missing customer.id', () => {
    expect(issuePaths({ ...minimal, customer: { email: 'a@b.example' } })).toEqual(['customer.id']);
    expect(issueMessage({ ...minimal, customer: {} }, 'customer.id')).toBe('is required');
  });

  test('blank customer.id', () => {
    expect(issuePaths({ ...minimal, customer: { id: '   ' } })).toEqual(['customer.id']);
  });

  test('missing customer', () => {
    expect(issuePaths({ type: 'purchase', id: 'o1' })).toEqual(['customer']);
  });

  test('missing id', () => {
    expect(issuePaths({ type: 'purchase', customer: { id: 'c' } })).toEqual(['id']);
  });

  test.each(['refund', 'Purchase', '', 42])('type %j', (type) => {
    expect(issuePaths({ ...minimal, type })).toEqual(['type']);
    expect(issueMessage({ ...minimal, type }, 'type')).toBe('must be one of purchase, resolution');
  });

  test.each([
    ['an object', { nested: true }],
    ['an array', ['a', 'b']],
    ['null', null],
  ])('an event attribute that is %s', (_name, value) => {
    expect(issuePaths({ ...minimal, attributes: { plan: value } })).toEqual(['attributes.plan']);
    expect(issueMessage({ ...minimal, attributes: { plan: value } }, 'attributes.plan')).toBe('must be a string, number or boolean');
  });

  test('a customer attribute that is an object', () => {
    expect(issuePaths({ ...minimal, customer: { id: 'c', attributes: { address: { city: 'Tehran' } } } })).toEqual([
      'customer.attributes.address',
    ]);
  });

  test('more than 50 attributes', () => {
    const attributes = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i]));
    expect(issuePaths({ ...minimal, attributes })).toEqual(['attributes']);
  });

  test('an unknown top-level field (the schema is strict)', () => {
    const result = eventInput.safeParse({ ...minimal, priority: 'high' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['priority'], path: [] });
  });

  test('an unknown customer field', () => {
    const result = eventInput.safeParse({ ...minimal, customer: { id: 'c', mobile: '+989121234567' } });
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['mobile'], path: ['customer'] });
  });

  test.each([
    'tomorrow',
    '2026-05-01T10:00:00', // no offset: which 10 o’clock?
    '2026-05-01', // a date, no time
    '2026-05-01 10:00:00Z', // space instead of T
    '2026-02-30T10:00:00Z', // no such day
    'NOW',
  ])('sendAt %j', (sendAt) => {
    expect(issuePaths({ ...minimal, sendAt })).toEqual(['sendAt']);
  });

  test('occurredAt without an offset', () => {
    expect(issuePaths({ ...minimal, occurredAt: '2026-05-01T10:00:00' })).toEqual(['occurredAt']);
    expect(issueMessage({ ...minimal, occurredAt: '2026-05-01T10:00:00' }, 'occurredAt')).toMatch(/offset/);
  });

  test('occurredAt "now" is not allowed (only sendAt takes "now")', () => {
    expect(issuePaths({ ...minimal, occurredAt: 'now' })).toEqual(['occurredAt']);
  });

  test.each([
    '021 8888 8888', // a Tehran landline
    '+0989121234567', // country code cannot start with 0
    '+12345', // too short
    '+1234567890123456', // 16 digits: too long
    '0912 abc 4567', // letters
  ])('phone %j (not a mobile)', (phone) => {
    expect(issuePaths({ ...minimal, customer: { id: 'c', phone } })).toEqual(['customer.phone']);
  });

  test('a bad email', () => {
    expect(issuePaths({ ...minimal, customer: { id: 'c', email: 'sara at example' } })).toEqual(['customer.email']);
  });

  test.each(['de', 'FA', 'fa-IR', ''])('locale %j', (locale) => {
    expect(issuePaths({ ...minimal, customer: { id: 'c', locale } })).toEqual(['customer.locale']);
    expect(issueMessage({ ...minimal, customer: { id: 'c', locale } }, 'customer.locale')).toBe('must be one of en, fa');
  });

  test.each(['Mars/Olympus_Mons', 'Tehran', 'GMT+25', ''])('time zone %j', (timeZone) => {
    expect(issuePaths({ ...minimal, customer: { id: 'c', timeZone } })).toEqual(['customer.timeZone']);
    expect(issueMessage({ ...minimal, customer: { id: 'c', timeZone } }, 'customer.timeZone')).toBe(
      'must be an IANA time zone such as Asia/Tehran',
    );
  });

  test('every bad field is reported at once', () => {
    const paths = issuePaths({
      type: 'refund',
      id: 'o1',
      customer: { id: 'c', phone: '0912', locale: 'de' },
    });
    expect(paths.sort()).toEqual(['customer.locale', 'customer.phone', 'type']);
  });
});
