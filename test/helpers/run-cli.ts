import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npx hami …` as its own process, through its launcher, with only PATH and `env` in its environment. */
export function runHamiCommand(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['server/bin/hami.mjs', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
