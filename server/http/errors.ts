import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiErrorBody } from '../../shared/api/errors.js';

/** An expected failure of an API request, answered with the one error body. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
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

export function errorBody(code: string, message: string, field?: string): ApiErrorBody {
  return { error: field ? { code, message, field } : { code, message } };
}

/** The app's one error handler for API routes: expected failures become the error body, bugs become a 500. */
export function apiErrorResponse(error: Error, c: Context): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.field), error.status);
  if (error instanceof HTTPException) return c.json(errorBody('http_error', error.message || 'request failed'), error.status);
  console.error(`error: ${c.req.method} ${c.req.routePath}:`, error);
  return c.json(errorBody('internal', 'something went wrong on our side; try again, and tell us if it persists'), 500);
}
