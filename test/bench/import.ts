/**
 * The import target: "100,000 rows in under 30 s". Writes a CSV of 100,000 purchase events (a BOM, Persian and
 * English names, attributes, dates spread over the past two years so most are historical and a few recent) to a
 * temp folder and imports it through runImportCommand — the very function `npx hami import` runs — into a fresh
 * database with synchronous=FULL, printing its progress lines. Then runs it again: the re-run must import nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runImportCommand } from '../../server/imports/cli.js';
import { prng } from '../helpers/prng.js';
import { record } from './results.js';

const ROWS = 100_000;
const TARGET_MS = 30_000;
const DAY = 86_400_000;

/**
 * `rows` purchase events as CSV (deterministic for a seed): a BOM, Persian and English names with a quoted comma,
 * attributes, dates over the past two years. Order and customer ids start with `prefix`.
 */
export function eventsCsv(rows: number, now: number, prefix = ''): string {
  const rng = prng(7);
  const names = ['سارا احمدی', 'Ali Rezaei', 'مریم کریمی', 'John Smith', 'رضا "رضایی", تهران'];
  const lines = ['\uFEFFOrder ID,Type,Customer ID,Email,Name,Locale,Order Date,attr.product'];
  for (let i = 0; i < rows; i++) {
    const name = names[i % names.length]!;
    const at = new Date(now - Math.floor(rng.next() * 730 * DAY)).toISOString();
    // Customers buy about three times each, so a third of the rows update a known customer.
    const customer = Math.floor(i / 3);
    lines.push(
      `${prefix}O-${i},purchase,${prefix}c-${customer},c${customer}@example.com,"${name.replace(/"/g, '""')}",${i % 2 ? 'fa' : 'en'},${at},${i % 4 ? 'هدفون' : 'Phone'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Returns the targets missed. */
export async function importBench(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-bench-import-'));
  try {
    const file = path.join(dir, 'events.csv');
    writeFileSync(file, eventsCsv(ROWS, Date.now()));
    const io = {
      env: { HAMI_DATA_DIR: dir },
      out: (line: string) => console.log(`  ${line}`),
      err: (line: string) => console.log(`  ${line}`),
    };
    console.log(`\nCSV import: ${ROWS.toLocaleString('en')} events through runImportCommand (npx hami import), fresh database`);
    const started = performance.now();
    const code = await runImportCommand(io, file, {});
    const ms = performance.now() - started;
    console.log(
      `  ${(ms / 1000).toFixed(1)} s (${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s) ${code === 0 && ms < TARGET_MS ? 'PASS' : 'FAIL'} at ${TARGET_MS / 1000} s`,
    );
    console.log('  the same file again (nothing new)');
    const againStarted = performance.now();
    const again = await runImportCommand(io, file, {});
    console.log(`  ${((performance.now() - againStarted) / 1000).toFixed(1)} s`);
    record({
      name: '100,000-row CSV import (synchronous=FULL)',
      value: ms / 1000,
      unit: 's',
      target: `< ${TARGET_MS / 1000} s`,
      pass: code === 0 && ms < TARGET_MS,
      note: `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`,
    });
    const failures: string[] = [];
    if (code !== 0 || again !== 0) failures.push('import: a row failed');
    if (ms >= TARGET_MS) failures.push(`import of ${ROWS} rows took ${(ms / 1000).toFixed(1)} s (target ${TARGET_MS / 1000} s)`);
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
