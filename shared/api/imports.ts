import { z } from 'zod';

/*
 * CSV import (customers, events, and a Delighted export) — used by `npx hami import FILE` and by the Settings
 * upload. Shapes are declared once here and used by the server (server/imports/) and the dashboard.
 *
 * Endpoint (staff session, admin only: permission 'imports:run'; carries X-CSRF-Token):
 *   POST /api/imports?kind=customers|events|delighted-people|delighted-responses[&map=Header=field][&dryRun=true]
 *     body: the CSV file itself, `Content-Type: text/csv` (UTF-8, a BOM is fine), at most MAX_IMPORT_BYTES
 *     → 200 ImportReport (also when some rows had errors: the report lists them; the good rows are imported)
 *     → 400 { error: { code, message, field? } } when the request itself is wrong (unknown kind, bad map, no
 *       header line, a required column missing: field 'map' / 'kind' / the column's field name)
 *   `map` may be repeated; each is "CSV header=field" (e.g. "Order ID=id", "Mobile=customer.phone").
 *
 * Re-running the same file is safe: events are keyed by type + id (as POST /api/v1/events), customers and
 * Delighted people by their id, Delighted responses by their Response ID.
 */

export const IMPORT_KINDS = ['customers', 'events', 'delighted-people', 'delighted-responses'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** 50 MiB: about half a million event rows; larger files go through the CLI, which streams from disk. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** At most this many row errors are listed; `failed` still counts them all. */
export const MAX_REPORTED_ERRORS = 1000;

export const importRowError = z.object({
  /** The line's number in the file as a spreadsheet shows it: the header is row 1, the first data row is 2. */
  row: z.number().int(),
  /** The Hami field (e.g. 'customer.email', 'occurredAt') or, for an unmapped problem, the CSV header. */
  field: z.string(),
  reason: z.string(),
  /**
   * What is wrong, as a code the dashboard words in its own language (`reason` is the English): 'required',
   * 'invalid_email', 'invalid_phone', 'invalid_date', 'invalid_score', 'invalid_text', 'no_customer', or a
   * zod issue code ('invalid_value', 'too_big', 'unrecognized_keys', …). Absent when there is no better word than `reason`.
   */
  code: z.string().optional(),
});
export type ImportRowError = z.infer<typeof importRowError>;

export const importReport = z.object({
  kind: z.enum(IMPORT_KINDS),
  /** Data rows read (the header line not counted). */
  rows: z.number().int(),
  /** New customers, events or responses. */
  imported: z.number().int(),
  /** Existing customers updated by the row. */
  updated: z.number().int(),
  /** Rows already imported before (same event type + id, same Delighted response): nothing changed. */
  skipped: z.number().int(),
  /** Rows not imported because of an error (listed in `errors`, up to MAX_REPORTED_ERRORS). */
  failed: z.number().int(),
  errors: z.array(importRowError),
  /**
   * Rows deliberately left out, which are not errors (the import still succeeds): one entry per reason and detail,
   * e.g. `{ code: 'not_nps', detail: 'csat', rows: 12 }` for a Delighted export's CSAT answers.
   */
  notices: z.array(z.object({ code: z.string(), detail: z.string(), rows: z.number().int() })),
  /** True when nothing was written (`dryRun`): the counts say what an import would do. */
  dryRun: z.boolean(),
});
export type ImportReport = z.infer<typeof importReport>;

export const importQuery = z.object({
  kind: z.enum(IMPORT_KINDS, { error: `must be one of ${IMPORT_KINDS.join(', ')}` }),
  map: z.union([z.string(), z.array(z.string())]).optional(),
  dryRun: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});
