import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What `npm start` runs: the server compiled by `npm run build:server` (tsconfig.build.json). */
const COMPILED_MAIN = path.join(ROOT, 'dist/node/server/main.js');
// Written after every build (tsc leaves its own files alone when nothing changed).
const BUILT_AT = path.join(ROOT, 'dist/node/built-at');

function newestSourceChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceChange(file));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

let checked = false;
/**
 * The compiled server must exist and be newer than every source file: a test of a stale build would pass or fail
 * for code that is no longer there. `npm test` builds it first.
 */
export function compiledServer(): string {
  if (checked) return COMPILED_MAIN;
  let built = 0;
  try {
    statSync(COMPILED_MAIN);
    built = statSync(BUILT_AT).mtimeMs;
  } catch {
    throw new Error('the server is not compiled: run `npm run build:server` (npm test does) before this test');
  }
  if (Math.max(newestSourceChange(path.join(ROOT, 'server')), newestSourceChange(path.join(ROOT, 'shared'))) > built) {
    throw new Error('the compiled server is older than its source: run `npm run build:server` (npm test does) before this test');
  }
  checked = true;
  return COMPILED_MAIN;
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Run as a user that file permissions apply to: as root (the CI containers) every file is readable and writable, so
 * the server runs as nobody there; otherwise as the current user.
 */
export const notRoot: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Runs the server the way `npm start` / `npm run demo` do (compiled), as its own process with only PATH and `env`. */
export function spawnServer(args: string[], env: Record<string, string>, user: { uid?: number; gid?: number } = {}): ServerProcess {
  const child = spawn(process.execPath, [compiledServer(), ...args], {
    ...user,
    cwd: ROOT,
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Waits until the process has printed `pattern`; fails with what it printed if it did not within `timeoutMs`. */
export async function waitForOutput(server: Pick<ServerProcess, 'output'>, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = server.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the server's output:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The address the started server prints ("Hami is running at …"). */
export async function serverUrl(server: Pick<ServerProcess, 'output'>, timeoutMs = 30_000): Promise<string> {
  return (await waitForOutput(server, /Hami is running at (http:\/\/localhost:\d+)/, timeoutMs))[1]!;
}
