import { Writable } from 'node:stream';

/**
 * Log lines for a person at a terminal: `15:04:05.123 INFO  shop-api  shop-api listening  port=3000`. The services
 * always log JSON lines to anything that is not a terminal (containers, pipes, files, `npm start`'s children); a
 * terminal gets them through this formatter, in the service itself or in `npm start`, which relays its children.
 */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** `auto`: pretty on a terminal, JSON otherwise. */
export function usePretty(format: LogFormat, isTTY: boolean | undefined): boolean {
  return format === 'pretty' || (format === 'auto' && isTTY === true);
}

const LEVEL_COLOURS: Record<string, string> = {
  trace: '90',
  debug: '36',
  info: '32',
  warn: '33',
  error: '31',
  fatal: '35',
};
/** Always on the line already (time, level, service, message) or noise for a reader (pid, hostname). */
const SHOWN_APART = new Set(['time', 'level', 'service', 'msg', 'pid', 'hostname', 'err']);

const colour = (code: string | undefined, text: string, on: boolean) =>
  on && code ? `\x1b[${code}m${text}\x1b[0m` : text;

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

function clockOf(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '--:--:--.---';
  return date.toISOString().slice(11, 23);
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface PrettyOptions {
  readonly colours?: boolean;
  /** Shown instead of the line's `service` (npm start names its two processors apart). */
  readonly label?: string;
}

/** One JSON log line made readable; undefined for a line that is not a JSON log record. */
export function prettyRecord(line: string, options: PrettyOptions = {}): string | undefined {
  const record = parse(line);
  if (!record) return undefined;
  const colours = options.colours ?? true;
  const level = typeof record.level === 'string' ? record.level : 'info';
  const service = options.label ?? (typeof record.service === 'string' ? record.service : '');
  const fields = Object.entries(record)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, v]) => `${colour('90', `${key}=`, colours)}${value(v)}`);
  const err = record.err as { message?: unknown; stack?: unknown } | undefined;
  const error = err && typeof err === 'object' ? `\n    ${String(err.stack ?? err.message)}` : '';
  return [
    colour('90', clockOf(record.time), colours),
    colour(LEVEL_COLOURS[level], level.toUpperCase().padEnd(5), colours),
    service && colour('1', service, colours),
    typeof record.msg === 'string' || record.msg === undefined ? (record.msg ?? '') : value(record.msg),
    fields.join(' '),
  ]
    .filter((part) => part !== '')
    .join('  ')
    .concat(error);
}

/** One JSON log line made readable; a line that is not a JSON object comes back as it was. */
export const prettyLine = (line: string, options: PrettyOptions = {}): string =>
  prettyRecord(line, options) ?? line;

/** A destination for pino that writes each JSON line pretty to `out` (a terminal). */
export function prettyDestination(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') out.write(`${prettyLine(line)}\n`);
      done();
    },
  });
}
