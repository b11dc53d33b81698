import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiKey } from '../shared/api/api-keys.js';
import type { UserPatch } from '../shared/api/staff.js';
import { ROLES } from '../shared/roles.js';
import { helpText, parseCommandLine, UsageError, type CommandSpec, type ParsedCommand } from './cli-parser.js';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import { packageVersion } from './paths.js';

// The commands' implementations (the database, zod schemas, the import) are imported when a command runs:
// loading them all takes most of a second, and `hami --help` needs none of them.

/**
 * `npx hami …`: staff accounts, API keys and CSV imports from the command line (see server/bin/hami.mjs for how it is started).
 * The database is the server's own (DATABASE_URL / HAMI_DATA_DIR), migrated first so a fresh data folder works.
 * Results go to stdout; any failure is one line on stderr and exit code 1.
 */

type Env = Record<string, string | undefined>;

export interface CliIo {
  env: Env;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A mistake of the user's: printed as one line, exit code 1. */
class CliError extends Error {
  override name = 'CliError';
}

/** Groups whose sub-commands are written as two words (`hami user add`). */
const GROUPS: Record<string, string[]> = {
  user: ['add', 'list', 'set-role', 'disable', 'enable', 'reset-password'],
  apikey: ['create', 'list', 'revoke'],
  customer: ['export', 'erase'],
  themes: ['retag'],
};

/** A string option's value (absent when not given). */
function option(parsed: ParsedCommand, name: string): string | undefined {
  const value = parsed.options[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredOption(parsed: ParsedCommand, name: string, command: string): string {
  const value = option(parsed, name);
  if (value === undefined || value.trim() === '') throw new CliError(`${command} needs --${name} (see hami ${command} --help)`);
  return value;
}

/** Keeps a value on one line and short when it is echoed in a message. */
function shown(value: string): string {
  const safe = value.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The rows as a table, or `empty` (how to make the first one) when there are none. */
function printTable(io: CliIo, header: string[], rows: string[][], empty: string): void {
  if (rows.length === 0) io.out(empty);
  else for (const line of table(header, rows)) io.out(line);
}

/** Opens and migrates the configured database, runs `work`, and always closes the database. */
async function withDatabase<T>(env: Env, work: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { openConfiguredDatabase }, { migrateToLatest }] = await Promise.all([
    import('./config.js'),
    import('./db/connect.js'),
    import('./db/migrate.js'),
  ]);
  const config = loadConfig(env);
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}

function userCommands(io: CliIo): CommandSpec[] {
  const commands: CommandSpec[] = [];
  commands.push({
    name: 'user add',
    description: 'Create a staff account (prints a generated password when --password is omitted)',
    options: [
      { flag: '--email <email>', description: 'Sign-in email address (required)' },
      { flag: '--name <name>', description: 'Full name shown in the dashboard (required)' },
      { flag: '--role <role>', description: `One of ${ROLES.join(', ')} (required)` },
      { flag: '--password <password>', description: 'At least 10 characters; generated and printed once when omitted' },
    ],
    examples: ['  $ hami user add --email sara@example.com --name "Sara Ahmadi" --role care'],
    run: async (parsed) => {
      const [{ createUser, generatePassword }, { newUserInput }] = await Promise.all([
        import('./auth/users.js'),
        import('../shared/api/staff.js'),
      ]);
      const command = 'user add';
      const given = {
        email: requiredOption(parsed, 'email', command).trim(),
        name: requiredOption(parsed, 'name', command),
        role: requiredOption(parsed, 'role', command).trim(),
      };
      const typed = option(parsed, 'password');
      const password = typed ?? generatePassword();
      const checked = newUserInput.safeParse({ ...given, password });
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        const field = String(issue.path[0] ?? '');
        const value = field === 'password' || !(field in given) ? '' : ` (got "${shown(given[field as keyof typeof given])}")`;
        throw new CliError(`--${field} ${issue.message}${value}`);
      }
      const user = await withDatabase(io.env, (db) => createUser(db, checked.data, new Date()));
      io.out(`created ${user.role} ${user.email} (${user.name}), id ${user.id}`);
      if (typed === undefined) io.out(`password: ${password}  (generated, shown only now: keep it)`);
    },
  });

  commands.push({
    name: 'user list',
    description: 'List staff accounts: email, name, role, disabled',
    examples: ['  $ hami user list'],
    run: async () => {
      const { listUsers } = await import('./auth/users.js');
      const users = await withDatabase(io.env, (db) => listUsers(db));
      const rows = users.map((u) => [u.email, u.name, u.role, u.disabled ? 'yes' : 'no']);
      printTable(io, ['email', 'name', 'role', 'disabled'], rows, 'no users yet: add one with hami user add');
    },
  });

  /** One change of an account by email, under the same rule as the dashboard's (server/auth/users.ts). */
  const change = async (parsed: ParsedCommand, command: string, patch: UserPatch) => {
    const email = requiredOption(parsed, 'email', command).trim().toLowerCase();
    const { changeUser, findUserByEmail, LAST_ADMIN_RULE } = await import('./auth/users.js');
    const result = await withDatabase(io.env, async (db) => {
      const user = await findUserByEmail(db, email);
      return user ? changeUser(db, user.id, patch, new Date()) : ({ status: 'unknown' } as const);
    });
    if (result.status === 'unknown') throw new CliError(`no user with email ${shown(email)}`);
    if (result.status === 'last_admin') throw new CliError(`${email}: ${LAST_ADMIN_RULE}`);
    return { email, ...result };
  };

  commands.push({
    name: 'user set-role',
    description: 'Give a staff account another role (the last active admin keeps theirs)',
    options: [
      { flag: '--email <email>', description: 'Email address of the account (required)' },
      { flag: '--role <role>', description: `One of ${ROLES.join(', ')} (required)` },
    ],
    examples: ['  $ hami user set-role --email sara@example.com --role admin'],
    run: async (parsed) => {
      const { userPatchInput } = await import('../shared/api/staff.js');
      const role = userPatchInput.safeParse({ role: requiredOption(parsed, 'role', 'user set-role').trim() });
      if (!role.success) throw new CliError(`--role ${role.error.issues[0]!.message}`);
      const done = await change(parsed, 'user set-role', role.data);
      io.out(
        done.before.role === done.user.role
          ? `${done.email} was already ${done.user.role}`
          : `${done.email} is now ${done.user.role} (was ${done.before.role})`,
      );
    },
  });

  commands.push({
    name: 'user disable',
    description: 'Disable a staff account and end its sessions (the last active admin cannot be)',
    options: [{ flag: '--email <email>', description: 'Email address of the account (required)' }],
    examples: ['  $ hami user disable --email sara@example.com'],
    run: async (parsed) => {
      const done = await change(parsed, 'user disable', { disabled: true });
      io.out(done.before.disabled ? `${done.email} was already disabled` : `disabled ${done.email}; their sessions have ended`);
    },
  });

  commands.push({
    name: 'user enable',
    description: 'Let a disabled staff account sign in again',
    options: [{ flag: '--email <email>', description: 'Email address of the account (required)' }],
    examples: ['  $ hami user enable --email sara@example.com'],
    run: async (parsed) => {
      const done = await change(parsed, 'user enable', { disabled: false });
      io.out(done.before.disabled ? `enabled ${done.email}; they can sign in again` : `${done.email} was not disabled`);
    },
  });

  commands.push({
    name: 'user reset-password',
    description: 'Set a new password (generated when --password is omitted) and end all sessions',
    options: [
      { flag: '--email <email>', description: 'Email address of the account (required)' },
      { flag: '--password <password>', description: 'At least 10 characters; generated and printed once when omitted' },
    ],
    examples: ['  $ hami user reset-password --email sara@example.com'],
    run: async (parsed) => {
      const [{ findUserByEmail, generatePassword, resetPassword }, { newUserInput }] = await Promise.all([
        import('./auth/users.js'),
        import('../shared/api/staff.js'),
      ]);
      const email = requiredOption(parsed, 'email', 'user reset-password').trim();
      const typed = option(parsed, 'password');
      const password = typed ?? generatePassword();
      const check = newUserInput.shape.password.safeParse(password);
      if (!check.success) throw new CliError(`--password ${check.error.issues[0]!.message}`);
      const user = await withDatabase(io.env, async (db) => {
        const found = await findUserByEmail(db, email);
        if (found) await resetPassword(db, found.id, password);
        return found;
      });
      if (!user) throw new CliError(`no user with email ${shown(email.toLowerCase())}`);
      io.out(
        `new password set for ${user.email}; their sessions have ended${user.disabled_at !== null ? ' (the account is disabled)' : ''}`,
      );
      if (typed === undefined) io.out(`password: ${password}  (generated, shown only now: keep it)`);
    },
  });
  return commands;
}

const dateShown = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

function apiKeyCommands(io: CliIo): CommandSpec[] {
  const commands: CommandSpec[] = [];
  commands.push({
    name: 'apikey create',
    args: '<name>',
    description: 'Create an API key for an integration (printed once; only its hash is kept)',
    examples: ['  $ hami apikey create "Shop (production)"'],
    run: async (parsed) => {
      const [{ apiKeyInput }, { createApiKey }] = await Promise.all([import('../shared/api/api-keys.js'), import('./auth/api-keys.js')]);
      const name = parsed.args[0]!;
      const checked = apiKeyInput.safeParse({ name });
      if (!checked.success) throw new CliError(`the name ${checked.error.issues[0]!.message}`);
      const created = await withDatabase(io.env, (db) => createApiKey(db, checked.data.name, new Date()));
      io.out(`created API key "${shown(created.name)}", id ${created.id}, prefix ${created.prefix}`);
      io.out(`key: ${created.key}  (shown only now: keep it; send it as "Authorization: Bearer <key>")`);
    },
  });

  commands.push({
    name: 'apikey list',
    description: 'List API keys: id, name, prefix, created, last used, revoked (never the keys)',
    examples: ['  $ hami apikey list'],
    run: async () => {
      const { listApiKeys } = await import('./auth/api-keys.js');
      const keys = await withDatabase(io.env, (db) => listApiKeys(db));
      const rows = keys.map((k: ApiKey) => [
        k.id,
        k.prefix,
        dateShown(k.createdAt),
        dateShown(k.lastUsedAt),
        dateShown(k.revokedAt),
        shown(k.name),
      ]);
      printTable(
        io,
        ['id', 'prefix', 'created (UTC)', 'last used', 'revoked', 'name'],
        rows,
        'no API keys yet: create one with hami apikey create <name>',
      );
    },
  });

  commands.push({
    name: 'apikey revoke',
    args: '<id-or-prefix>',
    description: 'Revoke an API key by its id or its prefix (as apikey list shows them)',
    examples: ['  $ hami apikey revoke hami_Ab3d'],
    run: async (parsed) => {
      const { revokeApiKey } = await import('./auth/api-keys.js');
      const given = parsed.args[0]!.trim();
      const result = await withDatabase(io.env, (db) => revokeApiKey(db, given, new Date(), { byPrefix: true }));
      if (result.status === 'unknown') throw new CliError(`no API key with id or prefix ${shown(given)} (see hami apikey list)`);
      if (result.status === 'ambiguous')
        throw new CliError(
          `${result.matches.length} active keys have prefix ${shown(given)}: revoke one by id (${result.matches.map((k) => k.id).join(', ')})`,
        );
      const key = result.key;
      io.out(
        result.status === 'already_revoked'
          ? `"${shown(key.name)}" (${key.prefix}) was already revoked at ${dateShown(key.revokedAt)}`
          : `revoked "${shown(key.name)}" (${key.prefix}); requests with it are refused from now on`,
      );
    },
  });
  return commands;
}

/** `hami customer export|erase`: privacy requests (server/privacy/), audited with the actor "cli". */
function customerCommands(io: CliIo): CommandSpec[] {
  const commands: CommandSpec[] = [];
  const unknown = (id: string) =>
    new CliError(`no customer with id or external id ${shown(id)} (an erased customer is found by its Hami id only)`);
  commands.push({
    name: 'customer export',
    args: '<id>',
    description: 'Print everything Hami holds about one customer (Hami id or external id) as JSON, or write it to --out',
    options: [{ flag: '--out <file>', description: 'Write the JSON to this new file (readable by you only) instead of printing it' }],
    examples: ['  $ hami customer export shop-4711 --out shop-4711.json'],
    run: async (parsed) => {
      const id = parsed.args[0]!;
      const out = option(parsed, 'out');
      // Refused before anything is read, so the audit does not record an export nobody received.
      if (out !== undefined && existsSync(out))
        throw new CliError(`${shown(out)} already exists: choose another --out file or remove it first`);
      const { exportCustomer } = await import('./privacy/export.js');
      const document = await withDatabase(io.env, (db, config) => exportCustomer(db, id, 'cli', new Date(), config.defaultCountry));
      if (!document) throw unknown(id);
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (out === undefined) return io.out(text.trimEnd());
      try {
        writeFileSync(out, text, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EEXIST'
            ? `${shown(out)} already exists: choose another --out file or remove it first`
            : `cannot write ${shown(out)}: ${code ?? String(error)}`,
        );
      }
      io.out(
        `wrote the export of customer ${document.customer.id} (${document.responses.length} responses, ${document.callbackCases.length} callback cases) to ${out}`,
      );
    },
  });

  commands.push({
    name: 'customer erase',
    args: '<id>',
    description: 'Erase a customer for good: contact details, name and free text removed; scores kept anonymously for the statistics',
    options: [{ flag: '--yes', description: 'Confirm: this cannot be undone (export first if they asked for their data)' }],
    examples: ['  $ hami customer erase shop-4711 --yes'],
    run: async (parsed) => {
      const id = parsed.args[0]!;
      if (parsed.options.yes !== true) {
        throw new CliError(
          `customer erase cannot be undone: run it again with --yes to confirm (export first with hami customer export ${shown(id)} --out file)`,
        );
      }
      const [{ eraseContextOf, eraseCustomer }, { loadSurveys }] = await Promise.all([
        import('./privacy/erase.js'),
        import('./surveys.js'),
      ]);
      const result = await withDatabase(io.env, (db, config) =>
        eraseCustomer(db, eraseContextOf(config, loadSurveys().all), id, 'cli', new Date()),
      );
      if (!result) throw unknown(id);
      if (result.alreadyErased)
        return io.out(
          `customer ${result.customerId} was already erased at ${dateShown(result.erasedAt)} UTC; anything personal found in their rows again is cleared`,
        );
      const c = result.changed;
      io.out(
        `erased customer ${result.customerId}: ${c.responses} responses and ${c.answerVersions} answer versions lost their free text, ${c.caseEntries} case notes, ${c.messagesReceived} SMS replies, ${c.webhookDeliveries} webhook bodies cleaned, ${c.jobsCancelled} queued jobs cancelled; scores kept for the statistics`,
      );
    },
  });
  return commands;
}

/** `hami themes retag`: re-tags every comment with the theme dictionary in force (server/themes/retag.ts). */
function themesCommands(io: CliIo): CommandSpec[] {
  const commands: CommandSpec[] = [];
  commands.push({
    name: 'themes retag',
    description: 'Re-tag every comment with the theme dictionary in force (after editing it); safe while the server runs',
    examples: ['  $ hami themes retag'],
    run: async () => {
      const [{ retagHistory }, { loadSurveys }] = await Promise.all([import('./themes/retag.js'), import('./surveys.js')]);
      const started = Date.now();
      // About twenty progress lines, however large the history.
      let nextShare = 0;
      const result = await withDatabase(io.env, (db) =>
        retagHistory(db, loadSurveys(), {
          now: () => new Date(),
          started: ({ total }) => io.out(`re-tagging ${total.toLocaleString('en')} responses with the theme dictionary in force…`),
          onProgress: ({ done, total }) => {
            if (total === 0 || done / total < nextShare) return;
            nextShare = done / total + 0.05;
            io.out(`  ${done.toLocaleString('en')} of ${total.toLocaleString('en')} (${Math.floor((done / total) * 100)}%)`);
          },
        }),
      );
      io.out(
        `re-tagged ${result.responses.toLocaleString('en')} responses in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.changed.toLocaleString('en')} changed themes; the dashboard counts them now`,
      );
    },
  });
  return commands;
}

/** `hami import`: the CSV import itself is server/imports/cli.ts; this is its command line. */
function importCommands(io: CliIo, setExitCode: (code: number) => void): CommandSpec[] {
  const commands: CommandSpec[] = [];
  commands.push({
    name: 'import',
    args: '<file>',
    description: 'Import customers or events from a CSV file, or a Delighted people/responses export (re-running is safe)',
    options: [
      { flag: '--kind <kind>', description: 'customers, events, delighted-people or delighted-responses (default: events)' },
      {
        flag: '--map <column=field>',
        description: 'Use this CSV column for this field, e.g. --map "Order No=id" (repeatable)',
        repeatable: true,
      },
      { flag: '--dry-run', description: 'Check every row and report, without writing anything' },
    ],
    examples: [
      '  $ hami import orders.csv --map "Order No=id" --map "Mobile=customer.phone"',
      '  $ hami import people.csv --kind delighted-people --dry-run',
    ],
    run: async (parsed) => {
      const file = parsed.args[0]!;
      const kind = option(parsed, 'kind');
      const { runImportCommand } = await import('./imports/cli.js');
      const code = await runImportCommand(io, file, { kind, map: parsed.all.map ?? [], dryRun: parsed.options['dry-run'] === true });
      setExitCode(code);
    },
  });
  return commands;
}

/** `hami backup`: the online SQLite backup itself is server/backup/; this is its command line. */
function backupCommands(io: CliIo): CommandSpec[] {
  const commands: CommandSpec[] = [];
  commands.push({
    name: 'backup',
    args: '<file>',
    description: 'Copy the SQLite database to <file> while the server runs (SQLite online backup; for PostgreSQL use pg_dump)',
    options: [{ flag: '--force', description: 'Overwrite <file> if it exists' }],
    examples: ['  $ hami backup backups/hami-2026-11-23.db'],
    run: async (parsed) => {
      const { runBackupCommand } = await import('./backup/command.js');
      await runBackupCommand(io, parsed.args[0]!, { force: parsed.options.force === true });
    },
  });
  return commands;
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const group = argv[0] !== undefined ? GROUPS[argv[0]] : undefined;
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (group && (argv[1] === undefined || argv[1].startsWith('-')) && !wantsHelp) {
    io.err(`hami: ${argv[0]} needs a command: ${group.join(', ')} (see hami --help)`);
    return 1;
  }
  let exitCode = 0;
  const commands = [
    ...userCommands(io),
    ...apiKeyCommands(io),
    ...customerCommands(io),
    ...themesCommands(io),
    ...importCommands(io, (code) => (exitCode = code)),
    ...backupCommands(io),
  ];
  let name: string | undefined;
  try {
    const line = parseCommandLine(commands, argv);
    if (line.kind === 'help') {
      io.out(helpText('hami', packageVersion(), commands, line.command));
      return 0;
    }
    if (line.kind === 'version') {
      io.out(`hami/${packageVersion()} ${process.platform}-${process.arch} node-${process.version}`);
      return 0;
    }
    if (line.kind === 'none') {
      io.out(helpText('hami', packageVersion(), commands, undefined));
      return 1;
    }
    if (line.kind === 'unknown') {
      const typed = group ? `${argv[0]} ${argv[1]}` : line.name;
      throw new CliError(`unknown command "${shown(typed)}": the commands are ${commands.map((c) => c.name).join(', ')} (see hami --help)`);
    }
    name = line.command.name;
    await line.command.run(line.parsed);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError && name === undefined)
      name = commands.find((c) => argv.slice(0, c.name.split(' ').length).join(' ') === c.name)?.name;
    io.err(`hami: ${describe(error, name)}`);
    return 1;
  }
}

function describe(error: unknown, command: string | undefined): string {
  // By name: the implementations' error classes are loaded lazily (see the top of this file).
  if (error instanceof CliError || (error instanceof Error && ['DuplicateUserError', 'BackupRefused'].includes(error.name)))
    return error.message;
  if (error instanceof Error && error.name === 'ConfigError') return `configuration error: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  // The command line's own mistakes (unknown option, missing value, arguments too few or too many).
  if (error instanceof UsageError) return command ? `${command}: ${message} (see hami ${command} --help)` : `${message} (see hami --help)`;
  return message.split('\n')[0]!;
}

/** The process entry point: server/bin/hami.mjs calls this; `tsx server/cli.ts …` runs it directly. */
export async function main(args: string[] = process.argv.slice(2)): Promise<number> {
  return runCli(args, { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
