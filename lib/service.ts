import { ConfigError } from './config';
import { PortInUseError } from './http';
import { createLogger, type Logger } from './logger';
import { createShutdown, type Shutdown } from './shutdown';

/** Problems a user fixes by changing something: printed as one line, exit code 2, no stack trace. */
function isUserFixable(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof PortInUseError;
}

/** The host of every service process: one clear line and a non-zero exit when start-up fails. */
export function runService(service: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    if (isUserFixable(error)) {
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(2);
    }
    createLogger(service, { destination: process.stderr }).fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}

/** Shutdown on SIGINT/SIGTERM for a service process. */
export function processShutdown(logger: Logger, deadlineMs: number): Shutdown {
  const shutdown = createShutdown(logger, deadlineMs);
  shutdown.listen();
  return shutdown;
}
