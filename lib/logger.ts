import pino, { type Logger } from 'pino';
import { personalLogPaths } from '../processing/personal-data/personal-fields';

export type { Logger };

const REDACTED_PATHS = personalLogPaths(['', '*', '*.*']);

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  readonly destination?: pino.DestinationStream;
}

/**
 * The one logger: JSON lines with `service` on every line. Use `withCorrelation` for lines about one request
 * so they can be found by its requestId.
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
    options.destination ?? pino.destination({ sync: false }),
  );
}

export function withCorrelation(logger: Logger, correlationId: string | undefined): Logger {
  return correlationId ? logger.child({ correlationId }) : logger;
}
