import { describe, expect, test } from 'vitest';
import {
  callbackDueAt,
  canMoveCase,
  CASE_STATUSES,
  caseActionOnAnswer,
  closesWithOutcome,
  isClosed,
  isOverdue,
  type CaseAction,
  type CaseState,
  type CaseStatus,
} from '../../shared/callback-rules.js';
import type { Bucket } from '../../shared/scoring.js';

describe('callbackDueAt', () => {
  test('is 24 hours after the answer by default', () => {
    expect(callbackDueAt(new Date('2026-05-01T10:15:00Z')).toISOString()).toBe('2026-05-02T10:15:00.000Z');
  });

  test.each([
    [4, '2026-05-01T14:15:00.000Z'],
    [48, '2026-05-03T10:15:00.000Z'],
    [0.5, '2026-05-01T10:45:00.000Z'], // half an hour
  ])('a survey SLA of %s hours', (slaHours, expected) => {
    expect(callbackDueAt(new Date('2026-05-01T10:15:00Z'), slaHours).toISOString()).toBe(expected);
  });

  test('does not change the answer time it was given', () => {
    const answeredAt = new Date('2026-05-01T10:15:00Z');
    callbackDueAt(answeredAt, 24);
    expect(answeredAt.toISOString()).toBe('2026-05-01T10:15:00.000Z');
  });
});

describe('caseActionOnAnswer', () => {
  const open: CaseState = { status: 'open', ownerId: null };
  const openOwned: CaseState = { status: 'open', ownerId: 'u1' };
  const contacted: CaseState = { status: 'contacted', ownerId: 'u1' };
  const withdrawn: CaseState = { status: 'withdrawn', ownerId: null };
  const resolved: CaseState = { status: 'resolved', ownerId: 'u1' };
  const unresolvable: CaseState = { status: 'unresolvable', ownerId: 'u1' };

  test.each<[string, CaseState | null, Bucket | null, CaseAction]>([
    // no case yet
    ['no case, detractor → open one', null, 'detractor', 'open'],
    ['no case, passive → nothing', null, 'passive', 'none'],
    ['no case, promoter → nothing', null, 'promoter', 'none'],
    ['no case, no score → nothing', null, null, 'none'],
    // open and nobody has taken it
    ['open unowned, promoter → withdraw', open, 'promoter', 'withdraw'],
    ['open unowned, passive → withdraw', open, 'passive', 'withdraw'],
    ['open unowned, score removed → withdraw', open, null, 'withdraw'],
    ['open unowned, still a detractor → note', open, 'detractor', 'note'],
    // someone is working it
    ['open owned, promoter → note', openOwned, 'promoter', 'note'],
    ['open owned, detractor → note', openOwned, 'detractor', 'note'],
    ['contacted, promoter → note', contacted, 'promoter', 'note'],
    ['contacted, passive → note', contacted, 'passive', 'note'],
    ['contacted, detractor → note', contacted, 'detractor', 'note'],
    // withdrawn automatically
    ['withdrawn, detractor → reopen', withdrawn, 'detractor', 'reopen_withdrawn'],
    ['withdrawn, passive → nothing', withdrawn, 'passive', 'none'],
    ['withdrawn, promoter → nothing', withdrawn, 'promoter', 'none'],
    // closed
    ['resolved, detractor → note', resolved, 'detractor', 'note'],
    ['resolved, promoter → note', resolved, 'promoter', 'note'],
    ['unresolvable, detractor → note', unresolvable, 'detractor', 'note'],
    ['unresolvable, passive → note', unresolvable, 'passive', 'note'],
  ])('%s', (_name, previous, bucket, expected) => {
    expect(caseActionOnAnswer(previous, bucket)).toBe(expected);
  });
});

describe('the case lifecycle', () => {
  // Every pair of statuses, and whether staff may make that move: a table read across, so a new arrow shows.
  const allowed: Record<CaseStatus, readonly CaseStatus[]> = {
    open: ['contacted', 'resolved', 'unresolvable'],
    contacted: ['resolved', 'unresolvable'],
    resolved: ['open'],
    unresolvable: ['open'],
    withdrawn: ['open'],
  };
  const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to, allowed[from].includes(to)] as const));

  test.each(pairs)('%s → %s allowed: %s', (from, to, expected) => {
    expect(canMoveCase(from, to)).toBe(expected);
  });

  test('no one but the customer withdraws a case, and nothing moves back to contacted from a closed case', () => {
    expect(CASE_STATUSES.filter((from) => canMoveCase(from, 'withdrawn'))).toEqual([]);
    expect(CASE_STATUSES.filter((from) => canMoveCase(from, 'contacted'))).toEqual(['open']);
  });

  test.each<[CaseStatus, boolean, boolean]>([
    ['open', false, false],
    ['contacted', false, false],
    ['resolved', true, true],
    ['unresolvable', true, true],
    ['withdrawn', true, false],
  ])('%s: closed %s, closed with an outcome for the customer %s', (status, closed, withOutcome) => {
    expect(isClosed(status)).toBe(closed);
    expect(closesWithOutcome(status)).toBe(withOutcome);
  });

  test.each<[CaseStatus, string, boolean]>([
    ['open', '2026-05-01T10:00:00.000Z', true], // due a minute ago
    ['open', '2026-05-01T10:01:00.000Z', true], // due this instant
    ['open', '2026-05-01T10:02:00.000Z', false],
    ['contacted', '2026-05-01T10:00:00.000Z', false], // the customer was called: the deadline is met
    ['resolved', '2026-05-01T10:00:00.000Z', false],
    ['withdrawn', '2026-05-01T10:00:00.000Z', false],
  ])('%s due %s is overdue at 10:01: %s', (status, dueAt, expected) => {
    expect(isOverdue(status, dueAt, new Date('2026-05-01T10:01:00Z'))).toBe(expected);
  });
});
