import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export interface CsvRecord {
  /** The record's row as a spreadsheet numbers it: the header is row 1, the first data row is 2. */
  row: number;
  cells: string[];
}

/**
 * Reads CSV as a stream of records: a UTF-8 byte-order mark is dropped, quoted fields may hold commas and line
 * breaks, rows may be shorter or longer than the header (the mapping reports what is missing), blank lines are
 * skipped. Cells are kept exactly as written (no trimming of the text, no number guessing).
 */
export async function* readCsv(source: Readable | string | Buffer): AsyncGenerator<CsvRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  if (typeof source === 'string' || Buffer.isBuffer(source)) {
    parser.end(source);
  } else {
    source.on('error', (error) => parser.destroy(error));
    source.pipe(parser);
  }
  let row = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    row++;
    yield { row, cells };
  }
}
