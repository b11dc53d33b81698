import { describe, expect, test } from 'vitest';
import { keyOfAuthorization } from '../../server/delighted-api/auth.js';
import { DelightedError } from '../../server/delighted-api/errors.js';
import { formFields, rangeOf, readPerson } from '../../server/delighted-api/input.js';
import { orderOf } from '../../server/delighted-api/reads.js';
import { metricsOf } from '../../server/delighted-api/shapes.js';

const basic = (userAndPassword: string) => `Basic ${Buffer.from(userAndPassword).toString('base64')}`;

describe('the API key of a Delighted-style request', () => {
  test.each([
    ['Basic with the key as user and an empty password', basic('hami_abc:'), 'hami_abc'],
    ['Basic with a password, which is ignored', basic('hami_abc:whatever'), 'hami_abc'],
    ['Basic without a colon', basic('hami_abc'), 'hami_abc'],
    ['a Bearer key', 'Bearer hami_abc', 'hami_abc'],
    ['Basic with an empty user', basic(':hami_abc'), null],
    ['no scheme', 'hami_abc', null],
    ['nothing', '', null],
  ])('%s', (_, header, key) => {
    expect(keyOfAuthorization(header)).toBe(key);
  });
});

describe("a form body read as Delighted's clients write it", () => {
  test('properties[key]=value becomes a map, expand[]=… a list, the rest plain fields', () => {
    expect(
      formFields('email=a%40b.co&properties%5BPlan%5D=gold&properties[Shop]=%D8%AA%D9%87%D8%B1%D8%A7%D9%86&expand[]=person&send=false'),
    ).toEqual({
      email: 'a@b.co',
      properties: { Plan: 'gold', Shop: 'تهران' },
      expand: ['person'],
      send: 'false',
    });
  });

  test('delay and send given as form text are read as a number and a flag, Persian digits included', () => {
    expect(readPerson({ email: 'a@b.co', delay: '۶۰', send: 'false' })).toMatchObject({ delay: 60, send: false });
    expect(readPerson({ email: 'a@b.co', delay: 60, send: true })).toMatchObject({ delay: 60, send: true });
  });

  test('a bad property is named as the client wrote it', () => {
    const error = (() => {
      try {
        readPerson({ email: 'a@b.co', properties: { Plan: { nested: true } } });
      } catch (e) {
        return e;
      }
      return undefined; // nothing thrown: the expectations below fail
    })();
    expect(error).toBeInstanceOf(DelightedError);
    expect((error as DelightedError).errors).toHaveProperty(['properties[Plan]']);
  });
});

describe('order and time ranges', () => {
  test.each([
    [undefined, { column: 'answered_at', direction: 'asc' }],
    ['desc', { column: 'answered_at', direction: 'desc' }],
    ['asc:updated_at', { column: 'updated_at', direction: 'asc' }],
    ['desc:updated_at', { column: 'updated_at', direction: 'desc' }],
  ])('order %s', (order, expected) => {
    expect(orderOf(order)).toEqual(expected);
  });

  test('until takes in the whole second it names', () => {
    expect(rangeOf(1782900000, 1782900000)).toEqual({ from: '2026-07-01T10:00:00.000Z', to: '2026-07-01T10:00:00.999Z' });
    expect(rangeOf(undefined, undefined)).toEqual({});
  });
});

describe("Delighted's metrics from the bucket counts", () => {
  test('NPS and percentages are rounded whole numbers; the counts stay exact', () => {
    // (2 − 0) / 3 = 66.7 → 67; 1 of 3 = 33.3 → 33.
    expect(metricsOf({ promoters: 2, passives: 1, detractors: 0 })).toEqual({
      nps: 67,
      promoter_count: 2,
      promoter_percent: 67,
      passive_count: 1,
      passive_percent: 33,
      detractor_count: 0,
      detractor_percent: 0,
      response_count: 3,
    });
  });

  test('with no answers the NPS is null, not 0', () => {
    expect(metricsOf({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({ nps: null, response_count: 0, promoter_percent: 0 });
  });
});
