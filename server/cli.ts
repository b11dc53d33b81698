import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cac, type CAC } from 'cac';
import { apiKeyInput, type ApiKey } from '../shared/api/api-keys.js';
import { ROLES, newUserInput, userPatchInput, type UserPatch } from '../shared/api/staff.js';
import { createApiKey, listApiKeys, revokeApiKey } from './auth/api-keys.js';
import { BackupRefused } from './backup/backup.js';
import { runBackupCommand } from './backup/command.js';
import { changeUser, createUser, DuplicateUserError, findUserByEmail, generatePassword, LAST_ADMIN_RULE, listUsers, resetPassword } from './auth/users.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openConfiguredDatabase, type Db } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { runImportCommand } from './imports/cli.js';
import { eraseContextOf, eraseCustomer } from './privacy/erase.js';
import { exportCustomer } from './privacy/export.js';
import { loadSurveys } from './surveys.js';
import { retagHistory } from './themes/retag.js';
import { packageVersion } from './paths.js';

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
const GROUPS: Record<string, string[]> = { user: ['add', 'list', 'set-role', 'disable', 'enable', 'reset-password'], apikey: ['create', 'list', 'revoke'], customer: ['export', 'erase'], themes: ['retag'] };

/**
 * The last value given for `--name` in the raw arguments, exactly as typed. cac (through mri) turns values that look
 * like numbers into numbers, which would change a password such as 0123456789; so string values are read here.
 */
function rawOption(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  let seen = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new CliError(`--${name} needs a value`);
      value = next;
      seen++;
      i++;
    } else if (arg.startsWith(`--${name}=`)) {
      value = arg.slice(name.length + 3);
      seen++;
    }
  }
  if (seen > 1) throw new CliError(`--${name} was given more than once`);
  return value;
}

function requiredOption(argv: string[], name: string, command: string): string {
  const value = rawOption(argv, name);
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
  const config = loadConfig(env);
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}

