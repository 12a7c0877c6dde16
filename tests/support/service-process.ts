import { runProcess, type ManagedProcess, type OutputStream } from '../../lib/process-runner';
import { TEST_API_KEYS, TEST_MASTER_KEY_BASE64 } from './test-keys';

export type ServiceProcess = ManagedProcess;

export interface ServiceProcessOptions {
  readonly args?: readonly string[];
  /** Its own process group (pid = group id), as a terminal starts a command: signal it with `-pid`. */
  readonly processGroup?: boolean;
  /** On a pseudo-terminal, as in a developer's terminal: its stdout is a TTY, and signals go to its group. */
  readonly terminal?: boolean;
  /** Only PATH and HOME from this environment, so a developer's shell cannot leak in. */
  readonly cleanEnv?: boolean;
  readonly onLine?: (line: string, stream: OutputStream) => void;
}

/**
 * Runs one service (`shop-api`, `processing`, `synchronizers`, a CLI) as its own process, as production does: a
 * TypeScript entry (`shop-api/main.ts`) through tsx, a compiled one (`dist/shop-api/main.js`) by plain node.
 */
export function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): ServiceProcess {
  return runProcess({
    name: entry,
    entry,
    args: options.args,
    baseEnv: options.cleanEnv ? 'clean' : 'inherit',
    // Services need a master key (personal data) and accept the run's test API keys, unless a spec sets its own.
    env: { LOG_LEVEL: 'info', PII_MASTER_KEY: TEST_MASTER_KEY_BASE64, API_KEYS: TEST_API_KEYS, ...env },
    processGroup: options.processGroup,
    terminal: options.terminal,
    onLine: options.onLine,
  });
}
