/**
 * Requests per second and p99 at 50 concurrent connections, each next to a bare Hono "hello" on
 * @hono/node-server measured in the same run, with autocannon in a second process (load-child.ts):
 * - event ingest: POST /api/v1/events with an API key, new orders (a third from customers buying again);
 * - the answer path: GET /s/{token}?score=N on invitations nobody answered yet (the one-tap link in the email:
 *   what most traffic to a survey page is, and the most work: response, history, rollups, callback case for a
 *   detractor, webhook fan-out), then POST /s/{token} on the same invitations (the form sent after the tap, with a
 *   comment: a change of an existing answer).
 * The server is the real app (startHami) on a SQLite file with synchronous=FULL, in this process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config.js';
import { groupCommitStats, type GroupCommitStats } from '../../server/db/group-commit.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { silentLogger } from '../../server/log.js';
import { startHami } from '../../server/start.js';
import type { LoadResult, LoadSpec } from './load-child.js';
import type { LoadProcess } from './load.js';
import { record } from './results.js';

const CONNECTIONS = 50;
const KEY = 'bench_key_0123456789abcdef';

/**
 * Runs a load and notes this process's CPU time (the server's: the load generator is another process) per request,
 * and how busy the main thread's event loop was (1 = never idle: the server itself is the limit).
 */
async function measured(loader: LoadProcess, spec: LoadSpec): Promise<LoadResult & { cpuMs: number; busy: number }> {
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const result = await loader.load(spec);
  const used = process.cpuUsage(cpu);
  const busy = performance.eventLoopUtilization(loop).utilization;
  return { ...result, cpuMs: (used.user + used.system) / 1000 / Math.max(1, result.requests), busy };
}

function describe(label: string, r: LoadResult & { cpuMs?: number; busy?: number }): void {
  const statuses = Object.entries(r.statuses)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  console.log(
    `  ${label.padEnd(34)} ${Math.round(r.perSecond).toLocaleString('en').padStart(7)}/s  p50 ${r.p50} ms  p99 ${r.p99} ms  max ${r.max} ms  (${r.requests.toLocaleString('en')} requests in ${r.seconds.toFixed(1)} s; ${statuses}${r.errors ? `; ${r.errors} errors` : ''}${r.cpuMs ? `; server CPU ${r.cpuMs.toFixed(2)} ms/request` : ''}${r.busy !== undefined ? `; main thread busy ${Math.round(r.busy * 100)}%` : ''})`,
  );
}

/** How the group commit went during a run: what explains the throughput and the slowest answers. */
function commitLine(before: GroupCommitStats, after: GroupCommitStats): void {
  const commits = Math.max(1, after.commits - before.commits);
  const perCommit = (after.writes - before.writes) / commits;
  const average = (after.commitMs - before.commitMs) / commits;
  console.log(
    `    group commit: ${perCommit.toFixed(1)} writes per disk commit, COMMIT ${average.toFixed(1)} ms on average (slowest so far ${after.slowestCommitMs.toFixed(0)} ms)`,
  );
}

/**
 * What went wrong in a run, if anything: answers other than the expected status (a fast error is not a result), and
 * requests that got no answer within autocannon's 10 s timeout. Reported with the figure, which then fails.
 */
function problems(r: LoadResult, status: string): string {
  const wrong = Object.entries(r.statuses).filter(([code]) => code !== status);
  const parts = wrong.map(([code, n]) => `${n}× ${code}`);
  if (r.errors) parts.push(`${r.errors} unanswered within 10 s`);
  if (parts.length) console.log(`    not all ${status}: ${parts.join(', ')}`);
  return parts.join(', ');
}