function userCommands(cli: CAC, argv: string[], io: CliIo): void {
  cli
    .command('user add', 'Create a staff account (prints a generated password when --password is omitted)')
    .option('--email <email>', 'Sign-in email address (required)')
    .option('--name <name>', 'Full name shown in the dashboard (required)')
    .option('--role <role>', `One of ${ROLES.join(', ')} (required)`)
    .option('--password <password>', 'At least 10 characters; generated and printed once when omitted')
    .example('  $ hami user add --email sara@example.com --name "Sara Ahmadi" --role care')
    .action(async () => {
      const command = 'user add';
      const given = {
        email: requiredOption(argv, 'email', command).trim(),
        name: requiredOption(argv, 'name', command),
        role: requiredOption(argv, 'role', command).trim(),
      };
      const typed = rawOption(argv, 'password');
      const password = typed ?? generatePassword();
      const parsed = newUserInput.safeParse({ ...given, password });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? '');
        const value = field === 'password' || !(field in given) ? '' : ` (got "${shown(given[field as keyof typeof given])}")`;
        throw new CliError(`--${field} ${issue.message}${value}`);
      }
      const user = await withDatabase(io.env, (db) => createUser(db, parsed.data, new Date()));
      io.out(`created ${user.role} ${user.email} (${user.name}), id ${user.id}`);
      if (typed === undefined) io.out(`password: ${password}  (generated, shown only now: keep it)`);
    });

  cli
    .command('user list', 'List staff accounts: email, name, role, disabled')
    .example('  $ hami user list')
    .action(async () => {
      const users = await withDatabase(io.env, (db) => listUsers(db));
      const rows = users.map((u) => [u.email, u.name, u.role, u.disabled ? 'yes' : 'no']);
      printTable(io, ['email', 'name', 'role', 'disabled'], rows, 'no users yet: add one with hami user add');
    });

  /** One change of an account by email, under the same rule as the dashboard's (server/auth/users.ts). */
  const change = async (command: string, patch: UserPatch) => {
    const email = requiredOption(argv, 'email', command).trim().toLowerCase();
    const result = await withDatabase(io.env, async (db) => {
      const user = await findUserByEmail(db, email);
      return user ? changeUser(db, user.id, patch, new Date()) : ({ status: 'unknown' } as const);
    });
    if (result.status === 'unknown') throw new CliError(`no user with email ${shown(email)}`);
    if (result.status === 'last_admin') throw new CliError(`${email}: ${LAST_ADMIN_RULE}`);
    return { email, ...result };
  };

  cli
    .command('user set-role', 'Give a staff account another role (the last active admin keeps theirs)')
    .option('--email <email>', 'Email address of the account (required)')
    .option('--role <role>', `One of ${ROLES.join(', ')} (required)`)
    .example('  $ hami user set-role --email sara@example.com --role admin')
    .action(async () => {
      const role = userPatchInput.safeParse({ role: requiredOption(argv, 'role', 'user set-role').trim() });
      if (!role.success) throw new CliError(`--role ${role.error.issues[0]!.message}`);
      const done = await change('user set-role', role.data);
      io.out(done.before.role === done.user.role ? `${done.email} was already ${done.user.role}` : `${done.email} is now ${done.user.role} (was ${done.before.role})`);
    });

  cli
    .command('user disable', 'Disable a staff account and end its sessions (the last active admin cannot be)')
    .option('--email <email>', 'Email address of the account (required)')
    .example('  $ hami user disable --email sara@example.com')
    .action(async () => {
      const done = await change('user disable', { disabled: true });
      io.out(done.before.disabled ? `${done.email} was already disabled` : `disabled ${done.email}; their sessions have ended`);
    });

  cli
    .command('user enable', 'Let a disabled staff account sign in again')
    .option('--email <email>', 'Email address of the account (required)')
    .example('  $ hami user enable --email sara@example.com')
    .action(async () => {
      const done = await change('user enable', { disabled: false });
      io.out(done.before.disabled ? `enabled ${done.email}; they can sign in again` : `${done.email} was not disabled`);
    });

  cli
    .command('user reset-password', 'Set a new password (generated when --password is omitted) and end all sessions')
    .option('--email <email>', 'Email address of the account (required)')
    .option('--password <password>', 'At least 10 characters; generated and printed once when omitted')
    .example('  $ hami user reset-password --email sara@example.com')
    .action(async () => {
      const email = requiredOption(argv, 'email', 'user reset-password').trim();
      const typed = rawOption(argv, 'password');
      const password = typed ?? generatePassword();
      const check = newUserInput.shape.password.safeParse(password);
      if (!check.success) throw new CliError(`--password ${check.error.issues[0]!.message}`);
      const user = await withDatabase(io.env, async (db) => {
        const found = await findUserByEmail(db, email);
        if (found) await resetPassword(db, found.id, password);
        return found;
      });
      if (!user) throw new CliError(`no user with email ${shown(email.toLowerCase())}`);
      io.out(`new password set for ${user.email}; their sessions have ended${user.disabled_at !== null ? ' (the account is disabled)' : ''}`);
      if (typed === undefined) io.out(`password: ${password}  (generated, shown only now: keep it)`);
    });
}

/**
 * The command's positional argument exactly as typed: cac (through mri) turns one that looks like a number into a
 * number ("2024"). `valued`: the options that take a value, whose values are not positional. cac itself refuses a
 * missing or an extra one.
 */
function positional(argv: string[], valued: string[] = []): string {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1] ?? '';
    if (valued.includes(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return '';
}

/** Every value given for a repeatable `--name`, as typed. */
function rawOptions(argv: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new CliError(`--${name} needs a value`);
      values.push(next);
      i++;
    } else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}

const dateShown = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

