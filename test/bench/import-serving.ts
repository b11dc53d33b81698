/**
 * "A 200,000-row import keeps /healthz and the survey page answering within 100 ms p99 throughout, at no more than
 * 1.5× today's import time" (issue 20, point 8). Starts the compiled server as its own process (as `npm start`), then
 * imports 200,000 purchase events twice while a sampler in this process sends GET /healthz and GET /s/{token} (a
 * real invitation's survey page) in turn, a request every 20 ms, each on time whether or not the previous one was
 * answered (a server that freezes for a second shows as fifty slow samples, not one):
 * - through the API: POST /api/imports, the file as the body (what the Settings upload sends);
 * - through the CLI: `hami import FILE` in a second process, on the server's own SQLite file.
 * Progress (rows stored so far, read from the database file) is printed every few seconds.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadOrCreateSecret } from '../../server/auth/secret.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { serverUrl, spawnServer } from '../helpers/server-process.js';
import { ADMIN, signIn } from '../helpers/staff.js';
import { eventsCsv } from './import.js';
import { record } from './results.js';
import { percentile } from './timing.js';

/** IMPORT_SERVING_ROWS: fewer rows for a quick look; the target is stated for 200,000. */
const ROWS = Number(process.env.IMPORT_SERVING_ROWS ?? 200_000);
const SAMPLE_EVERY_MS = 20;
const P99_TARGET_MS = 100;
const PORT = '4560';
const KEY = 'bench_key_0123456789abcdef';
const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * The import times of this bench's 200,000 rows before imports yielded (commit ba17608: one 2,000-row transaction
 * per batch, the event loop held throughout), on the shared 2-core machine on 2026-12-04: the "no more than 1.5×" is
 * against these. Then /healthz and the survey page did not answer at all during the API import (every request
 * failed), and answered after 16 s (p50) during the CLI import.
 */
const BASELINE_S = { api: 82.4, cli: 100.7 };

interface Latencies {
  /** Milliseconds; a request that failed (refused, reset) counts as infinitely slow. */
  samples: number[];
  /** Why the first failed request failed. */
  firstError?: string;
}

/**
 * Sends GET to each of `urls` in turn, one request every SAMPLE_EVERY_MS, until stopped; each latency is recorded
 * when its answer arrives. Taking turns keeps the sampler's own load (each request is a write) at 50 a second.
 */
function sampler(urls: readonly string[]): { stop(): Promise<Latencies[]> } {
  const all: Latencies[] = urls.map(() => ({ samples: [] }));
  const inFlight = new Set<Promise<void>>();
  let turn = 0;
  const timer = setInterval(() => {
    const index = turn++ % urls.length;
    const latencies = all[index]!;
    const started = performance.now();
    const request: Promise<void> = fetch(urls[index]!)
      .then((r) => r.arrayBuffer())
      .then(
        () => void latencies.samples.push(performance.now() - started),
        (error: Error) => {
          latencies.firstError ??= String(error.cause ?? error.message);
          latencies.samples.push(Number.POSITIVE_INFINITY);
        },
      )
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }, SAMPLE_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return all;
    },
  };
}

function summary(latencies: Latencies): { p50: number; p99: number; max: number; n: number; failed: string } {
  const sorted = [...latencies.samples].sort((a, b) => a - b);
  const failed = sorted.filter((ms) => ms === Number.POSITIVE_INFINITY).length;
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    n: sorted.length,
    failed: failed ? `, ${failed} failed: ${latencies.firstError}` : '',
  };
}

/** Prints the rows stored so far every few seconds, read from the server's database file (WAL: never in its way). */
function progress(dbFile: string, before: number, started: number): { stop(): void } {
  const sqlite = new SQLite(dbFile, { readonly: true });
  const count = () => (sqlite.prepare('select count(*) as n from events').get() as { n: number }).n - before;
  const timer = setInterval(() => {
    const stored = count();
    console.log(
      `    ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s: ${stored.toLocaleString('en')} of ${ROWS.toLocaleString('en')} rows stored (${Math.round((100 * stored) / ROWS)}%)`,
    );
  }, 5000);
  return {
    stop() {
      clearInterval(timer);
      sqlite.close();
    },
  };
}

