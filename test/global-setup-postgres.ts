import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/*
 * The PostgreSQL run of the integration suite needs a server. HAMI_TEST_POSTGRES_URL names one to use (an admin
 * connection: each test server creates and drops its own database through it); otherwise a throwaway cluster is
 * made in a temp folder with Debian's binaries, on a free port, and removed at the end. fsync is off in that
 * cluster: it only speeds the tests up, the data is thrown away anyway.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

const INSTALL_HINT =
  'PostgreSQL is needed for the PostgreSQL run of the integration suite: install it with `apt-get install -y postgresql` ' +
  '(Debian; its binaries are looked for in /usr/lib/postgresql/*/bin, or in HAMI_TEST_POSTGRES_BIN), or set ' +
  'HAMI_TEST_POSTGRES_URL=postgres://user@host:port/db ' +
  'to an existing server that lets that user create databases.';

function postgresBinDir(): string | null {
  // Elsewhere than Debian (Homebrew, a source build): the folder that holds initdb and pg_ctl.
  const given = process.env.HAMI_TEST_POSTGRES_BIN?.trim();
  if (given) return existsSync(path.join(given, 'initdb')) ? given : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user. */
function runAsOwner(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    execFileSync('su', ['postgres', '-c', quoted], { stdio: 'pipe' });
  } else {
    execFileSync(command, args, { stdio: 'pipe' });
  }
}

async function checkConnection(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`HAMI_TEST_POSTGRES_URL: cannot connect (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.HAMI_TEST_POSTGRES_URL?.trim();
  if (given) {
    await checkConnection(given);
    project.provide('postgresAdminUrl', given);
    return () => {};
  }
  const bin = postgresBinDir();
  if (!bin) throw new Error(INSTALL_HINT);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    runAsOwner(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    runAsOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', 'start']);
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL cluster with ${bin}: ${detail}`);
  }
  project.provide('postgresAdminUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);

  return () => {
    try {
      runAsOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