function apiKeyCommands(cli: CAC, argv: string[], io: CliIo): void {
  cli
    .command('apikey create <name>', 'Create an API key for an integration (printed once; only its hash is kept)')
    .example('  $ hami apikey create "Shop (production)"')
    .action(async () => {
      const name = positional(argv);
      const parsed = apiKeyInput.safeParse({ name });
      if (!parsed.success) throw new CliError(`the name ${parsed.error.issues[0]!.message}`);
      const created = await withDatabase(io.env, (db) => createApiKey(db, parsed.data.name, new Date()));
      io.out(`created API key "${shown(created.name)}", id ${created.id}, prefix ${created.prefix}`);
      io.out(`key: ${created.key}  (shown only now: keep it; send it as "Authorization: Bearer <key>")`);
    });

  cli
    .command('apikey list', 'List API keys: id, name, prefix, created, last used, revoked (never the keys)')
    .example('  $ hami apikey list')
    .action(async () => {
      const keys = await withDatabase(io.env, (db) => listApiKeys(db));
      const rows = keys.map((k: ApiKey) => [k.id, k.prefix, dateShown(k.createdAt), dateShown(k.lastUsedAt), dateShown(k.revokedAt), shown(k.name)]);
      printTable(io, ['id', 'prefix', 'created (UTC)', 'last used', 'revoked', 'name'], rows, 'no API keys yet: create one with hami apikey create <name>');
    });

  cli
    .command('apikey revoke <id-or-prefix>', 'Revoke an API key by its id or its prefix (as apikey list shows them)')
    .example('  $ hami apikey revoke hami_Ab3d')
    .action(async () => {
      const given = positional(argv).trim();
      const result = await withDatabase(io.env, (db) => revokeApiKey(db, given, new Date(), { byPrefix: true }));
      if (result.status === 'unknown') throw new CliError(`no API key with id or prefix ${shown(given)} (see hami apikey list)`);
      if (result.status === 'ambiguous') throw new CliError(`${result.matches.length} active keys have prefix ${shown(given)}: revoke one by id (${result.matches.map((k) => k.id).join(', ')})`);
      const key = result.key;
      io.out(result.status === 'already_revoked' ? `"${shown(key.name)}" (${key.prefix}) was already revoked at ${dateShown(key.revokedAt)}` : `revoked "${shown(key.name)}" (${key.prefix}); requests with it are refused from now on`);
    });
}

