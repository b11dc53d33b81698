import type { MiddlewareHandler } from 'hono';
import { TEXT_FAULT_MESSAGES, textFault } from '../../shared/text-faults.js';
import { ApiError } from './errors.js';
import { badFormField } from './form-body.js';

/**
 * The API's URLs carry ids and filters that go into queries: a path segment or query value that is not UTF-8 once
 * percent-decoded, or holds a NUL or a lone surrogate, is refused with a 400 before any route runs (PostgreSQL
 * refuses such text with an error of its own, which would surface as a 500).
 */
export function refuseUnstorableUrlText(): MiddlewareHandler {
  return async function refuseUnstorableUrlText(c, next) {
    // The URL arrives percent-encoded: without a '%' nothing in it can decode to a NUL, a surrogate or bad bytes.
    if (!c.req.url.includes('%')) return next();
    const url = new URL(c.req.url);
    for (const segment of url.pathname.split('/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new ApiError(400, 'invalid_input', `the path ${TEXT_FAULT_MESSAGES.invalid_utf8}`, 'path');
      }
      const fault = textFault(decoded);
      if (fault) throw new ApiError(400, 'invalid_input', `the path ${TEXT_FAULT_MESSAGES[fault]}`, 'path');
    }
    const field = badFormField(url.search.slice(1));
    if (field !== null) {
      throw new ApiError(
        400,
        'invalid_input',
        `${field || 'a query parameter name'} is not text that can be stored (invalid UTF-8, a NUL or a lone surrogate)`,
        field || undefined,
      );
    }
    await next();
  };
}
