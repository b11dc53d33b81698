/**
 * Emails per second to a loopback SMTP server (a sink in the second process that accepts and drops each message),
 * next to nodemailer's own pooled sending from this process to the same sink, with nothing else to do (the ceiling,
 * measured in the same run, from where the server will send). Hami's figure is the real path: events queued with a send time a few seconds ahead, then the server's
 * worker claims the jobs, renders each survey email, sends it over its pooled SMTP transport and marks it sent;
 * the rate is counted between the first and the last message arriving.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import nodemailer from 'nodemailer';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { ingestEvent } from '../../server/events/ingest.js';
import { silentLogger } from '../../server/log.js';
import { startHami } from '../../server/start.js';
import type { LoadProcess } from './load.js';
import { record } from './results.js';

const TARGET = 200;

/** The ceiling: `count` messages handed at once to a nodemailer pool (its default 5 connections). */
async function poolAlone(url: string, count: number): Promise<number> {
  const transporter = nodemailer.createTransport(`${url}/?pool=true`);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      transporter.sendMail({
        from: 'bench@localhost',
        to: `c${i}@example.com`,
        subject: 'How was your order?',
        text: 'Tap a score: 0 1 2 3 4 5 6 7 8 9 10',
        html: '<p>Tap a score</p>',
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  transporter.close();
  return count / seconds;
}

export async function emailBench(loader: LoadProcess, count: number): Promise<void> {
  console.log(`\nemail: ${count.toLocaleString('en')} survey emails to a loopback SMTP server (target: ${TARGET}/s)`);
  const port = await loader.startSmtpSink();
  const smtpUrl = `smtp://127.0.0.1:${port}`;
  const ceilingRate = await poolAlone(smtpUrl, count);
  console.log(`  nodemailer pool alone: ${Math.round(ceilingRate).toLocaleString('en')}/s`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hami-bench-email-'));
  const hami = await startHami(loadConfig({ HAMI_DATA_DIR: dataDir, PORT: '0', SMTP_URL: smtpUrl, HAMI_QUIET_HOURS: 'off' }), {
    log: silentLogger,
  });
  try {
    const before = (await loader.smtpStats()).count;
    // All due at once a few seconds from now, so the queue is full when the worker starts on it.
    const sendAt = new Date(Date.now() + 4000).toISOString();
    const started = performance.now();
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, j) =>
          ingestEvent(hami.deps, {
            type: 'purchase',
            id: `mail-${i + j}`,
            sendAt,
            customer: { id: `m-${i + j}`, email: `m${i + j}@example.com`, locale: (i + j) % 2 ? 'fa' : 'en' },
          }),
        ),
      );
    }
    console.log(`  queued in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const deadline = Date.now() + 120_000;
    let stats = await loader.smtpStats();
    while (stats.count - before < count) {
      if (Date.now() > deadline) throw new Error(`email: only ${stats.count - before} of ${count} arrived in 2 minutes`);
      await new Promise((r) => setTimeout(r, 100));
      stats = await loader.smtpStats();
    }
    // The first of these arrived after the ceiling run's last: measure from Hami's first message.
    const sent = await hami.deps.db
      .selectFrom('invitations')
      .select(({ fn }) => [fn.min('sent_at').as('first'), fn.max('sent_at').as('last')])
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    const seconds = (Date.parse(String(sent.last)) - Date.parse(String(sent.first))) / 1000;
    const rate = (count - 1) / Math.max(seconds, 0.001);
    console.log(`  Hami: ${count} sent in ${seconds.toFixed(1)} s, ${Math.round(rate).toLocaleString('en')}/s`);
    record({
      name: 'survey emails to loopback SMTP (pooled)',
      value: rate,
      unit: 'emails/s',
      baseline: { name: 'nodemailer pool alone', value: ceilingRate, unit: 'emails/s' },
      target: `≥ ${TARGET} emails/s`,
      pass: rate >= TARGET,
    });
  } finally {
    await hami.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
