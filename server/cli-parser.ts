import { parseArgs, type ParseArgsConfig } from 'node:util';

/*
 * The command line's one parser: node:util parseArgs, strict, every option a string (or a flag). Values stay
 * exactly as typed — a password "0123456789", a phone "0912…", a name "2024" — and a repeatable option gives every
 * value. (cac, used before, reads through mri, which turns "0123" into 123 and offers no option for strings: the
 * commands then had to re-read the raw arguments themselves.) This file is the little cac did besides: commands of
 * one or two words, their positional arguments, and the help text in the same shape.
 */

export interface OptionSpec {
  /** As shown in help: "--email <email>" takes a value, "--yes" is a flag. */
  flag: string;
  description: string;
  /** May be given more than once: every value is kept, in order. */
  repeatable?: boolean;
}

export interface ParsedCommand {
  /** The positional arguments, as typed. */
  args: string[];
  /** Each option's value (the last one of a repeatable option is in `all`), true for a flag. */
  options: Record<string, string | boolean | undefined>;
  /** Every value of a repeatable option. */
  all: Record<string, string[]>;
}

export interface CommandSpec {
  /** "user add", "import": the words that name it. */
  name: string;
  /** "<file>": the positional arguments, each required. */
  args?: string;
  description: string;
  options?: OptionSpec[];
  examples?: string[];
  run: (parsed: ParsedCommand) => Promise<void>;
}

/** A mistake in the command line itself (unknown option, missing value, arguments too few or too many). */
export class UsageError extends Error {
  override name = 'UsageError';
}

const optionName = (flag: string) => /^--([\w-]+)/.exec(flag)![1]!;
const takesValue = (flag: string) => /<.+>/.test(flag);
const argNames = (command: CommandSpec) => (command.args ? command.args.split(' ') : []);

/** parseArgs' options for a command: names without the dashes, with -h/--help and -v/--version beside. */
function config(command: CommandSpec | undefined): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const option of command?.options ?? []) {
    options[optionName(option.flag)] = { type: takesValue(option.flag) ? 'string' : 'boolean', multiple: option.repeatable === true };
  }
  return options;
}

/** parseArgs' messages in the words the commands have always used. */
function usageError(error: unknown): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return new UsageError(`unknown option \`${unknown[1]}\``);
  const option = /Option '(--?[\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    // A value starting with '-' is read as the next option: it must be written --name=-value.
    return new UsageError(
      /ambiguous/.test(message) ? `${option} needs a value (one starting with "-" is written ${option}=-…)` : `${option} needs a value`,
    );
  }
  return new UsageError(message.split('\n')[0]!);
}

type Outcome =
  | { kind: 'help'; command: CommandSpec | undefined }
  | { kind: 'version' }
  | { kind: 'none' }
  | { kind: 'unknown'; name: string }
  | { kind: 'run'; command: CommandSpec; parsed: ParsedCommand };

/**
 * Which command `argv` names and its parsed arguments. The command's words come first (`user add`); a UsageError
 * names what is wrong with the rest.
 */
export function parseCommandLine(commands: readonly CommandSpec[], argv: readonly string[]): Outcome {
  const words = (n: number) => argv.slice(0, n).join(' ');
  const command = commands.find((c) => words(c.name.split(' ').length) === c.name);
  const rest = command ? argv.slice(command.name.split(' ').length) : [...argv];
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  let tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>;
  try {
    ({ values, positionals, tokens } = parseArgs({
      args: rest,
      options: config(command),
      allowPositionals: true,
      strict: true,
      tokens: true,
    }));
  } catch (error) {
    // `hami --help` and `hami frobnicate --help` need no valid options to answer.
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', command };
    throw usageError(error);
  }
  if (values.help) return { kind: 'help', command };
  if (values.version && !command) return { kind: 'version' };
  if (!command) return positionals.length ? { kind: 'unknown', name: positionals[0]! } : { kind: 'none' };

  const names = argNames(command);
  if (positionals.length < names.length) throw new UsageError(`missing required args for command \`${command.name} ${command.args}\``);
  if (positionals.length > names.length)
    throw new UsageError(
      `unused args: ${positionals
        .slice(names.length)
        .map((a) => `\`${a}\``)
        .join(', ')}`,
    );
  const options: ParsedCommand['options'] = {};
  const all: ParsedCommand['all'] = {};
  for (const option of command.options ?? []) {
    const name = optionName(option.flag);
    const value = values[name];
    if (Array.isArray(value)) {
      all[name] = value.map(String);
      options[name] = all[name].at(-1);
    } else {
      if (tokens.filter((t) => t.kind === 'option' && t.name === name).length > 1)
        throw new UsageError(`--${name} was given more than once`);
      options[name] = value;
    }
  }
  return { kind: 'run', command, parsed: { args: positionals, options, all } };
}

const pad = (rows: [string, string][]) => {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
};

/** Help in the shape cac printed: the overview of every command, or one command's usage, options and examples. */
export function helpText(program: string, version: string, commands: readonly CommandSpec[], command: CommandSpec | undefined): string {
  const standard: [string, string][] = [['-h, --help', 'Display this message']];
  if (!command) {
    return [
      `${program}/${version}`,
      '',
      'Usage:',
      `  $ ${program} <command> [options]`,
      '',
      'Commands:',
      ...pad(commands.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ''}`, c.description])),
      '',
      'For more info, run any command with the `--help` flag:',
      ...commands.map((c) => `  $ ${program} ${c.name} --help`),
      '',
      'Options:',
      ...pad([...standard, ['-v, --version', 'Display version number']]),
    ].join('\n');
  }
  const lines = [
    `${program}/${version}`,
    '',
    'Usage:',
    `  $ ${program} ${command.name}${command.args ? ` ${command.args}` : ''}`,
    '',
    command.description,
    '',
    'Options:',
  ];
  lines.push(...pad([...(command.options ?? []).map((o): [string, string] => [o.flag, o.description]), ...standard]));
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples);
  return lines.join('\n');
}
