/**
 * The bench's second process: the load generator (autocannon) and the SMTP sink run here, so neither shares the
 * measured server's event loop. Driven over IPC by the bench (child_process.fork):
 * - { kind: 'load', spec } → runs autocannon and answers { kind: 'load', result };
 * - { kind: 'smtp' } → starts a loopback SMTP server that accepts and drops every message, answers { port };
 * - { kind: 'smtp-stats' } → { count, first, last } (arrival times of the first and last message, ms since epoch).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { SMTPServer } from 'smtp-server';

export type LoadKind = 'hello' | 'events' | 'answer-get' | 'answer-post';

export interface LoadSpec {
  kind: LoadKind;
  url: string;
  connections: number;
  /** Seconds (for kinds that can run any number of requests). */
  duration?: number;
  /** For answers: a file with one token per line, used in turn (from the start again if the run outlasts them). */
  tokensFile?: string;
  /** Use each token once: the run ends when they are used up, or after `duration`, whichever comes first. */
  once?: boolean;
  apiKey?: string;
  /** Prefix for event ids, so each run's events are new. */
  idPrefix?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
}

type Message = { kind: 'load'; spec: LoadSpec } | { kind: 'smtp' } | { kind: 'smtp-stats' };

const REASONS = ['Fast delivery', 'ارسال سریع بود و بسته‌بندی عالی', 'The box was damaged', 'Good price, will buy again'];

function requestsFor(spec: LoadSpec): { requests: autocannon.Request[]; amount?: number } {
  let n = 0;
  switch (spec.kind) {
    case 'hello':
      return { requests: [{ method: 'GET', path: '/' }] };
    case 'events':
      return {
        requests: [
          {
            method: 'POST',
            path: '/api/v1/events',
            headers: { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json' },
            setupRequest: (req) => {
              const i = n++;
              // Mostly new customers, a third of them buying again; a product attribute as shops send.
              const customer = `${spec.idPrefix}-c${Math.floor(i / 3) * 3 + (i % 3 === 0 ? 0 : 1)}`;
              const body = {
                type: 'purchase',
                id: `${spec.idPrefix}-${i}`,
                customer: {
                  id: customer,
                  email: `${customer}@example.com`,
                  name: i % 2 ? 'سارا احمدی' : 'Sam Lee',
                  locale: i % 2 ? 'fa' : 'en',
                },
                attributes: { product: `product-${i % 20}`, region: ['north', 'south', 'east', 'west'][i % 4]! },
              };
              return { ...req, body: JSON.stringify(body) };
            },
          },
        ],
      };
    case 'answer-get':
    case 'answer-post': {
      const tokens = readFileSync(spec.tokensFile!, 'utf8').split('\n').filter(Boolean);
      const post = spec.kind === 'answer-post';
      return {
        amount: spec.once ? tokens.length : undefined,
        requests: [
          {
            method: post ? 'POST' : 'GET',
            headers: post ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
            setupRequest: (req) => {
              const i = n++;
              const token = tokens[i % tokens.length]!;
              const score = (i * 7) % 11;
              if (!post) return { ...req, path: `/s/${token}?score=${score}` };
              return { ...req, path: `/s/${token}`, body: `nps=${score}&reason=${encodeURIComponent(REASONS[i % REASONS.length]!)}` };
            },
          },
        ],
      };
    }
  }
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  const { requests, amount } = requestsFor(spec);
  const result = await autocannon({
    url: spec.url,
    connections: amount ? Math.min(spec.connections, amount) : spec.connections,
    // autocannon takes `amount` over `duration`: the tokens run out first at any rate this machine reaches.
    ...(amount ? { amount } : { duration: spec.duration ?? 10 }),
    requests,
    timeout: 10,
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat?.count ?? 0;
  const requestsDone = result.requests.total;
  return {
    requests: requestsDone,
    seconds: result.duration,
    perSecond: requestsDone / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
    errors: result.errors + result.timeouts,
  };
}

let smtpCount = 0;
let smtpFirst = 0;
let smtpLast = 0;

async function startSink(): Promise<number> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        smtpLast = Date.now();
        if (smtpCount++ === 0) smtpFirst = smtpLast;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.server.address() as AddressInfo).port;
}

process.on('message', (message: Message) => {
  const reply = (value: unknown) => process.send!(value);
  const run = async () => {
    switch (message.kind) {
      case 'load':
        return reply({ kind: 'load', result: await load(message.spec) });
      case 'smtp':
        return reply({ kind: 'smtp', port: await startSink() });
      case 'smtp-stats':
        return reply({ kind: 'smtp-stats', count: smtpCount, first: smtpFirst, last: smtpLast });
    }
  };
  run().catch((error: unknown) => reply({ kind: 'error', message: error instanceof Error ? error.stack : String(error) }));
});
