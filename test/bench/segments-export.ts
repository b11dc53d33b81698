/**
 * The segments target: "100,000 members export in constant memory". Writes 100,000 customers with one scored
 * answer each into a temp SQLite file, then exports every member as CSV through the real code (allMembers →
 * csvExport, the stream the API returns), reading the stream to the end as a client would. Memory is sampled
 * every 10 ms and every 50 chunks during the export, and the live heap after a collection every 10,000 rows; PASS
 * when the live heap grew by less than LIVE_BOUND_MB and the heap with garbage by less than HEAP_BOUND_MB (a
 * buffered export of this size would hold 17 MB of CSV text plus 100,000 row objects, live).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import SQLite from 'better-sqlite3';
import { segmentFilterInput } from '../../shared/api/segments.js';
import { bucketOf } from '../../shared/scoring.js';
import { openDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { csvExport } from '../../server/segments/export.js';
import { allMembers, countMembers } from '../../server/segments/store.js';
import { prng } from '../helpers/prng.js';
import { record } from './results.js';

const MEMBERS = 100_000;
/** Bounds: live heap (what the export holds) and all heap including uncollected garbage. */
const LIVE_BOUND_MB = 10;
const HEAP_BOUND_MB = 64;
const MB = 1024 * 1024;

/** Customers and their answers straight into the tables (the generator is not what is measured). */
function writeMembers(file: string, count: number): void {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  // Invitations are not read by the member query; leaving them out keeps the seed short.
  sqlite.pragma('foreign_keys = OFF');
  const customer = sqlite.prepare(
    `insert into customers (id, external_id, email, phone, name, locale, time_zone, attributes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, null, '{}', ?, ?)`,
  );
  const response = sqlite.prepare(
    `insert into responses (id, invitation_id, customer_id, survey_id, channel, locale, score, bucket, answers, comment, attributes, day, answered_at, updated_at)
     values (?, ?, ?, 'post-purchase', 'email', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const { next: random } = prng(6);
  const comments = ['Fast delivery, thank you!', 'ارسال سریع بود و بسته‌بندی عالی', '=SUM(A1:A9) great', 'Good price', null];
  const write = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = randomUUID();
      const fa = i % 3 === 0;
      const at = new Date(Date.UTC(2026, 0, 1) + Math.floor((i / count) * 300 * 86_400_000)).toISOString();
      customer.run(
        id,
        `ext-${i}`,
        `c${i}@example.com`,
        `+98912${String(i).padStart(7, '0')}`,
        fa ? `مشتری ${i}` : `Customer ${i}`,
        fa ? 'fa' : 'en',
        at,
        at,
      );
      const score = Math.floor(random() * 11);
      response.run(
        randomUUID(),
        randomUUID(),
        id,
        fa ? 'fa' : 'en',
        score,
        bucketOf(score),
        JSON.stringify({ nps: score }),
        comments[i % comments.length],
        JSON.stringify({ product: `p-${i % 20}` }),
        at.slice(0, 10),
        at,
        at,
      );
    }
  });
  for (let done = 0; done < count; done += 20_000) {
    write(done, Math.min(count, done + 20_000));
    process.stdout.write(`  seeded ${Math.min(count, done + 20_000).toLocaleString('en')}/${count.toLocaleString('en')}\n`);
  }
  sqlite.close();
}

/** Returns the targets missed. */
export async function segmentsExportBench(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-bench-segments-'));
  const file = path.join(dir, 'hami.db');
  const db = openDatabase({ kind: 'sqlite', path: file });
  try {
    await migrateToLatest(db);
    console.log(
      `segment export: ${MEMBERS.toLocaleString('en')} members as CSV, streamed (target: live heap growth under ${LIVE_BOUND_MB} MB, heap with garbage under ${HEAP_BOUND_MB} MB)`,
    );
    writeMembers(file, MEMBERS);
    const filter = segmentFilterInput.parse({});
    const now = new Date('2026-11-23T00:00:00Z');
    const members = await countMembers(db, filter, now);

    // A collection first, so the baseline is live memory rather than the seed's garbage.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    // Live heap: measured after a collection every 10,000 rows, so it shows what the export holds, not garbage.
    let peakLive = before.heapUsed;
    let nextLive = 10_000;
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sample = () => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    };
    // Sampled on a timer and every 50 chunks read: the export may run on microtasks alone and starve the timer.
    const sampler = setInterval(sample, 10);
    let chunks = 0;
    const started = performance.now();
    let bytes = 0;
    let lines = 0;
    let nextProgress = 25_000;
    const reader = csvExport(allMembers(db, filter, now)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (++chunks % 50 === 0) sample();
      if (lines >= nextLive) {
        gc();
        peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
        nextLive += 10_000;
      }
      for (const byte of value) if (byte === 10) lines++;
      if (lines >= nextProgress) {
        process.stdout.write(
          `  exported ${nextProgress.toLocaleString('en')} rows, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
        nextProgress += 25_000;
      }
    }
    const ms = performance.now() - started;
    clearInterval(sampler);
    sample();
    const heapGrowth = (peakHeap - before.heapUsed) / MB;
    const liveGrowth = (peakLive - before.heapUsed) / MB;
    const rssGrowth = (peakRss - before.rss) / MB;
    const ok = liveGrowth < LIVE_BOUND_MB && heapGrowth < HEAP_BOUND_MB && lines - 1 === members;
    console.log(
      `  ${(lines - 1).toLocaleString('en')} rows (${members.toLocaleString('en')} members), ${(bytes / MB).toFixed(1)} MB CSV in ${(ms / 1000).toFixed(2)} s; ` +
        `live heap +${liveGrowth.toFixed(1)} MB, heap with garbage +${heapGrowth.toFixed(1)} MB (peak ${(peakHeap / MB).toFixed(0)} MB), RSS +${rssGrowth.toFixed(1)} MB (peak ${(peakRss / MB).toFixed(0)} MB)  ${ok ? 'PASS' : 'FAIL'}`,
    );
    record({
      name: '100,000-member segment export (CSV), live heap growth',
      value: liveGrowth,
      unit: 'MB',
      target: `< ${LIVE_BOUND_MB} MB`,
      pass: ok,
      note: `${(ms / 1000).toFixed(1)} s`,
    });
    if (!ok)
      return [
        `segment export: live heap +${liveGrowth.toFixed(1)} MB (bound ${LIVE_BOUND_MB}), heap +${heapGrowth.toFixed(1)} MB (bound ${HEAP_BOUND_MB}), ${lines - 1} of ${members} rows`,
      ];
    return [];
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
