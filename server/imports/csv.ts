import { isUtf8 } from 'node:buffer';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';

interface CsvRecord {
  /** The record's row as a spreadsheet numbers it: the header is row 1, the first data row is 2. */
  row: number;
  cells: string[];
}

/**
 * Stands in for each byte sequence that is not UTF-8, so the row holding it can be refused by number while the
 * others import. U+FFFF is a noncharacter: no text needs it (a file that holds one is refused the same way),
 * whereas U+FFFD, the usual replacement, may be written in a file on purpose.
 */
export const NOT_UTF8 = '\uFFFF';
const NOT_UTF8_BYTES = Buffer.from(NOT_UTF8, 'utf8');

/** The length of the valid UTF-8 sequence starting at `i`, 0 when it is invalid, -1 when it runs past the end. */
function sequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  // The second byte's range excludes overlong forms (E0, F0), UTF-16 surrogates (ED) and code points past U+10FFFF (F4).
  const [length, low, high] =
    lead >= 0xc2 && lead <= 0xdf
      ? [2, 0x80, 0xbf]
      : lead === 0xe0
        ? [3, 0xa0, 0xbf]
        : lead === 0xed
          ? [3, 0x80, 0x9f]
          : lead >= 0xe1 && lead <= 0xef
            ? [3, 0x80, 0xbf]
            : lead === 0xf0
              ? [4, 0x90, 0xbf]
              : lead >= 0xf1 && lead <= 0xf3
                ? [4, 0x80, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return -1;
    const byte = bytes[i + k]!;
    if (byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return 0;
  }
  return length;
}

/**
 * `bytes` with every invalid byte replaced by NOT_UTF8, and the bytes at the end that may be the start of a
 * sequence finished by the next chunk (kept back, unless this is the last chunk).
 */
function markInvalidUtf8(bytes: Buffer, last: boolean): { text: Buffer; rest: Buffer } {
  if (isUtf8(bytes)) return { text: bytes, rest: Buffer.alloc(0) };
  const parts: Buffer[] = [];
  let from = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === -1 && !last) {
      parts.push(bytes.subarray(from, i));
      return { text: Buffer.concat(parts), rest: bytes.subarray(i) };
    }
    if (length > 0) {
      i += length;
      continue;
    }
    parts.push(bytes.subarray(from, i), NOT_UTF8_BYTES);
    i += 1;
    from = i;
  }
  parts.push(bytes.subarray(from));
  return { text: Buffer.concat(parts), rest: Buffer.alloc(0) };
}

/** A stream of bytes with invalid UTF-8 marked (see markInvalidUtf8), across chunk boundaries. */
function markingInvalidUtf8(): Transform {
  let rest: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const marked = markInvalidUtf8(rest.length ? Buffer.concat([rest, chunk]) : chunk, false);
      rest = marked.rest;
      done(null, marked.text);
    },
    flush(done) {
      done(null, rest.length ? markInvalidUtf8(rest, true).text : undefined);
    },
  });
}

/** Bytes fed to the parser at a time: a file in memory is parsed as its records are asked for, not in one go. */
const CHUNK_BYTES = 64 * 1024;

function* chunksOf(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

/**
 * Reads CSV as a stream of records: a UTF-8 byte-order mark is dropped, quoted fields may hold commas and line
 * breaks, rows may be shorter or longer than the header (the mapping reports what is missing), blank lines are
 * skipped. Cells are kept exactly as written (no trimming of the text, no number guessing), except that bytes that
 * are not UTF-8 become NOT_UTF8 (the import refuses that row).
 */
export async function* readCsv(source: Readable | string | Buffer): AsyncGenerator<CsvRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  if (typeof source === 'string') {
    parser.end(source);
  } else {
    // A whole uploaded file too: parsing 20 MB at once would hold the event loop for seconds (see event-loop.ts).
    const bytes = Buffer.isBuffer(source) ? Readable.from(chunksOf(source), { objectMode: false }) : source;
    const marking = markingInvalidUtf8();
    bytes.on('error', (error) => parser.destroy(error));
    marking.on('error', (error) => parser.destroy(error));
    bytes.pipe(marking).pipe(parser);
  }
  let row = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    row++;
    yield { row, cells };
  }
}
