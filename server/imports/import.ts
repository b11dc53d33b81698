import type { Readable } from 'node:stream';
import { MAX_REPORTED_ERRORS, type ImportKind, type ImportReport, type ImportRowError } from '../../shared/api/imports.js';
import { upsertCustomer } from '../customers/store.js';
import { engineOf } from '../db/connect.js';
import type { AppDeps } from '../deps.js';
import { ingestEventInTransaction } from '../events/ingest.js';
import { inputSchemas } from '../events/input.js';
import { TEXT_FAULT_MESSAGES, textFault, type TextFault } from '../../shared/text-faults.js';
import { NOT_UTF8, readCsv } from './csv.js';
import { delightedPeopleHandler, delightedResponsesHandler } from './delighted.js';
import { MappingError, mapHeader, parseMapOptions } from './mapping.js';
import { timeSlice } from './event-loop.js';
import { handler, type RowHandler, type RowNotice, type RowWriter } from './handler.js';
import { customerOfRow, eventOfRow } from './rows.js';

type ImportDeps = Pick<AppDeps, 'db' | 'clock' | 'surveys' | 'secret' | 'config'>;

interface ImportOptions {
  /** `--map` entries, "CSV header=field". */
  map?: readonly string[];
  /** Check and count everything, write nothing. */
  dryRun?: boolean;
  /**
   * Pause between two write transactions, in ms. 0 (default): the event loop runs what waits, then the import goes
   * on. The CLI, writing to a running server's SQLite file from its own process, leaves the file unlocked a little
   * longer: the server's writes wait for the lock by retrying every few ms and must find it free.
   */
  pauseMs?: number;
  /** Work between two pauses, in ms (default SLICE_MS in event-loop.ts). */
  sliceMs?: number;
  /** Called after each batch with the data rows read so far. */
  onProgress?: (rows: number) => void;
}

/**
 * Rows checked before they are written. Their writes are committed a time slice at a time (event-loop.ts), not all
 * in one transaction: a transaction holds the database's write lock, and the server's own writes wait for it.
 */
const BATCH = 2000;

/** The first cell of a row that cannot be stored as text (bytes that are not UTF-8, a NUL), with why. */
function faultyCell(cells: readonly string[]): { index: number; fault: TextFault } | null {
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index]!;
    const fault = cell.includes(NOT_UTF8) ? 'invalid_utf8' : textFault(cell);
    if (fault) return { index, fault };
  }
  return null;
}

/** Thrown to roll a dry run's batch back. */
class DryRun extends Error {}

function handlerFor(kind: ImportKind, deps: ImportDeps, headers: readonly string[], map: readonly string[]): RowHandler {
  const country = deps.config.defaultCountry;
  if (kind === 'delighted-people') return delightedPeopleHandler(headers, country);
  if (kind === 'delighted-responses') return delightedResponsesHandler(headers, country);
  const schemas = inputSchemas(country);
  const { columns } = mapHeader(headers, kind, parseMapOptions(map, kind));
  if (kind === 'events') {
    return handler(
      (row, cells) => eventOfRow(schemas, row, cells, columns),
      async (trx, input, now) => ((await ingestEventInTransaction(trx, deps, input, now)).created ? 'imported' : 'skipped'),
    );
  }
  return handler(
    (row, cells) => customerOfRow(schemas, row, cells, columns),
    async (trx, input, now) => {
      const existing = await trx.selectFrom('customers').select('id').where('external_id', '=', input.id).executeTakeFirst();
      await upsertCustomer(trx, input, now);
      return existing ? 'updated' : 'imported';
    },
  );
}

/**
 * Imports one CSV file of `kind`. Bad rows are reported (row number, field, reason) and the good ones imported — a
 * row with bytes that are not UTF-8 or a NUL among them (PostgreSQL could store neither) is one such bad row;
 * a problem with the file as a whole (no header, a required column missing, a bad --map) throws MappingError.
 * Events go through the events API's own ingest in batches, so re-running a file imports nothing twice.
 */
export async function runImport(
  deps: ImportDeps,
  kind: ImportKind,
  source: Readable | string | Buffer,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = {
    kind,
    rows: 0,
    imported: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    errors: [],
    notices: [],
    dryRun: options.dryRun === true,
  };
  let check: RowHandler | null = null;
  let batch: RowWriter[] = [];

  const addErrors = (errors: ImportRowError[]) => {
    report.failed++;
    for (const error of errors) if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error);
  };
  const addNotice = ({ code, detail }: RowNotice) => {
    const notice = report.notices.find((n) => n.code === code && n.detail === detail);
    if (notice) notice.rows++;
    else report.notices.push({ code, detail, rows: 1 });
  };
  const slice = timeSlice({ pauseMs: options.pauseMs, sliceMs: options.sliceMs });
  // SQLite: a transaction holds the one write lock, and its queries answer without giving the event loop a turn, so
  // it is cut at the slice. PostgreSQL: each query waits for the network (the loop runs meanwhile) and locks only
  // its own rows, so a batch is one transaction, as cutting it would cost a commit every few rows.
  const cutAtSlice = engineOf(deps.db) === 'sqlite';
  /** Writes the batch, one transaction per time slice on SQLite, pausing between them so requests are served meanwhile. */
  const flush = async () => {
    const writers = batch;
    batch = [];
    let written = 0;
    while (written < writers.length) {
      const now = deps.clock.now();
      const counts = { imported: 0, updated: 0, skipped: 0 };
      try {
        await deps.db.transaction().execute(async (trx) => {
          // At least one row per transaction, so a slice used up by checking still moves on.
          do counts[await writers[written++]!(trx, now)]++;
          while (written < writers.length && !(cutAtSlice && slice.due()));
          if (options.dryRun) throw new DryRun();
        });
      } catch (error) {
        if (!(error instanceof DryRun)) throw error;
      }
      report.imported += counts.imported;
      report.updated += counts.updated;
      report.skipped += counts.skipped;
      await slice.pause();
    }
    options.onProgress?.(report.rows);
  };

  let headers: readonly string[] = [];
  for await (const record of readCsv(source)) {
    const faulty = faultyCell(record.cells);
    if (!check) {
      if (faulty)
        throw new MappingError(`the header row (row 1), column ${faulty.index + 1}, ${TEXT_FAULT_MESSAGES[faulty.fault]}`, 'file');
      headers = record.cells;
      check = handlerFor(kind, deps, headers, options.map ?? []);
      continue;
    }
    report.rows++;
    if (faulty) {
      // Named by its column's header, as the file names it; the row's other cells are not read.
      addErrors([
        {
          row: record.row,
          field: headers[faulty.index]?.trim() || `column ${faulty.index + 1}`,
          reason: TEXT_FAULT_MESSAGES[faulty.fault],
          code: 'invalid_text',
        },
      ]);
      continue;
    }
    const checked = check(record.row, record.cells);
    if (checked.ok === true) batch.push(checked.value);
    else if (checked.ok === 'notice') addNotice(checked);
    else addErrors(checked.errors);
    if (batch.length >= BATCH) await flush();
    else await slice.pauseIfDue();
  }
  if (!check) throw new MappingError('the file is empty: the first line must name the columns', 'file');
  await flush();
  options.onProgress?.(report.rows);
  return report;
}
