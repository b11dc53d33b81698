import { createReadStream, statSync } from 'node:fs';
import { IMPORT_KINDS, type ImportKind, type ImportReport } from '../../shared/api/imports.js';
import { loadOrCreateSecret } from '../auth/secret.js';
import type { CliIo } from '../cli.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../db/connect.js';
import { openBulkConnection } from '../demo/bulk-connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadSurveys } from '../surveys.js';
import { runImport } from './import.js';
import { MappingError } from './mapping.js';

/** Rows between progress lines when stderr is not a terminal (a log file, CI). */
const PROGRESS_EVERY_ROWS = 10_000;
const BAR_WIDTH = 30;
/**
 * How long the import leaves the SQLite file unlocked between its transactions: a server running on the same file
 * waits for the lock by sleeping and retrying (SQLite's busy handler), and would otherwise keep missing the moment.
 */
const LOCK_GAP_MS = 5;
/**
 * Its work between two gaps: a gap costs the import its length, so the CLI works twice the in-process slice.
 * Measured (npm run bench -- import-serving, 200,000 rows): /healthz p99 59 ms and 0.52× the time before yielding.
 */
const CLI_SLICE_MS = 10;

/** Progress on stderr: a redrawn bar (share of the file's bytes read) on a terminal, else a line every so often. */
function progressReporter(io: CliIo, size: number, readBytes: () => number): { update(rows: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  return {
    update(rows) {
      if (tty) {
        const share = size > 0 ? Math.min(1, readBytes() / size) : 1;
        const filled = Math.round(share * BAR_WIDTH);
        process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.round(share * 100)}%  ${rows} rows`);
      } else if (rows - lastLine >= PROGRESS_EVERY_ROWS) {
        lastLine = rows;
        io.err(`imported ${rows} rows so far (${size > 0 ? Math.round((100 * readBytes()) / size) : 100}% of the file)`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function summary(report: ImportReport): string {
  const verb = report.dryRun ? 'would import' : 'imported';
  return `${report.kind}: ${report.rows} rows, ${verb} ${report.imported} new, updated ${report.updated}, skipped ${report.skipped} already there, ${report.failed} with errors${report.dryRun ? ' (dry run: nothing written)' : ''}`;
}

/** A deliberately skipped kind of row, in a sentence that says what to do about it. */
function noticeText(notice: ImportReport['notices'][number]): string {
  if (notice.code === 'not_nps') {
    return `not imported: ${notice.rows} ${notice.detail} rows — Hami brings over Delighted's NPS answers; keep the export if you need that survey's history`;
  }
  return `not imported: ${notice.rows} rows (${notice.code}: ${notice.detail})`;
}

/**
 * `hami import FILE [--kind K] [--map "Header=field"]… [--dry-run]`: imports a CSV file into the configured
 * database (migrated first, as every CLI command does). Prints the summary and each bad row ("row 7,
 * customer.email: must be an email address") on stdout, progress on stderr. Exit code 0 when every row was
 * imported or already there, 1 when a row had an error or the file could not be read.
 */
export async function runImportCommand(
  io: CliIo,
  file: string,
  options: { kind?: string; map?: string[]; dryRun?: boolean },
): Promise<number> {
  const kind = (options.kind ?? 'events') as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) {
    io.err(`hami import: --kind must be one of ${IMPORT_KINDS.join(', ')} (got "${options.kind}")`);
    return 1;
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    io.err(`hami import: cannot read ${file}`);
    return 1;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`configuration error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    // On an SQLite file the rows go through the bulk connection: the same functions and constraints, but prepared
    // statements are reused (Kysely's own driver prepares every query anew, most of an import's time) and each
    // batch commits durably (synchronous=FULL, as the server's own commits: what the report counts is on disk).
    const bulk =
      config.database.kind === 'sqlite' && config.database.path !== ':memory:'
        ? openBulkConnection(config.database.path, { synchronous: 'FULL', outerTransaction: false })
        : null;
    const deps = {
      db: bulk?.db ?? db,
      clock: systemClock,
      config,
      surveys: loadSurveys(),
      secret: loadOrCreateSecret(config.dataDir, config.secret),
    };
    const stream = createReadStream(file);
    let bytes = 0;
    stream.on('data', (chunk) => (bytes += chunk.length));
    const progress = progressReporter(io, size, () => bytes);
    let report: ImportReport;
    try {
      report = await runImport(deps, kind, stream, {
        map: options.map,
        dryRun: options.dryRun,
        pauseMs: bulk ? LOCK_GAP_MS : 0,
        ...(bulk ? { sliceMs: CLI_SLICE_MS } : {}),
        onProgress: (rows) => progress.update(rows),
      });
    } finally {
      progress.done();
      await bulk?.close('commit');
    }
    io.out(summary(report));
    for (const notice of report.notices) io.out(noticeText(notice));
    for (const error of report.errors) io.out(`row ${error.row}, ${error.field}: ${error.reason}`);
    if (report.failed > report.errors.length) io.out(`… and ${report.failed - report.errors.length} more rows with errors`);
    return report.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof MappingError) {
      io.err(`hami import: ${error.message}`);
      return 1;
    }
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('CSV_')) {
      io.err(`hami import: ${file} is not valid CSV: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}
