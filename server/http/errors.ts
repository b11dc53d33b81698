import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiErrorBody, FieldError } from '../../shared/api/errors.js';
import type { Logger } from '../log.js';
import { routeOf } from './request-log.js';

/** An expected failure of an API request, answered with the one error body. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Every input at fault, when there are several. */
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The first zod issue as an ApiError naming the field by its dotted path ("customer.id"). */
export function validationError(error: ZodError): ApiError {
  const issue = error.issues[0]!;
  let path = issue.path.map(String);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    message = 'is not a known field';
  }
  const field = path.join('.');
  return new ApiError(400, 'invalid_input', field ? `${field} ${message}` : message, field || undefined);
}

export function errorBody(code: string, message: string, field?: string, fields?: FieldError[]): ApiErrorBody {
  return { error: { code, message, ...(field ? { field } : {}), ...(fields?.length ? { fields } : {}) } };
}

/**
 * The database could not take the write right now: another writer held its lock longer than busy_timeout
 * (SQLite SQLITE_BUSY/LOCKED; PostgreSQL lock timeout, serialization failure, deadlock), the disk is full
 * (SQLite SQLITE_FULL, which is what a full disk gives; PostgreSQL disk_full), or the database is read-only
 * (SQLite SQLITE_READONLY*: a read-only file or mount, query_only; PostgreSQL read_only_sql_transaction:
 * default_transaction_read_only, a standby). The transaction rolled back, so nothing of the request was stored
 * and the same request can simply be sent again.
 */
type DatabaseTrouble = 'busy' | 'full' | 'read_only';

const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  'SQLITE_LOCKED_SHAREDCACHE',
  '55P03',
  '40001',
  '40P01',
]);
const FULL_CODES = new Set(['SQLITE_FULL', '53100']);
const READ_ONLY_CODES = new Set([
  'SQLITE_READONLY',
  'SQLITE_READONLY_DBMOVED',
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_RECOVERY',
  'SQLITE_READONLY_CANTLOCK',
  'SQLITE_READONLY_ROLLBACK',
  '25006',
]);

export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (BUSY_CODES.has(code)) return 'busy';
  if (FULL_CODES.has(code)) return 'full';
  if (READ_ONLY_CODES.has(code)) return 'read_only';
  return null;
}

/**
 * Two requests inserted the same unique key at the same moment (two deliveries of one event, two first events of
 * one customer). On PostgreSQL the later one fails at its insert; running its transaction again finds the first
 * one's row. SQLite serialises writers, so it rarely sees this, but the same answer holds.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Seconds a client should wait before sending the same request again while the database is busy. */
const BUSY_RETRY_AFTER_SECONDS = 2;

/** A read-only database waits for its operator (a failover, a remount): clients come back in a minute. */
const READ_ONLY_RETRY_AFTER_SECONDS = 60;

/** What the API answers for each kind of trouble: status, code, a message saying what to do, and Retry-After. */
export function databaseTroubleAnswer(trouble: DatabaseTrouble): { status: 503 | 507; code: string; message: string; retryAfter?: number } {
  switch (trouble) {
    case 'busy':
      return {
        status: 503,
        code: 'database_busy',
        message: `the database is busy with other writes and nothing was saved; send the same request again in ${BUSY_RETRY_AFTER_SECONDS} seconds`,
        retryAfter: BUSY_RETRY_AFTER_SECONDS,
      };
    case 'full':
      return {
        status: 507,
        code: 'storage_full',
        message:
          "the server's disk is full and nothing was saved; free disk space on the server (or raise its quota), then send the same request again",
      };
    case 'read_only':
      return {
        status: 503,
        code: 'database_read_only',
        message:
          "the database is read-only and nothing was saved; the server's operator must make it writable (PostgreSQL: a primary, not a standby, " +
          `without default_transaction_read_only; SQLite: a writable file and folder), then send the same request again (retry after ${READ_ONLY_RETRY_AFTER_SECONDS} seconds)`,
        retryAfter: READ_ONLY_RETRY_AFTER_SECONDS,
      };
  }
}

/**
 * The app's one error handler for API routes: expected failures become the error body, bugs become a 500 and one
 * log line (through `log` when given, so it is redacted like every other line).
 */
export function apiErrorResponse(error: Error, c: Context, log?: Logger): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.field, error.fields), error.status);
  if (error instanceof HTTPException) return c.json(errorBody('http_error', error.message || 'request failed'), error.status);
  const trouble = databaseTrouble(error);
  if (trouble) {
    const answer = databaseTroubleAnswer(trouble);
    if (answer.retryAfter) c.header('Retry-After', String(answer.retryAfter));
    return c.json(errorBody(answer.code, answer.message), answer.status);
  }
  if (log)
    log.error('request failed', {
      method: c.req.method,
      route: routeOf(c),
      error: error.message,
      stack: error.stack?.split('\n').slice(1, 6).join(' | '),
    });
  else console.error(`error: ${c.req.method} ${JSON.stringify(routeOf(c))}:`, error);
  return c.json(errorBody('internal', 'something went wrong on our side; try again, and tell us if it persists'), 500);
}
