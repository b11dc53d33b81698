import { SESSION_ELEMENT_ID } from '../shared/api/embedded-session.js';
import type { SessionBody } from '../shared/api/staff.js';

/**
 * The session the server put into the page (server/http/dashboard-index.ts), taken once: null when nobody is
 * signed in, undefined when the page carries none (the dev server's page) or it was taken already — then ask the API.
 */
export function takeEmbeddedSession(): SessionBody | null | undefined {
  const element = document.getElementById(SESSION_ELEMENT_ID);
  if (!element) return undefined;
  element.remove();
  try {
    return JSON.parse(element.textContent ?? '') as SessionBody | null;
  } catch {
    return undefined;
  }
}