function eventCount(dbFile: string): number {
  const sqlite = new SQLite(dbFile, { readonly: true });
  try {
    return (sqlite.prepare('select count(*) as n from events').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/** `hami import FILE` as a second process, as staff run it next to a running server. */
function cliImport(file: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'server/bin/hami.mjs'), 'import', file, '--kind', 'events'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HAMI_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

type Way = 'api' | 'cli';

/**
 * POSTs `body` and reads the answer, waiting as long as it takes: fetch gives up after 300 s without response
 * headers, which a 200,000-row import on a busy machine can exceed.
 */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Returns the targets missed. */
export async function importServingBench(): Promise<string[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
  const dbFile = path.join(dataDir, 'hami.db');
  const server = spawnServer([], { HAMI_DATA_DIR: dataDir, PORT, HAMI_API_KEYS: KEY, HAMI_ADMIN_PASSWORD: ADMIN.password });
  const failures: string[] = [];
  try {
    const url = await serverUrl(server);
    const admin = await signIn({ url }, ADMIN.email, ADMIN.password);
    const event = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'purchase', id: 'page-1', customer: { id: 'page-customer', email: 'page@example.com', locale: 'fa' } }),
    });
    const invitation = ((await event.json()) as { invitations: { id: string }[] }).invitations[0]!.id;
    const page = `${url}/s/${invitationToken(loadOrCreateSecret(dataDir, null), invitation)}`;
    if ((await fetch(page)).status !== 200) throw new Error(`the survey page ${page} does not answer 200`);

    // For scale: the same sampling with no import running.
    const idle = sampler([`${url}/healthz`, page]);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const [idleHealth, idleSurvey] = await idle.stop();
    for (const [name, figures] of [
      ['/healthz', summary(idleHealth!)],
      ['survey page', summary(idleSurvey!)],
    ] as const) {
      console.log(
        `  no import: ${name.padEnd(12)} p50 ${figures.p50.toFixed(0)} ms, p99 ${figures.p99.toFixed(0)} ms, max ${figures.max.toFixed(0)} ms (${figures.n} requests${figures.failed})`,
      );
    }

    for (const way of ['api', 'cli'] as const satisfies readonly Way[]) {
      const csv = eventsCsv(ROWS, Date.now(), `${way}-`);
      const file = path.join(dataDir, `${way}.csv`);
      writeFileSync(file, csv);
      console.log(
        `\nimport while serving, ${way === 'api' ? 'POST /api/imports' : 'hami import (second process)'}: ${ROWS.toLocaleString('en')} events (${(csv.length / 1024 ** 2).toFixed(1)} MB), GET /healthz and the survey page in turn every ${SAMPLE_EVERY_MS} ms`,
      );
      const before = eventCount(dbFile);
      const sampling = sampler([`${url}/healthz`, page]);
      const started = performance.now();
      const shown = progress(dbFile, before, started);
      let ok: boolean;
      try {
        if (way === 'api') {
          const response = await post(
            `${url}/api/imports?kind=events`,
            { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
            csv,
          );
          const report = JSON.parse(response.text) as { imported?: number; failed?: number };
          ok = response.status === 200 && report.imported === ROWS && report.failed === 0;
          if (!ok) console.log(`    answered ${response.status}: ${JSON.stringify(report).slice(0, 300)}`);
        } else {
          const run = await cliImport(file, dataDir);
          ok = run.code === 0 && eventCount(dbFile) - before === ROWS;
          if (!ok) console.log(`    exited ${run.code}: ${run.output.slice(-600)}`);
        }
      } finally {
        shown.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const [health, survey] = await sampling.stop();
      const [h, s] = [summary(health!), summary(survey!)];
      // Scaled when IMPORT_SERVING_ROWS asks for fewer rows (a quick look, not the target's figure).
      const baseline = Number(((BASELINE_S[way] * ROWS) / 200_000).toFixed(1));
      const timeOk = baseline === 0 || seconds <= 1.5 * baseline;
      const rate = Math.round(ROWS / seconds).toLocaleString('en');
      console.log(
        `    ${seconds.toFixed(1)} s (${rate} rows/s)${baseline ? `, baseline ${baseline} s: ${(seconds / baseline).toFixed(2)}× ${timeOk ? 'PASS' : 'MISS'} at 1.5×` : ''}`,
      );
      for (const [name, figures] of [
        ['/healthz', h],
        ['survey page', s],
      ] as const) {
        console.log(
          `    ${name.padEnd(12)} p50 ${figures.p50.toFixed(0)} ms, p99 ${figures.p99.toFixed(0)} ms, max ${figures.max.toFixed(0)} ms (${figures.n} requests${figures.failed}) ${figures.p99 < P99_TARGET_MS ? 'PASS' : 'MISS'} at p99 < ${P99_TARGET_MS} ms`,
        );
        record({
          name: `${name} p99 during a ${ROWS.toLocaleString('en')}-row import (${way})`,
          value: figures.p99,
          unit: 'ms',
          target: `< ${P99_TARGET_MS} ms`,
          pass: figures.p99 < P99_TARGET_MS,
          note: `p50 ${figures.p50.toFixed(0)} ms, max ${figures.max.toFixed(0)} ms`,
        });
        if (figures.p99 >= P99_TARGET_MS) failures.push(`${name} p99 ${figures.p99.toFixed(0)} ms during the ${way} import`);
      }
      record({
        name: `${ROWS.toLocaleString('en')}-row import while serving (${way})`,
        value: seconds,
        unit: 's',
        ...(baseline ? { baseline: { name: 'before yielding (ba17608)', value: baseline, unit: 's' } } : {}),
        target: '≤ 1.5× baseline',
        pass: baseline ? timeOk && ok : null,
        note: `${rate} rows/s`,
      });
      if (!ok) failures.push(`the ${way} import did not import every row`);
      if (!timeOk) failures.push(`the ${way} import took ${seconds.toFixed(1)} s, over 1.5× the baseline ${baseline} s`);
    }
  } catch (error) {
    console.log(`  the server printed:\n${server.output().slice(-2000)}`);
    throw error;
  } finally {
    // SIGKILL: after a failure an import may still be running, and a graceful stop would wait for it.
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  return failures;
}
