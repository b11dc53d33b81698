import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { ApiError, apiErrorResponse, databaseTrouble, databaseTroubleAnswer } from '../http/errors.js';
import type { Logger } from '../log.js';

/*
 * Delighted's error body (https://delighted.com/docs/api, "HTTP status codes"): `{ "status": 422, "message":
 * "Unprocessable Entity", "errors": { "email": ["can't be blank", "is invalid"] } }` — the status repeated, a
 * message, and per field its problems. Its clients pick the error class by status alone (delighted-node
 * lib/Errors.js: 401 AuthenticationError, 422 ResourceValidationError, 503 ServiceUnavailableError…), so the
 * statuses are Delighted's: 401 for a key, 422 for bad input. Hami's message names the field as well.
 */

/** Per input name (as the client sent it: "email", "properties[locale]", "per_page"), what is wrong with it. */
type FieldProblems = Record<string, string[]>;

export class DelightedError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly errors?: FieldProblems,
  ) {
    super(message);
    this.name = 'DelightedError';
  }
}

/** A 422 naming each field at fault: the message reads "email is not an email address; delay …". */
export function invalidInput(errors: FieldProblems): DelightedError {
  const message = Object.entries(errors)
    .map(([field, problems]) => `${field} ${problems.join(', ')}`)
    .join('; ');
  return new DelightedError(422, message, errors);
}

/** A zod failure as a 422, each issue under its field's name as Delighted's clients write it (`rename` maps paths). */
export function invalidFromZod(error: ZodError, rename: (path: string[]) => string = (path) => path.join('.')): DelightedError {
  const errors: FieldProblems = {};
  for (const issue of error.issues) {
    const field = rename(issue.path.map(String)) || 'body';
    (errors[field] ??= []).push(issue.message);
  }
  return invalidInput(errors);
}

/**
 * The error handler of the compatible API: its own failures in Delighted's shape, Hami's (a body that is not JSON,
 * a busy database) turned into it with the same status and Retry-After; bugs go to the app's one handler.
 */
export function delightedErrorResponse(error: Error, c: Context, log: Logger): Response {
  if (error instanceof DelightedError) {
    return c.json({ status: error.status, message: error.message, ...(error.errors ? { errors: error.errors } : {}) }, error.status);
  }
  if (error instanceof ApiError) {
    const status = error.status === 400 ? 422 : error.status;
    return c.json({ status, message: error.message, ...(error.field ? { errors: { [error.field]: [error.message] } } : {}) }, status);
  }
  const trouble = databaseTrouble(error);
  if (trouble) {
    const answer = databaseTroubleAnswer(trouble);
    if (answer.retryAfter) c.header('Retry-After', String(answer.retryAfter));
    return c.json({ status: answer.status, message: answer.message }, answer.status);
  }
  return apiErrorResponse(error, c, log);
}
