import { Hono } from 'hono';
import { z } from 'zod';
import { importQuery, importReport, type ImportReport } from '../../shared/api/imports.js';
import { requireStaff, staffUser, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import { ApiError, validationError } from '../http/errors.js';
import { bodyLimitAfterAuthentication } from '../limits/body-limits.js';
import { BODY_LIMITS } from '../limits/rules.js';
import { registerOperations } from '../openapi/registry.js';
import { runImport } from './import.js';
import { MappingError } from './mapping.js';

registerOperations({
  method: 'post',
  path: '/api/imports',
  tag: 'Imports',
  summary: 'Import a CSV file of customers, events or a Delighted export',
  description:
    'The body is the CSV file itself (`text/csv`, UTF-8, a BOM is fine), or a `multipart/form-data` upload with the file in the field `file`. ' +
    'Columns are matched by name and common aliases; `map` (repeatable, "CSV header=field") overrides. Bad rows are listed with their row ' +
    '(the header is row 1), field and reason, and the good rows are imported. Re-running a file imports nothing twice. ' +
    'Imported events older than their survey link would last are stored without sending a survey.',
  auth: { staff: 'imports:run' },
  query: importQuery,
  body: z.string(),
  bodyType: 'text/csv',
  responses: { 200: { description: 'What was imported, and each bad row', schema: importReport } },
});

/** The body as CSV text: the request itself, or the `file` field of a multipart upload (what a browser form sends). */
async function csvOf(request: Request): Promise<Buffer> {
  const type = request.headers.get('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File)) throw new ApiError(400, 'invalid_input', 'the upload has no file in the field "file"', 'file');
    return Buffer.from(await file.arrayBuffer());
  }
  return Buffer.from(await request.arrayBuffer());
}

export function importRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>().post(
    '/api/imports',
    requireStaff(deps, 'imports:run'),
    // Only now, signed in, may the body be as big as a file to import; until here nothing has read it.
    bodyLimitAfterAuthentication(BODY_LIMITS.imports),
    async (c) => {
      const query = importQuery.safeParse({ kind: c.req.query('kind'), map: c.req.queries('map'), dryRun: c.req.query('dryRun') });
      if (!query.success) throw validationError(query.error);
      const csv = await csvOf(c.req.raw);
      if (csv.length === 0) throw new ApiError(400, 'invalid_input', 'the body is empty: send the CSV file as the body', 'file');
      const map = query.data.map === undefined ? [] : Array.isArray(query.data.map) ? query.data.map : [query.data.map];
      let report: ImportReport;
      try {
        report = await runImport(deps, query.data.kind, csv, { map, dryRun: query.data.dryRun === 'true' });
      } catch (error) {
        if (error instanceof MappingError) throw new ApiError(400, 'invalid_input', error.message, error.field);
        if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('CSV_')) {
          throw new ApiError(400, 'invalid_csv', `the file is not valid CSV: ${error.message}`, 'file');
        }
        throw error;
      }
      deps.log.info('import run', {
        user: staffUser(c).id,
        kind: report.kind,
        rows: report.rows,
        imported: report.imported,
        failed: report.failed,
        dryRun: report.dryRun,
      });
      return c.json(report);
    },
  );
}
