import pino, { type Logger } from 'pino';
import { personalLogPaths } from '../contracts/personal-data/personal-fields';
import { prettyDestination, usePretty, type LogFormat } from './pretty-log';

export type { Logger };

const REDACTED_PATHS = personalLogPaths(['', '*', '*.*']);

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; defaults to `stream`. Tests pass a stream to read what was logged. */
  readonly destination?: pino.DestinationStream;
  /** LOG_FORMAT: `auto` is pretty when `stream` is a terminal. JSON when not given. */
  readonly format?: LogFormat;
  /** The stream the lines go to without a destination: stdout unless given (the admin CLI logs to stderr). */
  readonly stream?: NodeJS.WriteStream;
}

function destinationOf(options: LoggerOptions): pino.DestinationStream {
  if (options.destination) return options.destination;
  const stream = options.stream ?? process.stdout;
  if (usePretty(options.format ?? 'json', stream.isTTY)) return prettyDestination(stream);
  return stream === process.stdout
    ? pino.destination({ sync: false })
    : pino.destination({ fd: 2, sync: true });
}

/**
 * The one logger: JSON lines with `service` on every line (pretty ones on a terminal, see pretty-log.ts). Lines about one request carry its
 * `correlationId` (a child logger), so they can be found by its requestId.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Personal fields never reach a log line in plain text, wherever a logged object carries them.
      redact: { paths: REDACTED_PATHS, censor: '[personal data]' },
    },
    destinationOf(options),
  );
}
