import { describe, expect, test } from 'vitest';
import { delightedPeopleHandler, delightedTime, invitationIdOf } from '../../server/imports/delighted.js';
import { MappingError, mapHeader, parseMapOptions } from '../../server/imports/mapping.js';
import { inputSchemas } from '../../server/events/input.js';
import { eventOfRow, instantOf } from '../../server/imports/rows.js';

const schemas = inputSchemas('IR');

const fieldsOf = (headers: string[], map: string[] = []) => {
  const { columns } = mapHeader(headers, 'events', parseMapOptions(map, 'events'));
  return headers.map((_, i) => columns.get(i) ?? null);
};

describe('header mapping', () => {
  test('known names and aliases map regardless of case, spaces and underscores', () => {
    expect(
      fieldsOf([
        'Order ID',
        'TYPE',
        'customer_id',
        'E-mail',
        'Mobile',
        'Full Name',
        'Language',
        'Order Date',
        'attr.product',
        'customer.attr.tier',
        'notes',
      ]),
    ).toEqual([
      'id',
      'type',
      'customer.id',
      'customer.email',
      'customer.phone',
      'customer.name',
      'customer.locale',
      'occurredAt',
      'attr.product',
      'customer.attr.tier',
      null,
    ]);
  });

  test('a --map entry overrides the default', () => {
    expect(fieldsOf(['Ref', 'kind', 'Client', 'When'], ['Ref=id', 'kind=type', 'Client=customer.id', 'When=occurredAt'])).toEqual([
      'id',
      'type',
      'customer.id',
      'occurredAt',
    ]);
  });

  test('an exact field name beats an alias for the same field', () => {
    expect(fieldsOf(['Order ID', 'id', 'type', 'customer id'])).toEqual([null, 'id', 'type', 'customer.id']);
  });

  test.each([
    [['type', 'customer id'], 'id'],
    [['id', 'customer id'], 'type'],
    [['id', 'type'], 'customer.id'],
  ])('a missing required column is named: %j', (headers, field) => {
    const error = (() => {
      try {
        fieldsOf(headers);
      } catch (e) {
        return e;
      }
      return undefined; // nothing thrown: the expectations below fail
    })();
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).field).toBe(field);
  });

  test.each(['Order ID', 'Order ID=', '=id', 'Order ID=unknown'])('a bad --map value is refused: %s', (value) => {
    expect(() => parseMapOptions([value], 'events')).toThrow(MappingError);
  });

  test.each([
    ['a column', ['id', 'type', 'customer id', 'attr.__proto__'], [], 'attr.__proto__'],
    ['a customer column', ['id', 'type', 'customer id', 'Customer.Attributes.__proto__'], [], 'customer.attr.__proto__'],
    ['a --map entry', ['id', 'type', 'customer id', 'Tier'], ['Tier=attr.__proto__'], 'attr.__proto__'],
  ])('%s for an attribute named __proto__ is refused by name, not dropped from every row', (_what, headers, map, field) => {
    const error = (() => {
      try {
        fieldsOf(headers, map);
      } catch (e) {
        return e;
      }
      return undefined; // nothing thrown: the expectations below fail
    })();
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).field).toBe(field);
    expect((error as MappingError).message).toContain('__proto__');
  });
});

describe('row values', () => {
  test.each([
    ['2026-03-01', '2026-03-01T00:00:00Z'],
    ['2026-03-01 10:30', '2026-03-01T10:30:00Z'],
    ['۲۰۲۶-۰۳-۰۱', '2026-03-01T00:00:00Z'],
    ['2026-03-01T10:30:00+03:30', '2026-03-01T10:30:00+03:30'],
  ])('%s is read as %s', (text, iso) => expect(instantOf(text)).toBe(iso));

  test.each(['+98 (912) 123-4567', '+۹۸۹۱۲۱۲۳۴۵۶۷', '0912 123 4567'])("a phone cell written %s is the customer's E.164 number", (cell) => {
    const columns = new Map([
      [0, 'type'],
      [1, 'id'],
      [2, 'customer.id'],
      [3, 'customer.phone'],
    ]);
    const result = eventOfRow(schemas, 2, ['purchase', 'A-1', 'c-1', cell], columns);
    expect(result.ok && result.value.customer.phone).toBe('+989121234567');
  });

  test('a landline in a phone cell is a row error naming customer.phone', () => {
    const columns = new Map([
      [0, 'type'],
      [1, 'id'],
      [2, 'customer.id'],
      [3, 'customer.phone'],
    ]);
    const result = eventOfRow(schemas, 5, ['purchase', 'A-1', 'c-1', '021 8888 8888'], columns);
    expect(result.ok ? [] : result.errors.map((e) => [e.row, e.field])).toEqual([[5, 'customer.phone']]);
  });

  test('a row becomes the events API input, Persian text intact, attributes as text', () => {
    const columns = new Map([
      [0, 'type'],
      [1, 'id'],
      [2, 'customer.id'],
      [3, 'customer.name'],
      [4, 'attr.code'],
    ]);
    const result = eventOfRow(schemas, 2, ['Purchase', ' A-1 ', 'c-1', 'سارا احمدی', '007'], columns);
    expect(result).toEqual({
      ok: true,
      value: { type: 'purchase', id: 'A-1', customer: { id: 'c-1', name: 'سارا احمدی' }, attributes: { code: '007' } },
    });
  });

  test('each problem of a row is reported with its row and field', () => {
    const columns = new Map([
      [0, 'type'],
      [1, 'id'],
      [2, 'customer.id'],
      [3, 'customer.email'],
      [4, 'occurredAt'],
    ]);
    const result = eventOfRow(schemas, 7, ['refund', 'A-1', 'c-1', 'nope', 'yesterday'], columns);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => [e.row, e.field])).toEqual([
        [7, 'type'],
        [7, 'occurredAt'],
        [7, 'customer.email'],
      ]);
  });
});

describe('Delighted values', () => {
  test.each([
    ['2024-03-05T14:22:10Z', '2024-03-05T14:22:10.000Z'],
    ['2024-03-05 14:22:10 UTC', '2024-03-05T14:22:10.000Z'],
    ['2024-03-05 14:22:10 -0800', '2024-03-05T22:22:10.000Z'],
    ['1709648530', '2024-03-05T14:22:10.000Z'],
  ])('%s is %s', (text, iso) => expect(delightedTime(text)?.toISOString()).toBe(iso));

  test.each([
    '2024-02-30T14:22:10Z',
    '2023-02-29 10:00:00 UTC',
    '2024-13-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    'March 5, 2024',
  ])('%s is not a date-time Hami reads', (text) => expect(delightedTime(text)).toBeNull());

  test('a Delighted property column named __proto__ is refused by name, not dropped from every person', () => {
    expect(() => delightedPeopleHandler(['Email', 'Properties: __proto__'], 'IR')).toThrow(/property name must not be __proto__/);
  });

  test('a response id always gives the same invitation id, another gives another', () => {
    expect(invitationIdOf('123')).toBe(invitationIdOf('123'));
    expect(invitationIdOf('123')).not.toBe(invitationIdOf('124'));
  });
});
