/** The parent side of load-child.ts: forks it and sends it work over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-child.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-child.ts');

export interface LoadProcess {
  load(spec: LoadSpec): Promise<LoadResult>;
  startSmtpSink(): Promise<number>;
  smtpStats(): Promise<{ count: number; first: number; last: number }>;
  close(): void;
}

export function startLoadProcess(): LoadProcess {
  const child: ChildProcess = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: object, kind: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: { kind: string; message?: string } & Record<string, unknown>) => {
        child.off('message', onMessage);
        if (reply.kind === 'error') reject(new Error(`load process: ${reply.message}`));
        else if (reply.kind === kind) resolve(reply as T);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return {
    load: async (spec) => (await ask<{ result: LoadResult }>({ kind: 'load', spec }, 'load')).result,
    startSmtpSink: async () => (await ask<{ port: number }>({ kind: 'smtp' }, 'smtp')).port,
    smtpStats: () => ask({ kind: 'smtp-stats' }, 'smtp-stats'),
    close: () => child.kill(),
  };
}
