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

function format(level: string, message: string, fields: Record<string, unknown> = {}): string {
  const parts = [`level=${level}`, `msg=${JSON.stringify(redact(message))}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = redact(value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value));
    parts.push(`${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`);
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
