import { promises as dnsPromises, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { AppDeps } from '../deps.js';
import { checkedAddresses, hostOf, webhookUrlProblem, type HostResolver, type WebhookNetworkPolicy } from '../webhooks/url-policy.js';

/*
 * Requests to URLs someone else chose (webhooks), made so they cannot reach this machine or its private network
 * (SSRF). The address is checked inside the connection's own DNS lookup (the `lookup` option of http.request), so
 * the address checked is the address connected to: a name that answers a public address to a first check and
 * 127.0.0.1 to the connection (DNS rebinding) is refused at the connection. A literal IP never goes through DNS,
 * so it is checked before connecting. Redirects are never followed: a 3xx comes back as the answer, and the
 * webhook code reports it as a failed attempt (a hop to 127.0.0.1 would otherwise slip past the check).
 *
 * node:http rather than fetch: Node 20's fetch takes a custom lookup only through an undici Agent, and undici is
 * not a dependency of this project. msw (tests) intercepts node:http as it does fetch.
 */

/** The system's resolver: every address of the name, in the order the system gives. */
const systemResolver: HostResolver = (hostname) => dnsPromises.lookup(hostname, { all: true, verbatim: true });

/** The network policy of webhooks from the app's dependencies: its resolver and HAMI_WEBHOOK_ALLOW_PRIVATE. */
export function webhookNetworkPolicy(deps: Pick<AppDeps, 'config'> & { resolveHost?: HostResolver }): WebhookNetworkPolicy {
  return { resolve: deps.resolveHost ?? systemResolver, allowPrivate: deps.config.webhookAllowPrivate };
}

/** The URL or the address it leads to is not allowed: asking again will not help. */
export class OutboundRefusedError extends Error {
  constructor(reason: string) {
    super(`url ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

/** Most of an answer Hami reads (the delivery log keeps 500 characters). */
const MAX_ANSWER_BYTES = 64 * 1024;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that resolves with the policy's resolver and refuses addresses the policy refuses. */
function guardedLookup(policy: WebhookNetworkPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    checkedAddresses(hostname, policy).then(
      (result) => {
        if ('refused' in result) return callback(new OutboundRefusedError(result.refused), '', 0);
        const wanted =
          options.family === 4 || options.family === 6 ? result.addresses.filter((a) => a.family === options.family) : result.addresses;
        if (wanted.length === 0)
          return callback(Object.assign(new Error(`host ${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all)
          return callback(
            null,
            wanted.map((a) => ({ address: a.address, family: a.family })),
          );
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * POSTs (or sends `method`) to `url` under the webhook network policy and returns the answer, whatever its
 * status, redirects included and not followed. Throws OutboundRefusedError when the URL or its address is not
 * allowed (before anything is sent), an Error named TimeoutError after `timeoutMs`, or the network's error.
 */
export async function outboundFetch(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string; timeoutMs?: number },
  policy: WebhookNetworkPolicy,
): Promise<Response> {
  const shape = webhookUrlProblem(url);
  if (shape) throw new OutboundRefusedError(shape);
  const target = new URL(url);
  // Checked here as well as in the lookup: a literal IP skips DNS, and a test's intercepted request never connects.
  const first = await checkedAddresses(hostOf(target), policy);
  if ('refused' in first) throw new OutboundRefusedError(first.refused);
  const client = target.protocol === 'https:' ? https : http;
  const timeoutMs = init.timeoutMs ?? 10_000;
  return new Promise<Response>((resolve, reject) => {
    const request = client.request(
      {
        protocol: target.protocol,
        hostname: hostOf(target),
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'POST',
        headers: { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
        lookup: guardedLookup(policy),
        // A fresh connection each time: no pooled socket outlives the check that allowed it.
        agent: false,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          clearTimeout(timer);
          const status = answer.statusCode ?? 502;
          const headers = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value === undefined) continue;
            for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
          }
          const noBody = status === 204 || status === 205 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status: status < 200 || status > 599 ? 502 : status, headers }));
        };
        answer.on('data', (chunk: Buffer) => {
          if (size >= MAX_ANSWER_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_ANSWER_BYTES) {
            answer.destroy();
            finish();
          }
        });
        answer.on('end', finish);
        answer.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs / 1000} s`);
      error.name = 'TimeoutError';
      request.destroy(error);
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(init.body);
  });
}
