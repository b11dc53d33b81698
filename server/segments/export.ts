import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { EXPORT_COLUMNS, type ExportFormat, type SegmentMember } from '../../shared/api/segments.js';

/*
 * Exports stream: members come from an async iterator over the database (one page in memory at a time) and
 * leave as a byte stream that only pulls the next member when the client has taken the last ones, so a
 * 100,000-member export costs the same memory as a 100-member one.
 */

/**
 * CSV for spreadsheets: a UTF-8 byte-order mark first (without it Excel reads UTF-8 as the local code page and
 * Persian turns to mojibake), a header row, CRLF line ends. Every cell that a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return, and their full-width forms) gets a leading ' — a customer's
 * comment "=HYPERLINK(…)" is data, not code. csv-stringify does both (bom, escape_formulas) and quotes as RFC 4180 says.
 */
export function csvExport(members: AsyncIterable<SegmentMember>): ReadableStream<Uint8Array> {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: [...EXPORT_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
  });
  const rows = Readable.from(rowsOf(members));
  rows.on('error', (error) => stringifier.destroy(error));
  return Readable.toWeb(rows.pipe(stringifier)) as ReadableStream<Uint8Array>;
}

async function* rowsOf(members: AsyncIterable<SegmentMember>): AsyncGenerator<Record<string, string | number | null>> {
  for await (const member of members) {
    const row: Record<string, string | number | null> = {};
    // A yes/no column reads as true/false (csv-stringify would write 1 and an empty cell).
    for (const column of EXPORT_COLUMNS) row[column] = typeof member[column] === 'boolean' ? String(member[column]) : member[column];
    yield row;
  }
}

/** A JSON array of SegmentMember, written one member at a time. */
function jsonExport(members: AsyncIterable<SegmentMember>): ReadableStream<Uint8Array> {
  async function* chunks(): AsyncGenerator<string> {
    let first = true;
    yield '[';
    for await (const member of members) {
      yield `${first ? '' : ','}\n${JSON.stringify(member)}`;
      first = false;
    }
    yield '\n]\n';
  }
  return Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>;
}

export function exportStream(format: ExportFormat, members: AsyncIterable<SegmentMember>): ReadableStream<Uint8Array> {
  return format === 'csv' ? csvExport(members) : jsonExport(members);
}

/**
 * The headers of a download: its type and a file name from the segment's name and the day, ASCII for old clients
 * and the UTF-8 name (RFC 6266 / 5987) for a Persian segment name.
 */
export function downloadHeaders(format: ExportFormat, name: string, day: string): Record<string, string> {
  const ascii =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'segment';
  const utf8 =
    name
      .replace(/[\x00-\x1f\x7f/\\"]+/g, '-')
      .trim()
      .slice(0, 80) || 'segment';
  const file = (base: string) => `${base}-${day}.${format}`;
  return {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${file(ascii)}"; filename*=UTF-8''${encodeURIComponent(file(utf8))}`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}
