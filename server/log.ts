/** One line per thing that happened, in logfmt (key=value), so it reads well and greps well. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function format(level: string, message: string, fields: Record<string, unknown> = {}): string {
  const parts = [`level=${level}`, `msg=${JSON.stringify(message)}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value);
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
