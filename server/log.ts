/** One line per thing that happened, in logfmt (key=value), so it reads well and greps well. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Contact details and credentials that may hide in a value no one meant to log (a mail server's refusal quoting the
 * address, a gateway error quoting the number, an Authorization header in an error): replaced before the line is
 * written, so logs can be shipped and kept without becoming a copy of the customer list.
 */
const REDACTIONS: [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/\+\d{7,15}\b/g, '[phone]'], // E.164, the form Hami stores numbers in
  [/(?<![\w-])0?9\d{9}\b/g, '[phone]'], // an Iranian mobile as gateways write it (09121234567, 9121234567)
  [/\bhami_[A-Za-z0-9_-]{8,}/g, '[api-key]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
];

export function redact(text: string): string {
  return REDACTIONS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/**
 * What could forge or hide part of a line in a terminal or a log viewer: control characters (C0, DEL and C1, among
 * them the escape that starts a terminal's colour and cursor sequences), the line and paragraph separators, and the
 * bidirectional overrides that reorder what a reader sees. A request path can carry any of them (`%1b`, `%00`).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** A quoted value with every unsafe character written as an escape (`\u001b`), so one line stays one honest line. */
function quote(text: string): string {
  return JSON.stringify(text).replace(UNSAFE_ALL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function format(level: string, message: string, fields: Record<string, unknown> = {}): string {
  const parts = [`level=${level}`, `msg=${quote(redact(message))}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = redact(value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value));
    parts.push(`${key}=${/[\s"=]/.test(text) || UNSAFE.test(text) || text === '' ? quote(text) : text}`);
  }
  return parts.join(' ');
}

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return {
    info: (m, f) => write(format('info', m, f)),
    warn: (m, f) => write(format('warn', m, f)),
    error: (m, f) => write(format('error', m, f)),
  };
}

/** For tests that do not read the log. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