/** `hami customer export|erase`: privacy requests (server/privacy/), audited with the actor "cli". */
function customerCommands(cli: CAC, argv: string[], io: CliIo): void {
  const unknown = (id: string) => new CliError(`no customer with id or external id ${shown(id)} (an erased customer is found by its Hami id only)`);
  cli
    .command('customer export <id>', "Print everything Hami holds about one customer (Hami id or external id) as JSON, or write it to --out")
    .option('--out <file>', 'Write the JSON to this new file (readable by you only) instead of printing it')
    .example('  $ hami customer export shop-4711 --out shop-4711.json')
    .action(async () => {
      const id = positional(argv, ['--out']);
      const out = rawOption(argv, 'out');
      // Refused before anything is read, so the audit does not record an export nobody received.
      if (out !== undefined && existsSync(out)) throw new CliError(`${shown(out)} already exists: choose another --out file or remove it first`);
      const document = await withDatabase(io.env, (db, config) => exportCustomer(db, id, 'cli', new Date(), config.defaultCountry));
      if (!document) throw unknown(id);
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (out === undefined) return io.out(text.trimEnd());
      try {
        writeFileSync(out, text, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(code === 'EEXIST' ? `${shown(out)} already exists: choose another --out file or remove it first` : `cannot write ${shown(out)}: ${code ?? String(error)}`);
      }
      io.out(`wrote the export of customer ${document.customer.id} (${document.responses.length} responses, ${document.callbackCases.length} callback cases) to ${out}`);
    });

  cli
    .command('customer erase <id>', 'Erase a customer for good: contact details, name and free text removed; scores kept anonymously for the statistics')
    .option('--yes', 'Confirm: this cannot be undone (export first if they asked for their data)')
    .example('  $ hami customer erase shop-4711 --yes')
    .action(async () => {
      const id = positional(argv);
      if (!argv.includes('--yes')) {
        throw new CliError(`customer erase cannot be undone: run it again with --yes to confirm (export first with hami customer export ${shown(id)} --out file)`);
      }
      const result = await withDatabase(io.env, (db) => eraseCustomer(db, eraseContextOf(loadConfig(io.env), loadSurveys().all), id, 'cli', new Date()));
      if (!result) throw unknown(id);
      if (result.alreadyErased) return io.out(`customer ${result.customerId} was already erased at ${dateShown(result.erasedAt)} UTC; anything personal found in their rows again is cleared`);
      const c = result.changed;
      io.out(`erased customer ${result.customerId}: ${c.responses} responses and ${c.answerVersions} answer versions lost their free text, ${c.caseEntries} case notes, ${c.messagesReceived} SMS replies, ${c.webhookDeliveries} webhook bodies cleaned, ${c.jobsCancelled} queued jobs cancelled; scores kept for the statistics`);
    });
}

/** `hami themes retag`: re-tags every comment with the theme dictionary in force (server/themes/retag.ts). */
function themesCommand(cli: CAC, io: CliIo): void {
  cli
    .command('themes retag', 'Re-tag every comment with the theme dictionary in force (after editing it); safe while the server runs')
    .example('  $ hami themes retag')
    .action(async () => {
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
      io.out(`re-tagged ${result.responses.toLocaleString('en')} responses in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.changed.toLocaleString('en')} changed themes; the dashboard counts them now`);
    });
}

/** `hami import`: the CSV import itself is server/imports/cli.ts; this is its command line. */
function importCommand(cli: CAC, argv: string[], io: CliIo, setExitCode: (code: number) => void): void {
  cli
    .command('import <file>', 'Import customers or events from a CSV file, or a Delighted people/responses export (re-running is safe)')
    .option('--kind <kind>', 'customers, events, delighted-people or delighted-responses (default: events)')
    .option('--map <column=field>', 'Use this CSV column for this field, e.g. --map "Order No=id" (repeatable)')
    .option('--dry-run', 'Check every row and report, without writing anything')
    .example('  $ hami import orders.csv --map "Order No=id" --map "Mobile=customer.phone"')
    .example('  $ hami import people.csv --kind delighted-people --dry-run')
    .action(async () => {
      const file = positional(argv, ['--kind', '--map']);
      const kind = rawOption(argv, 'kind');
      const code = await runImportCommand(io, file, { kind, map: rawOptions(argv, 'map'), dryRun: argv.includes('--dry-run') });
      setExitCode(code);
    });
}

/** `hami backup`: the online SQLite backup itself is server/backup/; this is its command line. */
function backupCommand(cli: CAC, argv: string[], io: CliIo): void {
  cli
    .command('backup <file>', 'Copy the SQLite database to <file> while the server runs (SQLite online backup; for PostgreSQL use pg_dump)')
    .option('--force', 'Overwrite <file> if it exists')
    .example('  $ hami backup backups/hami-2026-11-23.db')
    .action(async () => {
      await runBackupCommand(io, positional(argv), { force: argv.includes('--force') });
    });
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  // `hami user add …` → the command "user add", which cac matches as one name.
  const argv = [...args];
  const group = argv[0] !== undefined ? GROUPS[argv[0]] : undefined;
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (group && argv[1] !== undefined && !argv[1].startsWith('-')) {
    argv.splice(0, 2, `${argv[0]} ${argv[1]}`);
  } else if (group && !wantsHelp) {
    io.err(`hami: ${argv[0]} needs a command: ${group.join(', ')} (see hami --help)`);
    return 1;
  }

  const cli = cac('hami');
  userCommands(cli, argv, io);
  apiKeyCommands(cli, argv, io);
  customerCommands(cli, argv, io);
  themesCommand(cli, io);
  let exitCode = 0;
  importCommand(cli, argv, io, (code) => (exitCode = code));
  backupCommand(cli, argv, io);
  // cac shows a command's description only in the overall list: say it under the command's own usage line too.
  cli.help((sections) => {
    const description = cli.matchedCommand?.description;
    if (!description) return sections;
    const usage = sections.findIndex((section) => section.title === 'Usage');
    return [...sections.slice(0, usage + 1), { body: description }, ...sections.slice(usage + 1)];
  });
  cli.version(packageVersion());

  try {
    cli.parse(['node', 'hami', ...argv], { run: false });
    if (cli.options.help || (cli.options.version && !cli.matchedCommand)) return 0;
    const command = cli.matchedCommand;
    if (!command) {
      const name = cli.args[0];
      if (name === undefined) {
        cli.outputHelp();
        return 1;
      }
      const known = cli.commands.map((c) => c.name).join(', ');
      throw new CliError(`unknown command "${shown(argv[0]!)}": the commands are ${known} (see hami --help)`);
    }
    await cli.runMatchedCommand();
    return exitCode;
  } catch (error) {
    io.err(`hami: ${describe(error, cli.matchedCommandName)}`);
    return 1;
  }
}

function describe(error: unknown, command: string | undefined): string {
  if (error instanceof CliError || error instanceof DuplicateUserError || error instanceof BackupRefused) return error.message;
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  // cac's own errors (unknown option, missing value, extra arguments).
  if (error instanceof Error && error.name === 'CACError') {
    const first = message.charAt(0).toLowerCase() + message.slice(1);
    return command ? `${command}: ${first} (see hami ${command} --help)` : `${first} (see hami --help)`;
  }
  return message.split('\n')[0]!;
}

/** The process entry point: server/bin/hami.mjs calls this; `tsx server/cli.ts …` runs it directly. */
export async function main(args: string[] = process.argv.slice(2)): Promise<number> {
  return runCli(args, { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