export async function throughputBench(loader: LoadProcess, seconds: number, options: { answers?: boolean } = {}): Promise<void> {
  console.log(`\nthroughput at ${CONNECTIONS} connections, autocannon in a second process, ${seconds} s per run`);
  // The ceiling: the same HTTP server with nothing behind it.
  const bare = new Hono().get('/', (c) => c.text('hello'));
  const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: bare.fetch, port: 0 }, () => resolve(s));
  });
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
  await loader.load({ kind: 'hello', url: bareUrl, connections: CONNECTIONS, duration: 2 });
  const hello = await measured(loader, { kind: 'hello', url: bareUrl, connections: CONNECTIONS, duration: seconds });
  describe('bare Hono "hello"', hello);
  await new Promise<void>((resolve) => bareServer.close(() => resolve()));

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hami-bench-throughput-'));
  const hami = await startHami(loadConfig({ HAMI_DATA_DIR: dataDir, PORT: '0', HAMI_API_KEYS: KEY, HAMI_QUIET_HOURS: 'off' }), {
    log: silentLogger,
  });
  const url = hami.url.replace('localhost', '127.0.0.1');
  const baseline = { name: `bare Hono "hello", ${hello.cpuMs.toFixed(2)} ms CPU each`, value: hello.perSecond, unit: 'req/s' };
  try {
    await loader.load({ kind: 'events', url, connections: CONNECTIONS, duration: 2, apiKey: KEY, idPrefix: 'warm' });
    const commitsBefore = groupCommitStats(hami.deps.db)!;
    const events = await measured(loader, {
      kind: 'events',
      url,
      connections: CONNECTIONS,
      duration: seconds,
      apiKey: KEY,
      idPrefix: 'run',
    });
    const commitsAfter = groupCommitStats(hami.deps.db)!;
    describe('POST /api/v1/events', events);
    const eventProblems = problems(events, '202');
    commitLine(commitsBefore, commitsAfter);
    record({
      name: 'event ingest, POST /api/v1/events (SQLite)',
      value: events.perSecond,
      unit: 'events/s',
      baseline,
      target: '≥ 2,000 events/s',
      pass: events.perSecond >= 2000 && !eventProblems,
      note: `p99 ${events.p99} ms; server CPU ${events.cpuMs.toFixed(2)} ms/event${eventProblems ? `; ${eventProblems}` : ''}`,
    });

    if (options.answers === false) return;
    // Fresh invitations from the runs above (a third of the events are repeat customers inside the 90-day throttle,
    // whose invitations are skipped). GET answers each of them once — a second, different tap within seconds would
    // be a mail scanner — so that run ends when they are used up; the POSTs then change those answers, in turn.
    const invitations = await hami.deps.db.selectFrom('invitations').select('id').where('status', '=', 'scheduled').limit(60_000).execute();
    const tokensFile = path.join(dataDir, 'tokens.txt');
    const tokens = invitations.map((i) => invitationToken(hami.deps.secret, i.id));
    const warm = tokens.splice(0, Math.min(1000, Math.floor(tokens.length / 10)));
    writeFileSync(tokensFile, warm.join('\n'));
    await loader.load({ kind: 'answer-get', url, connections: CONNECTIONS, once: true, tokensFile });
    writeFileSync(tokensFile, tokens.join('\n'));
    const answerRun = async (kind: 'answer-get' | 'answer-post', label: string, what: string) => {
      const before = groupCommitStats(hami.deps.db)!;
      const r = await measured(loader, { kind, url, connections: CONNECTIONS, duration: seconds, once: kind === 'answer-get', tokensFile });
      describe(label, r);
      commitLine(before, groupCommitStats(hami.deps.db)!);
      const trouble = problems(r, '303');
      const share = r.perSecond / hello.perSecond;
      const repeats = kind === 'answer-post' ? Math.max(0, r.requests - tokens.length) : 0;
      record({
        name: `answer path, ${what}`,
        value: r.perSecond,
        unit: 'req/s',
        baseline,
        target: '≥ 50% of bare',
        pass: share >= 0.5 && !trouble,
        note: `${Math.round(share * 100)}% of bare; server CPU ${r.cpuMs.toFixed(2)} ms/request${repeats ? `; ${repeats} second changes` : ''}${trouble ? `; ${trouble}` : ''}`,
      });
      record({
        name: `answer path, ${what.split(' (')[0]} p99`,
        value: r.p99,
        unit: 'ms',
        baseline: { name: 'bare', value: hello.p99, unit: 'ms' },
        target: '< 20 ms',
        pass: r.p99 < 20,
      });
    };
    await answerRun('answer-get', 'GET /s/{token}?score=N (first answer)', 'GET /s/{token}?score=N (first answers)');
    await answerRun('answer-post', 'POST /s/{token} (form with comment)', 'POST /s/{token} (score + comment)');
  } finally {
    await hami.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
