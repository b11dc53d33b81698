/**
 * "Server memory with 1,000,000 responses loaded": the real server as `npm start` runs it (compiled by
 * `npm run build:server`, which this runs first, and started with plain node) started as a child process on the metrics bench's 1,000,000-response database; a signed-in admin
 * opens the overview several times (every metrics endpoint the dashboard calls, 12 months, weekly and monthly, with
 * and without a filter) and a segment count; then its resident set (RSS, and the peak VmHWM) is read from /proc.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledServer } from '../helpers/server-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MB = 1024 * 1024;

function procStatus(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export async function serverMemory(
  dataDir: string,
  databaseFile: string,
  from: string,
  to: string,
): Promise<{ rssMb: number; peakMb: number; requests: number }> {
  const email = 'bench-admin@example.com';
  const password = 'bench-admin-password-0123';
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  const child = spawn(process.execPath, [compiledServer()], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH!,
      PORT: '0',
      HAMI_DATA_DIR: dataDir,
      DATABASE_URL: `file:${databaseFile}`,
      HAMI_ADMIN_EMAIL: email,
      HAMI_ADMIN_PASSWORD: password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const deadline = Date.now() + 120_000;
    let url: string | undefined;
    while (!(url = output.match(/Hami is running at (\S+)/)?.[1])) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (login.status !== 200) throw new Error(`sign-in answered ${login.status}: ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const range = `from=${from}&to=${to}`;
    const paths = [
      `/api/metrics/filters`,
      `/api/metrics/summary?${range}`,
      `/api/metrics/nps?${range}&interval=week`,
      `/api/metrics/nps?${range}&interval=month`,
      `/api/metrics/nps?${range}&interval=week&attr.region=north`,
      `/api/metrics/satisfaction?${range}&interval=week`,
      `/api/metrics/reasons?${range}`,
      `/api/metrics/comments?${range}&limit=20`,
      `/api/segments/count?bucket=promoter&from=${from}&to=${to}`,
    ];
    let requests = 0;
    for (let round = 0; round < 5; round++) {
      for (const p of paths) {
        const res = await fetch(`${url}${p}`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
        requests++;
      }
    }
    const { rss, peak } = procStatus(child.pid!);
    return { rssMb: rss / MB, peakMb: peak / MB, requests };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
