import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Converted } from './rows.js';

export type RowOutcome = 'imported' | 'updated' | 'skipped';

/** A checked row, ready to be written inside a batch's transaction. */
export type RowWriter = (trx: Transaction<Database>, now: Date) => Promise<RowOutcome>;

/** How one kind of file is read: its header decides the columns, then each row is checked into a writer. */
export type RowHandler = (row: number, cells: readonly string[]) => Converted<RowWriter>;

/** A handler from a row checker and a writer of what it checked. */
export function handler<T>(check: (row: number, cells: readonly string[]) => Converted<T>, write: (trx: Transaction<Database>, value: T, now: Date) => Promise<RowOutcome>): RowHandler {
  return (row, cells) => {
    const checked = check(row, cells);
    return checked.ok ? { ok: true, value: (trx, now) => write(trx, checked.value, now) } : checked;
  };
}

