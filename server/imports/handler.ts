import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Converted } from './rows.js';

export type RowOutcome = 'imported' | 'updated' | 'skipped';

/** A checked row, ready to be written inside a batch's transaction. */
export type RowWriter = (trx: Transaction<Database>, now: Date) => Promise<RowOutcome>;

/**
 * A row deliberately left out, which is not an error (a clean export must not "fail" for it): counted under its code,
 * once per code in the report's notices (e.g. Delighted CSAT rows: `not_nps` with detail "csat").
 */
export interface RowNotice {
  ok: 'notice';
  code: string;
  detail: string;
}

/** How one kind of file is read: its header decides the columns, then each row is checked into a writer. */
export type RowHandler = (row: number, cells: readonly string[]) => Converted<RowWriter> | RowNotice;

/** A handler from a row checker and a writer of what it checked. */
export function handler<T>(
  check: (row: number, cells: readonly string[]) => Converted<T> | RowNotice,
  write: (trx: Transaction<Database>, value: T, now: Date) => Promise<RowOutcome>,
): RowHandler {
  return (row, cells) => {
    const checked = check(row, cells);
    return checked.ok === true ? { ok: true, value: (trx, now) => write(trx, checked.value, now) } : checked;
  };
}
