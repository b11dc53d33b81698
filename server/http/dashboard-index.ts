import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Handler } from 'hono';
import { SESSION_ELEMENT_ID } from '../../shared/api/embedded-session.js';
import type { SessionBody } from '../../shared/api/staff.js';
import { currentSession, sessionBodyOf } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';

/*
 * The dashboard's page (dist/web/index.html) carries the session — who is signed in and the CSRF token, what
 * GET /api/session answers — as a JSON data block, which no CSP blocks (it never runs). On a slow line every round
 * trip costs seconds (2 s each on Chrome's "Slow 3G"): the first load then needs the page and its script, and a later
 * one, with the fingerprinted script cached for a year, only the page. It differs per person, so it is `private`,
 * and `no-cache` so a new build (or a new sign-in) is seen on the next load.
 */

/** The page with the session (or null: nobody signed in) before </head>; `<` escaped so no text can end the block. */
export function withSession(html: string, session: SessionBody | null): string {
  const json = JSON.stringify(session).replace(/</g, '\\u003c');
  return html.replace('</head>', `<script type="application/json" id="${SESSION_ELEMENT_ID}">${json}</script></head>`);
}

export function dashboardIndex(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>, distDir: string): Handler {
  const file = path.join(distDir, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;
  return async function dashboardIndex(c) {
    // Read again only when a new build replaced it: a rebuild is served without a restart.
    const { mtimeMs } = await stat(file);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: await readFile(file, 'utf8') };
    const session = await currentSession(deps, c);
    c.header('Cache-Control', 'private, no-cache');
    return c.html(withSession(cached.html, session && sessionBodyOf(deps, session.user, session.csrfToken)));
  };
}
