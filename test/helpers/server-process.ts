import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the server the way `npm start` / `npm run demo` do, as its own process with only PATH and `env`. */
export function spawnServer(args: string[], env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
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
