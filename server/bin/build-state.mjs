// Whether the compiled server (dist/node) and the built dashboard (dist/web) are there and newer than their sources,
// and a way to build them when they are not — for `npm start`, `npm run demo` and `npx hami`, which run compiled
// JavaScript only. Plain JavaScript with Node's own modules: it must run in an install without dev dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const COMPILED_MAIN = path.join(ROOT, 'dist/node/server/main.js');
export const COMPILED_CLI = path.join(ROOT, 'dist/node/server/cli.js');
// Stamped by server/bin/build-server.mjs after every build; Vite rewrites index.html on every build.
const SERVER_STAMP = path.join(ROOT, 'dist/node/built-at');
const WEB_STAMP = path.join(ROOT, 'dist/web/index.html');

/** The newest modification time of the files under `dir` whose names match `pattern` (0 when there are none). */
function newest(dir, pattern) {
  if (!existsSync(dir)) return 0;
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) time = Math.max(time, newest(file, pattern));
    else if (pattern.test(entry.name)) time = Math.max(time, statSync(file).mtimeMs);
  }
  return time;
}

const stampOf = (file) => (existsSync(file) ? statSync(file).mtimeMs : null);
const TS = /\.tsx?$/;

/** What needs building: 'server' when dist/node is missing or older than server/ or shared/, 'web' likewise for the dashboard. */
function staleParts({ web }) {
  const parts = [];
  const server = stampOf(SERVER_STAMP);
  if (
    server === null ||
    !existsSync(COMPILED_MAIN) ||
    Math.max(newest(path.join(ROOT, 'server'), TS), newest(path.join(ROOT, 'shared'), TS)) > server
  )
    parts.push('server');
  if (web) {
    const built = stampOf(WEB_STAMP);
    const sources = Math.max(
      newest(path.join(ROOT, 'web'), /\.(tsx?|css|html|svg)$/),
      newest(path.join(ROOT, 'shared'), TS),
      stampOf(path.join(ROOT, 'vite.config.ts')) ?? 0,
    );
    if (built === null || sources > built) parts.push('web');
  }
  return parts;
}

/** Whether the build tools (dev dependencies: TypeScript, Vite) are installed here. */
function canBuild() {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('typescript/bin/tsc');
    require.resolve('vite');
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds what is missing or stale (`npm run build`, the README's build step), or says what to do when this install
 * cannot build (installed with --omit=dev). Returns false when the caller should stop.
 */
export function ensureBuilt({ web, say = (line) => console.error(line) }) {
  const stale = staleParts({ web });
  if (stale.length === 0) return true;
  const what = stale.map((part) => (part === 'server' ? 'the compiled server (dist/node)' : 'the dashboard (dist/web)')).join(' and ');
  if (!canBuild()) {
    say(`hami: ${what} is missing or older than its source, and this install has no build tools (installed with --omit=dev).`);
    say('hami: build first where the dev dependencies are installed: `npm ci && npm run build`, then `npm ci --omit=dev`.');
    return false;
  }
  say(`hami: building ${what} (npm run build)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const scripts = stale.length === 2 ? ['build'] : [stale[0] === 'server' ? 'build:server' : 'build:web'];
  for (const script of scripts) {
    const result = spawnSync(npm, ['run', '--silent', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      say(`hami: npm run ${script} failed (exit ${result.status ?? result.signal}); fix the error above and run it again.`);
      return false;
    }
  }
  return true;
}
