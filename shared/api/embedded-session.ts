/**
 * The id of the JSON data block in which the dashboard's page carries the session (a SessionBody, or null when
 * nobody is signed in): written by server/http/dashboard-index.ts, read once by web/embedded-session.ts.
 */
export const SESSION_ELEMENT_ID = 'hami-session';
