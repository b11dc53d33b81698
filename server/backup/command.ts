import type { CliIo } from '../cli.js';
import { loadConfig } from '../config.js';
import { backupSqlite, BackupRefused, type BackupProgress } from './backup.js';

const BAR_WIDTH = 30;

/** Progress on stderr: a redrawn bar on a terminal, else a line at each further tenth of the pages. */
function progressReporter(io: CliIo): { update(progress: BackupProgress): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  return {
    update({ copiedPages, totalPages }) {
      const share = totalPages > 0 ? copiedPages / totalPages : 1;
      if (tty) {
        const filled = Math.round(share * BAR_WIDTH);
        process.stderr.write(
          `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.round(share * 100)}%  ${copiedPages} of ${totalPages} pages`,
        );
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        io.err(`backup: ${Math.round(share * 100)}% (${copiedPages} of ${totalPages} pages)`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * `hami backup <file> [--force]`: an online backup of the configured SQLite database, safe while the server runs.
 * Refusals (PostgreSQL, an existing target) are thrown as BackupRefused for the CLI to print as one line.
 */
export async function runBackupCommand(io: CliIo, target: string, options: { force: boolean }): Promise<void> {
  if (!target) throw new BackupRefused('name the backup file, e.g. hami backup backups/hami-2026-11-23.db');
  const config = loadConfig(io.env);
  if (config.database.kind === 'postgres') {
    throw new BackupRefused(
      'DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=hami.dump "$DATABASE_URL" (restore with pg_restore)',
    );
  }
  if (config.database.path === ':memory:') throw new BackupRefused('the database is in memory: there is no file to back up');
  const progress = progressReporter(io);
  try {
    const result = await backupSqlite(config.database.path, target, { force: options.force, onProgress: (p) => progress.update(p) });
    progress.done();
    io.out(
      `backed up ${result.source} to ${result.target}: ${result.pages} pages, ${megabytes(result.bytes)}, integrity ok, in ${(result.ms / 1000).toFixed(1)} s` +
        (result.restarts ? ` (restarted ${result.restarts} times while the server wrote)` : ''),
    );
  } catch (error) {
    progress.done();
    throw error;
  }
}
